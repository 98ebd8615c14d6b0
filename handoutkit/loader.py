"""Reads a YAML file into plain data, remembering where every key and value stood.

PyYAML keeps the last of two duplicate keys without a word; a translator's duplicate
key would silently lose text, so it is an error here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, Problem

KeyPath = tuple[str | int, ...]


@dataclass
class Located:
    """A file's data and the line/column (1-based) of each value and mapping key."""

    file: Path
    data: Any
    values: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: KeyPath, *, key: bool = False) -> tuple[int, int]:
        """Where `path` is written; for a missing key, where its nearest parent is."""
        marks = self.keys if key else self.values
        if path in marks:
            return marks[path]
        while path:
            path = path[:-1]
            if path in self.values:
                return self.values[path]
        return (1, 1)

    def problem(self, path: KeyPath, message: str, *, key: bool = False) -> Problem:
        line, column = self.position(path, key=key)
        return Problem(self.file, line, column, message)


def load_yaml(file: Path) -> Located:
    """Parse `file`; raise ContentError naming file, line and column on any mistake."""
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ContentError([Problem(file, 1, 1, f"not UTF-8 text ({error.reason})")]) from None
    except OSError as error:
        raise ContentError([Problem(file, 1, 1, f"cannot read file: {error.strerror}")]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ContentError([Problem(file, line, column, f"YAML syntax: {error.problem}")]) from None
    if node is None:
        raise ContentError([Problem(file, 1, 1, "the file is empty")])
    located = Located(file, None)
    problems: list[Problem] = []
    _walk(node, (), located, problems)
    if problems:
        raise ContentError(problems)
    located.data = yaml.SafeLoader(text).construct_document(node)
    return located


def _walk(node: yaml.Node, path: KeyPath, located: Located, problems: list[Problem]) -> None:
    """Record positions below `node` and report duplicate keys."""
    located.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _walk(child, (*path, index), located, problems)
    elif isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(Problem(
                    located.file, line, key_node.start_mark.column + 1,
                    f"duplicate key '{key}' (first written on line {seen[key]}); "
                    "keep one and delete the other"))
                continue
            seen[key] = line
            located.keys[(*path, key)] = (line, key_node.start_mark.column + 1)
            _walk(value_node, (*path, key), located, problems)
