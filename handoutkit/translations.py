"""Translations: how a language's files line up with the English ones, key by key.

A translation holds the same keys as its English file. Keys that are not text (phone
numbers, addresses, dates, styles) always come from English, so a translation never
prints an outdated number. For each text key the tool remembers which English text the
translation was made from (in the language's translation.yaml), so that it can say
which translations are stale when the English changes.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .config import ENGLISH_THEN_FILE, INTERFACE_FILE, LEVELS, NON_TEXT_KEYS, STATE_FILE
from .errors import Problem
from .files import write_atomic
from .loader import (
    KeyPath,
    Loader,
    Located,
    QuotedKey,
    dotted,
    dump_yaml,
    load_yaml,
    present,
    replaced,
    text_nodes,
)

UNTRANSLATED = "[untranslated] "


# Keys a translation may add that English has no need of: a language whose locale data
# has no month names gives its own (interface.yaml's `dates`, see TRANSLATING.md).
OWN_KEYS = {Path(INTERFACE_FILE).stem: frozenset({"dates"})}


def fixed_keys(name: str) -> frozenset[str]:
    """The keys of file `name` ("interface" or a topic) that are not text."""
    return frozenset() if name == Path(INTERFACE_FILE).stem else NON_TEXT_KEYS


@dataclass
class FileReport:
    """How one translated file stands against its English file."""

    name: str
    total: int = 0
    missing: list[str] = field(default_factory=list)
    english: set[str] = field(default_factory=set)  # the English texts printed in their place
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    glossary: list[Problem] = field(default_factory=list)  # texts that stray from the glossary

    @property
    def complete(self) -> int:
        return self.total - len(self.missing)

    @property
    def clean(self) -> bool:
        return not (self.missing or self.stale or self.extra)


@dataclass
class Merged:
    """A translation overlaid on English: data to validate and what was learned."""

    located: Located
    report: FileReport
    problems: list[Problem]
    pairs: dict[str, tuple[str, str]]  # key path -> (English text, translated text)
    fixed: frozenset[str]  # keys whose values are not text
    texts: dict[str, str] = field(default_factory=dict)  # every text's key path -> its English
    positional: list[Problem] = field(default_factory=list)  # lists made before item ids (key-by-id)


def overlay(english: Located, translation: Located | None, name: str,
            synced: dict[str, str]) -> Merged:
    """English data with the translation's text put in wherever it has some.

    Missing or untranslated text stays English (and is reported missing); text keys
    whose English changed since the translation was last synced are reported stale.
    """
    merged = Merged(Located(translation.file if translation else english.file, None),
                    FileReport(name), [], {}, fixed_keys(name))
    data = translation.data if translation else None
    merged.located.data = _merge(english.data, data, (), translation, merged, synced)
    own = OWN_KEYS.get(name, frozenset())
    if isinstance(data, dict) and isinstance(merged.located.data, dict):
        merged.located.data.update({key: data[key] for key in own if key in data})
    if translation is not None:
        shapes = _Shapes(name, translation.file.parent.name)
        shapes.walk(english.data, data)
        found = [(path, message) for path, message in shapes.found if path[0] not in own]
        merged.report.extra = [dotted(path) for path, _ in found]
        located = [(path, translation.problem(path, message, key=True)) for path, message in found]
        merged.problems += [problem for _, problem in located]
        merged.positional = [problem for path, problem in located if path in shapes.positional]
        merged.located.values.update(translation.values)
        merged.located.keys.update(translation.keys)
    return merged


def _merge(en: Any, tr: Any, path: KeyPath, translation: Located | None, merged: Merged,
           synced: dict[str, str]) -> Any:
    if isinstance(en, str) and _is_levels(tr):
        en = {level: en for level in tr}  # English says it once; the translation per level
    if isinstance(tr, str) and _is_levels(en, merged.fixed):
        tr = {level: tr for level in en if level in LEVELS}
    if isinstance(en, dict):
        tr = tr if isinstance(tr, dict) else {}
        return {key: _merge(value, tr.get(key), (*path, key), translation, merged, synced)
                for key, value in en.items()}
    if isinstance(en, list):
        tr = tr if isinstance(tr, list) else []
        return [_merge(value, tr[index] if index < len(tr) else None, (*path, index),
                       translation, merged, synced)
                for index, value in enumerate(en)]
    if not isinstance(en, str) or (path and path[-1] in merged.fixed):
        # Translation tools write every value as text ("3" for 3): compare as text.
        if tr is not None and str(tr) != str(en):
            merged.report.stale.append(dotted(path))  # an old number or address: English wins
        return en
    return _merge_text(en, tr, path, translation, merged, synced)


def _merge_text(en: str, tr: Any, path: KeyPath, translation: Located | None, merged: Merged,
                synced: dict[str, str]) -> str:
    key = dotted(path)
    merged.report.total += 1
    merged.texts[key] = en
    if tr is None or (isinstance(tr, str) and tr.startswith(UNTRANSLATED)):
        merged.report.missing.append(key)
        merged.report.english.add(en)
        return en
    if not isinstance(tr, str):
        assert translation is not None
        merged.problems.append(translation.problem(path, f"{key}: should be text, as in the English file"))
        return en
    merged.pairs[key] = (en, tr)
    if is_stale(synced.get(key), en, tr):
        merged.report.stale.append(key)
    return tr


@dataclass
class _Shapes:
    """Walks a translation beside its English file, collecting each key or list the
    translation has in another shape than the English (with why, and what to do)."""

    name: str  # "interface" or a topic
    code: str  # the translation's language
    found: list[tuple[KeyPath, str]] = field(default_factory=list)
    positional: list[KeyPath] = field(default_factory=list)  # lists made before item ids

    def walk(self, en: Any, tr: Any, path: KeyPath = ()) -> None:
        if isinstance(en, str) and _is_levels(tr):
            en = {level: en for level in tr}  # English says it once; the translation per level
        if isinstance(tr, dict):
            self._mapping(en if isinstance(en, dict) else {}, tr, path)
        elif isinstance(tr, list):
            self._list(en, tr, path)
        elif tr is not None and path and (isinstance(en, list) or
                                          (isinstance(en, dict) and not _is_levels(en, NON_TEXT_KEYS))):
            self.found.append((path, f"{dotted(path)}: the English file has {self._what(en, path)} here; "
                                     "this file has one text: give the same keys as the English file"))

    def _mapping(self, en: dict, tr: dict, path: KeyPath) -> None:
        for key, value in tr.items():
            if key in en:
                self.walk(en[key], value, (*path, key))
            else:
                self.found.append(((*path, key), self._unknown(key, en, tr, path)))

    def _list(self, en: Any, tr: list, path: KeyPath) -> None:
        if isinstance(en, dict) and self._keyed(path):
            self.positional.append(path)
            self.found.append((path, f"{dotted(path)}: the English file keys these items by id (such "
                                     f"as '{next(iter(en), '')}'), this file lists them in order; run "
                                     f"`python make_handouts.py key-by-id {self.code}` to key them by the "
                                     "English ids"))
        elif not isinstance(en, list):
            self.found.append((path, f"{dotted(path)}: the English file has {self._what(en, path)} here; "
                                     "this file has a list: give the same keys as the English file"))
        elif len(tr) != len(en):
            self.found.append((path, f"{dotted(path)}: the English list has {len(en)} items, this one "
                                     f"{len(tr)}; each item translates the English item in its place, so a "
                                     "stray '- ' line or a missing item pairs every later one wrongly"))
        else:
            for index, value in enumerate(tr):
                self.walk(en[index], value, (*path, index))

    def _unknown(self, key: Any, en: dict, tr: dict, path: KeyPath) -> str:
        """Why a key the English lacks is an error, and what to do instead."""
        close = difflib.get_close_matches(str(key), [str(name) for name in en], n=1)
        where = dotted((*path, key))
        if self._keyed(path):
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            return (f"{where}: the English file has no item '{key}' here{hint}; if the English item "
                    "was deleted, delete it here too; if not, give it the id of the English item it "
                    "translates")
        lacking = [name for name in en if name not in tr]
        if close:
            hint = f"did you mean '{close[0]}'?"
        elif len(lacking) == 1:
            hint = f"keys keep their English names: use '{lacking[0]}', which this file lacks"
        else:
            hint = "keys keep their English names; translate only the texts"
        return f"{where}: not a key of the English file; {hint}"

    def _what(self, en: Any, path: KeyPath) -> str:
        if isinstance(en, dict) and self._keyed(path):
            return f"items keyed by id (such as '{next(iter(en), '')}')"
        if isinstance(en, list):
            return "a list"
        return "one text" if isinstance(en, str) else "keys " + ", ".join(f"'{key}'" for key in en)

    def _keyed(self, path: KeyPath) -> bool:
        """Whether `path` is a list of items keyed by id."""
        from .schema import Interface, Topic, keyed_list

        model = Interface if self.name == Path(INTERFACE_FILE).stem else Topic
        return bool(path) and keyed_list(model, path)


def _is_levels(value: Any, fixed: frozenset[str] = frozenset()) -> bool:
    """A mapping of levels to words (besides keys that are not text, such as an icon)."""
    return isinstance(value, dict) and bool(set(value) & set(LEVELS)) and set(value) <= set(LEVELS) | fixed


# ---- Staleness: which English text each translation was made from ----

def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def sync_record(en: str, tr: str) -> str:
    return f"{fingerprint(en)} {fingerprint(tr)}"


def is_stale(record: str | None, en: str, tr: str) -> bool:
    """Stale: the English changed since the sync, and the translation did not."""
    if record is None:
        return False  # never synced: a new translation, taken as current
    english_then, translation_then = record.split()
    return english_then != fingerprint(en) and translation_then == fingerprint(tr)


@dataclass
class LanguageState:
    """A language's translation.yaml: who reviewed it, and the sync records."""

    file: Path
    reviewed_by: str = ""
    reviewed_on: str = ""
    page_budget_factor: float = 1.0
    synced: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def reviewed(self) -> bool:
        return bool(self.reviewed_by.strip() and self.reviewed_on.strip())


