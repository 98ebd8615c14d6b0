"""Reads a YAML file into plain data, remembering where every key and value stood.

PyYAML keeps the last of two duplicate keys without a word; a translator's duplicate
key would silently lose text, so it is an error here.
"""

from __future__ import annotations

import errno
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml

from .errors import ContentError, Problem
from .files import NotRegular, TooLarge, read_bounded

KeyPath = tuple[str | int, ...]


def dotted(path: KeyPath) -> str:
    """A key path as messages, status and PO files write it: 'steps.items.call-911.easy'."""
    return ".".join(str(part) for part in path)


def undotted(key: str) -> KeyPath:
    """A dotted key's path, list indexes as numbers: 'table.columns.0.easy'."""
    return tuple(int(part) if is_position(part) else part for part in key.split("."))


def is_position(part: str) -> bool:
    """Whether a part of a dotted key is a list index: ASCII digits ('²' is a digit to
    str.isdigit, and not to int)."""
    return re.fullmatch("[0-9]+", part) is not None


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
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # the same text as SafeDumper's


class QuotedKey(str):
    """A text dump_yaml always writes in double quotes."""


Dumper.add_representer(QuotedKey, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", str(text), style='"'))
MAX_FILE_BYTES = 512 * 1024  # a topic file is about 30 KB; anything near this is a mistake
MAX_DEPTH = 50  # lists and mappings inside each other; content needs fewer than 10
EXCERPT_CHARS = 80  # of the offending line, shown under a syntax error
_WIDE_BOMS = {b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16", b"\xff\xfe\x00\x00": "UTF-32"}
# C0 controls but tab, newline and carriage return; DEL; C1 controls (NEL included: YAML
# would take it for a line break no editor shows).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_MERGE_TAG = "tag:yaml.org,2002:merge"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_STR_TAG, _INT_TAG = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int"
_KEY_READINGS = {"tag:yaml.org,2002:null": "nothing (null)", _INT_TAG: "a number",
                 "tag:yaml.org,2002:float": "a number", _TIMESTAMP_TAG: "a date"}


def load_yaml(file: Path, within: Path | None = None) -> Located:
    """Parse `file`; raise ContentError naming file, line and column on any mistake.

    `within`: the folder the file must really be in (a content folder), so that a
    symbolic link cannot bring in a file from elsewhere.
    """
    text = _read_text(file, within)
    _check_text(file, text)
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
    except yaml.MarkedYAMLError as error:
        raise ContentError([_syntax_problem(file, text, error)]) from None
    except (ValueError, OverflowError, RecursionError) as error:  # _walk should have found it
        raise ContentError([Problem(file, 1, 1, f"a value cannot be read ({error}); "
                                                "write it as plain text in quotes")]) from None
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


def has_data(file: Path, within: Path | None = None) -> bool:
    """Whether a YAML file holds anything but comments and blank lines."""
    return any(line.strip() and not line.lstrip().startswith("#")
               for line in _read_text(file, within).splitlines())


def present(file: Path) -> bool:
    """Whether anything is at `file`: a file, but also a folder, a pipe or a broken or
    looping link, which load_yaml then explains."""
    return os.path.lexists(file)


def dump_yaml(data: Any) -> str:
    """YAML as the tool writes it for people to edit: any script as itself, keys in their
    order, lines up to 100 characters."""
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)


def _read_text(file: Path, within: Path | None = None) -> str:
    """The file as text: UTF-8, with or without a byte-order mark, and not too large."""
    data = _read_bytes(file, within)
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


def _read_bytes(file: Path, within: Path | None) -> bytes:
    """At most MAX_FILE_BYTES of a regular file. Its size is checked before reading, and
    it is opened without blocking, so a huge sparse file, a device or a pipe never hangs."""
    def refuse(message: str) -> ContentError:
        return ContentError([Problem(file, 1, 1, message)])

    if within is not None:
        real, folder = os.path.realpath(file), os.path.realpath(within)
        if os.path.commonpath([real, folder]) != folder:
            raise refuse(f"a symbolic link leads to {real}, outside {within}; "
                         "put the file itself in the folder instead of a link")
    try:
        return read_bounded(file, MAX_FILE_BYTES)
    except NotRegular:
        raise refuse("not a regular file (a folder, device, pipe or socket); "
                     "give the path of a YAML file") from None
    except TooLarge as error:
        raise refuse(_too_large(error.size)) from None
    except OSError as error:
        raise refuse(_open_failure(error)) from None


def _open_failure(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return ("the file is a symbolic link that leads back to itself (a loop); "
                "replace the link with the file")
    if error.errno == errno.ENOENT:
        return "file is missing (or is a link to a file that does not exist)"
    return f"cannot read file: {error.strerror}"


def _too_large(size: int) -> str:
    return (f"the file is {size // 1024} KB; content files may be at most "
            f"{MAX_FILE_BYTES // 1024} KB")


def _check_text(file: Path, text: str) -> None:
    """Refuse invisible control characters, explicit tags and deep nesting, before the
    file is composed: LibYAML's composer and the walk below recurse once per level."""
    problems = [Problem(file, *_line_column(text, match.start()),
                        f"an invisible control character (U+{ord(match[0]):04X}); delete it")
                for match in CONTROL.finditer(text)]
    if problems:
        raise ContentError(problems[:10])
    depth = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            mark = event.start_mark
            if getattr(event, "tag", None) is not None:
                tag = event.tag.replace("tag:yaml.org,2002:", "!!")
                problems.append(Problem(file, mark.line + 1, mark.column + 1,
                                        f"the tag '{tag}' is not allowed; remove the tag "
                                        "(and quote the value if it should be text)"))
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(Problem(file, mark.line + 1, mark.column + 1, _TOO_DEEP))
                    break
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        if "maximum nesting depth" in str(error.problem):  # LibYAML's own limit, 1000 levels
            mark = error.problem_mark
            problems.append(Problem(file, mark.line + 1, mark.column + 1, _TOO_DEEP))
        else:
            problems.append(_syntax_problem(file, text, error))
    except yaml.reader.ReaderError as error:  # a character YAML refuses, such as U+FFFE
        problems.append(Problem(file, *_line_column(text, error.position),
                                f"a character YAML does not allow{_code_point(error.character)}; "
                                "delete it"))
    if problems:
        raise ContentError(problems)


_TOO_DEEP = (f"lists and mappings nested more than {MAX_DEPTH} deep; content needs far "
             "fewer: check the brackets and indentation")


def _code_point(character: object) -> str:
    return f" (U+{character:04X})" if isinstance(character, int) else ""


def _line_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character of `text`."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _syntax_problem(file: Path, text: str, error: yaml.MarkedYAMLError) -> Problem:
    """A YAML syntax error, with the offending line and a caret under the spot."""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line, mark.column) if mark else (0, 0)
    lines = text.splitlines()
    source = lines[line] if line < len(lines) else ""
    if "\t" in source[:len(source) - len(source.lstrip())]:
        message = "a tab is used for indentation; YAML needs spaces: replace the tab with spaces"
    elif (opened := _unclosed_quote(lines, error, line)) is not None:
        line, column = opened
        source = lines[line]
        message = 'the double quote that starts this text is never closed: end the text with "'
    elif "mapping values are not allowed" in str(error.problem):
        message = 'a text with ": " in it must be in double quotes: put the whole text in "double quotes"'
    elif _SINGLE_QUOTED.search(source):
        message = ("a text in single quotes ends at its first apostrophe: put the text in "
                   '"double quotes" instead')
    else:
        message = f"YAML syntax: {error.problem}"
    excerpt, pointer = _excerpt(source, column)
    return Problem(file, line + 1, column + 1, f"{message}\n    {excerpt}\n    {pointer}")


# A value in single quotes with an apostrophe inside: 'l'eau'.
_SINGLE_QUOTED = re.compile(r"(^|:\s|-\s)\s*'[^']*'[^\s#]")


def _unclosed_quote(lines: list[str], error: yaml.MarkedYAMLError, line: int) -> tuple[int, int] | None:
    """Where a double-quoted text that runs on (to the next key or the end) begins: the
    line a translator must fix, not the line where YAML noticed."""
    if error.context == "while scanning a quoted scalar" and error.context_mark is not None:
        return error.context_mark.line, error.context_mark.column
    for number in range(min(line, len(lines) - 1), max(line - 3, -1), -1):
        quotes = [match.start() for match in re.finditer(r'(?<!\\)"', lines[number])]
        if len(quotes) % 2:
            return number, quotes[-1]
    return None


def _excerpt(source: str, column: int) -> tuple[str, str]:
    """The part of a line around `column`, at most EXCERPT_CHARS long, with anything that
    is not printable escaped (a file must not be able to drive the terminal), and the
    caret line under it."""
    start = max(0, min(column - EXCERPT_CHARS // 2, len(source) - EXCERPT_CHARS))
    end = start + EXCERPT_CHARS
    shown = [_printable(char) for char in source[start:end]]
    offset = min(column, len(source)) - start
    before = "".join(shown[:offset])
    excerpt = ("…" if start else "") + "".join(shown) + ("…" if end < len(source) else "")
    pointer = (" " if start else "") + "".join("\t" if char == "\t" else " " for char in before) + "^"
    return excerpt, pointer


def _printable(char: str) -> str:
    """A character as shown in an excerpt: itself, or an escape such as \\x1b."""
    if char == "\t" or char.isprintable():
        return char
    return ascii(char)[1:-1]


def _walk(node: yaml.Node, path: KeyPath, located: Located, problems: list[Problem],
          seen: set[int]) -> None:
    """Record positions below `node`; report duplicate keys, anchors, aliases, merge keys,
    keys YAML reads as true or false, and values that cannot be read."""
    if id(node) in seen:
        # An alias (*name) reuses a node; unrolled, a few of them can make a huge document.
        line, column = located.position(path, key=True)
        problems.append(Problem(located.file, line, column, "anchors and aliases (& and *) are "
                                                            "not allowed; write the text out in full"))
        return
    seen.add(id(node))
    located.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.ScalarNode):
        _check_scalar(node, located, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _walk(child, (*path, index), located, problems, seen)
    elif isinstance(node, yaml.MappingNode):
        seen_keys: dict[str, int] = {}
        for key_node, value_node in node.value:
            problem = _key_problem(key_node)
            if problem:
                problems.append(located_problem(located, key_node, problem))
                continue
            _check_scalar(key_node, located, problems)
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


def _key_problem(key: yaml.Node) -> str | None:
    """Why a mapping key cannot be used, if it cannot."""
    if not isinstance(key, yaml.ScalarNode):
        return "a key must be a word or text, not a list or mapping"
    if key.tag == _MERGE_TAG:
        # `<<: {...}` copies keys in without the duplicate check: as bad as an alias.
        return "merge keys (<<) are not allowed; write the keys out in full"
    if key.tag == _BOOL_TAG:
        # YAML 1.1 reads no, yes, on, off, y, n, true and false as true or false: the
        # Norwegian language code `no` would become `false`.
        return f"YAML reads the key '{key.value}' as true or false; write '{key.value}' in quotes"
    if key.tag != _STR_TAG:
        # `~:` and `null:` are one key (None), as are `1:` and `01:`: the duplicate check,
        # which compares the words written, would miss them. Keys are words in this tool.
        what = _KEY_READINGS.get(key.tag, "something other than text")
        return f"YAML reads the key '{key.value}' as {what}; write '{key.value}' in quotes"
    return None


def _check_scalar(node: yaml.ScalarNode, located: Located, problems: list[Problem]) -> None:
    """Build a value once here, so that one that cannot be built (30 February, a number of
    5000 digits) is reported where it is written."""
    if node.tag == _STR_TAG:
        return  # most values: nothing can go wrong
    try:
        yaml.constructor.SafeConstructor().construct_object(node)
    except (ValueError, OverflowError):
        if node.tag == _TIMESTAMP_TAG:
            message = f"'{node.value}' is not a real date; write it as YYYY-MM-DD"
        elif node.tag == _INT_TAG:
            message = (f"the number is {len(node.value)} digits long, too long to read; "
                       "write it in quotes if it is text")
        else:
            message = "the value cannot be read; write it in quotes if it is text"
        problems.append(located_problem(located, node, message))
    except yaml.MarkedYAMLError:
        pass  # reported with its own mark when the document is built


def located_problem(located: Located, node: yaml.Node, message: str) -> Problem:
    return Problem(located.file, node.start_mark.line + 1, node.start_mark.column + 1, message)


# ---- Changing texts in place ----
# A file a person edits is changed text by text: each changed text's span (from the
# parser's marks) is replaced by the new text in double quotes, so comments, order,
# indentation and every other line stay byte for byte.

_STR_TAG_NAME = "tag:yaml.org,2002:str"


def text_nodes(node: yaml.Node, fixed: frozenset[str] = frozenset(),
               path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], yaml.ScalarNode]]:
    """(key path, node) of every text in a composed document, keys in `fixed` left out."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value not in fixed:
                yield from text_nodes(value, fixed, (*path, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            yield from text_nodes(value, fixed, (*path, str(index)))
    elif isinstance(node, yaml.ScalarNode) and node.tag == _STR_TAG_NAME:
        yield path, node


def node_at(node: yaml.Node | None, path: tuple[str, ...]) -> yaml.Node | None:
    """The node at a key path (a part is a list index where the node is a list)."""
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and is_position(part) and int(part) < len(node.value):
            node = node.value[int(part)]
        else:
            return None
    return node


def replaced(source: str, changes: list[tuple[yaml.ScalarNode, str]]) -> str:
    """`source` with each node's text replaced by the new one, in double quotes."""
    for node, text in sorted(changes, key=lambda change: -change[0].start_mark.index):
        start, end = node.start_mark.index, node.end_mark.index
        old = source[start:end]
        quoted = json.dumps(text, ensure_ascii=False)  # JSON's strings are YAML's double-quoted
        space = " " if start == end and source[start - 1:start] == ":" else ""  # an empty value
        source = source[:start] + space + quoted + old[len(old.rstrip()):] + source[end:]
    return source
