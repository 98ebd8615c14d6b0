"""Print formats for clinics: profiles, A4/Letter, duplex booklets, large print,
bilingual sheets and wallet cards; each checked in the PDF itself."""

from __future__ import annotations

import math
import re
import shutil
from datetime import date

import layout
import pdfua
import pytest
from helpers import (
    EXAMPLE,
    LONG_NAME,
    Tag,
    body_texts,
    box_pages,
    checked,
    facts,
    ink_near_the_edges,
    options,
    page_texts,
    struct_elements,
    text_of,
    text_sizes,
)
from pypdf import PdfReader

from handoutkit.build import build
from handoutkit.config import BILINGUAL_PAGE_FACTOR, LARGE_PRINT_PAGE_FACTOR, LEVELS, ROOT, TOPICS

pytestmark = pytest.mark.pdf  # every test here renders PDFs, or reads those of the shared builds

CARD = (88.9, 50.8)  # mm, a US business card
MM = 72 / 25.4


# ---- clinic profiles ----

@pytest.mark.parametrize("lang,name,hours", [("en", "Example Community Clinic", "Mon-Fri 8 am - 6 pm"),
                                             ("es", "Example Community Clinic", "lun-vie 8 a.m. - 6 p.m.")])
@pytest.mark.parametrize("topic", TOPICS)
def test_clinic_on_every_handout(clinic_build, lang, name, hours, topic):
    pages = page_texts(clinic_build / lang / "easy" / f"{topic}.pdf")
    text = "\n".join(pages)
    assert f"{name} (555) 010-0142" in text and "clinic.example.org" in text  # the contact box
    # Its hours, address and note where the handout lists where to get help; elsewhere they
    # would push a short handout onto another sheet for a clinic with a long name.
    assert (hours in text) == (topic == "getting-help")
    for page in pages:  # and the footer of every page
        assert f"{name} · (555) 010-0142" in page


def test_local_referrals_come_before_national_ones(clinic_build):
    text = text_of(clinic_build / "en/standard/getting-help.pdf")
    local = text.index("Example Recovery Program")
    assert local < text.index("Springfield Health Department") < text.index("FindTreatment.gov")
    assert "Near you" in text and "Languages: English, Spanish" in text
    spanish = text_of(clinic_build / "es/standard/getting-help.pdf")
    assert "Departamento de Salud de Springfield" in spanish and "Cerca de usted" in spanish


def test_logo_is_a_tagged_figure(clinic_build):
    figures = [tag.alt for tag in struct_elements(clinic_build / "en/easy/kratom.pdf")
               if tag.kind == "/Figure"]
    assert "Example Community Clinic" in figures


def test_no_profile_prints_a_write_in_box(built):
    text = text_of(built / "en/easy/kratom.pdf")
    assert "Your care team" in text and "Next visit" in text
    assert "Su equipo de atención" in text_of(built / "es/easy/kratom.pdf")


def test_several_profiles_in_one_run(tmp_path):
    second = tmp_path / "clinics" / "north-side.yaml"
    second.parent.mkdir()
    second.write_text('name: North Side Clinic\nphone: "(555) 010-0199"\n')
    report = build(options(tmp_path / "out", levels=("easy",), topics=("kratom",),
                           clinics=(EXAMPLE, second)))
    assert not report.failures
    assert "North Side Clinic" in text_of(tmp_path / "out/north-side/en/easy/kratom.pdf")
    assert "Example Community Clinic" in text_of(tmp_path / "out/example/en/easy/kratom.pdf")


@pytest.mark.parametrize("broken", ['name: {}\nphone: "555-0100"\n',
                                    'name: A\nphone: "555-0100"\nlogo: "a\\0b.png"\n',
                                    'name: A\nphone: "555-0100"\nlogo: loop.svg\n',
                                    'name: A\nphone: "555-0100"\nwebsite: !!binary aGk=\n'])
