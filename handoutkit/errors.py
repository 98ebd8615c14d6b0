"""User-facing problems: each names a file, a line and a column, and says what to fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import ROOT


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one file."""

    file: Path
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{display_path(self.file)}:{self.line}:{self.column}: {self.message}"


class ContentError(Exception):
    """Content or options a user must fix; never a bug in the tool."""

    def __init__(self, problems: list[Problem] | str) -> None:
        self.problems = problems if isinstance(problems, list) else []
        text = problems if isinstance(problems, str) else "\n".join(map(str, problems))
        super().__init__(text)


def display_path(path: Path) -> str:
    """A path as short as possible: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except (ValueError, RuntimeError, OSError):  # outside the project; a symbolic link loop
        return str(path)
