"""Layout faults read back from a built PDF: where each glyph and each drawn rule landed
(pypdfium2), not what the HTML asked for.

`faults(pdf, side_margin)` gives one line per fault:
- a glyph in a side margin (past the text column: clipped or crowding the edge);
- a glyph overprinting a glyph of another line or column (a table over its neighbour);
- a table or box rule drawn through a glyph.
"""

from __future__ import annotations

import ctypes
import io
import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import pikepdf
import pypdfium2
import pypdfium2.raw as pdfium_c

from handoutkit.fonts import script_of

MM = 72 / 25.4
CELL = 12.0  # points: the grid that finds neighbouring glyphs
OVERLAP = 0.3  # of the smaller glyph's box, for glyphs of two lines
CLUSTER = 4  # characters apart in reading order: glyphs this near belong to one word, whose
# shaping may stack or overlap them (Thai and Khmer marks and subscripts, Devanagari conjuncts)
KERNED = 0.6  # for glyphs of one line: kerned pairs ("Tr") share up to about 40%
RULE = 2.0  # points: a path thinner than this, and longer than a glyph, is a rule
INSET = 0.25  # of a glyph's box, on each side: a rule may touch a glyph's edge, not its core


class Glyph(NamedTuple):  # (a page has thousands: a tuple is made five times faster)
    char: str
    left: float
    bottom: float
    right: float
    top: float
    baseline: float

    def area(self) -> float:
        return (self.right - self.left) * (self.top - self.bottom)

    def same_line(self, other: Glyph) -> bool:
        middle = (self.bottom + self.top) / 2
        return other.bottom < middle < other.top

    def shared(self, other: Glyph) -> float:
        width = min(self.right, other.right) - max(self.left, other.left)
        height = min(self.top, other.top) - max(self.bottom, other.bottom)
        return max(width, 0) * max(height, 0)


def as_drawn(pdf: Path) -> pypdfium2.PdfDocument:
    """The PDF for pdfium, as its glyphs stand on paper. pdfium reads a run marked with
    the words as written (/ActualText, tagging.py) as those words spread over the run's
    box, which would hide a glyph out of place: the marks are taken out first."""
    with pikepdf.open(pdf) as document:
        if not script_of(str(document.Root.get("/Lang", ""))).shaped:
            return pypdfium2.PdfDocument(pdf)  # no marks (pikepdf reads the catalog alone)
        changed = False
        for page in document.pages:
            instructions = pikepdf.parse_content_stream(page)
            marked = [operands[1] for operands, operator in instructions
                      if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary)
                      and "/ActualText" in operands[1]]
            for properties in marked:
                del properties["/ActualText"]
            if marked:
                page.Contents = document.make_stream(pikepdf.unparse_content_stream(instructions))
                changed = True
        if not changed:
            return pypdfium2.PdfDocument(pdf)
        data = io.BytesIO()
        document.save(data)
    return pypdfium2.PdfDocument(data.getvalue())


def every_fault(pdf: Path) -> list[str]:
    """A built PDF's faults: `faults`, `break_faults`, and a handout page but the last
    more than half empty (a booklet's topics end where they end)."""
    with _drawn(pdf) as pages:  # read once for both: finding the glyphs takes most of the time
        found = _faults(pages, side_margin(pdf)) + break_faults(pdf)
        if pdf.stem not in ("booklet", "wallet-cards"):
            found += [f"page {number} is {share:.0%} empty"
                      for number, share in enumerate(_emptiness(pages), 1) if share > 0.5]
    return found


def side_margin(pdf: Path) -> float:
    """Millimetres: wallet cards are printed nearer the edge than pages of text."""
    return 6.2 if pdf.name == "wallet-cards.pdf" else 12.7


def faults(pdf: Path, side_margin: float) -> list[str]:
    """Faults on every page of `pdf`; `side_margin` is in millimetres."""
    with _drawn(pdf) as pages:
        return _faults(pages, side_margin)


@contextmanager
def _drawn(pdf: Path) -> Iterator[list[tuple[Any, list[Glyph]]]]:
    """Each page of `pdf` as drawn (pdfium's), with its glyphs."""
    document = as_drawn(pdf)
    try:
        yield [(page, _glyphs(page)) for page in document]
    finally:
        document.close()


