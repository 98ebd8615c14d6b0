"""Helpers the tests share: the options of a test build, YAML writing, and reading built
PDFs back (fonts, text, tags, where ink lands, how boxes break across pages)."""

from __future__ import annotations

import ctypes
import fcntl
import math
import multiprocessing
import os
import shutil
import struct
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, NamedTuple

from handoutkit.build import build
from handoutkit.config import LEVELS, ROOT, TOPICS
from handoutkit.loader import dump_yaml
from handoutkit.options import Options

LANGUAGES = ("en", "es")  # the shipped languages
# Processes for each shared build to render on, and to read its PDFs back: the cores this
# process may run on (as `-n auto` counts them), shared among the test processes. Under
# `make test` every core already runs a test process (pytest-xdist), and a build's own
# workers beside them would share each core two or three ways: the builds and their reading
# took 12-14% more CPU so (against the same run's other tests). There each renders in its
# test's process. Other tests' builds render in-process (or say how many jobs they test).
WORKERS = max(1, len(os.sched_getaffinity(0)) // int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or 1))
EXAMPLE = ROOT / "clinics" / "example.yaml"
LONG_NAME = ROOT / "tests" / "clinics" / "long-name.yaml"  # long name, long details, 5 programs
LONG, RTL = "en-XA", "ar-XB"  # pseudo-locales (tests/pseudo.py)
LONG_FACTOR = 1.4
ARABIC_FACTOR = 1.5  # pseudo-Arabic keeps every English letter: wider than real Arabic


def made_once(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder that `make` fills once per test run, whichever test process needs it first:
    `make test` runs the tests in several processes (pytest-xdist), and the shared builds
    are a large part of its time. The others wait for it, then read it; no test writes to it.
    A `make` that fails leaves no mark, and the next process to need the folder tries again."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each process's own
    folder, done = root / name, root / f"{name}.made"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # held while making; let go when the file closes
        if not done.exists():
            if folder.exists():
                shutil.rmtree(folder)  # what a failed attempt left
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def options(out: Path, **changes) -> Options:
    settings = dict(langs=("en",), levels=tuple(LEVELS), topics=TOPICS, paper="letter", out=out)
    settings.update(changes)
    return Options(**settings)


def succeeds(settings: Options) -> None:
    """Build, and fail the test if any PDF fails (a page budget, a font, a render)."""
    report = build(settings)
    assert not report.failures, report.failures


def write_yaml(file: Path, data: Any) -> None:
    """Write content data as the tool writes YAML for people to edit."""
    file.write_text(dump_yaml(data), encoding="utf-8")


# ---- Reading built PDFs back ----

def checked(check: Callable[[Path], list[str]], pdfs: list[Path]) -> dict[Path, list[str]]:
    """Each PDF's faults, found by `check` (a function of a module, so that it can be sent
    to a process) on WORKERS processes: reading every PDF of the shared builds back is a
    large part of the suite's time. Largest first, so that no process is left with one."""
    largest_first = sorted(pdfs, key=lambda pdf: -pdf.stat().st_size)
    if WORKERS == 1:
        return {pdf: check(pdf) for pdf in largest_first}
    with ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("fork")) as pool:
        return dict(zip(largest_first, pool.map(check, largest_first)))


def font_names(pdf: Path) -> set[str]:
    """The fonts a PDF embeds, read back from the file itself ("Family Name Style")."""
    import pikepdf

    used = set()
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            for font in page.get("/Resources", {}).get("/Font", {}).values():
                # WeasyPrint names fonts "SUBSET+Family-Name-Style", from Pango's description.
                name = str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1]
                used.add(name.replace("-", " "))
    return used


def foreign_fonts(pdf: Path) -> set[str]:
    """Fonts in a PDF whose family is not one of the bundled fonts' (the build checks what
    WeasyPrint reports it used; this reads the file)."""
    from handoutkit.pdf import bundled_families  # imports WeasyPrint: only for tests of PDFs

    return {name for name in font_names(pdf) if not name.startswith(bundled_families())}


def text_of(pdf: Path) -> str:
    """A PDF's text, page after page, in the order it is drawn, as pdfium reads it: 25
    times faster than pypdf, and many tests read whole builds.

    It is the text a screen reader gets: a run marked with the words as written
    (/ActualText, on shaped scripts such as Arabic: tagging.py) reads as those words, not
    as the glyphs drawn. To check what is printed in those scripts, read the glyphs
    (layout.visual_lines)."""
    return "\n".join(page_texts(pdf))


