"""What a PDF's text is drawn with, read back glyph by glyph: each glyph's font, its id,
the text the PDF maps it to, and which bundled family the font is. Shared by the font
tests (small sample pages) and the script tests (whole handouts)."""

from __future__ import annotations

import io
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import pikepdf
from fontTools.ttLib import TTFont

from handoutkit.config import FONT_FAMILIES

Glyph = tuple[str, int, str, int]  # font's PostScript name, glyph id, text, glyphs in the font


def glyphs(pdf: bytes | Path) -> list[list[Glyph]]:
    """Each run of text the PDF sets in one go (a line of a box, between two moves of the
    text position): its glyphs as (font's PostScript name, glyph id, text, glyphs in the
    embedded font). Read once per file as it is now: the checks below each ask for them."""
    if isinstance(pdf, bytes):
        return _read(pdf, None)
    status = pdf.stat()  # a file rewritten at the same path is read again
    return _read(pdf, (status.st_mtime_ns, status.st_size))


@lru_cache(maxsize=64)
def _read(pdf: bytes | Path, stamp: tuple[int, int] | None) -> list[list[Glyph]]:
    return list(_runs(pdf))


def _opened(pdf: bytes | Path) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)


def _font_file(cid_font: pikepdf.Object, lazy: bool | None = None) -> TTFont:
    """The font file a CIDFont embeds."""
    return TTFont(io.BytesIO(bytes(cid_font.FontDescriptor.FontFile2.read_bytes())), lazy=lazy)


def _runs(pdf: bytes | Path) -> Iterator[list[Glyph]]:
    with _opened(pdf) as document:
        read: dict[tuple[int, int], tuple[str, dict[int, str], int]] = {}  # fonts pages share
        for page in document.pages:
            fonts = {str(name): read.get(font.objgen) or read.setdefault(font.objgen, _font(font))
                     for name, font in page.Resources.Font.items()}
            run: list[Glyph] = []
            font = None
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BT", "ET", "Tm", "Td", "TD", "T*"):
                    if run:
                        yield run
                    run = []
                elif op == "Tf":
                    font = fonts[str(operands[0])]
                elif op in ("TJ", "Tj"):
                    name, to_unicode, count = font
                    parts = operands[0] if op == "TJ" else [operands[0]]
                    for part in parts:
                        if isinstance(part, pikepdf.String):
                            data = bytes(part)
                            for i in range(0, len(data), 2):
                                gid = int.from_bytes(data[i:i + 2], "big")
                                run.append((name, gid, to_unicode.get(gid, ""), count))
            if run:
                yield run


def _font(font: pikepdf.Object) -> tuple[str, dict[int, str], int]:
    """A Type 0 font's name without its subset tag, its glyph-to-text map and glyph count."""
    name = str(font.BaseFont).lstrip("/").split("+", 1)[-1]
    embedded = _font_file(font.DescendantFonts[0], lazy=True)
    return name, _to_unicode(font.ToUnicode.read_bytes().decode("latin-1")), embedded["maxp"].numGlyphs


def embedded_fonts(pdf: bytes | Path) -> Iterator[tuple[TTFont, set[int]]]:
    """Each font file the PDF embeds, with the glyph ids the PDF gives widths for (those
    it draws)."""
    with _opened(pdf) as document:
        for thing in document.objects:
            if isinstance(thing, pikepdf.Dictionary) and thing.get("/Subtype") == "/CIDFontType2":
                yield _font_file(thing), _width_ids(list(thing.W))


def _width_ids(widths: list) -> set[int]:
    """The glyph ids of a CIDFont's /W array: `first [w w ...]` or `first last w`."""
    ids, i = set(), 0
    while i < len(widths):
        if isinstance(widths[i + 1], pikepdf.Array):
            ids.update(range(int(widths[i]), int(widths[i]) + len(widths[i + 1])))
            i += 2
        else:
            ids.update(range(int(widths[i]), int(widths[i + 1]) + 1))
            i += 3
    return ids


def _to_unicode(cmap: str) -> dict[int, str]:
    """The bfchar entries of a ToUnicode CMap: WeasyPrint writes one a line, no ranges."""
    entries = "\n".join(re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S))
    return {int(gid, 16): bytes.fromhex(text).decode("utf-16-be")
            for gid, text in re.findall(r"^<([0-9a-f]+)> <([0-9a-f]*)>$", entries, re.M)}


def family_of(font_name: str) -> str:
    """The bundled family a PDF font belongs to ('NotoSansSC-Bold' -> 'Noto Sans SC')."""
    squeezed = font_name.replace("-", "")
    matches = [f.name for f in FONT_FAMILIES if squeezed.startswith(f.name.replace(" ", ""))]
    return max(matches, key=len) if matches else font_name


def words(run: list[Glyph]) -> Iterator[tuple[str, set[str]]]:
    """The words of a run with the families their letters come from. A word is a run of
    letters of one script, with their marks: a Latin name beside Thai is two words."""
    letters: list[tuple[str, str]] = [(char, family_of(name)) for name, _, text, _ in run for char in text]
    word, families, script = "", set(), None
    for char, family in [*letters, (" ", "")]:
        category = unicodedata.category(char)
        char_script = script if category.startswith("M") else unicodedata.name(char, "?").split(" ")[0]
        if category[0] in "LM" and (not word or char_script == script):
            word, script = word + char, char_script
            families.add(family)
            continue
        if word:
            yield word, families
        word, families, script = (char, {family}, char_script) if category[0] in "L" else ("", set(), None)


def missing(pdf: bytes | Path) -> list[Glyph]:
    """Glyphs drawn as .notdef, or with an id the embedded font does not have."""
    return [glyph for run in glyphs(pdf) for glyph in run if glyph[1] == 0 or glyph[1] >= glyph[3]]


def mixed_words(pdf: bytes | Path) -> list[tuple[str, set[str]]]:
    """Words whose letters come from more than one family."""
    return [(word, families) for run in glyphs(pdf) for word, families in words(run)
            if len(families) > 1]


def families_used(pdf: bytes | Path) -> set[str]:
    return {family_of(name) for run in glyphs(pdf) for name, *_ in run}


def written_texts(pdf: Path) -> list[str]:
    """The text marked as written (/ActualText) on each run of marked content, in the
    order the pages draw them."""
    texts = []
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                        and "/ActualText" in operands[1]:
                    texts.append(str(operands[1].ActualText))
    return texts
