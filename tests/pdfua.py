"""A PDF/UA-1 checker for the rules a machine can check, read back from the PDF with pikepdf.

Each rule is named by its Matterhorn Protocol 1.1 failure condition (the test suite
veraPDF implements); veraPDF itself needs Java and Maven Central, which the build
machines cannot reach. `failures(pdf)` gives one line per fault found.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pikepdf

STANDARD_TYPES = frozenset(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private "
    "P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot "
    "Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP "
    "Figure Formula Form".split())
ALLOWED_KIDS = {  # ISO 32000-1 14.8.4 and PDF/UA-1 7.2: what each grouping element holds
    "L": {"LI", "L", "Caption"},
    "LI": {"Lbl", "LBody"},
    "Table": {"TR", "THead", "TBody", "TFoot", "Caption"},
    "THead": {"TR"}, "TBody": {"TR"}, "TFoot": {"TR"},
    "TR": {"TH", "TD"},
    "TOC": {"TOC", "TOCI", "Caption"},
}
LANGUAGE_TAG = r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*"  # BCP 47's shape (RFC 5646)
# pikepdf reads an inline image (BI ... ID ... EI) as one "INLINE IMAGE" instruction.
PAINTING = frozenset({"Tj", "TJ", "'", '"', "Do", "sh", "INLINE IMAGE", "S", "s", "f", "F", "f*", "B", "B*",
                      "b", "b*"})
TEXT = frozenset({"Tj", "TJ", "'", '"'})
# What the content checks read of a stream; pikepdf leaves the rest (text positions, colours,
# paths being built) unparsed, which takes a third of the time of reading it all.
MARKING = " ".join(["BDC", "BMC", "EMC", *sorted(PAINTING - {"INLINE IMAGE"}), "BI", "ID", "EI"])


def failures(pdf: Path) -> list[str]:
    with pikepdf.open(pdf) as document:
        return (list(_document(document)) + list(_tree(document)) + list(_content(document))
                + list(_parent_tree(document)))


def _document(document: pikepdf.Pdf) -> Iterator[str]:
    root = document.Root
    metadata = document.open_metadata()
    if metadata.get("pdfuaid:part") != "1":
        yield "06-002: the XMP metadata has no PDF/UA identifier (pdfuaid:part 1)"
    if not metadata.get("dc:title"):
        yield "06-003: the XMP metadata has no dc:title"
    if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
        yield "07-002: ViewerPreferences lack DisplayDocTitle true"
    if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
        yield "01-002: MarkInfo lacks Marked true"
    if not re.fullmatch(LANGUAGE_TAG, str(root.get("/Lang", ""))):
        yield f"11-006: the document's /Lang {str(root.get('/Lang', ''))!r} is not a language tag"
    for number, page in enumerate(document.pages, 1):
        for font in _fonts(page):
            descriptor = font.get("/FontDescriptor")
            if font.get("/Subtype") in ("/Type0", "/Type3"):
                continue  # a composite font's descendants carry the files; Type 3 is drawn
            files = set(descriptor.keys()) if descriptor is not None else set()
            if not files & {"/FontFile", "/FontFile2", "/FontFile3"}:
                yield f"31-009: page {number}: font {font.get('/BaseFont')} is not embedded"
        if page.get("/Annots") and page.get("/Tabs") != "/S":
            yield f"28-? (7.18.3): page {number} has annotations but its /Tabs is not /S"
        for annotation in page.get("/Annots", []):
            if annotation.get("/Subtype") != "/Popup" and "/StructParent" not in annotation:
                yield f"28-002: page {number}: a {annotation.get('/Subtype')} annotation is not tagged"
            if annotation.get("/Subtype") == "/Link":
                described = str(annotation.get("/Contents", "")).strip()
                if not described or described == str(annotation.get("/Dest", "")):
                    yield f"28-011: page {number}: a link annotation is not described by its text"


def _fonts(page: pikepdf.Page) -> Iterator[Any]:
    """The fonts a page uses, in its own content and in the forms it draws."""
    for holder in [page.obj, *forms(page.obj)]:
        for font in holder.get("/Resources", {}).get("/Font", {}).values():
            yield font
            for descendant in font.get("/DescendantFonts", []):
                yield descendant


def _tree(document: pikepdf.Pdf) -> Iterator[str]:
    root = document.Root.get("/StructTreeRoot")
    if root is None:
        yield "01-001: the PDF is not tagged"
        return
    headings: list[int] = []
    stack = [(kid, root) for kid in _kids(root)]
    while stack:
        element, parent = stack.pop()
        kind = str(element.get("/S", ""))[1:]
        if element.get("/P") is None or element.P.objgen != parent.objgen:
            yield f"structure: a {kind} element's /P is not the element that holds it"
        if kind not in STANDARD_TYPES and kind not in document.Root.StructTreeRoot.get("/RoleMap", {}):
            yield f"09-004: {kind} is not a standard structure type"
        if kind in ("H1", "H2", "H3", "H4", "H5", "H6"):
            headings.append(int(kind[1]))
        if kind == "TH" and str(element.get("/A", {}).get("/Scope", "")) not in ("/Row", "/Column", "/Both"):
            yield "15-003: a table header cell has no /Scope"
        if kind == "Figure" and not str(element.get("/Alt", element.get("/ActualText", ""))).strip():
            yield "13-004: a Figure has no alternate text"
        children = [kid for kid in _kids(element)]
        if kind in ALLOWED_KIDS:
            wrong = sorted({str(kid.get("/S"))[1:] for kid in children} - ALLOWED_KIDS[kind])
            if wrong:
                yield f"{'16-00x' if kind in ('L', 'LI') else '15-00x'}: {kind} holds {', '.join(wrong)}"
        if kind == "Link":
            links = [kid for kid in children if str(kid.get("/S")) == "/Link"]
            if links:
                yield "28-xxx: a Link holds another Link"
            if not any(isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
                       for kid in _all_kids(element)):
                yield "28-008: a Link element has no link annotation"
        stack.extend((kid, element) for kid in reversed(children))
    for before, after in zip([0] + headings, headings):
        if after > before + 1:
            yield f"14-003: heading levels skip from H{before} to H{after}"
            break


def _all_kids(element: Any) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _kids(element: Any) -> list[Any]:
    """The structure elements among an element's kids (not marked content or objects)."""
    return [kid for kid in _all_kids(element)
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR")
            and "/S" in kid]


