"""Fonts: every language a US clinic serves prints in its own bundled fonts.

A sample of each language (tests/samples.py) is rendered into a small PDF, which is read
back glyph by glyph: only bundled fonts, no glyph missing, no word set in two families.
Also: how a language tag finds its script, the error for characters no font has, the font
stacks made for a page, the README's table and `make fonts`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import logging
import pickle
import re
import tarfile
from datetime import date
from pathlib import Path
from typing import NamedTuple

import pytest
from embedded import embedded_fonts, families_used, missing, mixed_words
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph
from helpers import made_once
from samples import SAMPLES

from handoutkit.config import FONT_FAMILIES, ROOT, SCRIPTS, SERVED_LANGUAGES, FontFamily
from handoutkit.fonts import (
    README_COLUMNS,
    direction,
    drawn,
    font_css,
    language_name,
    page_stack,
    readme_rows,
    script_of,
    stack,
    stack_css,
    uncovered_characters,
)
from handoutkit.pdf import _weasyprint, render_pdf
from handoutkit.targets import assets

FETCHED = [family for family in FONT_FAMILIES if family.fetched]


def fetch_fonts():
    """scripts/fetch_fonts.py, which `make fonts` runs."""
    spec = importlib.util.spec_from_file_location("fetch_fonts", ROOT / "scripts" / "fetch_fonts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

# ---- Languages to scripts ----

EXPECTED_SCRIPTS = {
    "en": "Latin", "es": "Latin", "zh-Hans": "Simplified Chinese", "zh-Hant": "Traditional Chinese",
    "vi": "Vietnamese", "ko": "Korean", "tl": "Latin", "ru": "Cyrillic", "uk": "Cyrillic",
    "ar": "Arabic", "fa": "Arabic", "ur": "Arabic", "ht": "Latin", "fr": "Latin", "pt-BR": "Latin",
    "pl": "Latin", "ja": "Japanese", "hi": "Devanagari", "bn": "Bengali", "pa": "Gurmukhi",
    "gu": "Gujarati", "ne": "Devanagari", "am": "Ethiopic", "so": "Latin", "my": "Myanmar",
    "km": "Khmer", "hmn": "Latin", "he": "Hebrew", "el": "Greek", "th": "Thai",
    # A script subtag, a region, an old code, another case, a pseudo-locale:
    "zh-TW": "Traditional Chinese", "zh-HK": "Traditional Chinese", "zh": "Simplified Chinese",
    "sr": "Cyrillic", "sr-Latn": "Latin", "iw": "Hebrew", "ZH-hant": "Traditional Chinese",
    "vi-VN": "Vietnamese", "ar-XB": "Arabic", "en-XA": "Latin",
    "ka": "Latin",  # Georgian has no family: its letters are reported as in no bundled font
}


@pytest.mark.parametrize("lang,script", EXPECTED_SCRIPTS.items())
def test_a_language_tag_finds_its_script(lang, script):
    assert script_of(lang).name == script


def test_every_served_language_has_a_sample():
    assert set(SAMPLES) == set(SERVED_LANGUAGES)


def test_every_stack_has_the_latin_font_for_texts_every_language_shares():
    latin = SCRIPTS["Latn"].families
    assert all(set(latin) <= set(stack(lang)) for lang in EXPECTED_SCRIPTS)


# ---- Each language printed ----

def sample_page(lang: str) -> str:
    """A small page in the language: a bold heading, running text, a narrow column that
    hyphenates (WeasyPrint adds the hyphens), a list, a citation, and the sample in the
    running header, whose font stack is the page's."""
    text = SAMPLES[lang]
    first = re.split(r"(?<=[.。।።!?؟])\s*", text)[0]
    return (f'<!DOCTYPE html><html lang="{lang}" dir="{direction(lang)}"><head><style>'
            f'@page {{ size: A5; margin: 20mm 12mm; @top-left {{ content: "{first}"; }} }}'
            f'</style></head><body><h1><strong>{first}</strong></h1><p>{text}</p>'
            f'<p style="width: 22mm; hyphens: auto">{text}</p>'
            f'<ul><li>{first}</li></ul><p><cite>{first}</cite></p></body></html>')


@pytest.fixture(scope="session")
def printed(tmp_path_factory) -> dict[str, tuple[bytes, frozenset[str], list[str]]]:
    """Every sample rendered once: the PDF, the families WeasyPrint says it used, and what
    WeasyPrint warned about."""
    folder = made_once(tmp_path_factory, "fonts", _print_samples)
    return pickle.loads((folder / "printed.pickle").read_bytes())