def _faults(pages: list[tuple[Any, list[Glyph]]], side_margin: float) -> list[str]:
    found: list[str] = []
    for number, (page, glyphs) in enumerate(pages, 1):
        found += [f"page {number}: {fault}" for fault in
                  _in_side_margins(glyphs, page.get_width(), side_margin * MM)
                  + _overprinted(glyphs) + _ruled_through(page, glyphs)]
    return found


def _glyphs(page) -> list[Glyph]:
    """The page's upright, visible glyphs (a DRAFT watermark is drawn at an angle)."""
    textpage = page.get_textpage()  # kept: pdfium frees `text` when this goes
    text = textpage.raw
    left, bottom, right, top, x, y = (ctypes.c_double() for _ in range(6))  # filled in by pdfium
    glyphs = []
    count = pdfium_c.FPDFText_CountChars(text)
    if count < 0:
        raise ValueError("pdfium could not read the page's text")
    # pdfium's functions, looked up once: they are called for every character of every page.
    unicode, angle, box, origin = (pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_GetCharAngle,
                                   pdfium_c.FPDFText_GetCharBox, pdfium_c.FPDFText_GetCharOrigin)
    for index in range(count):
        char = chr(unicode(text, index))
        if char.isspace() or not char.isprintable() or angle(text, index) > 0.01:
            continue
        if not box(text, index, left, right, bottom, top):  # yes: left, right, bottom, top
            raise ValueError(f"pdfium has no box for character {index}")
        origin(text, index, x, y)
        if right.value - left.value > 0.1 and top.value - bottom.value > 0.1:
            glyphs.append(Glyph(char, left.value, bottom.value, right.value, top.value, y.value))
    return glyphs


def _in_side_margins(glyphs: list[Glyph], width: float, margin: float) -> list[str]:
    tolerance = 1.5  # points: a glyph's ink may overhang its advance a little (a j's tail)
    return [f"{glyph.char!r} in the side margin at x={glyph.left:.0f}-{glyph.right:.0f} pt"
            for glyph in glyphs
            if glyph.left < margin - tolerance or glyph.right > width - margin + tolerance]


def _grid(glyphs: list[Glyph]) -> dict[tuple[int, int], list[int]]:
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, glyph in enumerate(glyphs):
        for x in range(math.floor(glyph.left / CELL), math.floor(glyph.right / CELL) + 1):
            for y in range(math.floor(glyph.bottom / CELL), math.floor(glyph.top / CELL) + 1):
                cells[(x, y)].append(index)
    return cells


def _overprinted(glyphs: list[Glyph]) -> list[str]:
    pairs: set[tuple[int, int]] = set()
    for members in _grid(glyphs).values():
        for position, first in enumerate(members):
            for second in members[position + 1:]:
                a, b = glyphs[first], glyphs[second]
                if (second - first <= CLUSTER or _mark(a.char) or _mark(b.char)
                        or (a.same_line(b) and (_arabic(a.char) or _arabic(b.char)))):
                    continue  # one cluster: a ligature (fi), a conjunct, marks on a letter
                limit = KERNED if a.same_line(b) else OVERLAP
                if a.shared(b) > limit * min(a.area(), b.area()):
                    pairs.add((first, second))
    return [f"{glyphs[a].char!r} and {glyphs[b].char!r} overprint at "
            f"x={glyphs[a].left:.0f}, y={glyphs[a].bottom:.0f} pt" for a, b in sorted(pairs)]


def _mark(char: str) -> bool:
    """A combining mark: it sits on, over or under a letter by design."""
    return unicodedata.category(char).startswith("M")


def _arabic(char: str) -> bool:
    """Arabic letters join, and their boxes overlap, by design."""
    return "\u0600" <= char <= "\u06ff" or "\ufb50" <= char <= "\ufeff"


def _rules(page) -> list[tuple[float, float, float, float]]:
    rules = []
    for item in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=4):
        left, bottom, right, top = item.get_bounds()
        thin, long = sorted((right - left, top - bottom))
        if thin < RULE and long > 4:
            rules.append((left, bottom, right, top))
    return rules


def _ruled_through(page, glyphs: list[Glyph]) -> list[str]:
    found = []
    for left, bottom, right, top in _rules(page):
        for glyph in glyphs:
            inset_x = (glyph.right - glyph.left) * INSET
            inset_y = (glyph.top - glyph.bottom) * INSET
            if (left < glyph.right - inset_x and right > glyph.left + inset_x
                    and bottom < glyph.top - inset_y and top > glyph.bottom + inset_y):
                found.append(f"a rule at x={left:.0f}-{right:.0f}, y={bottom:.0f}-{top:.0f} pt "
                             f"crosses {glyph.char!r}")
                break
    return found


