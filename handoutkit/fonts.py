"""Which characters the bundled fonts can draw.

A character no bundled font has would be drawn by whatever system font happens to be
installed, or as an empty box; either way the handout is wrong, so it is an error,
found before rendering and named by key.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

from .config import FONTS_DIR
from .loader import KeyPath, strings


@cache
def covered() -> frozenset[int]:
    """Code points in at least one bundled font."""
    from fontTools.ttLib import TTFont  # comes with WeasyPrint

    points: set[int] = set()
    for path in FONTS_DIR.rglob("*.ttf"):
        points.update(TTFont(path).getBestCmap())
    return frozenset(points)


def uncovered_characters(data: Any, lang: str | None) -> list[tuple[KeyPath, str]]:
    """(key path, message) for each text holding a character no bundled font has; `lang`
    is the language the texts are printed in, None for all (a clinic profile)."""
    handouts = f"the '{lang}' handouts" if lang else "the handouts"
    problems = []
    for path, text in strings(data):
        missing = sorted({c for c in text if ord(c) not in covered() and not _invisible(c)})
        for char in missing:
            name = unicodedata.name(char, "unnamed character")
            key = ".".join(str(part) for part in path)
            problems.append((path, f"{key}: the character '{char}' (U+{ord(char):04X} {name}) "
                                   f"is in no bundled font, so {handouts} cannot "
                                   "print it; replace it, or add a font that has it"))
    return problems


def _invisible(char: str) -> bool:
    """Line breaks, and format marks (joiners, direction marks) that draw nothing."""
    return char in "\n\r\t" or unicodedata.category(char) == "Cf"