def page_texts(pdf: Path) -> list[str]:
    """Each page's text, read as text_of reads it."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range().replace("\r\n", "\n") for page in document]
    finally:
        document.close()


@dataclass(frozen=True)
class Facts:
    """What tests read of a PDF besides its text."""

    title: str
    subject: str
    author: str
    lang: str
    pages: int
    sizes: frozenset[tuple[int, int]]  # of its pages, in points
    outline: tuple[Bookmark, ...]  # every bookmark, depth first
    tagged: bool  # has a tag tree, and says so (/MarkInfo /Marked)


class Bookmark(NamedTuple):
    title: str
    page: int  # from 0
    level: int  # 1 at the top of the outline


def facts(pdf: Path) -> Facts:
    """A PDF's title, language, pages and bookmarks, read with pikepdf: a few milliseconds
    where pypdf takes 40 to open a PDF, and tests read hundreds."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        info, root = document.docinfo, document.Root
        pages = {page.objgen: number for number, page in enumerate(document.pages)}
        sizes = frozenset((round(float(box[2] - box[0])), round(float(box[3] - box[1])))
                          for box in (page.mediabox for page in document.pages))

        def bookmarks(items, level: int) -> Iterator[Bookmark]:
            for item in items:
                yield Bookmark(item.title, pages[_destination(document, item)[0].objgen], level)
                yield from bookmarks(item.children, level + 1)

        with document.open_outline() as outline:
            every = tuple(bookmarks(outline.root, 1))
        tagged = "/StructTreeRoot" in root and bool(root.get("/MarkInfo", {}).get("/Marked", False))
        return Facts(str(info.get("/Title", "")), str(info.get("/Subject", "")), str(info.get("/Author", "")),
                     str(root.get("/Lang", "")), len(document.pages), sizes, every, tagged)


def _destination(document, item):
    """Where a bookmark goes ([page, how, ...]), written out or named, on it or on its action."""
    import pikepdf

    where = item.destination if item.destination is not None else item.action.get("/D")
    if isinstance(where, (pikepdf.String, pikepdf.Name)):  # a named destination
        names = document.Root.get("/Dests") if isinstance(where, pikepdf.Name) else \
            pikepdf.NameTree(document.Root.Names.Dests)
        where = names[str(where)]
    return where.get("/D") if isinstance(where, pikepdf.Dictionary) else where


@dataclass(frozen=True)
class Tag:
    """An element of a PDF's tag tree (or a reference to marked content or an annotation,
    with no kind)."""

    kind: str  # its structure type: "/Figure", "/TR"...
    alt: str | None
    lang: str | None
    kids: tuple[Tag | int, ...]  # its elements, and its marked content's numbers (MCIDs)


def struct_elements(pdf: Path) -> list[Tag]:
    """Every element of the PDF's tag tree, depth first."""
    import pikepdf

    def read(node) -> Tag | int:
        if not isinstance(node, pikepdf.Dictionary):
            return int(node)
        kids = node.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        alt, lang = node.get("/Alt"), node.get("/Lang")
        return Tag(str(node.get("/S", "")), None if alt is None else str(alt),
                   None if lang is None else str(lang), tuple(read(kid) for kid in kids))

    def depth_first(tag: Tag) -> Iterator[Tag]:
        yield tag
        for kid in tag.kids:
            if isinstance(kid, Tag):
                yield from depth_first(kid)

    with pikepdf.open(pdf) as document:
        return list(depth_first(read(document.Root.StructTreeRoot)))