def test_a_broken_profile_stops_only_its_own_clinic(tmp_path, broken):
    folder = tmp_path / "clinics"
    folder.mkdir()
    (folder / "loop.svg").symlink_to(folder / "loop.svg")
    (folder / "broken.yaml").write_text(broken)
    good = folder / "good.yaml"
    good.write_text('name: Good Clinic\nphone: "(555) 010-0199"\n')
    report = build(options(tmp_path / "out", levels=("easy",), topics=("kratom",),
                           clinics=(folder / "broken.yaml", good)))
    assert list(report.failures) == [str(folder / "broken.yaml")]
    assert "broken.yaml:" in str(report.failures[str(folder / "broken.yaml")])
    assert "Good Clinic" in text_of(tmp_path / "out/good/en/easy/kratom.pdf")


# ---- paper and duplex booklets ----

def test_a4_everywhere(clinics_build):
    for pdf in clinics_build.rglob("*.pdf"):
        assert facts(pdf).sizes == {(595, 842)}, pdf


@pytest.mark.parametrize("lang,blank", [("en", "This page is intentionally left blank"),
                                        ("es", "Esta página se dejó en blanco a propósito")])
@pytest.mark.parametrize("level", LEVELS)
def test_booklet_topics_start_on_right_hand_pages(long_name_build, lang, blank, level):
    booklet = long_name_build / lang / level / "booklet.pdf"
    titles = [facts(long_name_build / lang / level / f"{t}.pdf").title for t in TOPICS]
    outline = facts(booklet).outline
    starts = [mark.page for mark in outline]
    assert [(mark.title, mark.level) for mark in outline] == [(title, 1) for title in titles]
    assert all(index % 2 == 0 for index in starts), starts  # 0-based: pages 1, 3, 5...
    blanks = [index for index, text in enumerate(page_texts(booklet)) if blank in text]
    assert blanks and 1 in blanks  # after the cover, so the first topic starts on page 3
    body = body_texts(booklet)
    for index in blanks:  # a blank page comes just before a topic, and holds nothing else
        assert index + 1 in starts
        assert body[index] == []


# ---- large print ----

@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("level", LEVELS)
def test_large_print_is_18_pt_and_up_within_scaled_budget(large_build, lang, level):
    for topic in TOPICS:
        pdf = large_build / lang / f"{level}-large" / f"{topic}.pdf"
        sizes = [size for size, _, _ in text_sizes(pdf)]
        assert sizes and min(sizes) >= 18, (pdf, min(sizes))
        budget = math.ceil(LEVELS[level].max_pages * LARGE_PRINT_PAGE_FACTOR)
        assert facts(pdf).pages <= budget
    assert (large_build / lang / f"{level}-large" / "booklet.pdf").exists()


# ---- bilingual sheets ----

@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("topic", TOPICS)
def test_bilingual_sheets_pair_english_and_spanish(long_name_build, level, topic):
    pdf = long_name_build / "en+es" / level / f"{topic}.pdf"
    sheet, english_one = facts(pdf), facts(long_name_build / "en" / level / f"{topic}.pdf")
    english, spanish = english_one.title, facts(long_name_build / "es" / level / f"{topic}.pdf").title
    assert sheet.title == f"{english} / {spanish}"
    assert sheet.lang == "en"
    with pdf.open("rb") as file:
        assert file.read(9) == b"%PDF-1.7\n"  # as WeasyPrint wrote it, through the language tagging
    assert sheet.subject.startswith(f"{english_one.subject} / ")
    # The running header and footer in both languages, on every page.
    pages = body_texts(pdf, margins=True)
    for number, page in enumerate(pages, 1):
        margins = " ".join(" ".join(text for *_, text in page).split())
        assert " ".join(english.split()) in margins and " ".join(spanish.split()) in margins
        assert f"Page {number} of {len(pages)} · Página {number} de" in margins
        assert "Updated " in margins and "Actualizado el " in margins
    assert sheet.pages <= math.ceil(BILINGUAL_PAGE_FACTOR * LEVELS[level].max_pages) + 1
    # Each row pairs the same part: English in the first cell, Spanish in the second.
    rows = [tag for tag in struct_elements(pdf) if tag.kind == "/TR"]
    cells = [[kid.lang for kid in row.kids] for row in rows
             if all(isinstance(kid, Tag) for kid in row.kids)]
    paired = [langs for langs in cells if langs == ["en", "es"]]
    assert len(paired) >= 6  # heading row, title, key messages, help box, sections, steps...
    text = " ".join(text_of(pdf).split())  # titles wrap in half-width columns
    assert text.index(" ".join(english.split())) < text.index(" ".join(spanish.split()))


