"""What a build or check was asked to do: languages, levels, topics, formats, folders."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .config import CONTENT_DIR, INTERFACE_FILE
from .errors import Problem

INTERFACE = Path(INTERFACE_FILE).stem  # "interface": the name status uses for it


@dataclass(frozen=True)
class Options:
    langs: tuple[str, ...]
    levels: tuple[str, ...]
    topics: tuple[str, ...]
    paper: str
    out: Path
    html: bool = False
    content: Path = CONTENT_DIR
    allow_incomplete: bool = False
    clinics: tuple[Path, ...] = ()  # clinic profiles; each gets <out>/<profile id>/
    large_print: bool = False
    bilingual: tuple[str, ...] = ()  # languages to pair with English side by side
    jobs: int = 1  # processes rendering PDFs at once
    force: bool = False  # rebuild even what the manifest says is up to date
    shard: tuple[int, int] | None = None  # (K, N): build only the K-th of N parts (targets.shard)

    def file(self, lang: str, name: str) -> Path:
        return self.content / lang / (INTERFACE_FILE if name == INTERFACE else f"{name}.yaml")


def available_languages(content: Path = CONTENT_DIR) -> list[str]:
    """The language folders under `content`: those with an interface.yaml."""
    return sorted(path.parent.name for path in content.glob(f"*/{INTERFACE_FILE}"))


# A BCP 47 language tag's shape (RFC 5646): language, then script, region and variants,
# in their usual case: hmn, pt-BR, zh-Hant, sr-Latn, es-419; pseudo-locales such as en-XA.
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?"
                          r"(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*")


def language_tag(code: str) -> str:
    """`code` if it is a language tag; else a ValueError saying which tag was meant."""
    if LANGUAGE_TAG.fullmatch(code):
        return code
    parts = code.replace("_", "-").split("-")
    meant = "-".join([parts[0].lower()] + [part.title() if len(part) == 4 else part.upper()
                                           if len(part) <= 3 else part.lower() for part in parts[1:]])
    fix = (f"use {meant}" if LANGUAGE_TAG.fullmatch(meant)
           else "use a code such as fr, vi, hmn, zh-Hant or pt-BR")
    raise ValueError(f"'{code}' is not a language tag (BCP 47: parts joined by '-', like pt-BR); {fix}")


def unknown_locale(content: Path, code: str) -> Problem | None:
    """Why the language folder `code` cannot be built, if its name is no language tag."""
    try:
        language_tag(code)
        return None
    except ValueError as error:
        return Problem(content / code / INTERFACE_FILE, 1, 1, f"the folder name {error}; rename the folder")
