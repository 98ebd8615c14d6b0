"""Fixed facts of the project: where things are, which topics and levels exist.

Nothing here is visible text: every word a reader sees comes from a language's YAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = ROOT / "handouts"
TEMPLATES_DIR = ROOT / "templates"
STYLES_DIR = ROOT / "styles"
FONTS_DIR = STYLES_DIR / "fonts"
DEFAULT_OUT = ROOT / "build"

INTERFACE_FILE = "interface.yaml"

# Booklet order: from understanding the problem to getting help.
TOPICS: tuple[str, ...] = ("withdrawal", "kratom", "interactions", "getting-help")


@dataclass(frozen=True)
class Level:
    """A reading level: its page budget, its Flesch-Kincaid grade target, and whether
    the handout lists its sources (readers of the detailed level want them)."""

    name: str
    max_pages: int
    max_grade: float
    prints_sources: bool = False


LEVELS: dict[str, Level] = {
    level.name: level
    for level in (
        Level("easy", max_pages=2, max_grade=5.0),
        Level("standard", max_pages=3, max_grade=8.0),
        Level("detailed", max_pages=5, max_grade=12.0, prints_sources=True),
    )
}

# CSS page sizes, by the name used on the command line.
PAPERS: dict[str, str] = {"letter": "letter", "a4": "A4"}
DEFAULT_PAPER = "letter"
