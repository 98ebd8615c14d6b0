"""Commands for translators: status, new-language, mark-current and key-by-id."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from . import ids
from .config import REVIEWS_FILE, SOURCE_LANGUAGE, STATE_FILE
from .errors import ContentError, display_path
from .files import write_atomic
from .loader import dotted, load_yaml, present
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
    state, problems = load_state(options.content / code)
    changes: list[tuple[Path, str]] = []
    keyed: list[tuple[str, int]] = []
    for name in (INTERFACE, *options.topics):
        file = options.file(code, name)
        if not present(file):
            continue
        english = load_yaml(options.file(SOURCE_LANGUAGE, name), within=options.content)
        translation = load_yaml(file, within=options.content)
        found, unpaired = ids.positional(english.data, translation.data)
        problems += [translation.problem(lost.path, (
            f"{dotted(lost.path)}: the English list has {lost.english} items, this one {lost.found}, "
            "so they cannot be paired by place: write each item under the id of the English item "
            "it translates (TRANSLATING.md, \"Item ids\")")) for lost in unpaired]
        if found:
            text = file.read_bytes().decode("utf-8")
            bom = "\ufeff" if text.startswith("\ufeff") else ""
            changes.append((file, bom + ids.key_by_id(text.removeprefix(bom), found)))
            state.synced[name] = {ids.renamed(key, found): record
                                  for key, record in state.synced.get(name, {}).items()}
            keyed.append((name, len(found)))
    if problems:
        raise ContentError(problems)
    for file, text in changes:
        write_atomic(file, text)
    save_state(state)
    return keyed


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
