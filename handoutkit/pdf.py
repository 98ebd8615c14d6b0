"""HTML to PDF with WeasyPrint, and the checks and post-processing of the result.

Content is untrusted: the renderer may load only the project's own styles and fonts
and inline images, never the network or any other file.
"""

from __future__ import annotations

import atexit
import io
import os
from contextlib import contextmanager, redirect_stdout
from datetime import date, datetime, timezone
from functools import cache
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

from . import tagging
from .config import FONTS_DIR, STYLES_DIR

STYLESHEET = STYLES_DIR / "handout.css"

ALLOWED_DATA = ("data:image/svg+xml", "data:image/png", "data:image/jpeg")
PDF_VARIANT = "pdf/ua-1"


class ForbiddenFetch(Exception):
    """The renderer was asked for something outside the allowed folders."""


def render_pdf(html: str, base: Path, when: date,
               allowed: tuple[Path, ...] = (STYLES_DIR,)) -> tuple[bytes, int, frozenset[str]]:
    """Render `html` as if it were the file `base`: the PDF, its page count, and the
    families of the fonts it uses.

    Only files under the `allowed` folders (styles and fonts) and inline images (QR
    codes, a clinic's logo) may be loaded. The stylesheet is applied here, parsed
    once per process with its fonts, so `html` need not link it.
    """
    weasyprint = _weasyprint()
    fetcher = _restricted_fetcher(weasyprint, allowed)
    font_config, stylesheet = _stylesheet()
    with _source_date(when), tagging.hooked():
        document = weasyprint.HTML(string=html, base_url=str(base), url_fetcher=fetcher).render(
            stylesheets=[stylesheet], font_config=font_config)
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    if fetcher.refused:
        raise ForbiddenFetch(", ".join(fetcher.refused))
    pdf = tagging.mark_artifacts(pdf)
    return pdf, len(document.pages), frozenset(font.family for font in document.fonts.values())


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


@cache
def _weasyprint():
    """WeasyPrint, imported on first use: a build with nothing to do never pays for it."""
    try:
        # Quietly: on a failure, WeasyPrint prints installation advice before raising.
        with _libraries_by_file_name(), redirect_stdout(io.StringIO()):
            import weasyprint
    except OSError:  # a library the loader does not find by its file name: search for it
        import weasyprint
    return weasyprint


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


@cache
def bundled_families() -> tuple[str, ...]:
    """Family names of the fonts under styles/fonts."""
    from fontTools.ttLib import TTFont  # comes with WeasyPrint

    return tuple(sorted({TTFont(path)["name"].getDebugName(1) for path in FONTS_DIR.rglob("*.ttf")}))