def _print_samples(folder: Path) -> None:
    results = {}
    for lang in SAMPLES:
        with _warnings() as warned:
            rendered = render_pdf(sample_page(lang), folder / "page.html", date(2026, 1, 1))
        results[lang] = (rendered.pdf, rendered.fonts, warned)
    (folder / "printed.pickle").write_bytes(pickle.dumps(results))


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class _warnings:
    """WeasyPrint's warnings while rendering (a .notdef glyph is one)."""

    def __enter__(self) -> list[str]:
        self.handler = _Collect()
        logging.getLogger("weasyprint").addHandler(self.handler)
        return self.handler.messages

    def __exit__(self, *exc: object) -> None:
        logging.getLogger("weasyprint").removeHandler(self.handler)


@pytest.mark.parametrize("lang", SERVED_LANGUAGES)
def test_each_language_prints_in_its_own_fonts_only(printed, lang):
    pdf, families, _ = printed[lang]
    used = families_used(pdf)
    own = {family.name for family in stack(lang)}
    assert families <= own and used <= own, (families, used)
    # The script's own family draws its letters (Atkinson Hyperlegible is a Latin font).
    assert script_of(lang).families[-1].name in used


@pytest.mark.parametrize("lang", SERVED_LANGUAGES)
def test_no_glyph_is_missing(printed, lang):
    pdf, _, warned = printed[lang]
    assert not [message for message in warned if ".notdef" in message]
    assert not missing(pdf)


@pytest.mark.parametrize("lang", SERVED_LANGUAGES)
def test_no_word_mixes_font_families(printed, lang):
    pdf, _, _ = printed[lang]
    assert not mixed_words(pdf)


def test_embedded_glyphs_are_the_bundled_fonts_own(printed):
    """Each glyph a PDF draws is the bundled font's: its outline, its box, its components
    (and theirs) and its width, whichever subsetter made the font (fontTools, or
    HarfBuzz's, which may number a component anew). The font is not measured again: its
    overall box stays the whole font's (pdf.py)."""
    bundled = {_postscript_name(TTFont(file, lazy=True)): file
               for family in FONT_FAMILIES for file in family.files}
    wholes: dict[str, TTFont] = {}
    for document, _, _ in printed.values():
        for embedded, used in embedded_fonts(document):
            name = _postscript_name(embedded)
            whole = wholes.setdefault(name, TTFont(bundled[name], lazy=True))
            head, whole_head = embedded["head"], whole["head"]
            assert (head.xMin, head.yMin, head.xMax, head.yMax) == \
                (whole_head.xMin, whole_head.yMin, whole_head.xMax, whole_head.yMax), name
            glyphs, whole_glyphs = _GlyphIds(embedded), _GlyphIds(whole)
            for gid in used:
                assert glyphs.outline(gid) == whole_glyphs.outline(gid), (name, gid)
                assert glyphs.width(gid) == whole_glyphs.width(gid), (name, gid)
    assert len(wholes) >= len(FONT_FAMILIES)  # every family, in one face or more


def test_a_font_without_glyph_names_is_read_and_subset_without_making_them_up(monkeypatch):
    """The Chinese, Japanese and Korean fonts name no glyph (a `post` table of format 3).
    fontTools would make up a name for each of their tens of thousands of glyphs from the
    Unicode map before subsetting, or before telling which characters the font has;
    numbered instead, they give the same subset font, byte for byte, and the same
    characters (fonts.number_unnamed_glyphs)."""
    family = next(family for family in FONT_FAMILIES if family.name == "Noto Sans JP")
    japanese = family.files[0]
    assert TTFont(japanese, lazy=True)["post"].formatType == 3.0

    def made_up(font: TTFont) -> None:
        raise AssertionError("glyph names made up from the Unicode map")

    named = set.intersection(*(set(TTFont(file, lazy=True).getBestCmap()) for file in family.files))
    drawn.cache_clear()
    with monkeypatch.context() as patched:
        patched.setattr(TTFont, "_getGlyphNamesFromCmap", made_up)
        numbered = _subset_as_weasyprint_does(japanese)
        assert drawn(family) == named  # the characters the check of a text finds in it
    # A font whose glyph order was read before keeps it: its tables hold those names.
    assert _subset_as_weasyprint_does(japanese, read_first=True) == numbered
    monkeypatch.setattr("handoutkit.fonts.number_unnamed_glyphs", lambda font: None)
    assert _subset_as_weasyprint_does(japanese) == numbered


