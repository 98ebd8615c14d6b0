"""Stable ids: each translated list item follows its English item by id, not by place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import write_yaml

from handoutkit import ids
from handoutkit.cli import main
from handoutkit.config import CONTENT_DIR, STATE_FILE
from handoutkit.ids import key_by_id
from handoutkit.loader import dump_yaml, load_yaml
from handoutkit.reviews import text_fingerprint
from handoutkit.schema import Topic, keyed_list
from handoutkit.translations import overlay
from handoutkit.validator import validate


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def merged_kratom(content: Path) -> dict[str, Any]:
    english = load_yaml(content / "en/kratom.yaml")
    return overlay(english, load_yaml(content / "es/kratom.yaml"), "kratom", {}).located.data


def test_inserting_deleting_and_moving_english_items_leaves_every_translation_in_place(spanish, capsys):
    """The translators' case: one English bullet inserted made 14 Spanish texts stale, 3
    missing, and paired every later one with the wrong English item."""
    assert run(capsys, "status", "--content", str(spanish), "--lang", "es")[0] == 0
    english = spanish / "en/kratom.yaml"
    edit(english, "    bullets:\n      withdrawal-signs:\n",  # inserted first
         "    bullets:\n      cravings:\n        easy: \"Cravings can last for weeks.\"\n"
         "      withdrawal-signs:\n")
    text = english.read_text(encoding="utf-8")
    never_mix = text[text.index("  never-mix:\n"):text.index("\nhelp_box:")]
    text = text.replace(never_mix + "\n", "").replace("key_messages:\n", f"key_messages:\n{never_mix}\n")
    english.write_text(text, encoding="utf-8")  # moved first
    for file in (english, spanish / "es/kratom.yaml"):  # deleted, from the English and the Spanish
        text = file.read_text(encoding="utf-8")
        start = text.index("      deaths:\n")
        file.write_text(text[:start] + text[text.index("    table:\n", start):], encoding="utf-8")

    code, out = run(capsys, "status", "--content", str(spanish), "--lang", "es")
    assert "kratom        complete 172/173, missing 1, stale 0, extra 0" in out
    assert "missing: sections.addiction.bullets.cravings.easy" in out
    data = merged_kratom(spanish)
    assert list(data["key_messages"]) == ["never-mix", "not-proven-safe", "addiction"]
    assert data["key_messages"]["never-mix"]["easy"].startswith("**Nunca mezcle kratom")
    assert data["sections"]["addiction"]["bullets"]["withdrawal-signs"]["easy"].startswith("Abstinencia:")
    assert "deaths" not in data["sections"]["harms"]["bullets"]


def test_a_translated_item_the_english_lacks_is_an_error(spanish, capsys):
    english = spanish / "en/kratom.yaml"
    text = english.read_text(encoding="utf-8")
    start = text.index("      deaths:\n")
    english.write_text(text[:start] + text[text.index("    table:\n", start):], encoding="utf-8")
    edit(spanish / "es/kratom.yaml", "      heavy-metals:\n", "      heavy-metal:\n")
    code, out = run(capsys, "check", "--content", str(spanish), "--lang", "es")
    assert code == 1
    assert ("sections.harms.bullets.deaths: the English file has no item 'deaths' here; if the English "
            "item was deleted, delete it here too; if not, give it the id of the English item it "
            "translates") in out
    assert ("sections.not-tested.bullets.heavy-metal: the English file has no item 'heavy-metal' here "
            "(did you mean 'heavy-metals'?)") in out


def test_the_red_teams_stray_dash_line_is_an_error_at_its_line(spanish, capsys):
    """One stray '- ' line under `items:` took a safety message out of the PDF while `check`
    passed with a warning; with items keyed by id it cannot be read at all."""
    file = spanish / "es/withdrawal.yaml"
    edit(file, "  items:\n", "  items:\n    - \n")
    line = file.read_text(encoding="utf-8").splitlines().index("    - ") + 1
    code, out = run(capsys, "check", "--content", str(spanish), "--lang", "es")
    assert code == 1 and f"es/withdrawal.yaml:{line + 1}:" in out and "YAML syntax" in out


# ---- key-by-id: a translation made when items were paired by place ----

def test_key_by_id_migrates_a_translation_with_no_text_lost(spanish, capsys):
    """Spanish as it was, lists paired by place and records keyed by place, becomes Spanish as
    it is now: the same texts under the English ids, the same sync records under the new keys."""
    now = {name: (spanish / "es" / f"{name}.yaml").read_text(encoding="utf-8")
           for name in ("kratom", "withdrawal")}
    records_now = (spanish / "es" / STATE_FILE).read_text(encoding="utf-8")
    places = {}
    for name, text in now.items():
        data = yaml.safe_load(text)
        old = _unkeyed(data, (), places.setdefault(name, {}))
        # PyYAML writes lists level with their key ('key:' over '- item'): the hardest layout.
        (spanish / "es" / f"{name}.yaml").write_text("# Spanish\n" + dump_yaml(old), encoding="utf-8")
    state = yaml.safe_load(records_now)
    for name, renames in places.items():
        records = state["synced"][name]
        state["synced"][name] = {renames.get(key, key): record for key, record in records.items()}
    (spanish / "es" / STATE_FILE).write_text(dump_yaml(state), encoding="utf-8")

    code, out = run(capsys, "check", "--content", str(spanish), "--lang", "es")
    assert code == 1 and "run `python make_handouts.py key-by-id es` to key them by the English ids" in out
    code, out = run(capsys, "key-by-id", "--content", str(spanish), "es")
    assert code == 0 and "kratom: 20 lists keyed by id" in out and "withdrawal: 17 lists keyed by id" in out
    for name, text in now.items():
        migrated = (spanish / "es" / f"{name}.yaml").read_text(encoding="utf-8")
        assert migrated.startswith("# Spanish\n")
        assert yaml.safe_load(migrated) == yaml.safe_load(text)
    records = (spanish / "es" / STATE_FILE).read_text(encoding="utf-8")
    assert yaml.safe_load(records) == yaml.safe_load(records_now)
    code, out = run(capsys, "status", "--content", str(spanish), "--lang", "es")
    assert code == 0 and "stale 0" in out and "stale 1" not in out
    assert run(capsys, "key-by-id", "--content", str(spanish), "es")[1].startswith("Every list was already")


def _unkeyed(data: Any, path: tuple, renames: dict[str, str]) -> Any:
    """`data` with each list the English keys by id written as a list, and for each dotted
    key under it, the key by place: {'key_messages.addiction.easy': 'key_messages.1.easy'}."""
    if not isinstance(data, dict):
        return data
    if path and keyed_list(Topic, path):
        items = []
        for index, (name, value) in enumerate(data.items()):
            _renames(value, f"{'.'.join(path)}.{name}", f"{'.'.join(path)}.{index}", renames)
            items.append(value)
        return items
    return {key: _unkeyed(value, (*path, key), renames) for key, value in data.items()}


def _renames(value: Any, new: str, old: str, renames: dict[str, str]) -> None:
    renames[new] = old
    if isinstance(value, dict):
        for key, inner in value.items():
            _renames(inner, f"{new}.{key}", f"{old}.{key}", renames)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            _renames(inner, f"{new}.{index}", f"{old}.{index}", renames)


def test_key_by_id_keeps_comments_and_layout():
    source = ("key_messages:   # the first box\n"
              "  - easy: \"A\"\n"
              "    # a note\n"
              "    standard: \"B\"\n"
              "  - \"C\"\n"
              "rows: [[\"a\", \"b\"], [\"c\", \"d\"]]\n")
    ids = {("key_messages",): ["first", "second"], ("rows",): ["one", "two"]}
    assert key_by_id(source, ids) == (
        "key_messages:   # the first box\n"
        "  first:\n"
        "    easy: \"A\"\n"
        "    # a note\n"
        "    standard: \"B\"\n"
        "  second: \"C\"\n"
        "rows: {one: [\"a\", \"b\"], two: [\"c\", \"d\"]}\n")
    assert key_by_id(source.replace("\n", "\r\n"), ids) == key_by_id(source, ids).replace("\n", "\r\n")


def test_key_by_id_keys_table_rows_written_level_with_their_key():
    source = "table:\n  rows:\n  - - \"a\"\n    - \"b\"\n  - - \"c\"\n    - \"d\"\nnext: 1\n"
    keyed = key_by_id(source, {("table", "rows"): ["first", "second"]})
    rows = {"first": ["a", "b"], "second": ["c", "d"]}
    assert yaml.safe_load(keyed) == {"table": {"rows": rows}, "next": 1}


def test_key_by_id_writes_nothing_when_a_list_cannot_be_paired(spanish, capsys):
    file = spanish / "es/kratom.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["key_messages"] = list(data["key_messages"].values())[:2]
    data["steps"]["items"] = list(data["steps"]["items"].values())
    file.write_text(dump_yaml(data), encoding="utf-8")
    before = file.read_bytes()
    code, out = run(capsys, "key-by-id", "--content", str(spanish), "es")
    assert code == 1 and file.read_bytes() == before
    assert ("key_messages: the English list has 3 items, this one 2, so they cannot be paired by place: "
            "write each item under the id of the English item it translates") in out


def test_an_id_is_not_printed_so_renaming_one_keeps_a_clinical_sign_off(spanish):
    file = spanish / "en/kratom.yaml"
    topic = validate(load_yaml(file), Topic)
    edit(file, "  addiction:\n    easy:", "  can-hook-you:\n    easy:")
    assert text_fingerprint(validate(load_yaml(file), Topic)) == text_fingerprint(topic)
    text = file.read_text(encoding="utf-8")
    never_mix = text[text.index("  never-mix:\n"):text.index("\nhelp_box:")]
    moved = text.replace(never_mix + "\n", "").replace("key_messages:\n", f"key_messages:\n{never_mix}\n")
    file.write_text(moved, encoding="utf-8")
    assert text_fingerprint(validate(load_yaml(file), Topic)) != text_fingerprint(topic)  # the order prints


@pytest.mark.parametrize("name", ["kratom", "withdrawal", "interactions", "getting-help"])
def test_every_translated_list_of_the_english_is_keyed_by_id(name):
    """No list of more than one text is left to pair by place but a table's columns and cells."""
    def lists(data: Any, path: tuple) -> list[tuple]:
        if isinstance(data, dict):
            return [found for key, value in data.items() for found in lists(value, (*path, key))]
        if isinstance(data, list):
            inner = (found for index, value in enumerate(data) for found in lists(value, (*path, index)))
            return [path, *inner]
        return []

    data = yaml.safe_load((CONTENT_DIR / "en" / f"{name}.yaml").read_text(encoding="utf-8"))
    names = {"cells" if path[-2:-1] == ("rows",) else path[-1] for path in lists(data, ())}
    assert names <= {"columns", "cells"}