# What is true when translation.yaml is lost: with no sync records, every translated text
# counts as made from the current English (is_stale), and `make status` records it so.
STATE_RECOVERY = (f"{STATE_FILE} is kept by the tool: restore it from git, or delete it and run "
                  "`make status` to write a new one (texts already stale then count as current, "
                  "and reviewed_by and reviewed_on must be filled in again)")


def load_state(folder: Path) -> tuple[LanguageState, list[Problem]]:
    file = folder / STATE_FILE
    state = LanguageState(file)
    if not present(file):
        return state, []
    from .errors import ContentError
    from .schema import TranslationInfo
    from .validator import validate

    try:
        info = validate(load_yaml(file, within=folder.parent), TranslationInfo)
    except ContentError as error:
        *others, last = error.problems
        return state, [*others, replace(last, message=f"{last.message}\n    {STATE_RECOVERY}")]
    state.reviewed_by, state.reviewed_on = info.reviewed_by, info.reviewed_on
    state.page_budget_factor = info.page_budget_factor
    state.synced = {name: dict(records) for name, records in info.synced.items()}
    return state, []


# ---- The English each translation was made from, to show what changed ----

ENGLISH_THEN_HEADER = """\
# The English texts translations were made from, by fingerprint (the first half of each
# record in a language's translation.yaml), so that `make status` can show a stale text's
# English then and now. Written by `make status`; do not edit by hand.
"""


