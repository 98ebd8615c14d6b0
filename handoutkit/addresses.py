"""Web addresses printed on handouts (content sources and resources, clinic websites,
referrals) and the QR codes made from them.

A printed address must read as the address it opens: no invisible characters or
direction controls that make a caption differ from the QR code, no host name that mixes
look-alike letters of two scripts without a word, and nothing too long to type from
paper, to fit its box, or to print as a QR code that still scans.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

import segno

from .loader import Located, strings

MAX_URL_LENGTH = 200  # longer cannot be typed from paper, and breaks over many lines
# The QR code prints 22 mm wide on a bilingual sheet (26 mm elsewhere); phones read it
# reliably with modules of 0.4 mm or more: version 9 (53 modules) at most.
MAX_QR_VERSION = 9
MAX_QR_BYTES = 180  # what version 9 holds at error correction level M
URL_KEYS = frozenset({"url", "qr", "website"})

# Characters that draw nothing or change the direction of the text around them, beyond
# the format (Cf), control and separator categories: fillers and variation selectors.
_INVISIBLE = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0,
              *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)}


def plain_address(value: object) -> object:
    """Refuse hidden characters and over-long addresses, naming what is wrong (runs
    before the https:// pattern, whose message would not say which character)."""
    if not isinstance(value, str):
        return value
    for char in value.strip():
        if _hidden(char):
            name = unicodedata.name(char, "unnamed character")
            raise ValueError(f"the address holds the invisible character U+{ord(char):04X} {name}, "
                             "so what prints could read differently from what a QR code or "
                             "browser opens; type the address again without it")
    if len(value.strip()) > MAX_URL_LENGTH:
        raise ValueError(f"the address is {len(value.strip())} characters; at most "
                         f"{MAX_URL_LENGTH} can be printed and typed from paper: use the "
                         "page's short address")
    try:
        host = urlsplit(value.strip()).netloc
    except ValueError:  # such as an unclosed [ of an IPv6 address
        raise ValueError("not a valid web address; copy it from the browser's address bar") from None
    if "@" in host:
        raise ValueError(f"the address opens '{host.rpartition('@')[2]}', not the name before "
                         "'@' that a reader sees first; give the site's own address")
    return value


def fits_qr(url: str) -> str:
    """Refuse an address too long for a QR code that prints small and still scans."""
    if qr_code(url).version > MAX_QR_VERSION:
        raise ValueError(f"the address is too long for a printed QR code: at most "
                         f"{MAX_QR_BYTES} characters; use the page's short address")
    return url


def qr_code(url: str) -> segno.QRCode:
    """The QR code printed for `url`: level M, never a micro QR code."""
    return segno.make(url, error="m", micro=False)


def _hidden(char: str) -> bool:
    """Format marks (bidi controls, zero-width joiners, soft hyphen, tags), controls,
    separators and other characters that print as nothing."""
    return unicodedata.category(char)[0] in "CZ" or ord(char) in _INVISIBLE


def mixed_scripts(url: str, whose: str = "the clinic's") -> str | None:
    """Why a host name may be a look-alike of another, or None: a label mixing letters of
    two scripts, such as a Cyrillic 'а' in 'exаmple.org'."""
    host = urlsplit(url).hostname or ""
    for label in host.split("."):
        scripts: dict[str, str] = {}
        for char in label:
            if char.isalpha():
                scripts.setdefault(_script(char), char)
        if len(scripts) > 1:
            names = sorted(scripts, key=lambda s: s != "Latin")
            odd = scripts[names[-1]]
            return (f"the address mixes {' and '.join(names)} letters in '{host}' (the '{odd}' "
                    f"is {unicodedata.name(odd, '?')}); check it is {whose} real address")
    return None


def _script(char: str) -> str:
    """A letter's script, from its Unicode name: LATIN, CYRILLIC, GREEK, ..."""
    return unicodedata.name(char, "UNKNOWN").split()[0].title()


def address_warnings(located: Located, whose: str = "the clinic's") -> list[str]:
    """'file:line:column: key: ...' for each web address in a file that may be a
    look-alike: a build goes ahead, but says so."""
    return [str(located.problem(path, f"{'.'.join(map(str, path))}: {reason}"))
            for path, text in strings(located.data)
            if path and path[-1] in URL_KEYS and (reason := mixed_scripts(text, whose))]
