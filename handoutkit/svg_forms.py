"""SVG images drawn once per rendering, however often they are shown.

WeasyPrint 70 draws an SVG image (an icon, a QR code, the wallet cards' cut marks) into
the page again at every use, parsing its paths each time: a default build drew 598 of
them, 1.8 s of its 24 s of CPU, from a few dozen distinct images. Here the first use of
an image at a size in a PDF draws it into a form XObject, which every other use of it at
that size in the PDF shows, as WeasyPrint shows a raster image; and a booklet's handouts,
rendered in the same call, copy the booklet's drawing instead of drawing it again. The
pages look the same, pixel for pixel (tests/test_svg_forms.py).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

Key = tuple[str, float, float]  # an image's address, and the width and height it is drawn at
ALPHA_ONLY = frozenset({"ca", "CA"})  # the only graphics states a drawing may take to another PDF


@dataclass
class _Form:
    """One SVG image at one size, in the shape of the raster images WeasyPrint keeps per
    PDF (`Stream.add_image`): `id` names it, `get_x_object` gives what it draws."""

    id: str
    drawing: Any  # a form XObject (weasyprint.pdf.stream.Stream)

    def get_x_object(self, interpolate: bool, dpi_ratio: float) -> Any:
        return self.drawing


@dataclass
class _Document:
    """A PDF's forms. It holds the PDF's image table, so that no later PDF's table can
    take its id() while the rendering lasts."""

    images: dict
    forms: dict[Key, _Form] = field(default_factory=dict)


@dataclass(frozen=True)
class _Drawing:
    """A form's content, to copy into another PDF: its operators and graphics states."""

    operators: tuple
    states: tuple[tuple[str, Any], ...]


@contextmanager
def drawn_once() -> Iterator[None]:
    """While rendering, draw each SVG image once per size (see the module's notes)."""
    from weasyprint.images import SVGImage

    original_draw = SVGImage.draw
    documents: dict[int, _Document] = {}  # by the id() of a PDF's image table
    drawings: dict[Key, _Drawing] = {}  # those another PDF of this rendering may copy

    def draw(image, stream, width: float, height: float, style) -> None:
        document = documents.setdefault(id(stream._images), _Document(stream._images))
        key = (image._base_url, width, height)
        if key not in document.forms:
            # Named in order of first use, so that the same inputs give the same bytes.
            form = document.forms[key] = _Form(f"svg{len(document.forms)}", _form_stream(stream))
            if key in drawings:
                _copy(drawings[key], form.drawing)
            else:
                original_draw(image, form.drawing, width, height, style)
                if (drawing := _portable(form.drawing)) is not None:
                    drawings[key] = drawing
        stream.draw_x_object(stream.add_image(document.forms[key], interpolate=False, ratio=1))

    SVGImage.draw = draw
    try:
        yield
    finally:
        SVGImage.draw = original_draw


def _form_stream(stream) -> Any:
    """An empty form XObject of `stream`'s PDF, drawn in the coordinates of the image.

    Its bounding box, which clips it, reaches four pages' width and height from the
    image in every direction: drawn in the page itself, nothing but the page clipped it.
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
    object of the PDF it was drawn in.
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
