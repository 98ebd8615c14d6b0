"""HTML to PDF with WeasyPrint, and the checks and post-processing of the result.

Content is untrusted: the renderer may load only the project's own styles and fonts
and inline images, never the network or any other file.
"""

from __future__ import annotations

import atexit
import io
import os
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import cache
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

from . import fonts, svg_forms, tagging
from .config import FONT_FAMILIES, STYLES_DIR, STYLESHEET, TOPIC_PAGES, FontFamily

ALLOWED_DATA = ("data:image/svg+xml", "data:image/png", "data:image/jpeg")
PDF_VARIANT = "pdf/ua-1"


class ForbiddenFetch(Exception):
    """The renderer was asked for something outside the allowed folders."""


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    fonts: frozenset[str]  # the families of the fonts it uses
    last_page_fill: float  # how much of the last page's height its content takes, 0 to 1


def render_pdf(html: str, base: Path, when: date, allowed: tuple[Path, ...] = (STYLES_DIR,)) -> Rendered:
    """Render `html` as if it were the file `base`.

    Only files under the `allowed` folders (styles and fonts) and inline images (QR
    codes, a clinic's logo) may be loaded. The stylesheet and the fonts of the page's
    languages are applied here, each parsed once per process, so `html` need not link them.
    """
    fetcher = _restricted_fetcher(_weasyprint(), allowed)
    with _source_date(when), _hooked():
        document = _laid_out(html, base, fetcher)
        rendered = _written(document)
    _refused(fetcher)
    return rendered


@dataclass(frozen=True)
class Topic:
    """A topic's handout, laid out once for both its own PDF and a booklet's pages."""

    slug: str  # its article's id, in the handout and in the booklet's frame
    html: str
    base: Path
    when: date


def render_booklet(frame: str, base: Path, when: date, topics: tuple[Topic, ...],
                   allowed: tuple[Path, ...] = (STYLES_DIR,)) -> tuple[Rendered, ...]:
    """A booklet made of its topics' laid-out handout pages, and those handouts.

    The topics are laid out once, as handouts. The booklet's `frame` is its own HTML with,
    in place of each topic, a mark (TOPIC_PAGES) that becomes as many empty pages as the
    topic's handout has: laid out, it gives the cover, the contents (each topic's first
    page), the blank pages before a topic that must start on a right-hand page, and the
    running header and footer of every page, numbered across the booklet. Each topic page
    of the booklet is the handout's page with the frame's header and footer. Returns the
    booklet, then each handout, in order.
    """
    fetcher = _restricted_fetcher(_weasyprint(), allowed)
    with _hooked():
        documents = [_laid_out(topic.html, topic.base, fetcher) for topic in topics]
        pages = {topic.slug: document.pages for topic, document in zip(topics, documents)}
        frame = _laid_out(_with_topic_pages(frame, pages), base, fetcher)
        booklet = frame.copy(_booklet_pages(frame, pages))
        # Each PDF is stamped with its own date, as when rendered alone: a handout's
        # topic may have been reviewed before the booklet's newest.
        with _source_date(when):
            rendered = [_written(booklet)]
        for document, topic in zip(documents, topics):
            with _source_date(topic.when):
                rendered.append(_written(document))
    _refused(fetcher)
    return tuple(rendered)


@contextmanager
def _hooked() -> Iterator[None]:
    """WeasyPrint as this tool renders with it: tagged for PDF/UA (tagging), and with
    each SVG image drawn once per PDF (svg_forms)."""
    with tagging.hooked(), svg_forms.drawn_once():
        yield


def _with_topic_pages(frame: str, pages: dict[str, list]) -> str:
    """The frame with each topic's mark replaced by its pages: its first page is the one
    the mark is on, each other one an empty page break."""
    for slug, laid_out in pages.items():
        mark = TOPIC_PAGES.format(slug=slug)
        if frame.count(mark) != 1:
            raise ValueError(f"the booklet's frame has {frame.count(mark)} marks for '{slug}'")
        frame = frame.replace(mark, '<div class="page-break"></div>' * (len(laid_out) - 1))
    return frame


