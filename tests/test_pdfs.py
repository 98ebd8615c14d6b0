"""The built PDFs: every handout, its size, metadata, tags, fonts and emergency numbers."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from babel.dates import format_date
from conftest import LANGUAGES, options
from pypdf import PdfReader

from handoutkit.build import build
from handoutkit.config import CONTENT_DIR, LEVELS, TOPICS
from handoutkit.loader import load_yaml
from handoutkit.pdf import bundled_families

LETTER = (612, 792)
A4 = (595, 842)
HANDOUTS = [(lang, level, topic) for lang in LANGUAGES for level in LEVELS for topic in TOPICS]
EMERGENCY_NUMBERS = ("911", "988", "1-800-662-4357", "1-800-222-1222")


def font_names(reader: PdfReader) -> set[str]:
    """The fonts a PDF embeds, read back from the file itself ("Family Name Style")."""
    used = set()
    for page in reader.pages:
        for font in page.get("/Resources", {}).get("/Font", {}).values():
            # WeasyPrint names fonts "SUBSET+Family-Name-Style", from Pango's description.
            name = str(font.get_object().get("/BaseFont", "")).lstrip("/").split("+", 1)[-1]
            used.add(name.replace("-", " "))
    return used


def foreign_fonts(pdf: bytes) -> set[str]:
    """Fonts in a PDF whose family is not one of the bundled fonts' (the build checks what
    WeasyPrint reports it used; this reads the file)."""
    return {name for name in font_names(PdfReader(io.BytesIO(pdf)))
            if not name.startswith(bundled_families())}


def text_of(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def page_size(reader: PdfReader) -> tuple[int, int]:
    box = reader.pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_output_exists(built, lang):
    for level in LEVELS:
        names = sorted(path.name for path in (built / lang / level).glob("*.pdf"))
        assert names == sorted([f"{topic}.pdf" for topic in TOPICS] + ["booklet.pdf"])


@pytest.mark.parametrize("lang,level,topic", HANDOUTS)
def test_handout_size_budget_and_metadata(built, lang, level, topic):
    reader = PdfReader(built / lang / level / f"{topic}.pdf")
    assert page_size(reader) == LETTER
    assert 1 <= len(reader.pages) <= LEVELS[level].max_pages
    info = reader.metadata
    assert info.title and info.title == reader.outline[0].title
    assert info.subject and info.author
    assert reader.trailer["/Root"]["/Lang"] == lang


@pytest.mark.parametrize("lang,level,topic", HANDOUTS)
def test_handout_is_tagged_pdf_ua(built, lang, level, topic):
    root = PdfReader(built / lang / level / f"{topic}.pdf").trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()


@pytest.mark.parametrize("lang,level,topic", HANDOUTS)
def test_handout_prints_emergency_numbers(built, lang, level, topic):
    text = text_of(built / lang / level / f"{topic}.pdf")
    for number in EMERGENCY_NUMBERS:
        assert number in text, f"{number} missing from {lang}/{level}/{topic}"
    assert "nalox" in text.lower()  # naloxone, naloxona


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("level", LEVELS)
def test_booklet_is_tagged_with_one_bookmark_per_topic(built, lang, level):
    reader = PdfReader(built / lang / level / "booklet.pdf")
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == lang
    assert reader.metadata.title
    titles = [entry.title for entry in reader.outline]
    handout_titles = [PdfReader(built / lang / level / f"{t}.pdf").metadata.title for t in TOPICS]
    assert titles == handout_titles


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("level", LEVELS)
def test_booklet_contents_give_the_page_each_topic_starts_on(built, lang, level):
    reader = PdfReader(built / lang / level / "booklet.pdf")
    starts = [(f"{reader.get_destination_page_number(entry) + 1} {entry.title}")
              for entry in reader.outline]
    cover = reader.pages[0].extract_text().splitlines()
    assert [line for line in cover if line in starts] == starts


def test_only_detailed_lists_sources(built):
    assert "medlineplus.gov/ency/article/000949.htm" in text_of(built / "en/detailed/withdrawal.pdf")
    assert "medlineplus.gov/ency/article/000949.htm" not in text_of(built / "en/easy/withdrawal.pdf")


@pytest.mark.parametrize("level", LEVELS)
def test_qr_code_next_to_findtreatment(built, level):
    pdf = built / "en" / level / "getting-help.pdf"
    assert "findtreatment.gov" in text_of(pdf)
    figures = [element.get("/Alt") for element in struct_elements(PdfReader(pdf))
               if element.get("/S") == "/Figure"]
    assert figures == ["QR code that opens findtreatment.gov"]


def struct_elements(reader: PdfReader) -> list:
    """Every element of the PDF's tag tree, depth first."""
    found, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if not hasattr(node, "get"):
            continue  # a marked-content id, not an element
        found.append(node)
        kids = node.get("/K")
        stack.extend(reversed(kids) if isinstance(kids, list) else [kids] if kids is not None else [])
    return found


