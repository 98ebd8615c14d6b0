"""Stable ids: a file whose list items were paired with the English by position, keyed
by the English items' ids instead.

Content files key each list item (a bullet, step, row, source...) by an id, so that a
translated item stays with its English item when items are inserted, deleted or moved.
A translation written before that holds lists; `key-by-id` rewrites each of them as a
mapping under the ids of the English items in the same places, text by text in place, so
comments and layout are kept and the git diff shows only the new id lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

import yaml

from .loader import KeyPath, Loader, dotted, is_position, node_at, strings
from .translations import fingerprint

Ids = dict[KeyPath, list[str]]  # a list's key path -> the id of each of its items, in order


@dataclass
class Unpaired:
    """A list whose items cannot be keyed by position: another length than the English."""

    path: KeyPath
    english: int
    found: int


def positional(english: Any, translation: Any, keyed: Callable[[KeyPath], bool],
               path: KeyPath = ()) -> tuple[Ids, list[Unpaired]]:
    """The lists of `translation` where the English has items keyed by id (`keyed` says
    which paths hold such items)."""
    ids: Ids = {}
    unpaired: list[Unpaired] = []
    if isinstance(translation, list) and isinstance(english, dict) and keyed(path):
        if len(translation) == len(english):
            ids[path] = [str(key) for key in english]
        else:
            unpaired.append(Unpaired(path, len(english), len(translation)))
    elif isinstance(translation, dict) and isinstance(english, dict):
        for key, value in translation.items():
            found, lost = positional(english.get(key), value, keyed, (*path, key))
            ids.update(found)
            unpaired += lost
    return ids, unpaired


def keyed_data(data: Any, ids: Ids, path: KeyPath = ()) -> Any:
    """`data` with each list at a path of `ids` as a mapping of id to item: what the file
    rewritten by key_by_id must read as."""
    if path in ids and isinstance(data, list):
        return dict(zip(ids[path], data))
    if isinstance(data, dict):
        return {key: keyed_data(value, ids, (*path, key)) for key, value in data.items()}
    return data


def key_by_id(source: str, ids: Ids) -> str:
    """`source` with each list at a path of `ids` written as a mapping of id to item."""
    while indentless := _first_indentless(source, ids):
        source = _indented(source, indentless)  # the items must sit deeper than their ids
    root = yaml.compose(source, Loader=Loader)
    dashes = [token.start_mark.index for token in yaml.scan(source, Loader=Loader)
              if isinstance(token, yaml.BlockEntryToken)]
    newline = "\r\n" if "\r\n" in source else "\n"
    edits: list[tuple[int, int, str]] = []
    for path, names in ids.items():
        node = node_at(root, _parts(path))
        assert isinstance(node, yaml.SequenceNode) and len(node.value) == len(names)
        edits += (_flow_edits(node, names) if node.flow_style else
                  _block_edits(source, node, names, dashes, newline))
    for start, end, text in sorted(edits, reverse=True):
        source = source[:start] + text + source[end:]
    return source


def renamed(key: str, ids: Ids) -> str:
    """A dotted key of the positional file ('key_messages.1.easy') with each list index
    under `ids` replaced by the item's id ('key_messages.hook.easy')."""
    parts: list[str] = []
    positional_path: KeyPath = ()
    for part in key.split("."):
        names = ids.get(positional_path)
        if names is not None and is_position(part) and int(part) < len(names):
            parts.append(names[int(part)])
            positional_path = (*positional_path, int(part))
        else:
            parts.append(part)
            positional_path = (*positional_path, part)
    return ".".join(parts)


def rehomed(records: dict[str, str], data: Any) -> dict[str, str]:
    """Records whose key names a list item by place where `data` keys items by id (a list a
    translator keyed by hand) moved to the id whose text they record, when exactly one text
    of `data` in the same place matches the record's fingerprint of the translation."""
    texts = {dotted(path): text for path, text in strings(data)}
    moved = {}
    for key, record in records.items():
        if key in texts or not re.search(r"(^|\.)[0-9]+(\.|$)", key):
            moved[key] = record
            continue
        made_from = record.split()[-1]
        matches = [other for other, text in texts.items()
                   if _same_place(key, other) and fingerprint(text) == made_from]
        moved[matches[0] if len(matches) == 1 else key] = record
    return moved


def _same_place(key: str, other: str) -> bool:
    """'a.1.easy' and 'a.hook.easy': the same key but for ids in place of positions."""
    ours, theirs = key.split("."), other.split(".")
    return len(ours) == len(theirs) and all(
        a == b or (is_position(a) and not is_position(b)) for a, b in zip(ours, theirs))


def _parts(path: KeyPath) -> tuple[str, ...]:
    """A key path as node_at takes it: list indexes as text."""
    return tuple(str(part) for part in path)


def _block_edits(source: str, node: yaml.SequenceNode, names: list[str], dashes: list[int],
                 newline: str) -> list[tuple[int, int, str]]:
    """Each item's '- ' becomes 'id:' (the item's lines are already deeper than it). The
    dash is the parser's, not a '-' in a comment before the item."""
    edits = []
    for item, name in zip(node.value, names):
        start = item.start_mark.index
        dash = max(index for index in dashes if node.start_mark.index <= index < start)
        if source[dash + 1:start].strip(" "):
            edits.append((dash, dash + 1, f"{name}:"))  # a comment or a line break follows the dash
        elif isinstance(item, yaml.ScalarNode):
            edits.append((dash, start, f"{name}: "))
        else:
            edits.append((dash, start, f"{name}:{newline}{' ' * item.start_mark.column}"))
    return edits


def _flow_edits(node: yaml.SequenceNode, names: list[str]) -> list[tuple[int, int, str]]:
    """[a, b] becomes {id-a: a, id-b: b}."""
    start, end = node.start_mark.index, node.end_mark.index
    return ([(start, start + 1, "{"), (end - 1, end, "}")]
            + [(item.start_mark.index, item.start_mark.index, f"{name}: ")
               for item, name in zip(node.value, names)])


def _first_indentless(source: str, ids: Ids) -> yaml.SequenceNode | None:
    """A block list written level with its key ('key:' over '- item'), if any is left."""
    root = yaml.compose(source, Loader=Loader)
    for path in ids:
        parent, node = node_at(root, _parts(path[:-1])), node_at(root, _parts(path))
        if not isinstance(parent, yaml.MappingNode) or not isinstance(node, yaml.SequenceNode):
            continue
        key = next(key for key, value in parent.value if value is node)
        if not node.flow_style and node.start_mark.column <= key.start_mark.column:
            return node
    return None


def _indented(source: str, node: yaml.SequenceNode) -> str:
    """`source` with the lines of list `node` two spaces deeper."""
    lines = source.splitlines(keepends=True)
    for number in range(node.start_mark.line, last_line(node) + 1):
        if lines[number].strip():
            lines[number] = "  " + lines[number]
    return "".join(lines)


def last_line(node: yaml.Node) -> int:
    """The last line (0-based) a node's text is on. A list's or mapping's own end mark is
    where the next key starts, so it is found from its last text."""
    if isinstance(node, yaml.ScalarNode):
        return node.end_mark.line if node.end_mark.column else node.end_mark.line - 1
    last = node.value[-1] if node.value else None
    if isinstance(last, tuple):
        last = last[1]  # a mapping's last (key, value)
    return last_line(last) if last is not None else node.start_mark.line