def _booklet_pages(frame, pages: dict[str, list]) -> list:
    """The frame's pages, each topic page (inside the topic's article, found by its id)
    drawn with the content of the handout's page and the frame's margin boxes."""
    from weasyprint.document import Page
    from weasyprint.formatting_structure.boxes import MarginBox

    remaining = {slug: list(laid_out) for slug, laid_out in pages.items()}
    booklet = []
    for page in frame.pages:
        slug = next((anchor for anchor in page.anchors if anchor in remaining), None)
        if slug is None or page._page_box.page_type.blank:
            booklet.append(page)  # the cover, the contents, or a page left blank
            continue
        handout = remaining[slug].pop(0)._page_box
        margins = [box for box in page._page_box.children if isinstance(box, MarginBox)]
        combined = Page(handout.copy_with_children([handout.children[0], *margins]))
        # A booklet's outline lists its topics only (the handout's also lists its sections).
        combined.bookmarks = [bookmark for bookmark in combined.bookmarks if bookmark[0] == 1]
        booklet.append(combined)
    if any(remaining.values()):
        raise ValueError("the booklet's frame has fewer pages for a topic than its handout")
    return booklet


def _laid_out(html: str, base: Path, fetcher):
    """`html` laid out in pages, with the stylesheet and the fonts of its languages."""
    font_config, stylesheet = _stylesheet()
    langs = fonts.languages_in(html)
    faces = [_faces(family) for family in fonts.page_stack(langs)]
    return _weasyprint().HTML(string=html, base_url=str(base), url_fetcher=fetcher).render(
        stylesheets=[stylesheet, *faces, _stacks(langs)], font_config=font_config)


def _written(document) -> Rendered:
    # A file identifier (/ID) hashed from the content: the same inputs give the same bytes.
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=True)
    return Rendered(pdf, len(document.pages), frozenset(font.family for font in document.fonts.values()),
                    _fill(document.pages[-1]))


def _refused(fetcher) -> None:
    if fetcher.refused:
        raise ForbiddenFetch(", ".join(fetcher.refused))


def _fill(page) -> float:
    """How far down its text area a page's content reaches (the root box ends there;
    on every page but the last it fills the page)."""
    box = page._page_box
    root = box.children[0]
    return min(1.0, (root.position_y + root.margin_height() - box.content_box_y()) / box.height)


def warm_up() -> None:
    """Import WeasyPrint and parse the stylesheet now, before the first document."""
    _stylesheet()


@cache
def _stylesheet():
    """The print stylesheet, parsed once per process, with the font configuration that
    holds its @font-face fonts."""
    weasyprint = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    # Let go of it before the interpreter tears down the libraries it needs to clean up.
    atexit.register(_stylesheet.cache_clear)
    return font_config, weasyprint.CSS(filename=str(STYLESHEET), font_config=font_config)


def _own_font_files_after_fork() -> None:
    """Give a process forked after loading fonts (a test that rendered in-process, then
    started workers) a folder of its own for the font files WeasyPrint writes.

    WeasyPrint names each loaded face's file after its @font-face rule and skips a rule
    whose file exists. Sharing the parent's folder, a worker would skip a face that a
    sibling had loaded, never register it, and print in a system font; and its exit would
    delete the parent's files.
    """
    if _stylesheet.cache_info().currsize:
        font_config, _ = _stylesheet()
        font_config._folder = None  # WeasyPrint makes a new one at the next @font-face


os.register_at_fork(after_in_child=_own_font_files_after_fork)


@cache
def _faces(family: FontFamily):
    """A family's @font-face rules, parsed (and its files loaded) once per process, when a
    page first needs it: the Chinese, Japanese and Korean families take 0.3 s to load."""
    font_config, _ = _stylesheet()
    css = fonts.face_css(family, lambda path: path.relative_to(STYLES_DIR).as_posix())
    return _weasyprint().CSS(string=css, base_url=f"{STYLES_DIR.as_uri()}/", font_config=font_config)


@cache
def _stacks(langs: tuple[str, ...]):
    """The font stacks of a page's languages, parsed once per process for each set."""
    return _weasyprint().CSS(string=fonts.stack_css(langs))


@cache
def _weasyprint():
    """WeasyPrint, imported on first use: a build with nothing to do never pays for it."""
    try:
        # Quietly: on a failure, WeasyPrint prints installation advice before raising.
        with _libraries_by_file_name(), redirect_stdout(io.StringIO()):
            import weasyprint
    except OSError:  # a library the loader does not find by its file name: search for it
        import weasyprint
    _fonts_subset_without_needless_work()
    _streams_compressed_at_zlibs_default()
    return weasyprint


def _streams_compressed_at_zlibs_default() -> None:
    """Compress the PDF's streams (pages, fonts, forms) at zlib's default level, 6.

    pydyf 0.13 asks for level 9, the slowest: 1.7 s of a full build's 23 s of CPU, for
    PDFs 2% smaller than at level 6 (1,647,053 bytes against 1,680,907 for the 32 of the
    default build), which takes 1.0 s. The same inputs still give the same bytes. pydyf
    sees zlib as it is, but for compressobj's level; so does any other WeasyPrint
    rendering in this process (the tests' own).
    """
    import zlib

    import pydyf

    if isinstance(pydyf.zlib, _Zlib):
        return
    pydyf.zlib = _Zlib(zlib)