# WeasyPrint 70 lays a table cell out empty when nothing of it fits at the foot of a page
# (layout/table.py, "draw an empty cell"), so a part whose heading and first item do not
# fit there starts on the next page while its partner starts here. Rows of boxes are kept
# whole (key messages); keeping every row whole left pages 96% empty. At most this many
# pairs of a sheet may start a page apart (measured: 0 or 1 in each sheet).
APART_AT_MOST = 1


@pytest.mark.parametrize("level", LEVELS)
def test_bilingual_paired_parts_start_side_by_side(clinics_build, level):
    """Each section heading prints on the same page and line as its partner, read back
    from the PDF (but for the limit above)."""
    import tinyhtml5  # WeasyPrint's HTML parser

    x = "{http://www.w3.org/1999/xhtml}"
    for topic in TOPICS:
        apart = []
        sheet = clinics_build / "long-name" / "en+es" / level / f"{topic}.pdf"
        page = tinyhtml5.parse(sheet.with_suffix(".html").read_text(encoding="utf-8"))
        rows = [[" ".join("".join(heading.itertext()).split())
                 for heading in row.findall(f"./{x}td/{x}section/{x}h2")]
                for row in page.iter(f"{x}tr")]
        pairs = [row for row in rows if len(row) == 2]
        assert len(pairs) >= 3, (topic, rows)
        places = layout.where(sheet, [heading[:20] for pair in pairs for heading in pair])
        for english, spanish in pairs:
            # (The words may also be printed elsewhere, in the key messages.)
            first, second = places[english[:20]], places[spanish[:20]]
            assert first and second, (topic, english, spanish)
            if not any(page == other and abs(y - other_y) < 1
                       for page, _, y in first for other, _, other_y in second):
                apart.append(english)
        assert len(apart) <= APART_AT_MOST and pairs[0][0] not in apart, (topic, apart)


@pytest.mark.parametrize("lang,broken", [("es", "bupre-norfina"), ("en", "bupren-orfina")])
def test_a_table_in_a_bilingual_column_hyphenates_in_the_columns_language(tmp_path, lang, broken):
    """Pyphen's dictionary for the cell's language: Spanish "bu-pre-nor-fi-na". (A width at
    which the line breaks where the two dictionaries differ, not at "buprenor-fina".)"""
    import pypdfium2

    from handoutkit.pdf import render_pdf

    html = (f'<html lang="en"><title>t</title><style>@page {{ size: 62mm 80mm; margin: 5mm }}</style>'
            f'<table class="pairs"><tbody><tr><td lang="en">x</td><td lang="{lang}"><table><tr>'
            f'<td>Las benzodiacepinas y la buprenorfina</td></tr></table></td></tr></tbody></table>')
    pdf = render_pdf(html, tmp_path / "a.html", date(2026, 1, 1)).pdf
    text = pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert broken in "".join(text.split()).replace("\ufffe", "-")  # pdfium's mark for a line's end hyphen


@pytest.mark.parametrize("level", ["easy", "standard"])
def test_bilingual_help_box_is_whole_on_the_first_page(clinics_build, level):
    for topic in TOPICS:  # the clinic with the longest texts, where it is hardest
        html = clinics_build / "long-name" / "en+es" / level / f"{topic}.html"
        helps = [pages for element, pages in box_pages(html)
                 if "help-now" in element.get("class", "").split()]
        assert helps == [{0}, {0}], (topic, helps)  # English and Spanish


