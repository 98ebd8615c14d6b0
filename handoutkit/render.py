"""Handouts to HTML: Jinja2 templates, autoescaped, with strict undefined names.

Content strings are only ever passed to templates as data; none is compiled as a
template, so braces in a translation print as braces.
"""

from __future__ import annotations

import os
import re
from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from .addresses import qr_code
from .config import ICONS_DIR, PAPERS, SOURCE_LANGUAGE, STYLESHEET, TEMPLATES_DIR, TOPIC_PAGES
from .contents import Handout, SectionView, emergency_numbers
from .fonts import font_css
from .pages import Edition, Page
from .schema import fill

_BOLD = re.compile(r"\*\*(.+?)\*\*")
# A phone number in running text ("1-800-662-4357", "800-QUIT-NOW"): kept on one line.
_PHONE = re.compile(r"(?<![\w-])(?:\d{1,3}-)?\d{3}-(?:\d{3}|[A-Z]{3,4})-(?:\d{4}|[A-Z]{3,4})(?![\w-])")
_COUNTERS = re.compile(r"\{(page|pages)\}")



def render_html(page: Page, html_path: Path, standalone: bool = True, frame: bool = False) -> str:
    """The HTML of `page`; files it links to are addressed relative to `html_path`.

    Standalone HTML links its stylesheet, so `weasyprint page.html page.pdf` renders it;
    the build leaves the link out and applies the stylesheet parsed once (pdf.py). A
    booklet's `frame` has a mark where each topic's pages go (pdf.render_booklet).
    """

    def relative(path: Path) -> str:
        return Path(os.path.relpath(path, html_path.parent)).as_posix()

    main = page.main
    return _environment().get_template(f"{page.kind}.html.j2").render(
        page=page,
        main=main,
        editions=page.editions,
        strings=main.strings,
        lang=main.lang,
        direction=main.direction,
        level=page.level,
        level_name=getattr(main.strings.levels, page.level) if page.level else "",
        title=page.title,
        subject=page.subject,
        date=page.date,
        paper=PAPERS[page.paper],
        stylesheet=relative(STYLESHEET) if standalone else None,
        relative=relative,
        frame=frame,
        topic_pages=lambda slug: TOPIC_PAGES.format(slug=slug),
    )


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        inline=inline_markup,
        isolated=isolated,
        phone=phone_markup,
        css_string=css_string,
        css_counters=css_counters,
        qr_data_uri=qr_data_uri,
        bare_url=bare_url,
    )
    environment.globals.update(fill=fill, format_date=format_date, pair_sections=pair_sections,
                               emergency_numbers=emergency_numbers, icon_file=icon_file,
                               footer_name=footer_name, font_css=font_css)
    return environment


# The footer's second line holds the clinic's name and phone: a name longer than this (in
# characters, at 9 pt; and at large print's 14 pt) would wrap onto a third line, into the
# printer's unprintable edge. The line then holds the phone alone; the contact box has the
# whole name.
FOOTER_NAME_LIMIT = {False: 80, True: 34}


def footer_name(name: str, large_print: bool) -> bool:
    """Whether the clinic's name fits the footer's line beside its phone number."""
    return len(name) <= FOOTER_NAME_LIMIT[large_print]


def icon_file(name: str) -> Path:
    """The SVG file of a pictogram (names are checked against styles/icons/ on loading)."""
    return ICONS_DIR / f"{name}.svg"


def format_date(value: date, edition: Edition) -> str:
    """A date as the language writes it in full: 'November 21, 2026', '21 de noviembre de
    2026'; from interface.yaml's `dates` where the locale data has no month names."""
    own = edition.strings.dates
    if own is not None:
        return fill(own.format, day=str(value.day), month=own.months[value.month - 1],
                    year=str(value.year))
    return babel_dates.format_date(value, format="long", locale=babel_locale(edition.lang))


def has_month_names(lang: str) -> bool:
    """Whether the locale data writes months in words for `lang` (for Haitian Creole it
    writes "M11"; for Hmong it has no locale at all)."""
    try:
        months = babel_locale(lang).months["format"]["wide"]
    except (ValueError, UnknownLocaleError):
        return False
    return not re.fullmatch(r"M\d+", months[11])


def pair_sections(first: Handout, second: Handout) -> list[tuple[SectionView, SectionView]]:
    """Sections of the same topic in two languages, matched by id (a translation has the
    English sections, so each has its partner)."""
    partners = {section.id: section for section in second.sections}
    return [(section, partners[section.id]) for section in first.sections if section.id in partners]


def babel_locale(lang: str) -> Locale:
    """The CLDR locale for a language code; a pseudo-locale like en-XA falls back to en."""
    try:
        return Locale.parse(lang, sep="-")
    except (ValueError, UnknownLocaleError):
        return Locale.parse(lang.split("-")[0])


