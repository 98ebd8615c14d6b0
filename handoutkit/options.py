"""What a build or check was asked to do: languages, levels, topics, formats, folders."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import CONTENT_DIR, INTERFACE_FILE

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
