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
ICONS_DIR = STYLES_DIR / "icons"  # pictograms, one SVG each
DEFAULT_OUT = ROOT / "build"

INTERFACE_FILE = "interface.yaml"
SOURCE_LANGUAGE = "en"  # every translation follows the English files
STATE_FILE = "translation.yaml"  # a translation's review and sync records
REVIEWS_FILE = "reviews.yaml"  # clinical sign-off of each topic, per language
GLOSSARY_FILE = "glossary.yaml"  # a translation's agreed word for each English term

# Booklet order: from understanding the problem to getting help.
TOPICS: tuple[str, ...] = ("withdrawal", "kratom", "interactions", "getting-help")


@dataclass(frozen=True)
class Level:
    """A reading level: its page budget, and whether the handout lists its sources
    (readers of the detailed level want them)."""

    name: str
    max_pages: int
    prints_sources: bool = False


LEVELS: dict[str, Level] = {
    level.name: level
    for level in (
        Level("easy", max_pages=2),
        Level("standard", max_pages=3),
        Level("detailed", max_pages=5, prints_sources=True),
    )
}

# Readability targets by language and level, on that language's scale
# (handoutkit.readability.FORMULAS): the highest Flesch-Kincaid grade for English,
# the lowest INFLESZ score for Spanish. A language without a formula is not gated.
READABILITY_TARGETS: dict[str, dict[str, float]] = {
    "en": {"easy": 5.0, "standard": 8.0, "detailed": 12.0},
    "es": {"easy": 70.0, "standard": 60.0, "detailed": 50.0},
}

# The kinds of PDF; each has its template, templates/<kind>.html.j2.
HANDOUT, BOOKLET, BILINGUAL, WALLET = "handout", "booklet", "bilingual", "wallet"

# CSS page sizes, by the name used on the command line.
PAPERS: dict[str, str] = {"letter": "letter", "a4": "A4"}
DEFAULT_PAPER = "letter"

# Large print (18 pt and up) needs more paper: page budgets grow by this factor. Text at
# 18 pt takes (18/12)^2 = 2.25 times the area of 12 pt; larger headings and boxes, and a
# list's last item kept with the one before it, bring the longest Spanish handouts to
# 2.75 (measured: standard getting-help 9 pages for 3, detailed interactions 14 for 5).
LARGE_PRINT_PAGE_FACTOR = 2.75
# Two languages side by side, in half-width columns paired row by row, need about
# two and a half times the paper of one.
BILINGUAL_PAGE_FACTOR = 2.5
# A handout listing a clinic's local referrals may take one more page per this many.
REFERRALS_PER_EXTRA_PAGE = 4
