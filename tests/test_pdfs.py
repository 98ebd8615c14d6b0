"""The built PDFs: every handout, its size, metadata, tags, fonts and emergency numbers."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from babel.dates import format_date
from helpers import (
    LANGUAGES,
    RTL,
    body_texts,
    facts,
    foreign_fonts,
    options,
    page_texts,
    split_boxes,
    struct_elements,
    text_of,
    text_sizes,
)
from pypdf import PdfReader

from handoutkit.build import build
from handoutkit.config import BOOKLET, CONTENT_DIR, LEVELS, TOPICS
from handoutkit.languages import load_language
from handoutkit.loader import load_yaml
from handoutkit.pages import plan
from handoutkit.pdf import render_pdf
from handoutkit.render import render_html
from handoutkit.targets import targets

pytestmark = pytest.mark.pdf  # every test here renders PDFs, or reads those of the shared builds

LETTER = (612, 792)
A4 = (595, 842)
HANDOUTS = [(lang, level, topic) for lang in LANGUAGES for level in LEVELS for topic in TOPICS]
EMERGENCY_NUMBERS = ("911", "988", "1-800-662-4357", "1-800-222-1222")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_output_exists(built, lang):
    for level in LEVELS:
        names = sorted(path.name for path in (built / lang / level).glob("*.pdf"))
        assert names == sorted([f"{topic}.pdf" for topic in TOPICS] + ["booklet.pdf"])


@pytest.mark.parametrize("lang,level,topic", HANDOUTS)
def test_handout_size_budget_and_metadata(built, lang, level, topic):
    info = facts(built / lang / level / f"{topic}.pdf")
    assert info.sizes == {LETTER}
    assert 1 <= info.pages <= LEVELS[level].max_pages
    assert info.title and info.title == info.outline[0].title
    assert info.subject and info.author
    assert info.lang == lang


@pytest.mark.parametrize("lang,level,topic", HANDOUTS)
def test_handout_is_tagged_pdf_ua(built, lang, level, topic):
    pdf = built / lang / level / f"{topic}.pdf"
    assert facts(pdf).tagged
    with pikepdf.open(pdf) as document:
        assert b"pdfuaid" in document.Root.Metadata.read_bytes()


@pytest.mark.parametrize("lang,level,topic", HANDOUTS)
def test_handout_prints_emergency_numbers(built, lang, level, topic):
    text = text_of(built / lang / level / f"{topic}.pdf")
    for number in EMERGENCY_NUMBERS:
        assert number in text, f"{number} missing from {lang}/{level}/{topic}"
    assert "nalox" in text.lower()  # naloxone, naloxona


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("level", LEVELS)
def test_booklet_is_tagged_with_one_bookmark_per_topic(built, lang, level):
    info = facts(built / lang / level / "booklet.pdf")
    assert info.tagged and info.lang == lang and info.title
    # Each topic's title, at the top of the outline, and none of its sections (a handout's).
    titles = [facts(built / lang / level / f"{t}.pdf").title for t in TOPICS]
    assert [(mark.title, mark.level) for mark in info.outline] == [(title, 1) for title in titles]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("level", LEVELS)
def test_booklet_contents_give_the_page_each_topic_starts_on(built, lang, level):
    booklet = built / lang / level / "booklet.pdf"
    starts = [f"{mark.page + 1} {mark.title}" for mark in facts(booklet).outline]
    cover = page_texts(booklet)[0].splitlines()
    assert [line for line in cover if line in starts] == starts


# The longest booklet of the default set, and a right-to-left one (at the shortest level:
# the pseudo-locale's detailed booklet takes 4 CPU-seconds to lay out whole).
@pytest.mark.parametrize("build_name,lang,level", [("built", "es", "detailed"),
                                                   ("pseudo_build", RTL, "easy")])
def test_a_booklet_made_of_its_handouts_pages_is_the_booklet_laid_out_whole(request, build_name, lang, level):
    """The build makes a booklet from its handouts' laid-out pages and a frame of cover,
    blank pages, header and footer (pdf.render_booklet): byte for byte the PDF WeasyPrint
    makes from the booklet's whole HTML. Right to left, topics start on left-hand pages."""
    out = request.getfixturevalue(build_name)
    content = out.parent / "handouts" if build_name == "pseudo_build" else CONTENT_DIR
    settings = options(out, langs=(lang,), levels=(level,), content=content)
    booklet = next(target for target in targets(settings, None)[lang] if target.kind == BOOKLET)
    page = plan(settings, booklet, {lang: load_language(lang, settings)}, None).page
    whole = render_pdf(render_html(page, booklet.path.with_suffix(".html"), standalone=False),
                       booklet.path.with_suffix(".html"), page.date)
    assert whole.pdf == booklet.path.read_bytes()
    assert whole.pages > len(TOPICS) * 2  # cover, and pages left blank: not a trivial booklet


