"""The PO route: a translation as PO files for translation tools (Weblate, Poedit,
Pootle), and back into its YAML files.

`export-po CODE DIR` writes DIR/<file>.po for interface.yaml and each topic: one entry per
English text, keyed by its key path (msgctxt), with the English (msgid) and the
translation (msgstr). A missing text has an empty msgstr; a stale one is fuzzy, with the
English it was translated from as its previous msgid (#| msgid). Texts that are not
translated (numbers, addresses, dates, styles) are not offered. Comments (#.) say the
level, where the text prints, how long the English is and the glossary's words for it.

`import-po CODE DIR` writes back what the translator finished: a translated entry becomes
the text (and current); an empty one stays missing; a fuzzy one stays stale. Only the
changed texts of the YAML file change (each in its place, in double quotes), so a review
in git shows the translator's work and nothing else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import polib
import yaml

from .config import GLOSSARY_FILE, LEVELS
from .errors import ContentError, Problem, display_path
from .files import write_atomic
from .glossary import load_glossary, uses
from .ids import last_line
from .loader import CONTROL, Loader, node_at, replaced
from .options import INTERFACE, Options
from .translations import (
    Merged,
    accept,
    english_then,
    keep_english_then,
    load_english_then,
    refresh,
    save_state,
)

# Where a text prints, by the first part of its key.
PLACES = {
    "title": "the handout's title", "purpose": "the line under the title",
    "key_messages": "the key messages box on the first page", "help_box": "the help box of phone numbers",
    "sections": "the body of the handout", "steps": "the numbered steps at the end",
    "sources": "the list of sources (detailed level)",
}


def export_po(options: Options, code: str, folder: Path) -> list[Path]:
    """One PO file per content file of language `code`, in `folder`; their paths."""
    from .translator_commands import compare

    state, results = compare(options, code)
    then, _ = load_english_then(options.content)
    glossary, _ = load_glossary(options.content / code)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, merged in results:
        po = polib.POFile(wrapwidth=0)
        po.metadata = {"Project-Id-Version": f"handouts {name}", "Language": code,
                       "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                       "Content-Transfer-Encoding": "8bit"}
        stale = set(merged.report.stale)
        for key, english in merged.texts.items():
            translation = merged.pairs.get(key, (english, ""))[1]
            entry = polib.POEntry(msgctxt=key, msgid=english, msgstr=translation,
                                  comment=_comment(name, key, english, glossary))
            if key in stale:
                entry.flags.append("fuzzy")
                entry.previous_msgid = english_then(state.synced.get(name, {}).get(key), then)
            po.append(entry)
        path = folder / f"{name}.po"
        write_atomic(path, str(po))
        written.append(path)
    return written


def _comment(name: str, key: str, english: str, glossary: dict[str, list[str]]) -> str:
    """What a translator needs beside the English: level, place, length, agreed words."""
    parts = key.split(".")
    lines = []
    if parts[-1] in LEVELS:
        lines.append(f"Reading level: {parts[-1]}.")
    if name == INTERFACE:
        lines.append("Printed on every handout (headers, labels, the booklet's pages).")
    else:
        lines.append(f"Printed in {PLACES.get(parts[0], 'the handout')} ({name}).")
    lines.append(f"The English is {len(english)} characters: keep to about as many, as "
                 "every handout must fit its pages.")
    agreed = [f"{term} = {' / '.join(words)}" for term, words in glossary.items() if uses(english, term)]
    if agreed:
        lines.append(f"Glossary ({GLOSSARY_FILE}): {'; '.join(agreed)}.")
    return "\n".join(lines)


@dataclass
class Imported:
    """What import-po did with one PO file."""

    changed: int = 0  # texts written into the YAML file
    outdated: int = 0  # entries whose English changed since the export: left out
    fuzzy: int = 0  # entries still marked fuzzy ("needs review"): left out


def import_po(options: Options, code: str, folder: Path) -> dict[str, Imported]:
    """Write the finished texts of `folder`'s PO files into language `code`'s YAML
    files: every PO file is checked before any YAML file is written."""
    from .translator_commands import compare

    state, results = compare(options, code)
    plans = [(name, merged, *_finished(folder / f"{name}.po", merged))
             for name, merged in results if (folder / f"{name}.po").is_file()]
    edits = [_edited(options.file(code, name), texts) for name, _, texts, _ in plans]  # or raise
    imported = {}
    for (name, merged, texts, outcome), (file, text, count) in zip(plans, edits):
        if count:
            write_atomic(file, text)
        outcome.changed = count
        # An entry of the current English left as it was, not fuzzy: the translator says
        # the text still fits (as `mark-current` does).
        kept = {key for key, text in texts.items() if key in merged.pairs and merged.pairs[key][1] == text}
        accept(state, name, merged, kept & set(merged.report.stale))
        imported[name] = outcome
    # The records of what each text was made from, as `status` would write them.
    _, fresh = compare(options, code)
    for name, merged in fresh:
        refresh(state, name, merged)
    save_state(state)
    keep_english_then(options.content, load_english_then(options.content)[0], [m for _, m in fresh])
    return imported


def _finished(path: Path, merged: Merged) -> tuple[dict[str, str], Imported]:
    """The finished entries of a PO file (translated, not fuzzy, made from the current
    English), by key; an entry for no text of the English, a key twice or a character no
    YAML file may hold is an error at its line."""
    try:
        po = polib.pofile(str(path), encoding="utf-8")
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise ContentError(f"{display_path(path)}: not a PO file in UTF-8 a tool can read: {error}") from None
    texts: dict[str, str] = {}
    outcome, problems, seen = Imported(), [], set()
    for entry in po:
        if entry.obsolete:
            continue
        where = Problem(path, entry.linenum, 1, "")
        if entry.msgctxt not in merged.texts:
            problems.append(replace(where, message=f"{entry.msgctxt}: not a text of the English file "
                                                   "(export the PO files again)"))
        elif entry.msgctxt in seen:
            problems.append(replace(where, message=f"{entry.msgctxt}: a second entry for this key; "
                                                   "keep one"))
        elif CONTROL.search(entry.msgstr):
            problems.append(replace(where, message=f"{entry.msgctxt}: an invisible control character "
                                                   "in the translation; retype the text"))
        elif entry.msgstr and entry.msgid != merged.texts[entry.msgctxt]:
            outcome.outdated += 1
        elif entry.msgstr and entry.fuzzy:
            outcome.fuzzy += 1
        elif entry.msgstr:
            texts[entry.msgctxt] = entry.msgstr
        seen.add(entry.msgctxt)
    if problems:
        raise ContentError(problems)
    return texts, outcome


def _edited(file: Path, texts: dict[str, str]) -> tuple[Path, str, int]:
    """`file` with each text set at its key and nothing else changed, and how many
    changed (nothing is written here: every file is edited before any is written).

    Each changed text is replaced in place (loader.replaced). (ruamel.yaml's round trip,
    tried first, re-indents lists of lists and refolds long lines: 32 to 255 changed lines
    in a file with no text changed.)
    """
    if not texts:
        return file, "", 0
    if not file.is_file():
        raise ContentError(f"{display_path(file)}: no such file; `make_handouts.py new-language` "
                           "makes a language's files before their PO files can come back")
    source = file.read_bytes().decode("utf-8")  # its line endings as they are
    bom = "\ufeff" if source.startswith("\ufeff") else ""
    source, added = _added(file, source.removeprefix(bom), texts)
    root = yaml.compose(source, Loader=Loader)
    nodes = {key: node_at(root, tuple(key.split("."))) for key in texts}
    changes = [(node, text) for key, text in texts.items()
               if isinstance(node := nodes[key], yaml.ScalarNode) and node.value != text]
    return file, bom + replaced(source, changes), len(changes) + added


def _added(file: Path, source: str, texts: dict[str, str]) -> tuple[str, int]:
    """`source` with the keys it lacks added, each under the deepest mapping it has (a new
    English item, or a level the translation lacked), in double quotes after its last line."""
    root = yaml.compose(source, Loader=Loader)
    missing: dict[int, tuple[yaml.MappingNode, dict]] = {}
    problems = []
    for key, text in texts.items():
        path = tuple(key.split("."))
        if node_at(root, path) is not None:
            continue
        depth = next(depth for depth in range(len(path), -1, -1) if node_at(root, path[:depth]) is not None)
        found = node_at(root, path[:depth])
        if not isinstance(found, yaml.MappingNode) or found.flow_style or not found.value:
            what = ("gives one text here where the English has one per level; write the levels out "
                    "(easy:, standard:, detailed:)" if isinstance(found, yaml.ScalarNode) else
                    f"has no '{path[depth]}' here; add it as in the English file")
            problems.append(Problem(file, found.start_mark.line + 1, found.start_mark.column + 1,
                                    f"{key}: the file {what}, then import again"))
            continue
        tree = missing.setdefault(found.start_mark.index, (found, {}))[1]
        for part in path[depth:-1]:
            tree = tree.setdefault(part, {})
        tree[path[-1]] = text
    if problems:
        raise ContentError(problems)
    newline = "\r\n" if "\r\n" in source else "\n"
    lines = source.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    for mapping, tree in sorted(missing.values(), key=lambda found: -last_line(found[0])):
        indent = mapping.value[0][0].start_mark.column
        lines.insert(last_line(mapping) + 1, _block(tree, indent, newline))
    return "".join(lines), sum(_count(tree) for _, tree in missing.values())


def _block(tree: dict, indent: int, newline: str) -> str:
    """Keys and texts as block YAML, texts in double quotes (JSON's strings are YAML's)."""
    return "".join(f"{' ' * indent}{key}:{newline}{_block(value, indent + 2, newline)}"
                   if isinstance(value, dict) else
                   f"{' ' * indent}{key}: {json.dumps(value, ensure_ascii=False)}{newline}"
                   for key, value in tree.items())


def _count(tree: dict) -> int:
    return sum(_count(value) if isinstance(value, dict) else 1 for value in tree.values())