def _content(document: pikepdf.Pdf) -> Iterator[str]:
    """Every painted thing is tagged or an artifact, never both (01-005, 01-007), and every
    tagged sequence is reached by the tree (01-004: its ParentTree entry is an element the
    tree holds)."""
    reached = _reached_mcids(document)
    for number, page in enumerate(document.pages, 1):
        faults = list(_marked(page.obj, page.objgen, reached, []))
        yield from (f"page {number}: {fault}" for fault in faults if fault)
        if faults.count(""):
            untagged = faults.count("")
            yield f"01-005: page {number}: {untagged} painting operators are neither tagged nor artifacts"


def _parent_tree(document: pikepdf.Pdf) -> Iterator[str]:
    """Each page's /StructParents names its ParentTree array, whose entry for each MCID is
    the element that holds that MCID on that page (14.7.4.4: how a reader finds the tag
    of what it reads)."""
    tree = document.Root.StructTreeRoot.get("/ParentTree")
    numbers = tree.get("/Nums") if tree is not None else None
    if numbers is None:
        yield "structure: the tag tree has no ParentTree (/Nums)"
        return
    arrays = {int(numbers[index]): numbers[index + 1] for index in range(0, len(numbers), 2)}
    for number, page in enumerate(document.pages, 1):
        holders = [page.obj, *forms(page.obj)]
        mcids = {int(operands[1].MCID) for holder in holders
                 for operands, operator in pikepdf.parse_content_stream(holder, "BDC")
                 if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary)
                 and "/MCID" in operands[1]}
        if not mcids:
            continue
        if "/StructParents" not in page.obj or int(page.obj.StructParents) not in arrays:
            yield f"structure: page {number} has tagged content but no ParentTree entry"
            continue
        entries = arrays[int(page.obj.StructParents)]
        for mcid in sorted(mcids):
            element = entries[mcid] if mcid < len(entries) else None
            if not isinstance(element, pikepdf.Dictionary) or not _holds(element, page.objgen, mcid):
                yield f"structure: page {number}: the ParentTree entry for MCID {mcid} does not hold it"
                break