def test_a_handout_rendered_with_its_booklet_is_the_handout_rendered_alone(tmp_path):
    """Byte for byte, with its own date in its fonts: here kratom was reviewed before the
    other topics, so the booklet's date (the newest) is not the handout's."""
    content = tmp_path / "handouts"
    shutil.copytree(CONTENT_DIR / "en", content / "en")
    kratom = content / "en/kratom.yaml"
    kratom.write_text(re.sub(r'(?m)^last_reviewed: .*$', 'last_reviewed: "2026-10-01"', kratom.read_text()))
    settings = options(tmp_path / "out", levels=("easy",), content=content)
    report = build(settings)
    assert not report.failures and len(report.written) == 6  # four handouts, the booklet, wallet cards
    target = next(t for t in targets(settings, None)["en"] if t.topic == "kratom")
    page = plan(settings, target, {"en": load_language("en", settings)}, None).page
    assert page.date == date(2026, 10, 1)
    alone = render_pdf(render_html(page, target.path.with_suffix(".html"), standalone=False),
                       target.path.with_suffix(".html"), page.date)
    assert alone.pdf == target.path.read_bytes()


def test_streams_are_compressed_at_zlibs_default_level(built):
    """Level 9, pydyf's own, takes 70% longer for files 2% smaller (pdf.py)."""
    with pikepdf.open(built / "en" / "easy" / "booklet.pdf") as pdf:
        headers = {bytes(thing.read_raw_bytes()[:2]) for thing in pdf.objects
                   if isinstance(thing, pikepdf.Stream) and thing.get("/Filter") == "/FlateDecode"}
    assert headers == {b"\x78\x9c"}  # zlib marks level 6 so; levels 7 to 9 are 78 da


def test_only_detailed_lists_sources(built):
    assert "medlineplus.gov/ency/article/000949.htm" in text_of(built / "en/detailed/withdrawal.pdf")
    assert "medlineplus.gov/ency/article/000949.htm" not in text_of(built / "en/easy/withdrawal.pdf")


@pytest.mark.parametrize("level", LEVELS)
def test_qr_code_next_to_findtreatment(built, level):
    pdf = built / "en" / level / "getting-help.pdf"
    assert "findtreatment.gov" in text_of(pdf)
    figures = [tag.alt for tag in struct_elements(pdf) if tag.kind == "/Figure"]
    assert [alt for alt in figures if alt.startswith("QR")] == ["QR code that opens findtreatment.gov"]


def test_no_system_fonts(built):
    for pdf in built.rglob("*.pdf"):
        assert foreign_fonts(pdf) == set(), pdf


def test_a4_paper(tmp_path):
    build(options(tmp_path, paper="a4", levels=("easy",), topics=("kratom",)))
    assert facts(tmp_path / "en/easy/kratom.pdf").sizes == {A4}
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
    assert facts(target).pages == facts(original).pages
    assert text_of(target) == text_of(original)
    assert foreign_fonts(target) == set()


@pytest.mark.parametrize("lang,level,topic", HANDOUTS)
def test_body_text_is_large_enough(built, lang, level, topic):
    minimum = 14 if level == "easy" else 12
    sizes = text_sizes(built / lang / level / f"{topic}.pdf")
    assert sizes
    small = [(size, text) for size, _, text in sizes if size < minimum]
    assert not small, f"text below {minimum} pt: {small[:3]}"


def test_footer_shows_update_date_and_page_numbers(built):
    pages = page_texts(built / "en/standard/kratom.pdf")
    last = pages[-1]
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


# ---- Pictograms, unsplit boxes and lists, full pages, wallet cards ----

