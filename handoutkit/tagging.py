"""The PDF's tag tree, where WeasyPrint's falls short of PDF/UA-1.

WeasyPrint 70 tags a document from its boxes (`weasyprint.pdf.tags`), with five gaps:

- Languages. An element's `lang` attribute does not reach its tag, so a screen reader
  would read the Spanish column of a bilingual sheet, or English standing in for a
  missing translation, with the document's voice. Here each such tag gets its /Lang.
- Table headers. A header cell's /Scope (its row or its column) is left out; here it
  comes from the HTML's scope attribute.
- Links. A link's description (/Contents) is the address or anchor name it points
  to ("kratom"); here it is the link's own words, as a screen reader should say them.
- Text. Read back from the glyphs, Arabic, Hebrew and the Indic, Khmer and Myanmar
  scripts come out scrambled: drawn right to left, letters built from shared parts (one
  "two dots" glyph serves several Arabic letters, and the PDF maps a glyph to one
  letter), vowels drawn before their consonant. Here each run of such text is marked
  with its words as written (/ActualText on its marked content), for a screen reader
  and a search; a run in another language (English standing in for a missing
  translation) keeps its own glyphs' text, and its tag's /Lang.
- Artifacts. The running header and footer are drawn as marked content that the tag
  tree never reaches (WeasyPrint says artifacts inside the tree need PDF 2.0), so they
  are neither read nor declared decoration. Here they, and any element with a
  `data-pdf-artifact` attribute (the DRAFT watermark), are drawn as /Artifact content of
  type /Pagination, subtype /Header, /Footer or the attribute's value, and left out of
  the tree. Nothing in an artifact can be tagged, so a link there (PDF/UA-1 tags every
  link), or a table's cell, row or column marked on its own, is refused: a template's
  mistake, said as a ValueError.

All of it is done while WeasyPrint draws the pages and builds the tree (`hooked`): the
PDF it writes needs no second pass. A WeasyPrint upgrade that changes these internals
fails the tag-tree tests (tests/test_accessibility.py), not silently.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

ARTIFACT_ATTRIBUTE = "data-pdf-artifact"  # its value is the artifact's subtype: Watermark
SUBTYPES = ("Header", "Footer", "Watermark")  # of pagination artifacts (PDF 1.7, 14.8.2.2.2)


@contextmanager
def hooked() -> Iterator[None]:
    """While rendering, tag languages and draw artifacts as such (see the module's notes)."""
    import pydyf
    from weasyprint import document as weasyprint_document
    from weasyprint.pdf import tags
    from weasyprint.pdf.stream import Stream

    originals = original_build, original_marked, original_draw = (
        tags._build_box_tree, Stream.marked, weasyprint_document.draw_page)
    artifacts: dict[int, str] = {}  # the boxes of the page being drawn that are artifacts: their subtype

    def draw_page(page, stream) -> None:
        artifacts.update(_artifact_boxes(page))
        try:
            original_draw(page, stream)
        finally:
            artifacts.clear()

    def build(box, parent, pdf, *rest):
        if _artifact_role(box) is not None:
            return  # drawn as an artifact, with no tag to map (see marked)
        lang = _own_lang(box)
        for element in original_build(box, parent, pdf, *rest):
            if lang:
                element.setdefault("Lang", _string(lang))
            if element.get("S") == "/TH" and "A" in element:
                # Which cells a header heads, as PDF/UA asks, from the HTML's scope.
                element["A"]["Scope"] = "/Row" if box.element.get("scope") == "row" else "/Column"
            yield element
        if getattr(box, "link_annotation", None) is not None:
            # A link is described by its words, not by the anchor name it points to.
            box.link_annotation["Contents"] = _string(_link_text(box))

    @contextmanager
    def marked(stream, box, tag):
        role = artifacts.get(id(box))
        written = None if role else _written_text(box)
        if stream._tags is None or (role is None and written is None):
            with original_marked(stream, box, tag):
                yield
            return
        if role is not None:  # an artifact: no MCID, so the tag tree has nothing to reach
            properties = pydyf.Dictionary({"Type": "/Pagination", "Subtype": f"/{role}"})
            tag = "Artifact"
        else:  # Stream.marked, with the text as written beside the MCID
            mcid = len(stream._tags)
            stream._tags[box] = {"tag": tag, "mcid": mcid}
            properties = pydyf.Dictionary({"MCID": mcid, "ActualText": _string(written)})
        pydyf.Stream.begin_marked_content(stream, tag, properties)
        try:
            yield
        finally:
            pydyf.Stream.end_marked_content(stream)

    tags._build_box_tree, Stream.marked, weasyprint_document.draw_page = build, marked, draw_page
    try:
        yield
    finally:
        tags._build_box_tree, Stream.marked, weasyprint_document.draw_page = originals


def _artifact_boxes(page: Any) -> dict[int, str]:
    """The boxes of a page that are artifacts, or inside one (by id): their subtype.
    (WeasyPrint has made the page's links before it draws the page.)"""
    from weasyprint.layout.absolute import AbsolutePlaceholder

    found: dict[int, str] = {}
    stack: list[tuple[Any, str | None]] = [(page, None)]
    while stack:
        box, role = stack.pop()
        if isinstance(box, AbsolutePlaceholder):
            box = box._box
        if role is None and (role := _artifact_role(box)) is not None and isinstance(box, _table_parts()):
            # WeasyPrint maps a table's header cells to its other cells when it tags the
            # table: every cell must be tagged, or the table be an artifact whole.
            raise ValueError(f"<{box.element_tag}> has {ARTIFACT_ATTRIBUTE}: a table's cell, row or "
                             "column cannot be an artifact on its own; mark the whole table")
        if role is not None:
            if getattr(box, "link_annotation", None) is not None:
                raise ValueError(f"a link ({_link_text(box)!r}) is in the running header or footer "
                                 f"or inside an element with {ARTIFACT_ATTRIBUTE}: PDF/UA tags "
                                 "every link, and nothing there can be tagged")
            found[id(box)] = role
        stack.extend((child, role) for child in getattr(box, "children", ()))
    return found


def _link_text(box: Any) -> str:
    return " ".join("".join(box.element.itertext()).split())


def _table_parts() -> tuple[type, ...]:
    from weasyprint.formatting_structure import boxes

    return (boxes.TableRowGroupBox, boxes.TableRowBox, boxes.TableColumnGroupBox,
            boxes.TableColumnBox, boxes.TableCellBox)


def _artifact_role(box: Any) -> str | None:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.MarginBox):
        return "Header" if box.at_keyword.startswith("@top") else "Footer"
    element = getattr(box, "element", None)
    if element is None or box.element_tag in ("html", "body"):
        return None
    role = element.get(ARTIFACT_ATTRIBUTE)
    if role is not None and role not in SUBTYPES:
        raise ValueError(f"{ARTIFACT_ATTRIBUTE}={role!r} on <{box.element_tag}>: the value is one of "
                         f"{', '.join(SUBTYPES)}")
    return role


def _written_text(box: Any) -> str | None:
    """A run of text as written, if its language's glyphs are not its letters in order
    (config.Script.shaped); direction marks the renderer added (isolates) left out."""
    from weasyprint.formatting_structure import boxes

    from .fonts import script_of

    if not isinstance(box, boxes.TextBox) or not script_of(box.style["lang"] or "").shaped:
        return None
    return box.text.translate(_DIRECTION_MARKS)


# LRM, RLM, the embeddings and overrides, and the isolates.
_DIRECTION_MARKS = dict.fromkeys([0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def _own_lang(box: Any) -> str | None:
    """The lang attribute of the element this box draws; the page's own is the PDF's /Lang."""
    element = getattr(box, "element", None)
    if element is None or box.element_tag in ("html", "body"):
        return None
    return element.get("lang")


def _string(text: str):
    import pydyf

    return pydyf.String(text)
