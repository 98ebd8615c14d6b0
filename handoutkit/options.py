"""What a build or check was asked to do: languages, levels, topics, formats, folders."""

from __future__ import annotations

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

    def file(self, lang: str, name: str) -> Path:
        return self.content / lang / (INTERFACE_FILE if name == INTERFACE else f"{name}.yaml")


def available_languages(content: Path = CONTENT_DIR) -> list[str]:
    """The language folders under `content`: those with an interface.yaml."""
    return sorted(path.parent.name for path in content.glob(f"*/{INTERFACE_FILE}"))


def unknown_locale(content: Path, code: str) -> Problem | None:
    """Why the language folder `code` cannot be built, if its name is no locale babel knows
    (dates are written in each language's own way; render.babel_locale falls back from a
    region or script it does not know, such as the pseudo-locale en-XA, to the language)."""
    from babel import Locale, UnknownLocaleError

    for candidate in (code, code.split("-")[0]):
        try:
            Locale.parse(candidate, sep="-")
            return None
        except (ValueError, TypeError, UnknownLocaleError):
            continue
    return Problem(content / code / INTERFACE_FILE, 1, 1,
                   f"the folder name '{code}' is not a language code babel knows, so dates "
                   "cannot be written in it; rename the folder to a code like fr, pt-BR or zh-Hant")
