"""Reads a YAML file into plain data, remembering where every key and value stood.

PyYAML keeps the last of two duplicate keys without a word; a translator's duplicate
key would silently lose text, so it is an error here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

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


# LibYAML's parser (in PyYAML's wheels) is about ten times faster than the pure-Python one.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_FILE_BYTES = 512 * 1024  # a topic file is about 30 KB; anything near this is a mistake
_WIDE_BOMS = {b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16", b"\xff\xfe\x00\x00": "UTF-32"}


def load_yaml(file: Path) -> Located:
    """Parse `file`; raise ContentError naming file, line and column on any mistake."""
    text = _read_text(file)
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as error:
        raise ContentError([_syntax_problem(file, text, error)]) from None
    if node is None:
        raise ContentError([Problem(file, 1, 1, "the file is empty")])
    located = Located(file, None)
    problems: list[Problem] = []
    _walk(node, (), located, problems, set())
    if problems:
        raise ContentError(problems)
    try:
        located.data = Loader(text).construct_document(node)
    except yaml.MarkedYAMLError as error:  # a tag such as !!python/object
        raise ContentError([_syntax_problem(file, text, error)]) from None
    return located


def strings(data: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """(key path, value) of every string in loaded data, depth first."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from strings(value, (*path, index))
    elif isinstance(data, str):
        yield path, data


def has_data(file: Path) -> bool:
    """Whether a YAML file holds anything but comments and blank lines."""
    return any(line.strip() and not line.lstrip().startswith("#")
               for line in _read_text(file).splitlines())


def dump_yaml(data: Any) -> str:
    """YAML as the tool writes it for people to edit: any script as itself, keys in their
    order, lines up to 100 characters."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _read_text(file: Path) -> str:
    """The file as text: UTF-8, with or without a byte-order mark, and not too large."""
    try:
        data = file.read_bytes()
    except OSError as error:
        raise ContentError([Problem(file, 1, 1, f"cannot read file: {error.strerror}")]) from None
    if len(data) > MAX_FILE_BYTES:
        raise ContentError([Problem(file, 1, 1, f"the file is {len(data) // 1024} KB; content "
                                                f"files may be at most {MAX_FILE_BYTES // 1024} KB")])
    for bom, encoding in sorted(_WIDE_BOMS.items(), key=lambda item: -len(item[0])):
        if data.startswith(bom):
            raise ContentError([Problem(file, 1, 1, f"the file is saved as {encoding}; "
                                                    "save it as UTF-8")])
    try:
        return data.decode("utf-8-sig")  # a UTF-8 byte-order mark is harmless: dropped
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise ContentError([Problem(file, line, column, "not UTF-8 text (byte "
                                    f"0x{data[error.start]:02x}); save the file as UTF-8")]) from None


def _syntax_problem(file: Path, text: str, error: yaml.MarkedYAMLError) -> Problem:
    """A YAML syntax error, with the offending line and a caret under the spot."""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line, mark.column) if mark else (0, 0)
    source = text.splitlines()[line] if line < len(text.splitlines()) else ""
    if "\t" in source[:len(source) - len(source.lstrip())]:
        message = "a tab is used for indentation; YAML needs spaces: replace the tab with spaces"
    else:
        message = f"YAML syntax: {error.problem}"
    pointer = "".join("\t" if char == "\t" else " " for char in source[:column]) + "^"
    return Problem(file, line + 1, column + 1, f"{message}\n    {source}\n    {pointer}")


def _walk(node: yaml.Node, path: KeyPath, located: Located, problems: list[Problem],
          seen: set[int]) -> None:
    """Record positions below `node`; report duplicate keys, anchors and aliases."""
    if id(node) in seen:
        # An alias (*name) reuses a node; unrolled, a few of them can make a huge document.
        line, column = located.position(path, key=True)
        problems.append(Problem(located.file, line, column, "anchors and aliases (& and *) are "
                                                            "not allowed; write the text out in full"))
        return
    seen.add(id(node))
    located.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _walk(child, (*path, index), located, problems, seen)
    elif isinstance(node, yaml.MappingNode):
        seen_keys: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen_keys:
                problems.append(located_problem(
                    located, key_node, f"duplicate key '{key}' (first written on line "
                                       f"{seen_keys[key]}); keep one and delete the other"))
                continue
            seen_keys[key] = line
            located.keys[(*path, key)] = (line, key_node.start_mark.column + 1)
            _walk(value_node, (*path, key), located, problems, seen)


def located_problem(located: Located, node: yaml.Node, message: str) -> Problem:
    return Problem(located.file, node.start_mark.line + 1, node.start_mark.column + 1, message)