@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("level", LEVELS)
def test_pictures_are_figures_described_in_the_handouts_language(built, lang, level):
    described = set(load_yaml(CONTENT_DIR / lang / "interface.yaml").data["icons"].values())
    for topic in TOPICS:
        alts = [tag.alt or "" for tag in struct_elements(built / lang / level / f"{topic}.pdf")
                if tag.kind == "/Figure"]
        pictures = [alt for alt in alts if not alt.startswith(("QR", "Código QR"))]
        # At least the four help-box numbers have their picture, on every handout.
        assert len(pictures) >= 4, (lang, level, topic, alts)
        assert set(pictures) <= described, (lang, level, topic, set(pictures) - described)


def test_overdose_steps_are_numbered_with_pictures(built):
    for lang in LANGUAGES:
        html = (built / lang / "easy" / "getting-help.html").read_text(encoding="utf-8")
        steps = html.split('<ol class="actions">')[1].split("</ol>")[0]
        assert steps.count("<li") == 6 and steps.count('class="icon"') == 5, lang


@pytest.mark.parametrize("lang,level,topic", HANDOUTS)
def test_lists_tables_and_boxes_never_split_and_pages_are_full(built, lang, level, topic):
    assert split_boxes(built / lang / level / f"{topic}.html") == []
    pdf = built / lang / level / f"{topic}.pdf"
    (size,) = facts(pdf).sizes
    pages, height = body_texts(pdf), size[1]
    for number, page in enumerate(pages[:-1], start=1):
        lowest = min(y for _, _, y, _ in page)
        used = (height - 55 - lowest) / (height - 55 - 52)
        assert used >= 0.5, f"page {number} of {len(pages)} is {1 - used:.0%} empty"


CARD = (88.9 / 25.4 * 72, 50.8 / 25.4 * 72)  # points


@pytest.mark.parametrize("lang", LANGUAGES)
def test_wallet_card_text_stays_inside_its_card(built, lang):
    """A card clips what does not fit: every line must sit at least 2 mm above its card's
    bottom edge, so nothing is cut off."""
    page = PdfReader(built / lang / "wallet-cards.pdf").pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    left = (width - 193.8 / 25.4 * 72) / 2 + 8 / 25.4 * 72
    top = height - (4 + 8) / 25.4 * 72
    baselines: dict[tuple[int, int], list[float]] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            card = (int((x - left) // CARD[0]), int((top - y) // CARD[1]))
            baselines.setdefault(card, []).append(top - card[1] * CARD[1] - y)
    page.extract_text(visitor_text=visit)
    assert sorted(baselines) == [(column, row) for column in range(2) for row in range(5)]
    margin = 2 / 25.4 * 72
    assert all(max(depths) <= CARD[1] - margin for depths in baselines.values())


def test_spanish_wallet_card_says_how_to_reach_988_in_spanish(built):
    text = " ".join(text_of(built / "es/wallet-cards.pdf").split())
    assert text.count("988 Crisis: llame al 988 y oprima el 2, o mande un mensaje de texto con la palabra "
                      "AYUDA al 988") == 10
    assert text.count("Mi clínica:") == 10


def test_split_boxes_sees_a_list_longer_than_a_page(tmp_path):
    """The check above can fail: a list too long for one page has to split, and is found."""
    html = tmp_path / "long.html"
    items = "".join(f"<li>Item {number}</li>" for number in range(90))
    html.write_text(f'<html lang="en"><body><p>Intro</p><ul>{items}</ul></body></html>', encoding="utf-8")
    assert split_boxes(html) == [f"<ul class=None> {' '.join(f'Item {n}' for n in range(90))[:60]!r}"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_safety_messages_are_printed(built, lang):
    """The fact base's safety messages (tests/test_content.py) are in the PDFs themselves,
    not only in the content: nothing the templates or layout do drops them."""
    import re

    from test_content import SAFETY

    texts: dict[Path, str] = {}  # each PDF read once, for all the cases it holds
    for topic, levels, needed in SAFETY:
        for level in levels:
            pdf = built / lang / level / f"{topic}.pdf"
            if pdf not in texts:
                texts[pdf] = " ".join(text_of(pdf).split())
            text = texts[pdf]
            for pattern in needed.get(lang, []):
                assert re.search(pattern, text, re.I | re.S), f"{lang}/{level}/{topic}.pdf lacks {pattern}"
