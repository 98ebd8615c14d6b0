"""Handouts to HTML: Jinja2 templates, autoescaped, with strict undefined names.

Content strings are only ever passed to templates as data; none is compiled as a
template, so braces in a translation print as braces.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import segno
from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from .config import PAPERS, STYLES_DIR, TEMPLATES_DIR
from .contents import Handout
from .schema import Interface, fill

STYLESHEET = STYLES_DIR / "handout.css"
RTL_LANGUAGES = {"ar", "fa", "he", "ur", "ps", "yi"}
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_COUNTERS = re.compile(r"\{(page|pages)\}")


@dataclass(frozen=True)
class Page:
    """What one PDF is made of: its handouts, language, level and paper."""

    handouts: list[Handout]
    strings: Interface
    lang: str
    level: str
    paper: str
    draft: bool = False  # English stands in for missing translations
    booklet: bool = False

    @property
    def title(self) -> str:
        if self.booklet:
            return getattr(self.strings.booklet_title, self.level)
        return self.handouts[0].title

    @property
    def subject(self) -> str:
        return self.strings.booklet_purpose if self.booklet else self.handouts[0].purpose

    @property
    def date(self) -> date:
        """The newest review date: the 'updated' date and the PDF's timestamps."""
        return max(h.last_reviewed for h in self.handouts)


def render_html(page: Page, html_path: Path) -> str:
    """The HTML of `page`, with its stylesheet linked relative to `html_path`."""
    template = _environment(page.lang).get_template("booklet.html.j2" if page.booklet else "handout.html.j2")
    return template.render(
        handouts=page.handouts,
        strings=page.strings,
        lang=page.lang,
        direction=direction(page.lang),
        draft=page.draft,
        level=page.level,
        kind="booklet" if page.booklet else "single",
        level_name=getattr(page.strings.levels, page.level),
        title=page.title,
        subject=page.subject,
        date=page.date,
        paper=PAPERS[page.paper],
        stylesheet=Path(os.path.relpath(STYLESHEET, html_path.parent)).as_posix(),
    )


@cache
def _environment(lang: str) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        inline=inline_markup,
        css_string=css_string,
        css_counters=css_counters,
        qr_data_uri=qr_data_uri,
        bare_url=bare_url,
        format_date=lambda value: format_date(value, format="long", locale=babel_locale(lang)),
    )
    environment.globals["fill"] = fill
    return environment


def direction(lang: str) -> str:
    return "rtl" if lang.split("-")[0] in RTL_LANGUAGES else "ltr"


def babel_locale(lang: str) -> Locale:
    """The CLDR locale for a language code; a pseudo-locale like en-XA falls back to en."""
    try:
        return Locale.parse(lang, sep="-")
    except (ValueError, UnknownLocaleError):
        return Locale.parse(lang.split("-")[0])


def inline_markup(text: str) -> Markup:
    """Escape `text`, then turn **this** into bold: the only markup content may use."""
    return Markup(_BOLD.sub(r"<strong>\1</strong>", str(escape(text))))


def css_string(text: str) -> Markup:
    """A CSS string literal; everything but letters, digits and spaces is hex-escaped,
    so no text can end the string, the rule or the <style> element."""
    # A hex escape ends with one space, which CSS consumes: "a, b" -> "a\\2c  b".
    escaped = "".join(c if c.isalnum() and c.isascii() or c == " " else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{escaped}"')


def css_counters(template: str) -> Markup:
    """'Page {page} of {pages}' as CSS content: strings joined with page counters."""
    parts = _COUNTERS.split(template)
    pieces = [f"counter({part})" if index % 2 else css_string(part) for index, part in enumerate(parts)]
    return Markup(" ".join(piece for piece in pieces if piece != '""'))


def qr_data_uri(url: str) -> str:
    """A QR code for `url` as an SVG data URI (vector, so it prints sharp)."""
    return segno.make(url, error="m").svg_data_uri(border=0, dark="#000", light="#fff")


def bare_url(url: str) -> str:
    """A web address as people say it: no https://, no trailing slash."""
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")