def _holds(element: Any, page: tuple[int, int], mcid: int) -> bool:
    own = element.get("/Pg")
    for kid in _all_kids(element):
        if isinstance(kid, int) and kid == mcid and own is not None and own.objgen == page:
            return True
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR" and int(kid.MCID) == mcid:
            return kid.get("/Pg", own) is not None and kid.get("/Pg", own).objgen == page
    return False


def _marked(holder: Any, page: tuple[int, int], reached: set, open_: list[str]) -> Iterator[str]:
    """Faults of one content stream's marked content, and of the forms it draws, within
    the sequences open where it is drawn (`open_`); "" for each untagged painting."""
    open_ = list(open_)  # "Artifact", "tagged", or "other" per open sequence
    for operands, operator in pikepdf.parse_content_stream(holder, MARKING):
        name = str(operator)
        if name in ("BDC", "BMC"):
            tag = str(operands[0])
            properties = operands[1] if name == "BDC" else None
            mcid = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
            if tag == "/Artifact":
                open_.append("Artifact")
            elif mcid is not None:
                if "Artifact" in open_:
                    yield f"01-007: tagged content (MCID {mcid}) inside an artifact"
                if (page, int(mcid)) not in reached:
                    yield f"01-004: marked content {tag} MCID {mcid} is not in the tag tree"
                open_.append("tagged")
            else:
                open_.append("other")
        elif name == "EMC":
            if open_:
                open_.pop()
        elif name == "Do" and (form := _form(holder, operands[0])) is not None:
            yield from _marked(form, page, reached, open_)
        elif name in PAINTING and not ({"Artifact", "tagged"} & set(open_)):
            yield ""


def _form(holder: Any, name: Any) -> Any:
    xobject = holder.get("/Resources", {}).get("/XObject", {}).get(name)
    return xobject if xobject is not None and xobject.get("/Subtype") == "/Form" else None


def _reached_mcids(document: pikepdf.Pdf) -> set[tuple[tuple[int, int], int]]:
    """(page, MCID) the tag tree holds, read from the PDF alone: a checker that shared the
    code it checks (handoutkit/tagging.py) would share its mistakes."""
    reached: set[tuple[tuple[int, int], int]] = set()
    stack: list[tuple[Any, Any]] = [(document.Root.StructTreeRoot.get("/K"), None)]
    while stack:
        node, page = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend((kid, page) for kid in node)
        elif isinstance(node, int):
            reached.add((page.objgen, node))
        elif isinstance(node, pikepdf.Dictionary):
            page = node.get("/Pg", page)
            if node.get("/Type") == "/MCR":
                reached.add((node.get("/Pg", page).objgen, int(node.MCID)))
            elif "/K" in node:
                stack.append((node.K, page))
    return reached


def forms(holder: Any) -> Iterator[Any]:
    """The form XObjects a page or form draws, and those they draw, each once (WeasyPrint
    draws translucent content, the DRAFT watermark, as a form)."""
    seen: set[tuple[int, int]] = set()
    stack = [holder]
    while stack:
        resources = stack.pop().get("/Resources", {})
        for xobject in resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                yield xobject
                stack.append(xobject)
