"""PDF/UA: the tag tree WeasyPrint writes, completed by handoutkit/tagging.py, checked by
tests/pdfua.py (every built PDF is checked in test_formats.py)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pikepdf
import pytest
import yaml
from helpers import Tag, struct_elements, write_yaml
from pdfua import failures, forms

from handoutkit.cli import main
from handoutkit.config import CONTENT_DIR
from handoutkit.pdf import PDF_VARIANT, render_pdf

pytestmark = pytest.mark.pdf  # every test here renders PDFs, or reads those of the shared builds

PAGE = """<html lang="es"><title>Prueba</title><style>@page {{ @top-center {{ content: "Cabecera" }}
  @bottom-center {{ content: "Pie" }} }}</style><body><h1>Título</h1>{}</body></html>"""


def artifacts(pdf) -> list[dict]:
    """The properties of every artifact on the first page and in the forms it draws."""
    with pikepdf.open(pdf) as document:
        page = document.pages[0]
        return [{str(key): str(value) for key, value in operands[1].items()}
                for holder in [page.obj, *forms(page.obj)]
                for operands, operator in pikepdf.parse_content_stream(holder)
                if str(operator) == "BDC" and str(operands[0]) == "/Artifact"
                and isinstance(operands[1], pikepdf.Dictionary)]


def langs(pdf) -> list[tuple[str, str]]:
    """Each tag with a language of its own: its kind, and its parent's kind > its own."""
    found = []
    for parent in struct_elements(pdf):
        for tag in parent.kids:
            if isinstance(tag, Tag) and tag.lang is not None:
                found.append((tag.kind, tag.lang))
                if parent.kind:  # not the tree's root
                    found.append((f"{parent.kind}>{tag.kind}", tag.lang))
    return found


def test_weasyprint_alone_leaves_the_running_header_untagged(tmp_path):
    """What tagging.py is for, and proof that the checker sees it."""
    import weasyprint

    (tmp_path / "raw.pdf").write_bytes(weasyprint.HTML(string=PAGE.format("<p>Texto</p>")).write_pdf(
        pdf_variant=PDF_VARIANT))
    assert any(fault.startswith("page 1: 01-004") for fault in failures(tmp_path / "raw.pdf"))


def test_running_header_and_footer_are_pagination_artifacts(tmp_path):
    pdf = render_pdf(PAGE.format("<p>Texto</p>"), tmp_path / "a.html", date(2026, 1, 1)).pdf
    (tmp_path / "a.pdf").write_bytes(pdf)
    assert failures(tmp_path / "a.pdf") == []
    found = artifacts(tmp_path / "a.pdf")
    assert {"/Type": "/Pagination", "/Subtype": "/Header"} in found
    assert {"/Type": "/Pagination", "/Subtype": "/Footer"} in found


def test_an_elements_language_reaches_its_tag(tmp_path):
    html = PAGE.format('<p>Texto <span lang="en">English words</span></p><table><tr>'
                       '<td lang="en">Left</td><td lang="es">Derecha</td></tr></table>')
    pdf = render_pdf(html, tmp_path / "a.html", date(2026, 1, 1)).pdf
    (tmp_path / "a.pdf").write_bytes(pdf)
    tagged = {found for found in langs(tmp_path / "a.pdf") if ">" not in found[0]}
    assert tagged == {("/Span", "en"), ("/TD", "en"), ("/TD", "es")}


def test_a_link_is_described_by_its_words(tmp_path):
    html = PAGE.format('<p><a href="#later">Read the part on kratom</a></p><p id="later">Kratom</p>')
    pdf = render_pdf(html, tmp_path / "a.html", date(2026, 1, 1)).pdf
    with pikepdf.open(io.BytesIO(pdf)) as document:
        links = [annotation for annotation in document.pages[0].Annots]
        assert [str(link.Contents) for link in links] == ["Read the part on kratom"]


def test_a_whole_table_may_be_an_artifact(tmp_path):
    html = PAGE.format("<table data-pdf-artifact='Watermark'><tr><th scope='col'>A</th></tr>"
                       "<tr><td>1</td></tr></table><p>Texto</p>")
    (tmp_path / "a.pdf").write_bytes(render_pdf(html, tmp_path / "a.html", date(2026, 1, 1)).pdf)
    assert failures(tmp_path / "a.pdf") == []
    assert {"/Type": "/Pagination", "/Subtype": "/Watermark"} in artifacts(tmp_path / "a.pdf")


@pytest.mark.parametrize("body,refused", [
    ("<table><tr><th scope='col'>A</th></tr><tr><td data-pdf-artifact='Watermark'>1</td></tr></table>",
     "<td> has data-pdf-artifact: a table's cell, row or column cannot be an artifact on its own"),
    ("<div data-pdf-artifact='Watermark'>Borrador <a href='https://example.org'>la web</a></div>",
     "a link ('la web') is in the running header or footer or inside an element with data-pdf-artifact"),
    ("<div data-pdf-artifact='Water mark'>Borrador</div>",
     "data-pdf-artifact='Water mark' on <div>: the value is one of Header, Footer, Watermark"),
])
def test_what_an_artifact_cannot_be_is_refused(tmp_path, body, refused):
    """Nothing in an artifact is tagged: a link there would be untagged (PDF/UA tags every
    link), and a table's cell WeasyPrint could not map to its header. A template's mistake."""
    with pytest.raises(ValueError) as error:
        render_pdf(PAGE.format(body), tmp_path / "a.html", date(2026, 1, 1))
    assert refused in str(error.value)


