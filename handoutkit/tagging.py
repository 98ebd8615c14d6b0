"""The PDF's tag tree, where WeasyPrint's falls short of PDF/UA-1.

WeasyPrint 70 tags a document from its boxes (`weasyprint.pdf.tags`), with four gaps:

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
  `data-pdf-artifact` attribute (the DRAFT watermark), become /Artifact content of
  type /Pagination, subtype /Header, /Footer or the attribute's value.

The first four gaps are filled while WeasyPrint draws the page and builds the tree
(`hooked`), the second after
it wrote the PDF (`mark_artifacts`), by rewriting the marked-content operators that the
tree does not reach. A WeasyPrint upgrade that changes these internals fails the
tag-tree tests (tests/test_accessibility.py), not silently.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from typing import Any, Iterator

ARTIFACT_ATTRIBUTE = "data-pdf-artifact"  # its value is the artifact's subtype: Watermark
_MARKER = "/HandoutkitArtifact"  # on the holder of an artifact's orphan tags, until written


@contextmanager
def hooked() -> Iterator[None]:
    """While rendering, tag languages and set artifacts apart (see the module's notes)."""
    from weasyprint.pdf import tags
    from weasyprint.pdf.stream import Stream

    original = tags._build_box_tree
    original_marked = Stream.marked

    def build(box, parent, pdf, *rest):
        role = _artifact_role(box)
        if role is not None:
            # Tagged under a holder nothing links to: WeasyPrint still consumes the box's
            # marked content, and mark_artifacts() finds the role on the holder.
            holder = _dictionary(pdf, {"S": "/Artifact", _MARKER[1:]: f"/{role}"})
            for _ in original(box, holder, pdf, *rest):
                pass
            return
        lang = _own_lang(box)
        for element in original(box, parent, pdf, *rest):
            if lang:
                element.setdefault("Lang", _string(lang))
            if element.get("S") == "/TH" and "A" in element:
                # Which cells a header heads, as PDF/UA asks, from the HTML's scope.
                element["A"]["Scope"] = "/Row" if box.element.get("scope") == "row" else "/Column"
            yield element
        if getattr(box, "link_annotation", None) is not None:
            # A link is described by its words, not by the anchor name it points to.
            box.link_annotation["Contents"] = _string(" ".join("".join(box.element.itertext()).split()))

    @contextmanager
    def marked(stream, box, tag):
        written = _written_text(box)
        if written is None or stream._tags is None:
            with original_marked(stream, box, tag):
                yield
            return
        # Stream.marked, with the text as written beside the MCID.
        import pydyf

        mcid = len(stream._tags)
        stream._tags[box] = {"tag": tag, "mcid": mcid}
        pydyf.Stream.begin_marked_content(stream, tag, pydyf.Dictionary(
            {"MCID": mcid, "ActualText": _string(written)}))
        try:
            yield
        finally:
            pydyf.Stream.end_marked_content(stream)

    tags._build_box_tree, Stream.marked = build, marked
    try:
        yield
    finally:
        tags._build_box_tree, Stream.marked = original, original_marked


def _artifact_role(box: Any) -> str | None:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.MarginBox):
        return "Header" if box.at_keyword.startswith("@top") else "Footer"
    element = getattr(box, "element", None)
    if element is not None and box.element_tag not in ("html", "body"):
        return element.get(ARTIFACT_ATTRIBUTE)
    return None


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


def _dictionary(pdf, entries: dict[str, str]):
    import pydyf

    dictionary = pydyf.Dictionary(entries)
    pdf.add_object(dictionary)
    return dictionary


def _string(text: str):
    import pydyf

    return pydyf.String(text)


def mark_artifacts(pdf: bytes) -> bytes:
    """Turn every marked-content sequence the tag tree does not reach into an artifact.

    Each is declared /Artifact with /Type /Pagination and the subtype its holder named
    (or none), and leaves the ParentTree, which lists only what the tree holds.
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root.StructTreeRoot
        reached = _reached(root)
        parents = _parent_tree(root)
        for number, page in enumerate(document.pages):
            orphans = {mcid: parents[number][mcid] for mcid in range(len(parents.get(number, [])))
                       if (page.objgen, mcid) not in reached}
            if orphans:
                _rewrite(document, page, orphans)
                for mcid in orphans:
                    parents[number][mcid] = None
        out = io.BytesIO()
        # A fixed /ID from the content, so the same inputs still give the same bytes.
        document.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue()


def _reached(root) -> set[tuple[tuple[int, int], int]]:
    """(page, MCID) of every marked-content sequence the tag tree holds."""
    import pikepdf

    reached: set[tuple[tuple[int, int], int]] = set()
    stack: list[tuple[Any, Any]] = [(root.get("/K"), None)]
    while stack:
        node, page = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend((kid, page) for kid in node)
        elif isinstance(node, int):
            reached.add((page.objgen, node))
        elif isinstance(node, pikepdf.Dictionary):
            page = node.get("/Pg", page)
            if node.get("/Type") == "/MCR":
                reached.add((page.objgen, int(node.MCID)))
            elif "/K" in node:
                stack.append((node.K, page))
    return reached


def _parent_tree(root) -> dict[int, Any]:
    """The ParentTree's array for each page (WeasyPrint writes it as one flat /Nums)."""
    numbers = root.ParentTree.Nums
    return {int(numbers[index]): numbers[index + 1] for index in range(0, len(numbers), 2)
            if hasattr(numbers[index + 1], "__len__")}


def _rewrite(document, page, orphans: dict[int, Any]) -> None:
    """Declare the orphans artifacts, in the page's content and in the forms it draws
    (WeasyPrint draws translucent content, the watermark, as a form)."""
    import pikepdf

    page.Contents = document.make_stream(_rewritten(pikepdf.parse_content_stream(page), orphans))
    for form in forms(page.obj):
        form.write(_rewritten(pikepdf.parse_content_stream(form), orphans))


def _rewritten(instructions, orphans: dict[int, Any]) -> bytes:
    import pikepdf

    operations = []
    for operands, operator in instructions:
        if operator == pikepdf.Operator("BDC") and isinstance(operands[1], pikepdf.Dictionary):
            mcid = operands[1].get("/MCID")
            if mcid is not None and int(mcid) in orphans:
                operands = [pikepdf.Name.Artifact, _artifact_properties(orphans[int(mcid)])]
        operations.append((operands, operator))
    return pikepdf.unparse_content_stream(operations)


def forms(holder) -> Iterator[Any]:
    """The form XObjects a page or form draws, and those they draw, each once."""
    seen: set[tuple[int, int]] = set()
    stack = [holder]
    while stack:
        resources = stack.pop().get("/Resources", {})
        for xobject in resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                yield xobject
                stack.append(xobject)


def _artifact_properties(element) -> Any:
    import pikepdf

    properties = pikepdf.Dictionary(Type=pikepdf.Name.Pagination)
    while element is not None and isinstance(element, pikepdf.Dictionary):
        if _MARKER in element:
            properties.Subtype = element[_MARKER]
            break
        element = element.get("/P")
    return properties
