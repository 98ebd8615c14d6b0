"""Content is data: it cannot add markup, load files or run template code."""

from __future__ import annotations

from datetime import date

import pytest

from handoutkit.pdf import ForbiddenFetch, render_pdf
from handoutkit.render import css_counters, css_string, inline_markup

HOSTILE = '<script>alert(1)</script><img src="file:///etc/passwd"> {{ 7*7 }} {% if 1 %}x{% endif %}'


def test_inline_markup_escapes_everything_but_bold():
    html = str(inline_markup(HOSTILE + " **keep this**"))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "{{ 7*7 }}" in html  # printed literally, never evaluated
    assert html.endswith("<strong>keep this</strong>")


def test_css_strings_cannot_escape_their_rule():
    css = str(css_string('x"; } @import url(http://evil/); </style>'))
    assert css.startswith('"') and css.endswith('"')
    assert '"' not in css[1:-1] and "<" not in css and "}" not in css and "(" not in css


def test_page_counter_template():
    assert str(css_counters("Page {page} of {pages}")) == \
        '"Page " counter(page) " of " counter(pages)'
    assert str(css_counters("{page}/{pages}")) == 'counter(page) "\\2f " counter(pages)'


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://example.com/tracker.png",
    "data:text/css,body{color:red}",
])
def test_renderer_refuses_anything_outside_styles(tmp_path, url):
    html = f'<html lang="en"><body><p>x</p><img src="{url}" alt="x"></body></html>'
    with pytest.raises(ForbiddenFetch):
        render_pdf(html, tmp_path / "x.html", date(2026, 1, 1))


def test_renderer_allows_inline_svg_images(tmp_path):
    svg = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/%3E"
    html = f'<html lang="en"><body><p>x</p><img src="{svg}" alt="x"></body></html>'
    pdf, pages = render_pdf(html, tmp_path / "x.html", date(2026, 1, 1))
    assert pages == 1 and pdf.startswith(b"%PDF")


def test_hostile_content_prints_literally(content, tmp_path):
    from conftest import options
    from pypdf import PdfReader

    from handoutkit.build import build

    file = content / "en" / "kratom.yaml"
    text = file.read_text()
    items = text.index("  items:\n", text.index("steps:")) + len("  items:\n")
    hostile = "<b>x</b> {{ 7*7 }} {% raw %} url(file:///etc/passwd) <img src=http://x/y.png>"
    file.write_text(text[:items] + f"    - easy: '{hostile}'\n" + text[items:])
    build(options(tmp_path, content=content, levels=("easy",), topics=("kratom",)))
    pdf_text = "".join(page.extract_text() for page in PdfReader(tmp_path / "en/easy/kratom.pdf").pages)
    assert "{{ 7*7 }}" in pdf_text and "<b>x</b>" in pdf_text and "<img src=http://x/y.png>" in pdf_text