# ---- page breaks, from the tag tree (pikepdf): what a reader meets at each break ----

HEADINGS = frozenset({"/H1", "/H2", "/H3", "/H4", "/H5", "/H6"})
FOOT = 25.5 * MM  # points from the bottom: below this only the running footer prints
HEAD = 21 * MM  # points from the top: above this only the running header prints


def break_faults(pdf: Path) -> list[str]:
    """A heading that ends a page, or a list's last item alone at the top of the next."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        pages = {page.objgen: number for number, page in enumerate(document.pages)}
        leaves = _leaves(document.Root.StructTreeRoot, pages)
    found = []
    for before, after in zip(leaves, leaves[1:]):
        if before[0] == after[0]:
            continue
        page, path = before
        if HEADINGS & {kind for _, kind in path}:
            found.append(f"page {page + 1} ends with a heading")
        lists = [element for element, kind in after[1] if kind == "/L"]
        if lists and "/L" in {kind for _, kind in path} and _items(lists[-1]) == 1:
            found.append(f"page {after[0] + 1} starts with a list's last item alone")
    return found


def _leaves(root, pages: dict) -> list[tuple[int, tuple]]:
    """(page, path of (element, type) from the top) of each marked-content leaf, in
    reading order."""
    import pikepdf

    leaves = []

    def visit(node, page, path):
        if isinstance(node, pikepdf.Array):
            for kid in node:
                visit(kid, page, path)
        elif isinstance(node, int):
            leaves.append((pages[page], path))
        elif isinstance(node, pikepdf.Dictionary) and node.get("/Type") not in ("/OBJR",):
            page = node.get("/Pg", page).objgen if "/Pg" in node else page
            if node.get("/Type") == "/MCR":
                leaves.append((pages[page], path))
            elif "/K" in node:
                visit(node.K, page, path + ((node, str(node.get("/S"))),))

    visit(root.get("/K"), None, ())
    return leaves


def _items(element) -> int:
    kids = element.get("/K")
    kids = list(kids) if hasattr(kids, "__iter__") else [kids]
    return sum(1 for kid in kids if hasattr(kid, "get") and kid.get("/S") == "/LI")


def emptiness(pdf: Path) -> list[float]:
    """For each page but the last, the share of its body left empty below its last line."""
    with _drawn(pdf) as pages:
        return _emptiness(pages)


def _emptiness(pages: list[tuple[Any, list[Glyph]]]) -> list[float]:
    shares = []
    for page, glyphs in pages[:-1]:
        top = page.get_height() - HEAD
        body = [glyph for glyph in glyphs if glyph.bottom > FOOT and glyph.top < top]
        lowest = min((glyph.bottom for glyph in body), default=top)
        shares.append((lowest - FOOT) / (top - FOOT))
    return shares


def where(pdf: Path, texts: list[str]) -> dict[str, list[tuple[int, float, float]]]:
    """(page, x, baseline) of each place each of `texts` is printed, in points."""
    document = as_drawn(pdf)
    try:
        found: dict[str, list[tuple[int, float, float]]] = {text: [] for text in texts}
        for number in range(len(document)):
            page = document[number].get_textpage()
            for text in found:  # each text once, though asked for twice
                searcher = page.search(text, match_case=True)
                while (match := searcher.get_next()) is not None:
                    x, y = ctypes.c_double(), ctypes.c_double()
                    pdfium_c.FPDFText_GetCharOrigin(page.raw, match[0], x, y)
                    found[text].append((number, x.value, y.value))
        return found
    finally:
        document.close()


def visual_lines(pdf: Path) -> list[str]:
    """Each printed line's glyphs as they stand on paper, from left to right: a number in
    right-to-left text reads "1-800-662-4357" here only if it printed in order."""
    document = as_drawn(pdf)
    try:
        lines: dict[int, list[Glyph]] = defaultdict(list)
        for number in range(len(document)):
            for glyph in _glyphs(document[number]):
                lines[number * 10000 + round(glyph.baseline)].append(glyph)
        return ["".join(glyph.char for glyph in sorted(line, key=lambda glyph: glyph.left))
                for _, line in sorted(lines.items())]
    finally:
        document.close()
