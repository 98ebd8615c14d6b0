"""Fixed facts of the project: where things are, which topics and levels exist.

Nothing here is visible text: every word a reader sees comes from a language's YAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE_DIR = ROOT / "handoutkit"  # this package
CONTENT_DIR = ROOT / "handouts"
TEMPLATES_DIR = ROOT / "templates"
STYLES_DIR = ROOT / "styles"
STYLESHEET = STYLES_DIR / "handout.css"  # parsed once per worker (pdf.py), linked from --html pages
# In a booklet's frame (booklet.html.j2), where a topic's pages go: pdf.render_booklet puts
# there as many pages as the topic's handout has, once it is laid out.
TOPIC_PAGES = "<!-- the pages of {slug} -->"

# Keys of topic files whose values are copied from English, never translated.
# (Every value in interface.yaml is text.)
NON_TEXT_KEYS = frozenset({"number", "phone", "url", "qr", "style", "icon", "accessed",
                           "last_reviewed", "review_due"})
FONTS_DIR = STYLES_DIR / "fonts"
FETCHED_FONTS_DIR = FONTS_DIR / "fetched"  # families fetched at set-up (`make fonts`), not in git
ICONS_DIR = STYLES_DIR / "icons"  # pictograms, one SVG each
DEFAULT_OUT = ROOT / "build"
PREVIEW_DIR = "over-page-limit"  # in the output folder: previews of handouts over their budget

INTERFACE_FILE = "interface.yaml"
SOURCE_LANGUAGE = "en"  # every translation follows the English files
STATE_FILE = "translation.yaml"  # a translation's review and sync records
REVIEWS_FILE = "reviews.yaml"  # clinical sign-off of each topic, per language
GLOSSARY_FILE = "glossary.yaml"  # a translation's agreed word for each English term
# In the content folder: the English texts translations were made from, by fingerprint,
# so that `status` can show a stale text's English then and now (kept by `status`).
ENGLISH_THEN_FILE = "english-then.yaml"

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


# ---- Fonts: which family prints which language ----
# Declared once, here: the stylesheet's font stacks, the check of each language's characters
# (fonts.py), `make fonts` (scripts/fetch_fonts.py) and the README's table are made from it.


@dataclass(frozen=True)
class FontFamily:
    """A bundled font family: its files, and the npm package they come from, pinned.

    The files are named as the package names them: `{stem}_{face}.ttf`, in the package's
    folder `{face}/`; beside them, OFL.txt is the package's LICENSE_FONT. `sha256` is the
    package's tarball's: a family with one is fetched by `make fonts` into
    styles/fonts/fetched/; one without is in git (its package only says where it came from).
    """

    name: str  # as in the font files' name table, and so in CSS
    folder: str
    stem: str
    package: str
    version: str
    sha256: str | None = None
    faces: tuple[str, ...] = ("400Regular", "700Bold")

    @property
    def fetched(self) -> bool:
        return self.sha256 is not None

    @property
    def path(self) -> Path:
        return (FETCHED_FONTS_DIR if self.fetched else FONTS_DIR) / self.folder

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(self.path / f"{self.stem}_{face}.ttf" for face in self.faces)


def _noto(script: str, version: str, sha256: str,
          faces: tuple[str, ...] = ("400Regular", "700Bold")) -> FontFamily:
    """A Noto Sans family as Expo packages Google Fonts' static TTFs: 'SC' -> Noto Sans SC."""
    name = f"Noto Sans {script}".strip()
    slug = name.lower().replace(" ", "-")
    return FontFamily(name, slug, name.replace(" ", ""), f"@expo-google-fonts/{slug}", version,
                      sha256, faces)


ATKINSON = FontFamily("Atkinson Hyperlegible", "atkinson-hyperlegible", "AtkinsonHyperlegible",
                      "@expo-google-fonts/atkinson-hyperlegible", "0.4.1",
                      faces=("400Regular", "700Bold", "400Regular_Italic", "700Bold_Italic"))
NOTO_ARABIC = FontFamily("Noto Sans Arabic", "noto-sans-arabic", "NotoSansArabic",
                         "@expo-google-fonts/noto-sans-arabic", "0.4.3")
NOTO_SANS = _noto("", "0.4.2", "98cf14a19b8e67a0e76bfd4d5df98937b9734e6dde570bd750f2259042042548",
                  ("400Regular", "700Bold", "400Regular_Italic"))  # <cite> is italic


@dataclass(frozen=True)
class Script:
    """A writing system and the families that print it, in the order CSS tries them: a
    character comes from the first family that has it. Atkinson Hyperlegible goes first
    where the script's own family adds letters Atkinson lacks altogether (Arabic, Hebrew,
    the Indic, Ethiopic and Southeast Asian scripts), so Latin words and numbers look as
    in English; the script's family alone where its letters would otherwise mix with
    Atkinson's in one word (Vietnamese), where it is one design for Latin, Greek and
    Cyrillic (Noto Sans), and for Chinese, Japanese and Korean, whose fonts carry Latin
    letters and figures made to sit among their characters."""

    name: str  # as the README and errors name it
    families: tuple[FontFamily, ...]
    # Its glyphs are not its letters one for one, in reading order: drawn right to left,
    # joined from shared parts (an Arabic letter's dots), or with a vowel drawn before the
    # consonant it follows (Indic, Khmer, Myanmar). Text read back from the glyphs comes
    # out scrambled, so each paragraph's tag carries its text as written (tagging.py).
    shaped: bool = False
    # The room the script needs beyond the translation's own page budget factor
    # (translation.yaml) for the same words: a handout's budget is multiplied by both.
    page_budget_factor: float = 1.0


