"""User-facing problems: each names a file, a line and a column, and says what to fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import ROOT


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one file; or, without a file, with the options or
    a folder (whose message names it)."""

    file: Path | None
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        return f"{display_path(self.file)}:{self.line}:{self.column}: {self.message}"


class ContentError(Exception):
    """Content or options a user must fix; never a bug in the tool. It holds the problems
    found, each printed on its own; a message alone is one problem of no one file."""

    def __init__(self, problems: list[Problem] | str) -> None:
        self.problems = problems if isinstance(problems, list) else [Problem(None, 0, 0, problems)]
        super().__init__("\n".join(map(str, self.problems)))


def shown(text: str) -> str:
    """Text as it may be printed to a terminal: a character that does not print (an escape
    sequence, a direction override, in a file name, key or value) is shown as its code,
    so a file cannot drive the terminal or reorder the line around it."""
    return "".join(char if char.isprintable() or char in "\n\t" else _escaped(char)
                   for char in text)


def _escaped(char: str) -> str:
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}" if ord(char) < 0x10000 \
        else f"\\U{ord(char):08x}"


def display_path(path: Path) -> str:
    """A path as short as possible: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except (ValueError, RuntimeError, OSError):  # outside the project; a symbolic link loop
        return str(path)


def counted(number: int, noun: str) -> str:
    """'1 key', '3 keys', '2 entries': a count and its noun, which a message agrees with."""
    if number == 1:
        return f"{number} {noun}"
    if noun.endswith("y") and noun[-2:-1] not in tuple("aeiou"):
        return f"{number} {noun[:-1]}ies"  # entry, entries; key, keys
    return f"{number} {noun}s"
