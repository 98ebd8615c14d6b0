"""Commands for translators: status, new-language, mark-current and key-by-id."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import yaml

from . import ids
from .config import REVIEWS_FILE, SOURCE_LANGUAGE, STATE_FILE
from .errors import ContentError, display_path
from .files import write_atomic
from .loader import Loader, dotted, load_yaml, present
from .options import INTERFACE, Options, language_tag
from .translations import (
    FileReport,
    LanguageState,
    Merged,
    accept,
    english_then,
    fixed_keys,
    keep_english_then,
    load_english_then,
    load_state,
    overlay,
    refresh,
    save_state,
    scaffold,
)


def compare(options: Options, code: str) -> tuple[LanguageState, list[tuple[str, Merged]]]:
    """Every file of a translation overlaid on its English file."""
    state, problems = load_state(options.content / code)
    if problems:
        raise ContentError(problems)
    results = []
    for name in (INTERFACE, *options.topics):
        english = load_yaml(options.file(SOURCE_LANGUAGE, name), within=options.content)
        file = options.file(code, name)
        translation = load_yaml(file, within=options.content) if present(file) else None
        results.append((name, overlay(english, translation, name, state.synced.get(name, {}))))
    # A translation made before item ids would lose its records (status, mark-current) or
    # its list items (the PO files): nothing is done with it until it is keyed by id.
    if positional := [problem for _, merged in results for problem in merged.positional]:
        raise ContentError(positional)
    return state, results


def report(options: Options, codes: list[str], say: Callable[[str], None]) -> bool:
    """Print how each translation stands; True when all are complete and current.

    Keys whose translation changed since the last run are recorded as in sync with
    the English they now follow, in the language's translation.yaml.
    """
    clean, unreviewed, compared = True, [], []
    then, damage = load_english_then(options.content)
    if damage:
        say(f"warning: {damage}")
    for code in codes:
        state, results = compare(options, code)
        say(f"{code}: {display_path(options.content / code)}")
        for name, merged in results:
            say(_summary(merged.report))
            for key in merged.report.missing:
                say(f"      missing: {key}")
            for key in merged.report.stale:
                say(_stale(key, merged, english_then(state.synced.get(name, {}).get(key), then)))
            for key in merged.report.extra:
                say(f"      extra: {key}")
            clean = clean and merged.report.clean and not merged.problems
            refresh(state, name, merged)
            compared.append(merged)
        save_state(state)
        if not state.reviewed:
            unreviewed.append(code)
    keep_english_then(options.content, then, compared)
    if unreviewed:
        say(f"Unreviewed languages (no reviewed_by and reviewed_on in {STATE_FILE}): "
            f"{', '.join(unreviewed)}")
    say("All translations complete and current." if clean else
        "Some translations are missing, stale or have extra keys (listed above).")
    return clean


NOT_KEPT = "(not kept: it was translated before the tool kept the English)"


def _stale(key: str, merged: Merged, old: str | None) -> str:
    """A stale key with its English then and now, so the translator sees what changed."""
    new = merged.pairs[key][0] if key in merged.pairs else None
    lines = [f"      stale: {key}"]
    if new is not None:
        lines += [f"        English then: {old if old is not None else NOT_KEPT}",
                  f"        English now:  {new}"]
    return "\n".join(lines)


def _summary(r: FileReport) -> str:
    return (f"  {r.name:<13} complete {r.complete}/{r.total}, missing {len(r.missing)}, "
            f"stale {len(r.stale)}, extra {len(r.extra)}")


def mark_current(options: Options, code: str, keys: set[str] | None) -> list[tuple[str, str]]:
    """Accept stale keys (all, or those named) as still fitting the English."""
    state, results = compare(options, code)
    accepted = []
    for name, merged in results:
        for key in accept(state, name, merged, keys):
            accepted.append((name, key))
        refresh(state, name, merged)
    unknown = (keys or set()) - {key for _, key in accepted}
    if unknown:
        raise ContentError(f"not stale, or no such key: {', '.join(sorted(unknown))}; "
                           "`make status` lists the stale keys")
    save_state(state)
    keep_english_then(options.content, load_english_then(options.content)[0], [m for _, m in results])
    return accepted


def key_by_id(options: Options, code: str) -> list[tuple[str, int]]:
    """Key the items of every list a translation pairs by position by the ids of the
    English items in the same places, and its sync records with them; the number of
    lists keyed in each file. Nothing is written if any list cannot be paired."""
    from .schema import Interface, Topic, keyed_list

    state, problems = load_state(options.content / code)
    records_before = {name: dict(records) for name, records in state.synced.items()}
    changes: list[tuple[Path, str]] = []
    keyed: list[tuple[str, int]] = []
    for name in (INTERFACE, *options.topics):
        file = options.file(code, name)
        if not present(file):
            continue
        model = Interface if name == INTERFACE else Topic
        english = load_yaml(options.file(SOURCE_LANGUAGE, name), within=options.content)
        translation = load_yaml(file, within=options.content)
        found, unpaired = ids.positional(english.data, translation.data, lambda path: keyed_list(model, path))
        problems += [translation.problem(lost.path, _unpaired(lost, english.data)) for lost in unpaired]
        if found:
            try:
                changes.append((file, _keyed_text(file, translation.data, found)))
            except ValueError:
                problems.append(translation.problem((), (
                    "the file's lists cannot be keyed by id automatically (its layout is unusual); "
                    "write each item under the id of the English item it translates (TRANSLATING.md, "
                    "\"Item ids\")")))
                continue
            keyed.append((name, len(found)))
        records = {ids.renamed(key, found): record for key, record in state.synced.get(name, {}).items()}
        if records:
            state.synced[name] = ids.rehomed(records, ids.keyed_data(translation.data, found))
    if problems:
        raise ContentError(problems)
    if state.synced != records_before:
        save_state(state)  # first: renaming records again is harmless, should a write below fail
    for file, text in changes:
        write_atomic(file, text)
    return keyed


def _keyed_text(file: Path, data: Any, found: ids.Ids) -> str:
    """The file's text with its lists keyed by id; a ValueError if the result would not read
    as the same texts under the ids."""
    text = file.read_bytes().decode("utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    try:
        keyed = ids.key_by_id(text.removeprefix(bom), found)
        if yaml.load(keyed, Loader=Loader) != ids.keyed_data(data, found):
            raise ValueError("the rewritten file does not read as the same texts")
    except yaml.YAMLError as error:
        raise ValueError(str(error)) from None
    return bom + keyed


def _unpaired(lost: ids.Unpaired, english: Any) -> str:
    items = english
    for part in lost.path:
        items = items.get(part) if isinstance(items, dict) else None
    names = ", ".join(f"'{name}'" for name in (items or {}))
    if not lost.english:
        return f"{dotted(lost.path)}: the English file has no items here; delete this list"
    return (f"{dotted(lost.path)}: the English list has {lost.english} items, this one {lost.found}, so "
            f"they cannot be paired by place: write each item under the id of the English item it "
            f"translates ({names}; TRANSLATING.md, \"Item ids\")")


def new_language(content: Path, code: str) -> Path:
    """A folder for `code` holding every English file with its text marked untranslated."""
    language_tag(code)  # a ValueError that says which tag was meant
    folder = content / code
    if folder.exists():
        raise ValueError(f"{display_path(folder)} already exists")
    folder.mkdir(parents=True)
    for english in sorted((content / SOURCE_LANGUAGE).glob("*.yaml")):
        if english.name in (STATE_FILE, REVIEWS_FILE):
            continue
        load_yaml(english, within=content)  # the checks every content file passes
        write_atomic(folder / english.name, scaffold(english.read_bytes().decode("utf-8"),
                                                     fixed_keys(english.stem)))
    save_state(LanguageState(folder / STATE_FILE))
    return folder