def body_texts(pdf: Path, margins: bool = False) -> list[list[tuple[float, float, float, str]]]:
    """For each page, (font size in pt, x, baseline height, text) of every run of text (what
    one text-showing operator draws) in its body area, leaving out the running header and
    footer in the page margins (or only those, with `margins`). Read with pdfium: seven
    times faster than pypdf, with the same runs (compared on the 1,707 pages of the shared
    builds)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [_runs(page, margins) for page in document]
    finally:
        document.close()


def _runs(page, margins: bool) -> list[tuple[float, float, float, str]]:
    import pypdfium2.raw as pdfium_c

    height = page.get_height()
    textpage = page.get_textpage()
    size, matrix = ctypes.c_float(), pdfium_c.FS_MATRIX()  # filled in by pdfium
    found = []
    for run in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], textpage=textpage):
        pdfium_c.FPDFTextObj_GetFontSize(run.raw, size)
        pdfium_c.FPDFPageObj_GetMatrix(run.raw, matrix)
        text, x, y = _run_text(run, textpage), matrix.e, matrix.f
        if text.strip() and (52 < y < height - 55) != margins:
            found.append((round(size.value * math.hypot(matrix.a, matrix.b), 1), x, y, text))
    return found


def _run_text(run, textpage) -> str:
    """A run's characters (pdfium gives a hyphen that ends a line as U+0002)."""
    import pypdfium2.raw as pdfium_c

    length = pdfium_c.FPDFTextObj_GetText(run.raw, textpage.raw, None, 0)  # bytes, with a final NUL
    buffer = (ctypes.c_ushort * (length // 2))()
    pdfium_c.FPDFTextObj_GetText(run.raw, textpage.raw, buffer, length)
    return bytes(buffer)[:-2].decode("utf-16-le").replace("\x02", "-")


def ink_near_the_edges(pdf: Path, mm: float = 6.35) -> list[tuple[int, str]]:
    """(page, edge) wherever anything is drawn nearer than `mm` to the paper's edge: most
    printers cannot print there (4.2-6.4 mm). Read from the page drawn as pixels, so text,
    lines, pictures and crop marks all count."""
    import pypdfium2

    dpi = 72  # a pixel is 0.35 mm
    band = int(mm / 25.4 * dpi) - 1  # whole pixels inside the band, never straddling its edge
    found = []
    for number, page in enumerate(pypdfium2.PdfDocument(pdf), 1):
        image = page.render(scale=dpi / 72, grayscale=True).to_pil()
        width, height = image.size
        for edge, box in (("top", (0, 0, width, band)), ("bottom", (0, height - band, width, height)),
                          ("left", (0, 0, band, height)), ("right", (width - band, 0, width, height))):
            if image.crop(box).getextrema()[0] < 200:  # darker than the faintest grey used
                found.append((number, edge))
    return found


def text_sizes(pdf: Path) -> list[tuple[float, float, str]]:
    """(font size in pt, baseline height, text) of the body text of every page."""
    return [(size, y, text) for page in body_texts(pdf) for size, _, y, text in page]


KEEP_WHOLE = ("ul", "ol", "table", "aside")  # and sections styled as boxes


def box_pages(html: Path) -> list[tuple[object, set[int]]]:
    """The lists, tables and boxes of a rendered page, each with the pages (from 0) it is
    laid out on, from WeasyPrint's own layout. (The HTML links its stylesheet and fonts: a
    build's --html file renders as its PDF, tests/test_pdfs.py.)"""
    from weasyprint import HTML

    document = HTML(filename=str(html)).render()
    pages_of: dict[int, tuple[object, set[int]]] = {}
    references: set[int] = set()  # a list of sources may go on over a page
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = box.element
            if element is None or box.element_tag not in KEEP_WHOLE + ("section",):
                continue
            classes = set(element.get("class", "").split())
            if "sources" in classes:
                references.update(id(inner) for inner in element.iter())
            boxed = element.tag != "section" or {"callout", "questions"} & classes
            if not boxed or id(element) in references:
                continue
            pages_of.setdefault(id(element), (element, set()))[1].add(number)
    return list(pages_of.values())


def split_boxes(html: Path) -> list[str]:
    """The lists, tables and boxes of a rendered page that run over a page break."""
    return [f"<{element.tag} class={element.get('class')}> {' '.join(element.itertext())[:60]!r}"
            for element, pages in box_pages(html) if len(pages) > 1]


# ---- Pictures for clinic logos ----

def png(width: int, height: int, rows: bytes | None = None, colour: int = 0) -> bytes:
    """A PNG of `width` x `height` grey (or RGB, colour 2) pixels, all black."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    channels = 3 if colour == 2 else 1
    if rows is None:
        rows = b"".join(b"\0" + bytes(width * channels) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9))
            + chunk(b"IEND", b""))
