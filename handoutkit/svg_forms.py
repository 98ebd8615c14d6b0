"""SVG images drawn once per rendering, however often they are shown.

WeasyPrint 70 draws an SVG image (an icon, a QR code, the wallet cards' cut marks) into
the page again at every use, parsing its paths each time: a default build drew 598 of
them, 1.8 s of its 24 s of CPU, from a few dozen distinct images. Here the first use of
an image at a size in a PDF draws it into a form XObject, which every other use of that
image at that size in the PDF shows, as WeasyPrint shows a raster image; and the other
PDFs of the same call (a booklet's handouts, pdf.render_booklet) copy a drawing of the
same SVG at the same size instead of drawing it again. The pages look the same, pixel for
pixel as Poppler draws them (tests/test_svg_forms.py compares them as pdfium draws them).

This leans on WeasyPrint 70's internals (`SVGImage`, `Stream.clone`, the stream's image
table and resources), as tagging.py does: tests/test_svg_forms.py fails if they change.
Rendering happens on one thread at a time (the build's main thread, or a worker's).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator
from xml.etree import ElementTree

Size = tuple[float, float]  # the width and height an image is drawn at
# What is drawn: the image's address (its own relative addresses resolve from it), its
# markup, and its size. Never the address alone: an inline <svg> has its page's, and the
# cut marks or a colour font's glyph none. Never the image object: a booklet made of its
# handouts' pages has one per handout for the same icon, where the booklet laid out whole
# has one, and the two must be the same PDF, byte for byte (tests/test_pdfs.py).
What = tuple[str | None, bytes, Size]
ALPHA_ONLY = frozenset({"ca", "CA"})  # the only graphics states a drawing may take to another PDF


@dataclass
class _Form:
    """One SVG image at one size, shaped like the raster images WeasyPrint keeps per PDF
    (`Stream.add_image`): `id` names it, `get_x_object` gives what it draws."""

    id: str
    drawing: Any  # a form XObject (weasyprint.pdf.stream.Stream)

    def get_x_object(self, interpolate: bool, dpi_ratio: float) -> Any:
        return self.drawing


@dataclass
class _Document:
    """A PDF's forms, by what they draw; None for an image that failed to draw. It holds
    the PDF's image table, so that no later PDF's table takes its id()."""

    images: dict
    forms: dict[What, _Form | None] = field(default_factory=dict)


@dataclass(frozen=True)
class _Drawing:
    """A form's content, to copy into another PDF: its operators and graphics states."""

    operators: tuple[bytes, ...]
    states: tuple[tuple[str, dict], ...]


@contextmanager
def drawn_once() -> Iterator[None]:
    """While rendering, draw each SVG image once per size (see the module's notes)."""
    from weasyprint.images import SVGImage

    original_draw = SVGImage.draw
    if getattr(original_draw, "drawn_once", False):
        yield  # already inside a rendering that draws each image once
        return
    documents: dict[int, _Document] = {}  # by the id() of a PDF's image table
    drawings: dict[What, _Drawing] = {}  # those another PDF of this rendering may copy

    def draw(image, stream, width: float, height: float, style) -> None:
        # `style` (the image's box's) is not read by SVGImage.draw either.
        document = documents.setdefault(id(stream._images), _Document(stream._images))
        what = (image._base_url, ElementTree.tostring(image._svg.tree._etree_node), (width, height))
        if what not in document.forms:
            document.forms[what] = _drawn(image, stream, what, len(document.forms), drawings)
        form = document.forms[what]
        if form is None:  # drawn where it is used, as WeasyPrint does, which says why it fails
            original_draw(image, stream, width, height, style)
        else:
            stream.draw_x_object(stream.add_image(form, interpolate=False, ratio=1))

    draw.drawn_once = True  # type: ignore[attr-defined]
    SVGImage.draw = draw
    try:
        yield
    finally:
        SVGImage.draw = original_draw


def _drawn(image, stream, what: What, number: int, drawings: dict[What, _Drawing]) -> _Form | None:
    """The image drawn at its size into a new form of `stream`'s PDF, or copied from
    another PDF's drawing of it; None if it fails to draw."""
    # Named in order of first use, so that the same inputs give the same bytes. (WeasyPrint
    # names a raster image after a hash, "i" + hex digits: never "isvg".)
    form = _Form(f"svg{number}", _form_stream(stream))
    if what in drawings:
        _copy(drawings[what], form.drawing)
        return form
    width, height = what[2]
    try:
        image._svg.draw(form.drawing, width, height, image._base_url, image._context)
    except Exception:
        return None
    if (drawing := _portable(form.drawing)) is not None:
        drawings[what] = drawing
    return form


def _form_stream(stream) -> Any:
    """An empty form XObject of `stream`'s PDF, drawn in the coordinates of the image.

    Its bounding box reaches four pages' width and height from the image in every
    direction: WeasyPrint clips an SVG to its own box, and nothing must clip it more.
    """
    import pydyf

    _, _, width, height = stream.page_rectangle
    resources = pydyf.Dictionary({
        "ExtGState": pydyf.Dictionary(),
        "XObject": pydyf.Dictionary(),
        "Pattern": pydyf.Dictionary(),
        "Shading": pydyf.Dictionary(),
        "ColorSpace": stream._resources["ColorSpace"],
        "Font": None,  # WeasyPrint puts the PDF's fonts here when it writes the form
    })
    return stream.clone(resources=resources, extra=pydyf.Dictionary({
        "Type": "/XObject", "Subtype": "/Form", "Resources": resources,
        "BBox": pydyf.Array((-4 * width, -4 * height, 4 * width, 4 * height))}))


def _portable(form) -> _Drawing | None:
    """The form's content, if another PDF can show it as it is: paths and colours only.

    Text needs the PDF's own fonts; an image, a pattern, a shading or a mask is an
    object of the PDF it was drawn in. (pydyf keeps a stream's content as a list of
    operators, each in bytes: a text object begins with the item b"BT".)
    """
    resources = form._resources
    states = tuple(resources["ExtGState"].items())
    if (resources["XObject"] or resources["Pattern"] or resources["Shading"] or b"BT" in form.stream
            or any(set(state) - ALPHA_ONLY for _, state in states)):
        return None
    return _Drawing(tuple(form.stream), states)


def _copy(drawing: _Drawing, form) -> None:
    import pydyf

    form.stream.extend(drawing.operators)
    for name, state in drawing.states:
        form._resources["ExtGState"][name] = pydyf.Dictionary(state)