# ---- What a fresh review found ----

def legacy(spanish: Path) -> None:
    """Spanish as it was before ids: lists paired by place, records keyed by place."""
    state = yaml.safe_load((spanish / "es" / STATE_FILE).read_text(encoding="utf-8"))
    for name in ("kratom", "withdrawal", "interactions", "getting-help"):
        renames: dict[str, str] = {}
        file = spanish / "es" / f"{name}.yaml"
        write_yaml(file, _unkeyed(yaml.safe_load(file.read_text(encoding="utf-8")), (), renames))
        records = state["synced"][name]
        state["synced"][name] = {renames.get(key, key): record for key, record in records.items()}
    write_yaml(spanish / "es" / STATE_FILE, state)


@pytest.mark.parametrize("command", [["status", "--lang", "es"], ["mark-current", "es"],
                                     ["export-po", "es", "PO"], ["import-po", "es", "PO"]])
def test_nothing_is_done_with_a_translation_made_before_ids_until_it_is_keyed(spanish, capsys, command):
    """status and mark-current would drop its records, export-po its list items."""
    legacy(spanish)
    (spanish / "PO").mkdir()
    records = (spanish / "es" / STATE_FILE).read_bytes()
    args = [part.replace("PO", str(spanish / "PO")) for part in command]
    code, out = run(capsys, args[0], "--content", str(spanish), *args[1:])
    assert code == 1 and "run `python make_handouts.py key-by-id es`" in out
    assert (spanish / "es" / STATE_FILE).read_bytes() == records and not list((spanish / "PO").iterdir())