def english_then(record: str | None, texts: dict[str, str]) -> str | None:
    """The English text a sync record was made from, if it was kept."""
    return texts.get(record.split()[0]) if record else None


def load_english_then(content: Path) -> tuple[dict[str, str], str | None]:
    """The kept English texts, by fingerprint (a text its fingerprint does not match is
    left out), and what is wrong with the file if it cannot be read: only the display of
    old English is lost, and `status` writes the file anew."""
    file = content / ENGLISH_THEN_FILE
    if not present(file):
        return {}, None
    from .errors import ContentError

    try:
        data = load_yaml(file, within=content).data
    except ContentError as error:
        return {}, (f"{error.problems[0]}\n    the English of stale texts before now cannot be "
                    "shown; `make status` writes the file anew")
    if not isinstance(data, dict):
        return {}, None
    return {str(key): text for key, text in data.items()
            if isinstance(text, str) and fingerprint(text) == str(key)}, None


def keep_english_then(content: Path, texts: dict[str, str], merged: list[Merged]) -> None:
    """Add the English of every text now in sync, and drop what no language's record
    names any more; write the file if that changed it."""
    kept = dict(texts)
    kept.update({fingerprint(en): en for m in merged for en, _ in m.pairs.values()})
    named = {record.split()[0] for folder in content.glob(f"*/{STATE_FILE}")
             for records in load_state(folder.parent)[0].synced.values() for record in records.values()}
    kept = {key: kept[key] for key in sorted(kept) if key in named}
    if kept != texts:
        # Keys in quotes: a fingerprint such as 0b10110100 would otherwise read as a number.
        quoted = {QuotedKey(key): text for key, text in kept.items()}
        write_atomic(content / ENGLISH_THEN_FILE, ENGLISH_THEN_HEADER + dump_yaml(quoted))


