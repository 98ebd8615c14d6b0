"""The PO route: export-po writes what a translation tool needs, and import-po brings
back only what the translator finished, changing nothing else in the YAML files."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import yaml

from handoutkit.cli import main
from handoutkit.config import STATE_FILE

FILES = ("interface", "withdrawal", "kratom", "interactions", "getting-help")
HOOK = "**Kratom can hook you.** Quitting can cause withdrawal (feeling sick)."


def export(content: Path, code: str, folder: Path) -> dict[str, polib.POFile]:
    assert main(["export-po", "--content", str(content), code, str(folder)]) == 0
    return {name: polib.pofile(str(folder / f"{name}.po")) for name in FILES}


def files(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.yaml"))}


def test_export_then_import_with_no_edits_changes_nothing(spanish, tmp_path):
    before = files(spanish / "es")
    export(spanish, "es", tmp_path / "po")
    assert main(["import-po", "--content", str(spanish), "es", str(tmp_path / "po")]) == 0
    assert files(spanish / "es") == before


def test_each_text_is_offered_once_with_its_key_and_what_a_translator_needs(spanish, tmp_path):
    po = export(spanish, "es", tmp_path / "po")["kratom"]
    entry = po.find("key_messages.addiction.easy", by="msgctxt")
    assert entry.msgid == HOOK and entry.msgstr.startswith("**El kratom")
    assert "Reading level: easy." in entry.comment and "key messages box" in entry.comment
    assert not [e for e in po if e.msgctxt.split(".")[-1] in ("number", "url", "qr", "icon", "accessed")]
    assert len({e.msgctxt for e in po}) == len(po)  # one entry per key


def test_files_pass_msgfmt_and_pofilter(spanish, tmp_path):
    export(spanish, "es", tmp_path / "po")
    pofilter = Path(sys.executable).parent / "pofilter"
    for name in FILES:
        path = tmp_path / "po" / f"{name}.po"
        result = subprocess.run([str(pofilter), "-i", str(path), "-o", str(tmp_path / f"{name}.check.po")],
                                capture_output=True, text=True)
        assert result.returncode == 0 and "Error" not in result.stderr, result.stderr
        if shutil.which("msgfmt"):  # GNU gettext, where the machine has it
            result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                                    capture_output=True, text=True)
            assert result.returncode == 0, result.stderr
        polib.pofile(str(path)).save_as_mofile(str(tmp_path / f"{name}.mo"))  # compiles


def test_a_stale_text_is_fuzzy_with_the_english_it_was_made_from(spanish, tmp_path, capsys):
    assert main(["status", "--content", str(spanish), "--lang", "es"]) == 0  # keeps the English
    english = spanish / "en" / "kratom.yaml"
    english.write_text(english.read_text(encoding="utf-8").replace("Kratom can hook you.",
                                                                   "Kratom can cause addiction."))
    entry = export(spanish, "es", tmp_path / "po")["kratom"].find("key_messages.addiction.easy", by="msgctxt")
    assert entry.fuzzy and entry.previous_msgid == HOOK
    assert entry.msgid == HOOK.replace("Kratom can hook you.", "Kratom can cause addiction.")


def test_an_untranslated_text_has_an_empty_msgstr(spanish, tmp_path):
    assert main(["new-language", "--content", str(spanish), "fr"]) == 0
    po = export(spanish, "fr", tmp_path / "po")["kratom"]
    assert all(entry.msgstr == "" and not entry.fuzzy for entry in po)  # not "[untranslated] ..."


def test_import_writes_only_the_finished_texts(spanish, tmp_path, capsys):
    assert main(["status", "--content", str(spanish), "--lang", "es"]) == 0
    english = spanish / "en" / "kratom.yaml"
    english.write_text(english.read_text(encoding="utf-8").replace("Kratom can hook you.",
                                                                   "Kratom can cause addiction."))
    po = export(spanish, "es", tmp_path / "po")["kratom"]
    entry = po.find("key_messages.addiction.easy", by="msgctxt")
    entry.msgstr = "**El kratom causa adicción.** Y abstinencia."
    finished = po.find("purpose.easy", by="msgctxt")
    finished.msgstr = "Esto explica los riesgos del kratom."
    po.save(str(tmp_path / "po" / "kratom.po"))  # the first is still fuzzy: not finished
    before = (spanish / "es" / "kratom.yaml").read_text(encoding="utf-8")
    assert main(["import-po", "--content", str(spanish), "es", str(tmp_path / "po")]) == 0
    after = (spanish / "es" / "kratom.yaml").read_text(encoding="utf-8")
    changed = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == [line for line in changed if "purpose" not in line] and len(changed) == 2
    assert '  easy: "Esto explica los riesgos del kratom."' in changed[1]
    capsys.readouterr()
    main(["status", "--content", str(spanish), "--lang", "es"])
    out = capsys.readouterr().out
    assert "stale: key_messages.addiction.easy" in out and "purpose.easy" not in out  # fuzzy stays stale
    assert (spanish / "es" / STATE_FILE).read_text(encoding="utf-8").count("purpose") >= 1


def test_import_into_a_new_language_changes_only_the_texts_lines(spanish, tmp_path):
    """new-language keeps the English file's layout and comments, a text a line: the
    translated text replaces its line, and nothing else moves."""
    assert main(["new-language", "--content", str(spanish), "fr"]) == 0
    file = spanish / "fr" / "kratom.yaml"
    before = file.read_text(encoding="utf-8")
    english = (spanish / "en" / "kratom.yaml").read_text(encoding="utf-8")
    assert before.replace('"[untranslated] ', '"').splitlines()[:3] == english.splitlines()[:3]  # comments
    assert before.count("\n") == english.count("\n")
    po = export(spanish, "fr", tmp_path / "po")["kratom"]
    entry = po.find("purpose.detailed", by="msgctxt")
    entry.msgstr = "Ce document s'adresse aux personnes qui consomment du kratom : « ce qu'il faut savoir »."
    po.save(str(tmp_path / "po" / "kratom.po"))
    assert main(["import-po", "--content", str(spanish), "fr", str(tmp_path / "po")]) == 0
    after = file.read_text(encoding="utf-8")
    assert yaml.safe_load(after)["purpose"]["detailed"] == entry.msgstr
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]
    assert len(changed) == 2 and changed[1].startswith("+   detailed: ")


def test_an_entry_made_from_older_english_is_left_out(spanish, tmp_path, capsys):
    """The red team's case: PO files exported, then the English changed, then the old
    files imported unedited; the stale texts must stay stale, not become current."""
    assert main(["status", "--content", str(spanish), "--lang", "es"]) == 0
    export(spanish, "es", tmp_path / "po")
    english = spanish / "en" / "kratom.yaml"
    english.write_text(english.read_text(encoding="utf-8").replace("Kratom can hook you.",
                                                                   "Kratom can cause addiction."))
    assert main(["import-po", "--content", str(spanish), "es", str(tmp_path / "po")]) == 0
    assert "kratom: 0 texts changed; 1 entry made from older English, left out" in capsys.readouterr().out
    main(["status", "--content", str(spanish), "--lang", "es"])
    assert "stale: key_messages.addiction.easy" in capsys.readouterr().out


def test_a_key_twice_or_a_control_character_writes_nothing(spanish, tmp_path, capsys):
    export(spanish, "es", tmp_path / "po")
    po = tmp_path / "po" / "kratom.po"
    exported = po.read_text(encoding="utf-8")
    purpose = polib.pofile(str(po)).find("purpose.easy", by="msgctxt").msgstr
    mistakes = {"a second entry for this key":
                exported + '\nmsgctxt "title.easy"\nmsgid "Kratom and its risks"\nmsgstr "Otra vez"\n',
                "an invisible control character":  # a NEL, which YAML would take for a line break
                exported.replace(f'msgstr "{purpose}"', f'msgstr "{purpose}\u0085"')}
    before = files(spanish / "es")
    for message, text in mistakes.items():
        po.write_text(text, encoding="utf-8")
        assert main(["import-po", "--content", str(spanish), "es", str(tmp_path / "po")]) == 1
        assert message in capsys.readouterr().err and files(spanish / "es") == before


def test_import_keeps_a_files_byte_order_mark_and_line_endings(spanish, tmp_path):
    file = spanish / "es" / "kratom.yaml"
    file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes().replace(b"\n", b"\r\n"))
    before = file.read_bytes()
    po = export(spanish, "es", tmp_path / "po")["kratom"]
    po.find("purpose.easy", by="msgctxt").msgstr = "Esto explica los riesgos del kratom."
    po.save(str(tmp_path / "po" / "kratom.po"))
    assert main(["import-po", "--content", str(spanish), "es", str(tmp_path / "po")]) == 0
    after = file.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and after.count(b"\r\n") == before.count(b"\r\n")
    changed = [a for a, b in zip(before.split(b"\r\n"), after.split(b"\r\n")) if a != b]
    assert len(changed) == 1


def test_import_adds_the_translation_of_an_item_new_in_english(spanish, tmp_path):
    """An item inserted in English: its PO entry is empty; once translated, import writes it
    under its id, in double quotes, and nothing else changes."""
    english = spanish / "en" / "kratom.yaml"
    text = english.read_text(encoding="utf-8")
    item = '  brand-new:\n    easy: "Kratom is sold in many forms."\n'
    english.write_text(text.replace("  never-mix:\n", item + "  never-mix:\n", 1), encoding="utf-8")
    po = export(spanish, "es", tmp_path / "po")["kratom"]
    entry = po.find("key_messages.brand-new.easy", by="msgctxt")
    assert entry.msgstr == ""
    entry.msgstr = "El kratom se vende de muchas formas."
    po.save(str(tmp_path / "po" / "kratom.po"))
    file = spanish / "es" / "kratom.yaml"
    before = file.read_text(encoding="utf-8")
    assert main(["import-po", "--content", str(spanish), "es", str(tmp_path / "po")]) == 0
    after = file.read_text(encoding="utf-8")
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added == ["  brand-new:", '    easy: "El kratom se vende de muchas formas."']
    assert yaml.safe_load(after)["key_messages"]["brand-new"] == {"easy": added[1].split('"')[1]}
