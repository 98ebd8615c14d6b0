"""Content is data: it cannot add markup, load files or run template code."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from helpers import facts, page_texts, write_yaml

from handoutkit.pages import Edition
from handoutkit.pdf import ForbiddenFetch, render_pdf
from handoutkit.render import css_counters, css_string, inline_markup

HOSTILE = '<script>alert(1)</script><img src="file:///etc/passwd"> {{ 7*7 }} {% if 1 %}x{% endif %}'


def test_inline_markup_escapes_everything_but_bold():
    html = str(inline_markup(HOSTILE + " **keep this**", Edition("en", None, [])))
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


@pytest.mark.pdf
@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://example.com/tracker.png",
    "data:text/css,body{color:red}",
])
def test_renderer_refuses_anything_outside_styles(tmp_path, url):
    html = f'<html lang="en"><body><p>x</p><img src="{url}" alt="x"></body></html>'
    with pytest.raises(ForbiddenFetch):
        render_pdf(html, tmp_path / "x.html", date(2026, 1, 1))


@pytest.mark.pdf
def test_renderer_allows_inline_svg_images(tmp_path):
    svg = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/%3E"
    html = f'<html lang="en"><body><p>x</p><img src="{svg}" alt="x"></body></html>'
    rendered = render_pdf(html, tmp_path / "x.html", date(2026, 1, 1))
    pdf, pages, fonts = rendered.pdf, rendered.pages, rendered.fonts
    assert pages == 1 and pdf.startswith(b"%PDF") and fonts == {"Atkinson Hyperlegible"}


HOSTILE_TEXTS = [
    "<b>x</b>",
    "<script>alert(1)</script>",
    "<img src=http://tracker.example/x.png>",
    "<link rel=stylesheet href=file:///etc/passwd>",
    "<style>body { background: url(file:///etc/passwd) }</style>",
    "url(https://tracker.example/y.png)",
    "file:///etc/passwd",
    "{{ 7*7 }}",
    "{% raw %}",
    "{# comment #}",
]


@pytest.mark.pdf
def test_hostile_content_prints_literally(content, tmp_path):
    from helpers import options

    from handoutkit.build import build

    file = content / "en" / "kratom.yaml"
    data = yaml.safe_load(file.read_text())
    for index, item in enumerate(data["steps"]["items"].values()):  # 5 steps, 2 hostile texts each
        item["standard"] = " ".join(HOSTILE_TEXTS[2 * index:2 * index + 2])
    data["title"] = "<i>{{ title }}</i>"
    write_yaml(file, data)
    # A fetch outside styles/ would fail the build (ForbiddenFetch), so success also
    # proves that nothing was loaded.
    report = build(options(tmp_path, content=content, levels=("standard",), topics=("kratom",)))
    assert not report.failures, report.failures
    pdf = tmp_path / "en/standard/kratom.pdf"
    pdf_text = "".join(page_texts(pdf)).replace("\n", " ")
    for text in HOSTILE_TEXTS:
        assert text in pdf_text, text
    assert facts(pdf).title == "<i>{{ title }}</i>"


def test_make_clean_removes_only_the_build_folder(tmp_path):
    import shutil
    import subprocess

    from handoutkit.config import ROOT

    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    for folder in ("build/en/easy", "handouts/en", "out"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "keep.pdf").write_text("x")
    subprocess.run(["make", "clean"], cwd=tmp_path, check=True, capture_output=True)
    assert not (tmp_path / "build").exists()
    assert (tmp_path / "handouts/en/keep.pdf").exists() and (tmp_path / "out/keep.pdf").exists()