def test_key_by_id_finds_each_items_dash_not_one_in_a_comment():
    source = ("key_messages:\n"
              "  - # revisado 2024-05 con la Dra. Ruiz\n"
              "    easy: \"A\"\n"
              "  - \"B\"  # - nota\n")
    keyed = key_by_id(source, {("key_messages",): ["first", "second"]})
    assert keyed == ("key_messages:\n"
                     "  first: # revisado 2024-05 con la Dra. Ruiz\n"
                     "    easy: \"A\"\n"
                     "  second: \"B\"  # - nota\n")


def test_records_of_a_list_keyed_by_hand_follow_their_texts(spanish, capsys):
    """The route for a list that cannot be paired: key it by hand, then run key-by-id."""
    legacy(spanish)
    file = spanish / "es" / "kratom.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    first, second, _ = data["key_messages"]
    data["key_messages"] = {"addiction": second, "not-proven-safe": first}  # the third deleted
    write_yaml(file, data)
    edit(spanish / "en" / "kratom.yaml", "Kratom can hook you.", "Kratom can hook you fast.")
    assert run(capsys, "key-by-id", "--content", str(spanish), "es")[0] == 0
    code, out = run(capsys, "status", "--content", str(spanish), "--lang", "es")
    assert "stale: key_messages.addiction.easy" in out and "missing: key_messages.never-mix.easy" in out