class _Zlib:
    """zlib, with compressobj at the default level whatever level is asked for."""

    def __init__(self, module) -> None:
        self._module = module

    def __getattr__(self, name: str):
        return getattr(self._module, name)

    def compressobj(self, level: int = -1, *args, **kwargs):
        return self._module.compressobj(self._module.Z_DEFAULT_COMPRESSION, *args, **kwargs)


def _fonts_subset_without_needless_work() -> None:
    """Let fontTools subset a font without the work whose result the PDF never holds.

    Without HarfBuzz's subsetter, WeasyPrint subsets each embedded font with fontTools,
    dropping GSUB and GPOS (the PDF needs no shaping rules). Three things cost time there:
    - fontTools 4.68 decompiles both tables before it drops them: 1.4 s of every PDF that
      uses Noto Sans, whose kerning is large. Deleting an unread table costs nothing; the
      subset font is byte for byte the same.
    - WeasyPrint opens the font with TTFont's default, bounds measured again on saving, so
      every glyph kept is decoded and encoded again to measure it, though subsetting moves
      no point: about 4% of a full build's CPU. fontTools' own subsetter, pyftsubset,
      keeps them as read by default (its option `recalc_bounds`), and so does this. Each
      glyph keeps its own box (tests/test_fonts.py); the font's overall box and maxima
      (head, hhea, vhea, maxp) stay the whole font's, which still hold every glyph kept.
    - A font without glyph names (a `post` table of format 3, as the Chinese, Japanese and
      Korean Noto fonts have) is given names made up from its Unicode map, tens of
      thousands of them, though the subset keeps none: 0.05-0.1 s per font and PDF.
      Numbered names (fonts.number_unnamed_glyphs) cost next to nothing, and the subset
      font is byte for byte the same (tests/test_fonts.py).
    Like the zlib level below, this holds for any subsetting with fontTools in this
    process (nothing else in the tool subsets fonts). With HarfBuzz-Subset installed,
    WeasyPrint does not use fontTools, and none of this applies.
    """
    from fontTools import subset

    usual = subset.Subsetter.subset
    if getattr(usual, "without_needless_work", False):
        return

    def subset_font(self, font) -> None:
        for tag in self.options.drop_tables:
            if tag in font:
                del font[tag]
        font.recalcBBoxes = self.options.recalc_bounds
        fonts.number_unnamed_glyphs(font)
        usual(self, font)

    subset_font.without_needless_work = True  # type: ignore[attr-defined]
    subset.Subsetter.subset = subset_font


@contextmanager
def _libraries_by_file_name() -> Iterator[None]:
    """Let the dynamic loader find WeasyPrint's libraries by file name, unsearched.

    WeasyPrint tries several names for each library, one per platform. cffi loads each
    name directly and, failing that, searches for it with ctypes.util.find_library, which
    on Linux runs ldconfig, gcc and ld: some twenty searches, 0.2-0.3 s of every worker's
    start. Each platform's file name is among those tried, so a usual installation needs
    no search; an unusual one makes the import fail, and it is retried with searching.
    """
    import ctypes.util

    usual = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = usual


def _restricted_fetcher(weasyprint, allowed: tuple[Path, ...]):
    class RestrictedFetcher(weasyprint.URLFetcher):
        """Serves files under the allowed folders and inline images; refuses the rest."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file", "data"})
            self.refused: list[str] = []

        def fetch(self, url: str, headers=None):
            if url.startswith(ALLOWED_DATA) or _allowed_file(url, allowed):
                return super().fetch(url, headers)
            self.refused.append(url[:200])
            raise ValueError(f"refused to load {url[:200]}")

    return RestrictedFetcher()


def _allowed_file(url: str, allowed: tuple[Path, ...]) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parts.path)).resolve()  # resolves "..", and links out of a folder
    return any(path.is_relative_to(folder.resolve()) for folder in allowed)


@contextmanager
def _source_date(when: date) -> Iterator[None]:
    """Font subsetting (fontTools) stamps the time unless SOURCE_DATE_EPOCH is set; take
    it from the content so that the same inputs give byte-identical PDFs."""
    epoch = int(datetime(when.year, when.month, when.day, tzinfo=timezone.utc).timestamp())
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def unbundled(families: frozenset[str]) -> set[str]:
    """The font families, among those a PDF uses, that are not bundled."""
    return set(families) - set(bundled_families())


def bundled_families() -> tuple[str, ...]:
    """Family names of the bundled fonts (config.SCRIPTS)."""
    return tuple(family.name for family in FONT_FAMILIES)