# ---- wallet cards ----

@pytest.mark.parametrize("lang,label", [("en", "Numbers to keep with you"),
                                        ("es", "Números para llevar con usted")])
def test_wallet_cards(clinic_build, built, lang, label):
    reader = PdfReader(clinic_build / lang / "wallet-cards.pdf")
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert text.count(label) == 10
    for number in ("911", "988", "1-800-662-4357", "1-800-222-1222", "(555) 010-0142"):
        assert text.count(number) >= 10, number
    # Without a profile, a line to write the clinic's number on.
    plain = PdfReader(built / lang / "wallet-cards.pdf").pages[0].extract_text()
    assert plain.count(label) == 10 and "(555)" not in plain


def test_wallet_cards_are_business_card_size_with_cut_marks(clinic_build):
    """The crop marks (from styles/cut-marks.svg) are 2 x 5 cells of 88.9 x 50.8 mm."""
    svg = (ROOT / "styles/cut-marks.svg").read_text()
    xs = sorted({float(x) for x in re.findall(r'x1="([\d.]+)" y1="[\d.]+" x2="\1"', svg)})
    ys = sorted({float(y) for y in re.findall(r'y1="([\d.]+)" x2="[\d.]+" y2="\1"', svg)})
    assert [round(b - a, 1) for a, b in zip(xs, xs[1:])] == [CARD[0]] * 2
    assert [round(b - a, 1) for a, b in zip(ys, ys[1:])] == [CARD[1]] * 5
    css = (ROOT / "styles/handout.css").read_text()
    assert f"width: {CARD[0]}mm;" in css and f"height: {CARD[1]}mm;" in css
    sizes = [size for size, _, _ in text_sizes(clinic_build / "en/wallet-cards.pdf")]
    assert min(sizes) >= 10


def test_clinic_strings_use_per_language_values(tmp_path):
    profile = tmp_path / "bilingual-clinic.yaml"
    profile.write_text('name: {en: Hope Clinic, es: Clínica Esperanza}\nphone: "555-0100"\n')
    report = build(options(tmp_path / "out", langs=("en", "es"), levels=("easy",),
                           topics=("kratom",), clinics=(profile,)))
    assert not report.failures
    assert "Clínica Esperanza" in text_of(tmp_path / "out/bilingual-clinic/es/easy/kratom.pdf")
    assert "Hope Clinic" in text_of(tmp_path / "out/bilingual-clinic/en/easy/kratom.pdf")