def test_key_by_id_takes_unusual_keys_and_records_without_a_traceback(spanish, capsys):
    legacy(spanish)
    state = spanish / "es" / STATE_FILE
    text = state.read_text(encoding="utf-8")
    state.write_text(text.replace("key_messages.1.easy", "key_messages.\u00b2.easy"), encoding="utf-8")
    edit(spanish / "es" / "withdrawal.yaml", "key_messages:\n", "? key_messages\n:\n")  # an explicit key
    code, out = run(capsys, "key-by-id", "--content", str(spanish), "es")
    assert code == 0 and "withdrawal: 17 lists keyed by id" in out
    assert "key_messages.\u00b2.easy" in state.read_text(encoding="utf-8")  # kept as it was


def test_key_by_id_writes_nothing_it_cannot_read_back_as_the_same_texts(spanish, capsys, monkeypatch):
    """The last safety net: the rewritten text must read as the same texts under the ids."""
    legacy(spanish)
    before = {path: path.read_bytes() for path in (spanish / "es").iterdir()}
    monkeypatch.setattr(ids, "key_by_id",
                        lambda source, found: source.replace("- easy:", "- easy: x\n  y:", 1))
    code, out = run(capsys, "key-by-id", "--content", str(spanish), "es")
    assert code == 1 and "the file's lists cannot be keyed by id automatically (its layout is unusual)" in out
    assert {path: path.read_bytes() for path in (spanish / "es").iterdir()} == before


def test_key_by_id_writes_no_record_file_a_language_did_not_have(spanish, capsys):
    (spanish / "es" / STATE_FILE).unlink()
    code, out = run(capsys, "key-by-id", "--content", str(spanish), "es")
    assert code == 0 and "Every list was already keyed by id." in out
    assert not (spanish / "es" / STATE_FILE).exists()


@pytest.mark.parametrize(("old", "new", "message"), [
    ('key_messages:\n', 'key_messages: "Texto"\nold:\n',
     "key_messages: the English file has items keyed by id (such as 'not-proven-safe') here; this file "
     "has one text"),
    ('            detailed: "Deje el kratom y vaya al médico el mismo día. Lleve el producto con usted."\n',
     '            detailed: "Deje el kratom y vaya al médico el mismo día. Lleve el producto con usted."\n'
     '          - "Otra"\n',
     "sections.harms.table.rows.liver-signs: the English list has 3 items, this one 4"),
])
def test_a_translation_in_another_shape_than_the_english_is_an_error(spanish, capsys, old, new, message):
    edit(spanish / "es" / "kratom.yaml", old, new)
    code, out = run(capsys, "check", "--content", str(spanish), "--lang", "es", "--allow-incomplete")
    assert code == 1 and message in out
