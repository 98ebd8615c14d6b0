"""SVG images drawn once per rendering (handoutkit/svg_forms.py): each renders tiny
documents with and without it, and compares the pages as pixels."""

from __future__ import annotations

import io
from urllib.parse import quote

import pikepdf
import pypdfium2
import pytest

from handoutkit.svg_forms import drawn_once

pytestmark = pytest.mark.pdf

ICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><path d="M1 1h8v8h-8z" '
        'fill="#036" stroke="#900" stroke-width="1"/><circle cx="5" cy="5" r="2" fill="#fff"/></svg>')
# Text needs the PDF's own fonts, and half opacity a group: drawn again in each PDF.
LABEL = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"><g opacity="0.5"><rect width="40" '
         'height="20" fill="#090"/></g><text x="2" y="15" font-size="12" fill="#000">Ab</text></svg>')


def page(*images: str) -> str:
    pictures = "".join(f'<img src="data:image/svg+xml,{quote(svg)}" style="width: {size}">'
                       for svg, size in images)
    return f"<html><body><p>{pictures}</p><p style='break-before: page'>{pictures}</p></body></html>"


def rendered(*htmls: str) -> list[bytes]:
    import weasyprint

    return [weasyprint.HTML(string=html).write_pdf() for html in htmls]


def pixels(pdf: bytes) -> list[bytes]:
    return [page.render(scale=3).to_pil().tobytes() for page in pypdfium2.PdfDocument(pdf)]


def forms(pdf: bytes) -> dict[tuple[int, int], int]:
    """Each form XObject the pages show: how many times they show it."""
    shown: dict[tuple[int, int], int] = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "Do":
                    form = page.Resources.XObject[operands[0]]
                    shown[form.objgen] = shown.get(form.objgen, 0) + 1
    return shown


def test_an_image_shown_often_is_drawn_once_and_looks_the_same():
    html = page((ICON, "1cm"), (ICON, "1cm"), (ICON, "2cm"))
    alone, = rendered(html)
    with drawn_once():
        once, = rendered(html)
    assert sorted(forms(once).values()) == [2, 4]  # per size: 2 pages, each with 1 or 2 uses
    assert pixels(once) == pixels(alone)


def test_another_pdf_of_the_same_rendering_copies_the_drawing():
    first, second = page((ICON, "1cm")), page((ICON, "1cm"), (LABEL, "3cm"))
    alone = rendered(first, second)
    with drawn_once():
        together = rendered(first, second)
    assert [pixels(pdf) for pdf in together] == [pixels(pdf) for pdf in alone]
    with pikepdf.open(io.BytesIO(together[0])) as one, pikepdf.open(io.BytesIO(together[1])) as other:
        drawn, copied = (pdf.pages[0].Resources.XObject["/isvg00"] for pdf in (one, other))
        assert copied.read_bytes() == drawn.read_bytes()
        assert dict(copied.Resources.ExtGState.items()) == dict(drawn.Resources.ExtGState.items()) != {}


def test_an_image_that_needs_its_own_pdfs_objects_is_drawn_in_each(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # or fontTools stamps each font with the time
    html = page((LABEL, "3cm"), (LABEL, "3cm"))
    alone = rendered(html, html)
    with drawn_once():
        together = rendered(html, html)
    assert together[0] == together[1]
    assert [pixels(pdf) for pdf in together] == [pixels(pdf) for pdf in alone]
    with pikepdf.open(io.BytesIO(together[1])) as document:
        label = document.pages[0].Resources.XObject["/isvg00"]
        assert "/Font" in label.Resources and label.Resources.XObject  # its font, and its group


def test_different_inline_svgs_of_one_size_are_each_drawn():
    """An inline <svg> has its page's address, not one of its own."""
    square, circle = (f'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">{shape}</svg>'
                      for shape in ('<rect width="40" height="40" fill="red"/>',
                                    '<circle cx="20" cy="20" r="20" fill="green"/>'))
    html = f"<html><body><p>{square}{circle}</p></body></html>"
    alone = rendered(html, html)
    with drawn_once():
        together = rendered(html, html)
    assert [pixels(pdf) for pdf in together] == [pixels(pdf) for pdf in alone]
    assert sorted(forms(together[1]).values()) == [1, 1]


def test_an_image_that_fails_to_draw_is_drawn_in_place_as_weasyprint_does(caplog):
    broken = ICON.replace('stroke-width="1"', 'stroke-width="q"')
    html = page((broken, "1cm"), (broken, "1cm"))
    with caplog.at_level("ERROR", logger="weasyprint"):
        alone = rendered(html, html)
        said = len(caplog.records)
        caplog.clear()
        with drawn_once():
            together = rendered(html, html)
    assert said == len(caplog.records) > 0  # "Failed to render SVG image", at every use
    assert [pixels(pdf) for pdf in together] == [pixels(pdf) for pdf in alone]
    assert forms(together[0]) == {}


def test_a_rendering_inside_another_draws_as_the_outer_one_and_leaves_weasyprint_as_it_was():
    from weasyprint.images import SVGImage

    usual = SVGImage.draw
    html = page((ICON, "1cm"), (ICON, "1cm"))
    with drawn_once():
        outer = SVGImage.draw
        with drawn_once():
            assert SVGImage.draw is outer
            inner, = rendered(html)
        assert SVGImage.draw is outer
    assert SVGImage.draw is usual
    assert sorted(forms(inner).values()) == [4]