def refresh(state: LanguageState, name: str, merged: Merged) -> None:
    """Record every current text key as in sync with the English it now follows; stale
    keys keep their old record."""
    stale = set(merged.report.stale)
    records = state.synced.get(name, {})
    state.synced[name] = {key: records[key] if key in stale else sync_record(en, tr)
                          for key, (en, tr) in merged.pairs.items()}


def accept(state: LanguageState, name: str, merged: Merged, keys: set[str] | None) -> list[str]:
    """Mark stale keys current after a translator checked that they still fit."""
    accepted = [key for key in merged.report.stale
                if key in merged.pairs and (keys is None or key in keys)]
    for key in accepted:
        en, tr = merged.pairs[key]
        state.synced.setdefault(name, {})[key] = sync_record(en, tr)
    merged.report.stale = [key for key in merged.report.stale if key not in accepted]
    return accepted


STATE_HEADER = """\
# About this translation.
# reviewed_by / reviewed_on: who checked the whole language, fluent and clinically
# aware, and when (YYYY-MM-DD, in quotes). Fill these in by hand after a review.
#
# `synced` is written by `make status`: which English text each translation was made
# from, so the tool can tell when the English changes. Do not edit it by hand; see
# TRANSLATING.md ("Stale keys").
"""


def save_state(state: LanguageState) -> None:
    body: dict[str, Any] = {"reviewed_by": state.reviewed_by, "reviewed_on": state.reviewed_on}
    if state.page_budget_factor != 1.0:
        body["page_budget_factor"] = state.page_budget_factor
    # Empty maps are left out: translation tools drop them, and nothing is lost.
    body["synced"] = {name: dict(sorted(records.items()))
                      for name, records in sorted(state.synced.items()) if records}
    text = STATE_HEADER + dump_yaml(body)
    if not state.file.is_file() or state.file.read_text(encoding="utf-8") != text:
        write_atomic(state.file, text)


# ---- A new language ----

def scaffold(english: str, fixed: frozenset[str]) -> str:
    """An English file with every text marked untranslated, for a translator to fill in:
    its comments and line layout kept, each text in double quotes."""
    english = english.removeprefix("\ufeff")  # a byte-order mark would shift every position
    root = yaml.compose(english, Loader=Loader)
    return replaced(english, [(node, UNTRANSLATED + node.value) for _, node in text_nodes(root, fixed)])