@pytest.fixture
def draft(tmp_path) -> Path:
    """A Spanish withdrawal handout with one text left untranslated, built as a draft."""
    import shutil

    content = tmp_path / "handouts"
    for code in ("en", "es"):
        shutil.copytree(CONTENT_DIR / code, content / code)
    file = content / "es" / "withdrawal.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["purpose"]["easy"] = "[untranslated] x"
    write_yaml(file, data)
    interface = content / "es" / "interface.yaml"
    labels = yaml.safe_load(interface.read_text(encoding="utf-8"))
    del labels["help_box"]  # a heading from the interface's words
    write_yaml(interface, labels)
    assert main(["build", "--content", str(content), "--lang", "es", "--level", "easy", "--topic",
                 "withdrawal", "--out", str(tmp_path / "out"), "--allow-incomplete", "--jobs", "1"]) == 0
    return tmp_path / "out" / "es" / "easy" / "withdrawal.pdf"


def test_a_draft_marks_its_watermark_an_artifact_and_its_english_as_english(draft):
    assert failures(draft) == []
    assert {"/Type": "/Pagination", "/Subtype": "/Watermark"} in artifacts(draft)
    assert ("/Span", "en") in langs(draft)  # the purpose, printed in English
    assert ("/H2>/Span", "en") in langs(draft)  # "Get help now", from the interface's words


def test_booklet_contents_hold_one_link_per_entry(built):
    pdf = built / "es" / "standard" / "booklet.pdf"
    assert failures(pdf) == []  # no link inside a link
    with pikepdf.open(pdf) as document:
        titles = [str(annotation.Contents) for annotation in document.pages[0].Annots]
    assert len(titles) == 4 and all(title[:1].isupper() and " " in title for title in titles), titles


def test_a_table_longer_than_a_page_repeats_its_header_rows(tmp_path):
    rows = "".join(f"<tr><th scope='row'>Medicine {n}</th><td>Risk {n}</td></tr>" for n in range(60))
    html = PAGE.format(f"<table><thead><tr><th scope='col'>Medicine</th><th scope='col'>Risk</th>"
                       f"</tr></thead><tbody>{rows}</tbody></table>")
    rendered = render_pdf(html, tmp_path / "a.html", date(2026, 1, 1))
    pdf, pages = rendered.pdf, rendered.pages
    (tmp_path / "a.pdf").write_bytes(pdf)
    assert pages >= 2 and failures(tmp_path / "a.pdf") == []
    with pikepdf.open(tmp_path / "a.pdf") as document:
        tables = [kid for kid in document.Root.StructTreeRoot.K[0].K if str(kid.S) == "/Table"]
        assert len(tables) >= 2  # WeasyPrint tags each page on its own
        assert all(any(str(part.S) == "/THead" for part in table.K) for table in tables)


def _break(document: pikepdf.Pdf, fault: str) -> None:
    page = document.pages[0].obj
    if fault == "no ParentTree":
        del document.Root.StructTreeRoot["/ParentTree"]
    elif fault == "no StructParents":
        del page["/StructParents"]
    elif fault == "no Tabs":
        del page["/Tabs"]
    elif fault == "unembedded font":
        fonts = page.Resources.Font
        fonts["/Helv"] = document.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
    elif fault == "untagged widget":
        page.Annots.append(document.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, Rect=[0, 0, 10, 10])))
    elif fault == "bad Lang":
        document.Root.Lang = pikepdf.String("xx-!!")
    elif fault == "untagged inline image":
        document.pages[0].contents_add(document.make_stream(b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI"))


@pytest.mark.parametrize("fault,found", [
    ("no ParentTree", "no ParentTree"), ("no StructParents", "no ParentTree entry"),
    ("no Tabs", "/Tabs"), ("unembedded font", "31-009"), ("untagged widget", "28-002"),
    ("bad Lang", "11-006"), ("untagged inline image", "01-005"),
])
def test_the_pdfua_checker_finds_each_fault(tmp_path, fault, found):
    html = PAGE.format('<p><a href="https://findtreatment.gov">findtreatment.gov</a></p>'
                       '<table><tr><th scope="col">A</th></tr><tr><td>B</td></tr></table>')
    pdf = render_pdf(html, tmp_path / "a.html", date(2026, 1, 1)).pdf
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert failures_of(document, tmp_path) == []
        _break(document, fault)
        assert any(found in failure for failure in failures_of(document, tmp_path)), fault


def failures_of(document: pikepdf.Pdf, folder: Path) -> list[str]:
    document.save(folder / "b.pdf")
    return failures(folder / "b.pdf")