def test_no_system_fonts(built):
    for pdf in built.rglob("*.pdf"):
        assert foreign_fonts(pdf.read_bytes()) == set(), pdf


def test_a4_paper(tmp_path):
    build(options(tmp_path, paper="a4", levels=("easy",), topics=("kratom",)))
    reader = PdfReader(tmp_path / "en/easy/kratom.pdf")
    assert page_size(reader) == A4
    assert not (tmp_path / "en/easy/booklet.pdf").exists()  # a booklet needs every topic


def test_rebuild_is_byte_identical_at_another_time(tmp_path, monkeypatch):
    first, second = tmp_path / "one", tmp_path / "two"
    build(options(first, levels=("standard",), topics=("withdrawal",)))
    later = time.time() + 3 * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    build(options(second, levels=("standard",), topics=("withdrawal",)))
    assert (first / "en/standard/withdrawal.pdf").read_bytes() == \
        (second / "en/standard/withdrawal.pdf").read_bytes()


def test_written_html_renders_the_same_handout_with_weasyprint(built, tmp_path):
    html = built / "en" / "easy" / "kratom.html"
    target = tmp_path / "from-html.pdf"
    subprocess.run([sys.executable, "-m", "weasyprint", str(html), str(target)], check=True)
    original = built / "en" / "easy" / "kratom.pdf"
    assert len(PdfReader(target).pages) == len(PdfReader(original).pages)
    assert text_of(target) == text_of(original)
    assert foreign_fonts(target.read_bytes()) == set()


def body_text(page) -> list[tuple[float, float, float, str]]:
    """(font size in pt, x, baseline height, text) of every piece of text in a page's body
    area, leaving out the running header and footer in the page margins."""
    found = []
    height = float(page.mediabox.height)

    def visit(text, cm, tm, font, size):
        scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
        x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
        if text.strip() and 52 < y < height - 55:
            found.append((round(size * scale, 1), x, y, text))
    page.extract_text(visitor_text=visit)
    return found


def text_sizes(pdf: Path) -> list[tuple[float, float, str]]:
    """(font size in pt, baseline height, text) of the body text of every page."""
    return [(size, y, text) for page in PdfReader(pdf).pages for size, _, y, text in body_text(page)]


@pytest.mark.parametrize("lang,level,topic", HANDOUTS)
def test_body_text_is_large_enough(built, lang, level, topic):
    minimum = 14 if level == "easy" else 12
    sizes = text_sizes(built / lang / level / f"{topic}.pdf")
    assert sizes
    small = [(size, text) for size, _, text in sizes if size < minimum]
    assert not small, f"text below {minimum} pt: {small[:3]}"


def test_footer_shows_update_date_and_page_numbers(built):
    pages = PdfReader(built / "en/standard/kratom.pdf").pages
    last = pages[-1].extract_text()
    assert f"Page {len(pages)} of {len(pages)}" in last
    reviewed = date.fromisoformat(load_yaml(CONTENT_DIR / "en/kratom.yaml").data["last_reviewed"])
    assert f"Updated {format_date(reviewed, format='long', locale='en')}" in last
    assert "Standard · English" in last


def test_spanish_prints_spanish_dates_labels_and_says_help_answers_in_spanish(built):
    text = text_of(built / "es/easy/getting-help.pdf")
    reviewed = date.fromisoformat(load_yaml(CONTENT_DIR / "en/getting-help.yaml").data["last_reviewed"])
    assert f"Actualizado el {format_date(reviewed, format='long', locale='es')}" in text
    assert "Página 1 de 2" in text and "Fácil de leer · Español" in text
    assert "Pida ayuda ahora" in text
    for topic in TOPICS:
        assert "español" in text_of(built / "es/easy" / f"{topic}.pdf")