def _subset_as_weasyprint_does(file: Path, read_first: bool = False) -> bytes:
    """The font subset to a few hundred glyphs with WeasyPrint's options
    (weasyprint/pdf/fonts.py), through this tool's changes to fontTools' subsetting, and
    saved without a date."""
    _weasyprint()  # makes the changes (pdf._fonts_subset_without_needless_work)
    font = TTFont(file, recalcTimestamp=False)
    if read_first:
        font.getBestCmap()
    options = subset.Options(retain_gids=True, passthrough_tables=True, ignore_missing_glyphs=True,
                             hinting=False, desubroutinize=True, notdef_outline=False)
    options.drop_tables += ["GSUB", "GPOS", "SVG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=set(range(1, 17000, 53)))
    subsetter.subset(font)
    saved = io.BytesIO()
    font.save(saved)
    return saved.getvalue()


def _postscript_name(font: TTFont) -> str:
    return font["name"].getDebugName(6)


class _Outline(NamedTuple):
    """A glyph as it is drawn (its hinting left out: the subset drops it)."""

    box: tuple[int, int, int, int]
    contour_ends: tuple[int, ...]
    points: tuple[tuple[int, int], ...]
    on_curve: bytes
    components: tuple[_Outline | None, ...]  # drawn, whatever their ids in this font
    placements: tuple[tuple, ...]  # each component's offset, scale and flags


class _GlyphIds:
    """A font's glyphs by id, decoded one at a time from the font's data: cheaper than
    fontTools' glyph table, which first names and indexes every glyph of the font (30,898
    in Noto Sans SC)."""

    extended = False  # what fontTools asks a glyph table: no cubic curves

    def __init__(self, font: TTFont) -> None:
        self._offsets, self._data = font["loca"], font.reader["glyf"]
        self._metrics, self._advances = font.reader["hmtx"], font["hhea"].numberOfHMetrics

    def getGlyphName(self, gid: int) -> str:  # also asked, of a component
        return f"glyph{gid:05d}"

    def outline(self, gid: int) -> _Outline | None:
        data = self._data[self._offsets[gid]:self._offsets[gid + 1]]
        if not data:
            return None
        glyph = Glyph(data)
        glyph.expand(self)
        box = (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax)
        if glyph.isComposite():
            parts = glyph.components
            return _Outline(box, (), (), b"", tuple(self.outline(int(c.glyphName[5:])) for c in parts),
                            tuple((c.x, c.y, getattr(c, "transform", None), c.flags & 0x0C06) for c in parts))
        return _Outline(box, tuple(glyph.endPtsOfContours), tuple(glyph.coordinates),
                        bytes(flag & 1 for flag in glyph.flags), (), ())

    def width(self, gid: int) -> int:
        """Its advance: the last one given for each glyph after them (hmtx's layout)."""
        at = 4 * min(gid, self._advances - 1)
        return int.from_bytes(self._metrics[at:at + 2], "big")


@pytest.mark.parametrize("lang", SERVED_LANGUAGES)
def test_each_sample_passes_the_character_check(lang):
    assert uncovered_characters({"text": SAMPLES[lang]}, lang) == []


@pytest.mark.pdf
def test_the_check_of_mixed_words_finds_vietnamese_in_atkinson(tmp_path):
    """Vietnamese set in Atkinson Hyperlegible takes ư, ệ... from Noto Sans, mid-word."""
    html = (f'<html lang="vi"><body><p style="font-family: \'Atkinson Hyperlegible\', \'Noto Sans\'">'
            f'{SAMPLES["vi"]}</p></body></html>')
    pdf = render_pdf(html, tmp_path / "a.html", date(2026, 1, 1)).pdf
    mixed = {word for word, _ in mixed_words(pdf)}
    assert {"Người", "bệnh"} <= mixed


# ---- Stacks for a page ----

def test_a_page_margin_stack_puts_english_last():
    """On a bilingual sheet the header holds both languages: Vietnamese words come whole
    from Noto Sans only if it comes before Atkinson Hyperlegible."""
    assert [f.name for f in page_stack(("en", "vi"))] == ["Noto Sans", "Atkinson Hyperlegible"]
    assert [f.name for f in page_stack(("ar",))] == ["Atkinson Hyperlegible", "Noto Sans Arabic"]


def test_stacks_are_made_for_each_language_of_a_page():
    css = stack_css(("zh", "zh-Hant"))
    assert css.index(":lang(zh)") < css.index(":lang(zh-Hant)")  # the longer tag wins
    assert ':lang(zh-Hant) { font-family: "Noto Sans TC", "Atkinson Hyperlegible"; }' in css


def test_a_standalone_page_loads_its_fonts_by_relative_address():
    css = font_css(("en", "th"), lambda path: path.name)
    assert 'src: url("NotoSansThai_700Bold.ttf"); font-weight: 700; font-style: normal;' in css
    assert "Noto Sans SC" not in css  # only the families of the page's languages


# ---- Errors ----

GEORGIAN = {"title": "ნალოქსონი", "steps": ["დარეკეთ 911", "ნუ აურევთ ალკოჰოლს"]}


def test_a_missing_script_is_reported_once_per_file_naming_its_characters():
    letters = sorted({c for text in (GEORGIAN["title"], *GEORGIAN["steps"]) for c in text if c.isalpha()})
    [(path, message)] = uncovered_characters(GEORGIAN, "ka")
    assert path == ("title",)
    assert message == (f"title: {len(letters)} characters of Georgian ({' '.join(letters[:10])} ...) "
                       "are in no bundled font (3 texts, the first here); "
                       'see TRANSLATING.md "Adding a script"')


def test_letters_another_language_has_are_named_with_the_languages_fonts():
    [(_, message)] = uncovered_characters({"name": "Nguyễn"}, "en")
    assert message == ('name: 1 character of English (ễ) is not in its fonts (Atkinson '
                       'Hyperlegible); see TRANSLATING.md "Adding a script"')


def test_a_clinic_text_is_checked_in_its_language():
    clinic = {"name": {"en": "Clinic", "vi": "Phòng khám Người Việt"}, "note": "Người"}
    [(path, message)] = uncovered_characters(clinic, None)
    assert path == ("note",)  # shared by every language: in the Latin font every stack ends with
    assert "the fonts every language prints it in (Atkinson Hyperlegible)" in message


# ---- README, fetching, fingerprints ----

def test_the_readme_lists_every_served_language_from_the_table():
    """Its first columns are made from the table (`python -m handoutkit.fonts` prints them);
    more may follow."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    header = f"| {' | '.join(README_COLUMNS)} |"
    assert header in readme
    lines = readme[readme.index(header):].splitlines()[2:]
    table = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[:len(SERVED_LANGUAGES)]]
    assert [row[:len(README_COLUMNS)] for row in table] == readme_rows(SERVED_LANGUAGES, direction)


def test_language_names_are_english():
    assert [language_name(lang) for lang in ("zh-Hant", "pt-BR", "hmn", "tl")] == [
        "Traditional Chinese", "Brazilian Portuguese", "Hmong", "Tagalog"]


@pytest.mark.parametrize("family", FETCHED, ids=lambda family: family.name)
def test_fetched_families_are_installed_with_their_licence(family):
    assert fetch_fonts().installed(family), "run `make fonts`"
    assert "SIL Open Font License" in (family.path / "OFL.txt").read_text(encoding="utf-8")


def test_a_tarball_with_another_checksum_installs_nothing(tmp_path, monkeypatch):
    fetching = fetch_fonts()
    tarball = tmp_path / "font.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        archive.add(Path(__file__), "package/400Regular/X_400Regular.ttf")
    family = FontFamily("X", "x", "X", "@x/x", "1.0", sha256="0" * 64, faces=("400Regular",))
    monkeypatch.setattr(fetching, "FETCHED_FONTS_DIR", tmp_path)
    monkeypatch.setattr(FontFamily, "path", property(lambda self: tmp_path / self.folder))
    monkeypatch.setattr(fetching, "_pack", lambda spec, folder: tarball)
    message = fetching.fetch(family)
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    assert message == (f"@x/x@1.0: the tarball's SHA-256 is {digest}, not the pinned {'0' * 64}; "
                       "nothing was installed")
    assert not (tmp_path / "x").exists()


def test_fetched_fonts_count_for_a_rebuild_by_their_source():
    """Hashing 60 MB of fonts would take most of a build with nothing to do."""
    files = set(assets())
    for family in FETCHED:
        assert family.path / "SOURCE.txt" in files
        assert not set(family.files) & files


def _families_of(lang: str, folder: Path) -> list[str]:
    families = render_pdf(sample_page(lang), folder / "page.html", date(2026, 1, 1)).fonts
    return sorted(families)


@pytest.mark.pdf
def test_forked_workers_and_their_parent_each_load_the_fonts_they_need(tmp_path):
    """Workers fork from a process that may have rendered already (the tests do), and
    load fonts as their pages need them: each must register the fonts itself."""
    import multiprocessing

    _families_of("en", tmp_path)
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(_families_of, ("he", tmp_path)) == ["Atkinson Hyperlegible", "Noto Sans Hebrew"]
    assert _families_of("he", tmp_path) == ["Atkinson Hyperlegible", "Noto Sans Hebrew"]
