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

from pathlib import Path

import polib
import yaml

from .config import GLOSSARY_FILE, LEVELS
from .errors import ContentError, Problem, display_path
from .files import write_atomic
from .glossary import load_glossary, uses
from .loader import Loader, node_at, replaced
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
    from .translator import compare

    state, results = compare(options, code)
    then = load_english_then(options.content)
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


def import_po(options: Options, code: str, folder: Path) -> dict[str, int]:
    """Write the finished texts of `folder`'s PO files into language `code`'s YAML
    files; for each file, how many texts changed."""
    from .translator import compare

    state, results = compare(options, code)
    changed: dict[str, int] = {}
    for name, merged in results:
        path = folder / f"{name}.po"
        if not path.is_file():
            continue
        entries = _finished(path, merged)
        changed[name] = _write_texts(options.file(code, name), entries)
        # A translator who cleared the fuzzy flag without changing the text says it fits.
        kept = {key for key, text in entries.items() if key in merged.pairs and merged.pairs[key][1] == text}
        accept(state, name, merged, kept & set(merged.report.stale))
    # The records of what each text was made from, as `status` would write them.
    _, fresh = compare(options, code)
    for name, merged in fresh:
        refresh(state, name, merged)
    save_state(state)
    keep_english_then(options.content, load_english_then(options.content), [m for _, m in fresh])
    return changed


def _finished(path: Path, merged: Merged) -> dict[str, str]:
    """The translated, not fuzzy entries of a PO file, by key; an entry whose key the
    English has no text for is an error at its line."""
    try:
        po = polib.pofile(str(path), encoding="utf-8")
    except (OSError, ValueError) as error:
        raise ContentError(f"{display_path(path)}: not a PO file a tool can read: {error}") from None
    problems = [Problem(path, entry.linenum, 1, f"{entry.msgctxt}: not a text of the English file "
                                                "(export the PO files again)")
                for entry in po if not entry.obsolete and entry.msgctxt not in merged.texts]
    if problems:
        raise ContentError(problems)
    return {entry.msgctxt: entry.msgstr for entry in po
            if entry.msgstr and not entry.fuzzy and not entry.obsolete}


def _write_texts(file: Path, texts: dict[str, str]) -> int:
    """Set each text at its key in `file`, changing nothing else; how many changed.

    Each changed text is replaced in place (loader.replaced). (ruamel.yaml's round trip,
    tried first, re-indents lists of lists and refolds long lines: 32 to 255 changed lines
    in a file with no text changed.)
    """
    if not texts:
        return 0
    if not file.is_file():
        raise ContentError(f"{display_path(file)}: no such file; `make_handouts.py new-language` "
                           "makes a language's files before their PO files can come back")
    source = file.read_text(encoding="utf-8")
    root = yaml.compose(source, Loader=Loader)
    changes = []
    for key, text in texts.items():
        node = node_at(root, tuple(key.split(".")))
        if not isinstance(node, yaml.ScalarNode):
            raise ContentError(f"{display_path(file)}: cannot put {key} in place: the file has no "
                               "text there (its shape differs from the English file); edit it in "
                               "the YAML file")
        if node.value != text:
            changes.append((node, text))
    if changes:
        write_atomic(file, replaced(source, changes))
    return len(changes)