# By ISO 15924 script code, or `language-Script` for a language its script's stack cannot
# print. A language tag finds its script by its script subtag (zh-Hant, sr-Latn), else by
# the script CLDR says it is written in (babel's likely subtags: vi -> Latn, ru -> Cyrl).
SCRIPTS: dict[str, Script] = {
    "Latn": Script("Latin", (ATKINSON,)),
    "vi-Latn": Script("Vietnamese", (NOTO_SANS,)),  # Atkinson has no ơ, ư, ệ...
    "Cyrl": Script("Cyrillic", (NOTO_SANS,)),
    "Grek": Script("Greek", (NOTO_SANS,)),
    "Arab": Script("Arabic", (ATKINSON, NOTO_ARABIC), shaped=True),
    "Hebr": Script("Hebrew", (ATKINSON, _noto(
        "Hebrew", "0.4.1", "f82f8e852e3355521c511f2762a0130216d208d108bf4739aa977eb6a6d3012c")),
        shaped=True),
    "Deva": Script("Devanagari", (ATKINSON, _noto(
        "Devanagari", "0.4.1", "fb9a4c288af3829f383d945fcec350c8cdf99abf18ffe55c987c495bca42e80e")),
        shaped=True),
    "Beng": Script("Bengali", (ATKINSON, _noto(
        "Bengali", "0.4.4", "aea68a0e86d50c55739f11b3efebf859cbc63219ad1dfbf83dc7e6cfd84a4243")),
        shaped=True),
    "Guru": Script("Gurmukhi", (ATKINSON, _noto(
        "Gurmukhi", "0.4.1", "a880021879dfa6df078c64a414c07045491269d6ed2f585487208eccb1e0d326")),
        shaped=True),
    "Gujr": Script("Gujarati", (ATKINSON, _noto(
        "Gujarati", "0.4.2", "8755e83efd5f0a75427bcb9adae912167c6c1fbd94d2a820c91655e0b58673af")),
        shaped=True),
    "Ethi": Script("Ethiopic", (ATKINSON, _noto(
        "Ethiopic", "0.4.2", "3030fe790f54df5297904e82da1d5216df61064af4e2ca2972ad166a6ad81f49"))),
    # Burmese needs a quarter more paper than Thai or Khmer text of the same length: its
    # marks stack above and below (lines 20 pt apart for their 18) and its letters are
    # wider. Measured with tests/pseudo.in_words_of at 1.2 times the English length: 14
    # easy, 20 standard and 30 detailed pages of the four topics for Thai's 12, 16, 24.
    "Mymr": Script("Myanmar", (ATKINSON, _noto(
        "Myanmar", "0.4.2", "14db9970d908b8e46c65ddcbb66aa789add2e76e6e4cfc48e2f454c5e20ea39f")),
        shaped=True, page_budget_factor=1.25),
    "Khmr": Script("Khmer", (ATKINSON, _noto(
        "Khmer", "0.4.3", "cb4f3e93186d59c60d21b386fde7de3d554617a6c857f148c777a64fba608793")),
        shaped=True),
    "Thai": Script("Thai", (ATKINSON, _noto(
        "Thai", "0.4.2", "44282ae7c24587e7e50f083e5db3aafa8011ac2eac1159ef62be4fc516a66165"))),
    "Hans": Script("Simplified Chinese", (_noto(
        "SC", "0.4.3", "0d69d0f4971d2ff574e3d93cbc218dc950bf3f3f8f8e2c008d97687ed53aee59"),)),
    "Hant": Script("Traditional Chinese", (_noto(
        "TC", "0.4.3", "e7532a3a43a6c660ee0351a167b99fe0da52f20b4940fb3fc067ed7c5bd594bf"),)),
    "Jpan": Script("Japanese", (_noto(
        "JP", "0.4.3", "563ee80509692e2b2f42ceae6a0b82afecb90daa1b3d025bcebdf3d9120f43a3"),)),
    "Kore": Script("Korean", (_noto(
        "KR", "0.4.3", "7614af529705ea48e8b76cb3b056b92db66b7625ef3fc97ce76366063df94d3f"),)),
}
# A language whose script has no entry above prints with this one; its other letters are
# then reported as in no bundled font.
DEFAULT_SCRIPT = "Latn"

# The languages a US clinic serves, each of which the tests print (tests/test_fonts.py),
# listed in the README's table.
SERVED_LANGUAGES: tuple[str, ...] = (
    "en", "es", "zh-Hans", "zh-Hant", "vi", "ko", "tl", "ru", "uk", "ar", "fa", "ur", "ht", "fr",
    "pt-BR", "pl", "ja", "hi", "bn", "pa", "gu", "ne", "am", "so", "my", "km", "hmn", "he", "el", "th",
)
# Every bundled family, once each, in the table's order.
FONT_FAMILIES: tuple[FontFamily, ...] = tuple(dict.fromkeys(
    family for script in SCRIPTS.values() for family in script.families))