# In right-to-left text, a run of left-to-right material: numbers (Western or Arabic-Indic
# digits, with their separators: 0٫5 is a dose), phone numbers, ranges, dates, web and
# e-mail addresses, drug names, English citations. It starts with a Latin letter or a
# digit (or a +, # or $ before a digit), ends with one (or ), ], }, %, ° or /), and holds no
# right-to-left letter, no ** and no line break. It takes in the brackets of
# "(555) 123-4567", but not a bracket of the right-to-left text around it ("(انظر 2)"),
# which must stay outside to be mirrored with its partner.
_DIGITS = "0-9\u0660-\u066c\u06f0-\u06f9"  # and the Arabic decimal and thousands separators
_LTR = f"A-Za-z\u00c0-\u024f{_DIGITS}"
_RTL_LETTERS = "\u0590-\u065f\u066d-\u06ef\u06fa-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"
_LTR_RUN = re.compile(rf"(?:[(\[{{]|[+#$](?=[{_DIGITS}]))?[{_LTR}]"
                      rf"(?:[^{_RTL_LETTERS}*\n]*[{_LTR})\]}}%°/])?")
_OPENING, _CLOSING = "([{", ")]}"


def _isolated(text: str, edition: Edition) -> str:
    """`text` escaped; in a right-to-left language, each left-to-right run isolated.

    The Unicode bidirectional algorithm, as WeasyPrint applies it, reorders the parts of
    "1-800-662-4357" or "12-48" inside Arabic text ("4357-662-800-1"); isolated, a run
    keeps its own order, whatever the translator typed.
    """
    if edition.direction != "rtl":
        return str(escape(text))
    pieces, start = [], 0
    while run := _LTR_RUN.search(text, start):
        first, end = _balanced(text, *run.span())
        if end <= first:  # nothing of it left to isolate: go on after it
            first = end = run.end()
        pieces.append(str(escape(text[start:first])))
        if end > first:
            # Isolated, and each character taken as left to right (LRO ... PDF): an isolate
            # alone still reverses the groups of Arabic-Indic digits (١٢-٤٨ as ٤٨-١٢). An
            # inline box inside it (a phone number) needs its own: WeasyPrint lays out each
            # box's text apart.
            pieces.append(f'<span class="ltr" dir="ltr">{_overridden(str(escape(text[first:end])))}</span>')
        start = end
    pieces.append(str(escape(text[start:])))
    return "".join(pieces)


def _overridden(text: str) -> str:
    """`text` with each character taken as left to right (LRO ... PDF)."""
    return f"\u202d{text}\u202c"


def _balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """The run text[start:end] without a bracket whose partner is outside it: the run
    ends before it, or, for an opening bracket that starts the run, begins after it."""
    unclosed: list[int] = []
    for index in range(start, end):
        char = text[index]
        if char in _OPENING:
            unclosed.append(index)
        elif char in _CLOSING:
            if not unclosed or _OPENING.index(text[unclosed[-1]]) != _CLOSING.index(char):
                return _balanced(text, start, index) if index > start else (start, start)
            unclosed.pop()
    if not unclosed:
        return start, start + len(text[start:end].rstrip(" ,;:."))
    if unclosed[0] == start:
        return _balanced(text, start + 1, end)
    return _balanced(text, start, unclosed[0])


def isolated(text: str) -> str:
    """`text` between Unicode isolates (LRI ... PDI), for generated content, where no
    element can isolate it: a phone number in a right-to-left footer keeps its order."""
    return f"\u2066{text}\u2069"


_EXTENSION = re.compile(r"\s+(?=(?:ext\.?|x)\s?\d)")


def phone_markup(phone: str) -> Markup:
    """A phone number that never breaks, in its own order in any direction; an extension
    ("ext. 1234") may go to the next line, so a narrow column still holds it."""
    parts = _EXTENSION.split(phone, maxsplit=1)
    return Markup(" ").join(Markup('<span class="phone">{}</span>').format(isolated(part)) for part in parts)


def inline_markup(text: str, edition: Edition, source: str | None = None) -> Markup:
    """Escape `text`, then turn **this** into bold: the only markup content may use.

    English standing in for a missing translation (`text`, or the `source` it was filled
    in from) is marked as English, so that a screen reader reads it with an English voice
    (and, in right-to-left text, in order).
    """
    markup = _BOLD.sub(r"<strong>\1</strong>", _isolated(text, edition))
    # A phone number is an inline box of its own, laid out apart from the run around it:
    # it takes its own left-to-right override (see _isolated).
    markup = _PHONE.sub(lambda phone: '<span class="phone">{}</span>'.format(
        _overridden(phone.group()) if edition.direction == "rtl" else phone.group()), markup)
    if (source or text) in edition.english and edition.lang != SOURCE_LANGUAGE:
        markup = f'<span lang="{SOURCE_LANGUAGE}" dir="ltr">{markup}</span>'
    return Markup(markup)


def css_string(text: str) -> Markup:
    """A CSS string literal; everything but letters, digits and spaces is hex-escaped,
    so no text can end the string, the rule or the <style> element."""
    # A hex escape ends with one space, which CSS consumes: "a, b" -> "a\2c  b".
    escaped = "".join(c if c.isalnum() and c.isascii() or c == " " else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{escaped}"')


def css_counters(template: str) -> Markup:
    """'Page {page} of {pages}' as CSS content: strings joined with page counters."""
    parts = _COUNTERS.split(template)
    pieces = [f"counter({part})" if index % 2 else css_string(part) for index, part in enumerate(parts)]
    return Markup(" ".join(piece for piece in pieces if piece != '""'))


def qr_data_uri(url: str) -> str:
    """A QR code for `url` as an SVG data URI (vector, so it prints sharp)."""
    return qr_code(url).svg_data_uri(border=0, dark="#000", light="#fff")


def bare_url(url: str) -> str:
    """A web address as people say it: no https://, no trailing slash."""
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")