def test_the_renderer_reads_nothing_of_the_profile_folder(tmp_path):
    """A logo that loads another file is refused with the profile; the checked logo goes
    to the renderer inline, and the renderer may read only the styles: not the folder."""
    from handoutkit.pdf import ForbiddenFetch, render_pdf

    folder = tmp_path / "clinic"
    folder.mkdir()
    (folder / "sneaky.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="10" height="10"><image xlink:href="file:///etc/passwd" width="10" height="10"/></svg>')
    profile = folder / "sneaky.yaml"
    profile.write_text('name: Sneaky\nphone: "555-0100"\nlogo: sneaky.svg\n')
    report = build(options(tmp_path / "out", levels=("easy",), topics=("kratom",),
                           clinics=(profile,)))
    assert "logo: 'sneaky.svg' refers to 'file:///etc/passwd'" in str(report.failures[str(profile)])
    shutil.copy(ROOT / "clinics/example-logo.svg", folder / "logo.svg")
    with pytest.raises(ForbiddenFetch, match="logo.svg"):
        render_pdf('<img src="logo.svg">', folder / "page.html", date(2026, 1, 1))


def test_logo_names_a_web_address_would_read_differently_print_the_right_file(tmp_path):
    """'%41', '#' and '?' mean something else in a URL; the logo is read as a file and
    printed inline, so the name is only ever a file name."""
    from helpers import png

    folder = tmp_path / "clinics"
    folder.mkdir()
    name = "logo%41#top?v=2.png"
    (folder / name).write_bytes(png(7, 5))
    for decoy in ("logoA", "logo%41", "logo%41#top"):  # what a URL would read instead
        (folder / decoy).write_bytes(png(3, 3))
    profile = folder / "odd-names.yaml"
    profile.write_text(f'name: Odd Names\nphone: "555-0100"\nlogo: "{name}"\n')
    report = build(options(tmp_path / "out", levels=("easy",), topics=("getting-help",),
                           clinics=(profile,), html=True))
    assert not report.failures, report.failures
    pdf = tmp_path / "out/odd-names/en/easy/getting-help.pdf"
    sizes = [image.image.size for page in PdfReader(pdf).pages for image in page.images]
    assert sizes and set(sizes) == {(7, 5)}  # the logo, never a decoy
    assert name not in pdf.with_suffix(".html").read_text()


def test_long_addresses_stay_inside_the_page(tmp_path, content):
    """The longest addresses allowed, in a profile and a QR caption, wrap inside their boxes:
    no glyph is drawn past the right margin."""
    import pypdfium2

    longest = "https://clinic.example.org/" + "a" * 173
    qr = "https://findtreatment.gov/" + "q" * 154
    file = content / "en/getting-help.yaml"
    file.write_text(file.read_text().replace('qr: "https://findtreatment.gov"', f'qr: "{qr}"'))
    profile = tmp_path / "long-urls.yaml"
    profile.write_text(f'name: Long Addresses\nphone: "555-0100"\nwebsite: {longest}\n'
                       f'referrals:\n  - name: Program\n    offers: Help.\n    url: {longest}\n')
    report = build(options(tmp_path / "out", levels=("easy",), topics=("getting-help",),
                           clinics=(profile,), content=content))
    assert not report.failures, report.failures
    pdf = tmp_path / "out/long-urls/en/easy/getting-help.pdf"
    document = pypdfium2.PdfDocument(pdf)
    for page in document:
        text = page.get_textpage()
        right = page.get_size()[0] - 12.7 * MM  # the page's right margin
        glyphs = [(text.get_charbox(i)[2], text.get_text_range(i, 1)) for i in range(text.count_chars())]
        assert max(x for x, char in glyphs if char.strip()) <= right + 0.5
    printed = re.sub(r"\s", "", text_of(pdf))
    assert longest.removeprefix("https://") in printed and qr.removeprefix("https://") in printed


def test_write_in_box_has_lines_to_write_on(built):
    """The lines are empty boxes with a bottom border: check they are laid out wide
    enough to write on (an empty flex item, tried first, was silently dropped)."""
    from weasyprint import HTML

    widths = []
    for page in HTML(filename=built / "es/easy/kratom.html").render().pages:
        stack = [page._page_box]  # WeasyPrint's layout tree: exact positions, test-only
        while stack:
            box = stack.pop()
            stack.extend(getattr(box, "children", []))
            element = getattr(box, "element", None)
            if element is not None and "blank" in element.get("class", "").split() \
                    and box.style["border_bottom_width"] > 0:
                widths.append(box.width * MM ** -1 * 0.75)  # CSS px to mm
    assert len(widths) == 3 and min(widths) > 40, widths


def test_two_profiles_with_one_file_name_are_refused(tmp_path, capsys):
    """north/clinic.yaml and south/clinic.yaml would both write to OUT/clinic/, each build
    printing the other clinic's phone number: the command refuses; build() builds the first
    and fails the second."""
    from handoutkit.cli import main

    files = []
    for side, phone in (("north", "(555) 010-0101"), ("south", "(555) 010-0202")):
        (tmp_path / side).mkdir()
        files.append(tmp_path / side / "clinic.yaml")
        files[-1].write_text(f'name: {side.title()} Clinic\nphone: "{phone}"\n', encoding="utf-8")
    try:
        main(["build", "--clinic", str(files[0]), "--clinic", str(files[1]), "--out", str(tmp_path / "out")])
    except SystemExit as exit_:
        assert exit_.code == 2
    err = capsys.readouterr().err
    assert "would both write to the folder 'clinic/': give the profiles different file names" in err
    assert not (tmp_path / "out").exists()

    report = build(options(tmp_path / "api", levels=("easy",), topics=("kratom",), clinics=tuple(files)))
    assert list(report.failures) == [str(files[1])]
    assert "(555) 010-0101" in text_of(tmp_path / "api/clinic/en/easy/kratom.pdf")


# ---- the printer's edge ----

@pytest.mark.parametrize("formats", ["built", "clinics_build", "large_build"])
def test_nothing_prints_within_a_quarter_inch_of_the_edge(request, formats):
    """Every PDF of each format: plain (Letter), clinics (A4, bilingual, wallet cards, a
    two-line footer, a long name) and large print."""
    folder = request.getfixturevalue(formats)
    pdfs = sorted(folder.rglob("*.pdf"))
    assert len(pdfs) >= 32
    near = {pdf.relative_to(folder).as_posix(): found for pdf in pdfs if (found := ink_near_the_edges(pdf))}
    assert not near, near


def test_the_edge_check_finds_what_prints_there(tmp_path):
    """The check itself: a footer pushed down to 3 mm from the edge is found."""
    from handoutkit.pdf import render_pdf

    for bottom, found in (("20mm", []), ("3mm", [(1, "bottom")])):
        html = (f"<html lang=en><style>@page {{ margin: 20mm 20mm {bottom};"
                " @bottom-left { content: 'low'; vertical-align: top; } }</style><p>x</p>")
        pdf = render_pdf(html, tmp_path / "a.html", date(2026, 1, 1)).pdf
        (tmp_path / "a.pdf").write_bytes(pdf)
        assert ink_near_the_edges(tmp_path / "a.pdf") == found


@pytest.mark.parametrize("lang,edition", [("en", "Detailed · English"), ("es", "Detallado · Español")])
def test_large_print_running_header_and_footer_are_14_pt(large_build, lang, edition):
    pdf = large_build / lang / "detailed-large" / "booklet.pdf"
    pages = page_texts(pdf)
    sizes = [size for page in body_texts(pdf, margins=True) for size, *_ in page]
    assert sizes and min(sizes) >= 14, min(sizes)
    last = pages[-1]
    assert edition in last and f"{len(pages)}" in last


@pytest.mark.parametrize("large_print,footer", [
    (False, "Northeast Springfield Community Health Center and Family Medicine Clinic"),
    (True, "Teléfono (555) 010-0142")])
def test_a_long_clinic_name_keeps_the_footer_to_two_lines(tmp_path, large_print, footer):
    """At large print's 14 pt, a 72-character name beside the phone would take a third line,
    into the printer's edge: the footer holds the phone alone; the contact box, the name."""
    report = build(options(tmp_path, langs=("es",), levels=("easy",), topics=("kratom",),
                           clinics=(LONG_NAME,), large_print=large_print))
    assert not report.failures, report.failures
    pdf = next(tmp_path.rglob("kratom.pdf"))
    margins = " ".join(text for page in body_texts(pdf, margins=True) for *_, text in page)
    assert footer in " ".join(margins.split())
    assert not ink_near_the_edges(pdf)


@pytest.mark.parametrize("formats", ["built", "clinics_build", "large_build"])
def test_a_qr_caption_keeps_a_short_address_on_one_line(request, formats):
    """'findtreatment.gov' under its QR code, never 'findtreatment' / '.gov': the caption is
    wide enough for it, in half-width bilingual columns and at large print's 18 pt too."""
    pdfs = sorted(request.getfixturevalue(formats).rglob("getting-help.pdf"))
    assert pdfs
    for pdf in pdfs:
        text = text_of(pdf)
        assert "findtreatment.gov" in text and not re.search(r"findtreatment(?!\.gov)", text), pdf


# ---- every PDF of every format, read back: layout, page breaks and PDF/UA ----

FORMATS = ["built", "clinics_build", "large_build", "pseudo_build"]


# Faults found and not yet fixed, each with its reason: the test fails if one is fixed (take
# it off) or another appears.
KNOWN = {
    # WeasyPrint 70 moves the bilingual "Where to find help" row (resources with QR codes)
    # whole to page 3 on Letter rather than split it; not yet found why (floats and
    # keep-together rules inside the row ruled out).
    "en+es/standard/getting-help.pdf": "page 2 is 63% empty",
    # A box too tall for the rest of page 3 in 40%-longer pseudo-English leaves it 64% empty.
    "en-XA/detailed/withdrawal.pdf": "page 3 is 64% empty",
}


@pytest.mark.parametrize("formats", FORMATS)
def test_every_pdf_passes_the_layout_checks(request, formats):
    """No glyph in a side margin, over another line's glyph or under a rule; no heading
    ending a page, no list's last item alone; no handout page but the last half empty."""
    folder = request.getfixturevalue(formats)
    pdfs = sorted(folder.rglob("*.pdf"))
    assert len(pdfs) >= 16
    found = {pdf.relative_to(folder).as_posix(): faults[:5]
             for pdf, faults in checked(layout.every_fault, pdfs).items() if faults}
    known = {name: marker for name, marker in KNOWN.items() if (folder / name).exists()}
    assert sorted(found) == sorted(known), found
    assert all(known[name] in fault for name, faults in found.items() for fault in faults), found


@pytest.mark.parametrize("formats", FORMATS)
def test_every_pdf_passes_the_pdfua_checks(request, formats):
    folder = request.getfixturevalue(formats)
    found = {pdf.relative_to(folder).as_posix(): faults[:5]
             for pdf, faults in checked(pdfua.failures, sorted(folder.rglob("*.pdf"))).items() if faults}
    assert not found, found


CHECKED = """<html lang=en><style>@page {{ size: 150mm 120mm; margin: 20mm 12.7mm; }}
body {{ font-family: 'Atkinson Hyperlegible'; font-size: 12pt; }}</style>{}</html>"""


@pytest.mark.parametrize("body,fault", [
    ("<p>Words that stay where they belong.</p>", None),
    ("<p style='margin-left: -10mm'>Into the margin</p>", "in the side margin"),
    ("<p>Do not mix</p><p style='position: relative; top: -1.5em'>Nor this one</p>", "overprint"),
    ("<p style='text-decoration: line-through'>Struck through</p>", "crosses"),
    ("<h2>Heading</h2><div style='height: 60mm'></div><p>Text</p>", None),
    ("<p style='height: 68mm'>Filler</p><h2 style='break-after: page'>Heading</h2><p>Text</p>",
     "ends with a heading"),
    ("<div style='height: 60mm'></div><ul><li>One</li><li style='break-before: page'>Two</li></ul>",
     "last item alone"),
])
def test_the_layout_checks_find_each_fault(tmp_path, body, fault):
    from handoutkit.pdf import render_pdf

    pdf = render_pdf(CHECKED.format(body), tmp_path / "a.html", date(2026, 1, 1)).pdf
    (tmp_path / "a.pdf").write_bytes(pdf)
    faults = layout.faults(tmp_path / "a.pdf", 12.7) + layout.break_faults(tmp_path / "a.pdf")
    assert any(fault in found for found in faults) if fault else faults == []


def test_the_emptiness_check_measures_the_empty_part_of_a_page(tmp_path):
    from handoutkit.pdf import render_pdf

    html = "<html lang=en><p>Top</p><p style='break-before: page'>Next</p></html>"
    pdf = render_pdf(html, tmp_path / "a.html", date(2026, 1, 1)).pdf
    (tmp_path / "a.pdf").write_bytes(pdf)
    assert layout.emptiness(tmp_path / "a.pdf")[0] > 0.9
