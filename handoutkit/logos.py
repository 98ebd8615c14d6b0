"""Clinic logos: one SVG or PNG file, checked when the profile is loaded, then printed
from the checked bytes alone.

A profile (and its logo) may come from outside the clinic. A logo is a single file: it
may not load anything else (a photo beside it, a font, a web address), and it may not
cost the renderer more than a logo should (a few kilobytes of nested <use> can expand
to millions of shapes; a small PNG can decode to gigabytes). Everything is decided here,
from the file's bytes, before any renderer or image library sees them; the renderer then
gets the bytes as a data: URI, so it never reads the profile's folder at all.
"""

from __future__ import annotations

import base64
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree
from xml.parsers import expat

from .files import NotRegular, TooLarge, read_bounded

MAX_LOGO_BYTES = 200 * 1024
MAX_SVG_ELEMENTS = 5000  # a detailed logo has a few hundred
MAX_SVG_EXPANDED = 10000  # elements drawn, counting each <use> and url(#...) copy
MAX_SVG_DEPTH = 100  # elements within elements, and <use> of <use>; logos nest a few deep
MAX_PIXELS = 4_000_000
MAX_SIDE = 4000
LOGO_TYPES = {".svg": "SVG", ".png": "PNG"}
MIME = {"SVG": "image/svg+xml", "PNG": "image/png"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG = "http://www.w3.org/2000/svg"
ADVICE = "export the logo as a plain SVG, or as a PNG of at most 2000×2000 pixels"

# Elements that run code or embed another document: never in a logo.
_FORBIDDEN = {"script", "foreignObject", "iframe", "embed", "object", "audio", "video",
              "handler", "listener"}
# Text is drawn with fonts the logo names, which the tool does not bundle: a logo's words
# must be outlines (paths).
_TEXT = {"text", "tspan", "textPath", "tref", "font", "font-face", "glyph", "altGlyph"}
# Elements whose content is drawn again wherever a url(#id) or href="#id" points to them.
_TEMPLATES = {"use", "pattern", "marker", "mask", "clipPath", "symbol", "filter"}
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
_LOCAL = re.compile(r"#[A-Za-z_][\w.:-]*")
_INLINE_IMAGE = re.compile(r"data:image/(png|jpeg);base64,([A-Za-z0-9+/=\s]*)", re.S)


class LogoError(ValueError):
    """Why a logo cannot be used, in words for the clinic's IT staff."""


@dataclass(frozen=True)
class Logo:
    """A checked logo: the file it came from (a build input) and the bytes to print."""

    path: Path
    kind: str  # "SVG" or "PNG"
    data: bytes

    @property
    def data_uri(self) -> str:
        """The logo inline: the renderer needs no file, so it may read none."""
        return f"data:{MIME[self.kind]};base64,{base64.b64encode(self.data).decode('ascii')}"


def load_logo(folder: Path, name: str) -> Logo:
    """The logo file `name` beside a profile, checked; LogoError says what is wrong."""
    if not name.isprintable():  # a NUL, a newline: no file is named so, and paths refuse NUL
        raise LogoError(f"{name!r} has a character that is not printable; give the file's name")
    try:
        path = (folder / name).resolve()
    except (OSError, RuntimeError) as error:  # a link loop
        raise LogoError(f"'{name}' cannot be followed: {error}") from None
    if not path.is_relative_to(folder.resolve()):
        raise LogoError(f"'{name}' is outside the profile's folder; put the logo beside the profile")
    if not path.exists():
        raise LogoError(f"'{name}' does not exist beside the profile")
    if not path.is_file():  # a folder, or a FIFO or device that would hang or never end
        raise LogoError(f"'{name}' is not a regular file")
    kind = LOGO_TYPES.get(path.suffix.lower())
    if kind is None:
        raise LogoError(f"'{name}' is not an SVG or PNG file")
    data = _read(path, name)
    if kind == "PNG":
        if not data.startswith(PNG_SIGNATURE):
            raise LogoError(f"'{name}' is named .png but is not a PNG file")
        _check_png(data, f"'{name}'")
    else:
        if b"<svg" not in data[:4096] and b"<?xml" not in data[:512]:
            raise LogoError(f"'{name}' is named .svg but is not an SVG file")
        check_svg(data, f"'{name}'")
    return Logo(path, kind, data)


def _read(path: Path, name: str) -> bytes:
    """The logo's bytes, read once and bounded (see read_bounded): a file swapped for a
    pipe after the checks above must not hang the build."""
    try:
        return read_bounded(path, MAX_LOGO_BYTES)
    except NotRegular:
        raise LogoError(f"'{name}' is not a regular file") from None
    except TooLarge as error:
        raise LogoError(f"'{name}' is {error.size // 1024} KB; a logo may be at most "
                        f"{MAX_LOGO_BYTES // 1024} KB") from None
    except OSError as error:
        raise LogoError(f"'{path.name}' cannot be read: {error.strerror}") from None


# ---- SVG ----

def check_svg(data: bytes, what: str) -> None:
    """Refuse an SVG that declares entities, references anything outside itself, runs
    code, or draws more than a logo needs."""
    root = _parse_svg(data, what)
    if _local_name(root.tag) != "svg" or _namespace(root.tag) != SVG:
        raise LogoError(f"{what} is not an SVG file (its first element is not <svg>); {ADVICE}")
    elements = list(root.iter())
    if len(elements) > MAX_SVG_ELEMENTS:
        raise LogoError(f"{what} has {len(elements)} elements; a logo may have at most "
                        f"{MAX_SVG_ELEMENTS}; {ADVICE}")
    for element in elements:
        _check_element(element, what)
    _check_expansion(root, elements, what)


def _parse_svg(data: bytes, what: str) -> ElementTree.Element:
    """Parse with expat, refusing any DOCTYPE (so no entity, external or nested, can be
    declared: no file:// reads, no billion laughs) and processing instructions."""
    builder = ElementTree.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")

    def refuse(reason: str):
        def handler(*_args) -> None:
            raise LogoError(f"{what} {reason}; {ADVICE}")
        return handler

    parser.StartDoctypeDeclHandler = refuse("has a DOCTYPE, which can declare entities and "
                                            "load other files")
    parser.EntityDeclHandler = refuse("declares an entity")
    parser.ExternalEntityRefHandler = refuse("refers to an external entity")
    parser.ProcessingInstructionHandler = refuse("has a processing instruction (<?...?>)")
    parser.StartElementHandler = lambda tag, attrs: builder.start(
        _clark(tag), {_clark(key): value for key, value in attrs.items()})
    parser.EndElementHandler = lambda tag: builder.end(_clark(tag))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise LogoError(f"{what} is not well-formed XML ({expat.errors.messages[error.code]}, "
                        f"line {error.lineno}); {ADVICE}") from None
    return builder.close()


def _clark(name: str) -> str:
    """expat's 'namespace}local' as ElementTree's '{namespace}local'."""
    return "{" + name if "}" in name else name


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _check_element(element: ElementTree.Element, what: str) -> None:
    """One element: no code, no reference to anything but its own #ids and inline images."""
    tag = _local_name(element.tag)
    if tag in _FORBIDDEN:
        raise LogoError(f"{what} has a <{tag}> element, which a logo may not have; {ADVICE}")
    if tag in _TEXT:
        raise LogoError(f"{what} has text (<{tag}>), which would print in a font that is not "
                        "bundled; convert the text to outlines (paths) in your drawing program")
    for key, value in element.attrib.items():
        name = _local_name(key)
        if name.lower().startswith("on"):
            raise LogoError(f"{what} has an event attribute ({name}) on <{tag}>; {ADVICE}")
        if name == "href":
            _check_href(tag, value, what)
        else:
            _check_css(value, what, f"the {name} attribute of <{tag}>")
    if tag == "style":
        _check_css("".join(element.itertext()), what, "a <style> element")


def _check_href(tag: str, value: str, what: str) -> None:
    value = value.strip()
    if _LOCAL.fullmatch(value) and tag != "image":  # an <image> of an #id is an address
        return
    inline = _INLINE_IMAGE.fullmatch(value)
    if tag == "image" and inline:
        _check_inline_image(inline[1], inline[2], what)
        return
    shown = value if len(value) <= 60 else value[:57] + "..."
    raise LogoError(f"{what} refers to '{shown}' from <{tag}>; a logo must be one file that "
                    f"loads nothing else (only #id references and inline PNG or JPEG images); "
                    f"{ADVICE}")


def _check_css(text: str, what: str, where: str) -> None:
    """Style text may point only at the logo's own #ids: no url() of a file, no @import,
    and no backslash escapes, which could spell either in a way not checked here."""
    if "\\" in text:
        raise LogoError(f"{what} has a backslash escape in {where}; {ADVICE}")
    if re.search(r"@import|@font-face|local\s*\(", text, re.I):
        raise LogoError(f"{what} loads a file or font in {where} (@import, @font-face or "
                        f"local()); a logo may load nothing else; {ADVICE}")
    for match in _URL.finditer(text):
        if not _LOCAL.fullmatch(match[2].strip()):
            shown = match[2].strip()[:60]
            raise LogoError(f"{what} refers to '{shown}' in {where}; a logo must be one file "
                            f"that loads nothing else; {ADVICE}")
    if re.search(r"url\s*\(", text, re.I) and not _URL.search(text):
        raise LogoError(f"{what} has an unreadable url( in {where}; {ADVICE}")


def _check_inline_image(kind: str, encoded: str, what: str) -> None:
    try:
        data = base64.b64decode("".join(encoded.split()), validate=True)
    except ValueError:
        raise LogoError(f"{what} has an inline image that is not valid base64; {ADVICE}") from None
    inner = f"{what} (an image inside it)"
    if kind == "png":
        if not data.startswith(PNG_SIGNATURE):
            raise LogoError(f"{inner} is not a PNG image; {ADVICE}")
        _check_png(data, inner)
    else:
        _check_jpeg(data, inner)


def _check_expansion(root: ElementTree.Element, elements: list[ElementTree.Element],
                     what: str) -> None:
    """Count the elements the renderer would draw, each <use> and url(#id) copy of a
    pattern, marker, mask or clip path counted as the elements it copies: nested <use>
    of <use> turn a kilobyte into millions of shapes."""
    by_id = {element.get("id"): element for element in elements if element.get("id")}
    sizes: dict[int, int] = {}
    visiting: set[int] = set()

    def size(element: ElementTree.Element, depth: int) -> int:
        key = id(element)
        if key in sizes:
            return sizes[key]
        if key in visiting:
            raise LogoError(f"{what} has a <use> or url(#...) that refers to itself; {ADVICE}")
        if depth > MAX_SVG_DEPTH:  # also keeps this count within Python's recursion limit
            raise LogoError(f"{what} nests elements or <use> copies more than {MAX_SVG_DEPTH} "
                            f"deep; {ADVICE}")
        visiting.add(key)
        total = 1 + sum(size(child, depth + 1) for child in element)
        for target in _references(element, by_id):
            total += size(target, depth + 1)
            if total > MAX_SVG_EXPANDED:
                break
        visiting.discard(key)
        if total > MAX_SVG_EXPANDED:
            raise LogoError(f"{what} draws more than {MAX_SVG_EXPANDED} shapes once its <use> "
                            f"copies are counted; {ADVICE}")
        sizes[key] = total
        return total

    size(root, 0)


def _references(element: ElementTree.Element,
                by_id: dict[str, ElementTree.Element]) -> list[ElementTree.Element]:
    """The elements `element` draws a copy of: what a <use> points to, and the patterns,
    markers, masks, clip paths and filters its url(#id)s name (gradients draw no shapes)."""
    found = []
    for key, value in element.attrib.items():
        if _local_name(key) == "href":
            if _local_name(element.tag) == "use" and (target := by_id.get(value.strip()[1:])) is not None:
                found.append(target)
            continue
        for match in _URL.finditer(value):
            target = by_id.get(match[2].strip()[1:])
            if target is not None and _local_name(target.tag) in _TEMPLATES:
                found.append(target)
    return found


# ---- PNG ----

_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # by colour type
_DEPTHS = {0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
          (0, 1, 1, 2))


def _check_png(data: bytes, what: str) -> None:
    """Read the chunks (with their CRCs) and the header, refuse too many pixels before
    anything is decoded, then decompress the image data, never past the size the header
    promises, to find a truncated or corrupt file."""
    chunks = _png_chunks(data, what)
    if not chunks or chunks[0][0] != b"IHDR" or len(chunks[0][1]) != 13:
        raise LogoError(f"{what} is a damaged PNG (no header); {ADVICE}")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise LogoError(f"{what} is {width}×{height} pixels; a logo may be at most "
                        f"{MAX_SIDE} pixels on a side and {MAX_PIXELS // 1_000_000} million "
                        f"pixels in all; {ADVICE}")
    if width == 0 or height == 0 or depth not in _DEPTHS.get(colour, set()) or interlace > 1:
        raise LogoError(f"{what} is a damaged PNG (its header is invalid); {ADVICE}")
    if chunks[-1][0] != b"IEND":
        raise LogoError(f"{what} is a truncated PNG (it does not end with IEND); {ADVICE}")
    compressed = b"".join(body for kind, body in chunks if kind == b"IDAT")
    if not compressed:
        raise LogoError(f"{what} is a damaged PNG (it has no image data); {ADVICE}")
    bits = depth * _CHANNELS[colour]
    raw = _inflate(compressed, _png_raw_size(width, height, bits, interlace))
    if raw is None:
        raise LogoError(f"{what} is a damaged or truncated PNG (its image data does not match "
                        f"its size); {ADVICE}")
    if not _filters_valid(raw, width, height, bits, interlace):
        raise LogoError(f"{what} is a damaged PNG (a row of its image data has an unknown "
                        f"filter); {ADVICE}")


def _png_chunks(data: bytes, what: str) -> list[tuple[bytes, bytes]]:
    """(type, data) of each chunk up to IEND; a bad length or CRC is an error."""
    chunks, at = [], len(PNG_SIGNATURE)
    while at < len(data):
        if at + 12 > len(data):
            raise LogoError(f"{what} is a truncated PNG; {ADVICE}")
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        end = at + 8 + length
        if end + 4 > len(data):
            raise LogoError(f"{what} is a truncated PNG; {ADVICE}")
        body = data[at + 8:end]
        if zlib.crc32(kind + body) != struct.unpack(">I", data[end:end + 4])[0]:
            raise LogoError(f"{what} is a damaged PNG (a {kind.decode('latin-1')!r} chunk fails "
                            f"its checksum); {ADVICE}")
        chunks.append((kind, body))
        at = end + 4
        if kind == b"IEND":
            break
    return chunks


def _png_rows(width: int, height: int, bits: int, interlace: int) -> list[tuple[int, int]]:
    """(rows, bytes per row with its filter byte) of each pass of the image."""
    passes = _ADAM7 if interlace else ((0, 0, 1, 1),)
    found = []
    for x0, y0, dx, dy in passes:
        columns, rows = -(-(width - x0) // dx), -(-(height - y0) // dy)
        if columns > 0 and rows > 0:
            found.append((rows, 1 + -(-columns * bits // 8)))
    return found


def _png_raw_size(width: int, height: int, bits: int, interlace: int) -> int:
    """Bytes of filtered scanlines the image data must inflate to."""
    return sum(rows * size for rows, size in _png_rows(width, height, bits, interlace))


def _filters_valid(raw: bytes, width: int, height: int, bits: int, interlace: int) -> bool:
    """Each row starts with one of the five filter types (0-4)."""
    at = 0
    for rows, size in _png_rows(width, height, bits, interlace):
        if max(raw[at:at + rows * size:size]) > 4:
            return False
        at += rows * size
    return True


def _inflate(compressed: bytes, expected: int) -> bytes | None:
    """The image data inflated, if it is one whole zlib stream of exactly `expected`
    bytes; inflating stops a step past that, so a bomb costs nothing."""
    inflater, parts, total, pending = zlib.decompressobj(), [], 0, compressed
    try:
        while not inflater.eof and total <= expected:
            out = inflater.decompress(pending, 1 << 20)
            parts.append(out)
            total += len(out)
            pending = inflater.unconsumed_tail
            if not out and not pending:
                break  # the input is used up before the stream's end: truncated
    except zlib.error:
        return None
    return b"".join(parts) if inflater.eof and total == expected else None


# ---- JPEG (only inside an SVG) ----

def _check_jpeg(data: bytes, what: str) -> None:
    """Find the frame header and refuse too many pixels before anything is decoded."""
    if not data.startswith(b"\xff\xd8"):
        raise LogoError(f"{what} is not a JPEG image; {ADVICE}")
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            break
        marker, length = data[at + 1], struct.unpack(">H", data[at + 2:at + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if at + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                raise LogoError(f"{what} is {width}×{height} pixels; a logo may be at most "
                                f"{MAX_SIDE} pixels on a side and {MAX_PIXELS // 1_000_000} "
                                f"million pixels in all; {ADVICE}")
            # The image data follows a start-of-scan marker, and the file ends with an
            # end-of-image one: a file cut short has neither.
            if b"\xff\xda" not in data[at:] or not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
                raise LogoError(f"{what} is a damaged or truncated JPEG (no image data, or no "
                                f"end); {ADVICE}")
            return
        at += 2 + length
    raise LogoError(f"{what} is a damaged JPEG (no frame header); {ADVICE}")
