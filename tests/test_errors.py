"""The error catalogue (docs/errors.md): every entry has a test here, named after it.

Each test makes the mistake a translator or clinic could make, and checks the message
names the file, line and key, says what to do, and that the exit code is right.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import struct
from datetime import date
from pathlib import Path

import polib
import pytest
import yaml
from helpers import options, png, write_yaml

from handoutkit.build import MAX_READ_BYTES
from handoutkit.cli import main
from handoutkit.clinic import load_profile
from handoutkit.config import CONTENT_DIR, ROOT
from handoutkit.errors import ContentError
from handoutkit.files import read_regular
from handoutkit.languages import load_language, warnings
from handoutkit.loader import dump_yaml

CATALOGUE = ROOT / "docs" / "errors.md"


def run(capsys, *args: str) -> tuple[int, str]:
    """Run the command line; return the exit code and what it printed to stderr."""
    try:
        code = main(list(args))
    except SystemExit as exit_:  # argparse's usage errors
        code = exit_.code
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.err


def check(content: Path, capsys, *more: str) -> tuple[int, str]:
    return run(capsys, "check", "--content", str(content), "--lang", "en", *more)


def write(content: Path, text: str, name: str = "kratom.yaml") -> Path:
    file = content / "en" / name
    file.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return file


def edit(content: Path, old: str, new: str, name: str = "kratom.yaml") -> None:
    file = content / "en" / name
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(content: Path, needle: str, name: str = "kratom.yaml") -> int:
    lines = (content / "en" / name).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def test_every_catalogue_entry_has_a_test():
    entries = re.findall(r"^### (.+)$", CATALOGUE.read_text(), flags=re.M)
    names = {re.sub(r"[^a-z0-9]+", "_", entry.lower()).strip("_") for entry in entries}
    tests = {name[len("test_"):] for name in globals() if name.startswith("test_")}
    assert entries and names <= tests, sorted(names - tests)


# ---- Content files ----

def test_colon_in_a_text_not_in_quotes(content, capsys):
    edit(content, '  easy: "Kratom and its risks"', '  easy: Kratom and its risks: what to know')
    code, err = check(content, capsys)
    assert code == 1
    assert re.search(r'kratom\.yaml:4:\d+: a text with ": " in it must be in double quotes: put the whole '
                     r'text in "double quotes"\n    .+\n +\^', err)


def test_apostrophe_in_a_single_quoted_text(content, capsys):
    edit(content, '  easy: "Kratom and its risks"', "  easy: 'Kratom's risks'")
    code, err = check(content, capsys)
    assert code == 1
    assert re.search(r'kratom\.yaml:4:\d+: a text in single quotes ends at its first apostrophe: put the '
                     r'text in "double quotes" instead', err)


def test_quote_never_closed(content, capsys):
    """Reported at the line where the text starts, not at the next key."""
    edit(content, '  easy: "Kratom and its risks"', '  easy: "Kratom and its risks')
    code, err = check(content, capsys)
    assert code == 1
    assert ('kratom.yaml:4:9: the double quote that starts this text is never closed: '
            'end the text with "\n      easy: "Kratom and its risks\n') in err


def test_yaml_syntax_error(content, capsys):
    edit(content, 'title:\n', 'title: [\n')
    code, err = check(content, capsys)
    assert code == 1
    assert re.search(r"kratom\.yaml:\d+:\d+: YAML syntax: .+\n    .+\n +\^", err)


def test_tab_used_for_indentation(content, capsys):
    edit(content, '  easy: "Kratom and its risks"', '\teasy: "Kratom and its risks"')
    code, err = check(content, capsys)
    assert code == 1
    line = line_of(content, '\teasy: "Kratom and its risks"')
    assert f"kratom.yaml:{line}:1: a tab is used for indentation; YAML needs spaces" in err


def test_duplicate_key(content, capsys):
    edit(content, "purpose:\n", "purpose: x\npurpose:\n")
    code, err = check(content, capsys)
    assert code == 1 and re.search(r"kratom\.yaml:\d+:1: duplicate key 'purpose' \(first "
                                   r"written on line \d+\); keep one and delete the other", err)


def test_unknown_key(content, capsys):
    edit(content, "steps:\n  heading:", "steps:\n  headng:")
    code, err = check(content, capsys)
    line = line_of(content, "headng:")
    assert code == 1
    assert f"kratom.yaml:{line}:3: unknown key 'headng'; did you mean 'heading'?" in err


def test_wrong_type(content, capsys):
    edit(content, "key_messages:\n", "key_messages: Kratom is risky.\nold_key_messages:\n")
    code, err = check(content, capsys)
    assert code == 1
    assert "key_messages: should be a mapping (lines of 'key: value')" in err


def test_missing_required_key(content, capsys):
    data = yaml.safe_load((content / "en/kratom.yaml").read_text())
    del data["steps"]["heading"]
    write(content, dump_yaml(data))
    code, err = check(content, capsys)
    assert code == 1 and re.search(r"kratom\.yaml:\d+:\d+: missing required key 'heading' "
                                   r"\(in steps\)", err)


def test_empty_file(content, capsys):
    write(content, "# nothing yet\n")
    code, err = check(content, capsys)
    assert code == 1 and "kratom.yaml:1:1: the file is empty" in err


def test_file_not_utf_8(content, capsys):
    write(content, "title: Caf\xe9\n".encode("latin-1"))
    code, err = check(content, capsys)
    assert code == 1 and "kratom.yaml:1:11: not UTF-8 text (byte 0xe9); save the file as UTF-8" in err


def test_byte_order_mark(content, capsys):
    file = content / "en/kratom.yaml"
    file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes())  # UTF-8 with a BOM: accepted
    assert check(content, capsys)[0] == 0
    file.write_bytes(file.read_bytes()[3:].decode("utf-8").encode("utf-16"))
    code, err = check(content, capsys)
    assert code == 1 and "kratom.yaml:1:1: the file is saved as UTF-16; save it as UTF-8" in err


def test_text_too_long(content, capsys):
    edit(content, '  easy: "Kratom and its risks"', f'  easy: "{"Kratom " * 40}"')
    code, err = check(content, capsys)
    line = line_of(content, "Kratom Kratom")
    assert code == 1 and f"kratom.yaml:{line}:9: title.easy: is too long: at most 160 characters" in err


def test_anchors_and_aliases(content, capsys):
    edit(content, "purpose:\n", "purpose: &same\n")
    edit(content, "key_messages:\n", "key_messages: *same\nunused:\n")
    code, err = check(content, capsys)
    assert code == 1 and "anchors and aliases (& and *) are not allowed" in err


def test_file_too_large(content, capsys):
    write(content, "title: x\n" + "# padding\n" * 60000)
    code, err = check(content, capsys)
    assert code == 1 and "kratom.yaml:1:1: the file is 585 KB; content files may be at most 512 KB" in err


def test_phone_number_or_web_address_format(content, capsys):
    edit(content, 'number: "911"', 'number: "nine one one"')
    edit(content, 'url: "https://nida.nih.gov', 'url: "http://nida.nih.gov')
    code, err = check(content, capsys)
    assert code == 1
    assert "help_box.emergency.number: should be a phone number: digits and dashes" in err
    assert "sources.nida-kratom.url: should be a web address starting with https://" in err
    edit(content, 'url: "http://nida.nih.gov', 'url: "https://nida.nih.gov@evil.example')
    edit(content, 'qr: "https://findtreatment.gov"', 'qr: "https://[::1"', name="getting-help.yaml")
    code, err = run(capsys, "check", "--content", str(content), "--lang", "en")
    assert code == 1
    assert ("sources.nida-kratom.url: the address opens 'evil.example', not the name before '@' that a "
            "reader sees first; give the site's own address") in err
    assert "qr: not a valid web address; copy it from the browser's address bar" in err


def test_content_rule_broken(content, capsys):
    edit(content, 'review_due: "2027-11-30"', 'review_due: "2020-01-01"')
    code, err = check(content, capsys)
    assert code == 1 and "review_due: review_due must come after last_reviewed" in err


def test_unknown_placeholder(content, capsys):
    edit(content, 'page_of: "Page {page} of {pages}"', 'page_of: "Page {page} of {total}"',
         name="interface.yaml")
    code, err = check(content, capsys)
    assert code == 1 and "page_of: unknown placeholder {total}; allowed: {page}, {pages}" in err


def test_topic_file_missing(content, capsys):
    (content / "en/kratom.yaml").unlink()
    code, err = check(content, capsys)
    assert code == 1 and "kratom.yaml:1:1: file is missing" in err


def test_translation_incomplete(content, capsys):
    shutil.copytree(CONTENT_DIR / "es", content / "es")
    file = content / "es/kratom.yaml"
    data = yaml.safe_load(file.read_text())
    del data["steps"]["items"]["call-helpline"]
    write_yaml(file, data)
    code, err = run(capsys, "check", "--content", str(content), "--lang", "es")
    assert code == 1
    assert re.search(r"es/kratom\.yaml:1:1: \d+ keys not translated \(build with "
                     r"--allow-incomplete", err)


def check_spanish(content: Path, capsys, file: str, old: str, new: str) -> tuple[int, str]:
    """Make a mistake in a copy of the Spanish translation, then run `check` on it."""
    shutil.copytree(CONTENT_DIR / "es", content / "es")
    path = content / "es" / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return run(capsys, "check", "--content", str(content), "--lang", "es")


def test_key_not_in_the_english_file(content, capsys):
    """A translated key name, and a typo, each named with the English key to use."""
    code, err = check_spanish(content, capsys, "kratom.yaml", "purpose:", "propósito:")
    assert code == 1
    assert ("es/kratom.yaml:6:1: propósito: not a key of the English file; keys keep their English "
            "names: use 'purpose', which this file lacks") in err
    shutil.rmtree(content / "es")
    code, err = check_spanish(content, capsys, "kratom.yaml", "    bullets:", "    bulets:")
    assert code == 1
    assert re.search(r"es/kratom\.yaml:\d+:5: sections\.[\w-]+\.bulets: not a key of the English "
                     r"file; did you mean 'bullets'\?", err)


def test_list_of_another_length_than_the_english(content, capsys):
    """Lists that are not keyed by id (a table's columns) pair their items by place."""
    code, err = check_spanish(content, capsys, "kratom.yaml", '"Puede ser", ', '"Puede ser", "Extra", ')
    assert code == 1
    assert re.search(r"es/kratom\.yaml:\d+:7: sections\.harms\.table\.columns: the English list has 3 items, "
                     r"this one 4; each item translates the English item in its place", err)


def test_item_the_english_lacks(content, capsys):
    """A mistyped id, or an item the English deleted: an error, with the id meant."""
    code, err = check_spanish(content, capsys, "kratom.yaml", "  addiction:\n    easy:",
                              "  adiction:\n    easy:")
    assert code == 1
    assert re.search(r"es/kratom\.yaml:\d+:3: key_messages\.adiction: the English file has no item "
                     r"'adiction' here \(did you mean 'addiction'\?\); if the English item was deleted, "
                     r"delete it here too; if not, give it the id of the English item it translates", err)


def test_list_where_items_are_keyed_by_id(content, capsys):
    file = content / "en" / "kratom.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["key_messages"] = list(data["key_messages"].values())
    file.write_text(dump_yaml(data), encoding="utf-8")
    code, err = check(content, capsys)
    assert code == 1 and "key_messages: should be items keyed by id, not a list" in err


def test_not_a_valid_item_id(content, capsys):
    edit(content, "  addiction:\n    easy:", "  2-addiction:\n    easy:")
    code, err = check(content, capsys)
    assert code == 1 and ("'2-addiction' is not a valid id: use lower-case letters, digits and dashes, "
                          "starting with a letter") in err


def test_translation_with_items_in_order(content, capsys):
    """A translation made before ids: its lists pair items by place."""
    shutil.copytree(CONTENT_DIR / "es", content / "es")
    file = content / "es" / "kratom.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["key_messages"] = list(data["key_messages"].values())
    file.write_text(dump_yaml(data), encoding="utf-8")
    code, err = run(capsys, "check", "--content", str(content), "--lang", "es")
    assert code == 1
    assert re.search(r"es/kratom\.yaml:\d+:1: key_messages: the English file keys these items by id "
                     r"\(such as 'not-proven-safe'\), this file lists them in order; run "
                     r"`python make_handouts.py key-by-id es` to key them by the English ids", err)


def test_items_that_cannot_be_paired_by_place(content, capsys):
    shutil.copytree(CONTENT_DIR / "es", content / "es")
    file = content / "es" / "kratom.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["key_messages"] = list(data["key_messages"].values())[:2]
    file.write_text(dump_yaml(data), encoding="utf-8")
    code, err = run(capsys, "key-by-id", "--content", str(content), "es")
    assert code == 1
    assert re.search(r"es/kratom\.yaml:\d+:1: key_messages: the English list has 3 items, this one 2, "
                     r"so they cannot be paired by place: write each item under the id of the English "
                     r"item it translates", err)


def test_po_entry_the_english_lacks(content, capsys, tmp_path):
    shutil.copytree(CONTENT_DIR / "es", content / "es")
    assert main(["export-po", "--content", str(content), "es", str(tmp_path / "po")]) == 0
    po = tmp_path / "po" / "kratom.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgctxt "key_messages.9.easy"\nmsgid "x"\nmsgstr "y"\n',
                  encoding="utf-8")
    code, err = run(capsys, "import-po", "--content", str(content), "es", str(tmp_path / "po"))
    assert code == 1
    assert re.search(r"kratom\.po:\d+:1: key_messages\.9\.easy: not a text of the English file \(export "
                     r"the PO files again\)", err)


def test_po_text_for_a_level_the_translation_gives_once(spanish, tmp_path, capsys):
    """Named at its line, and no file is written, not even the others' (withdrawal.yaml)."""
    file = spanish / "es" / "kratom.yaml"
    text = file.read_text(encoding="utf-8")
    start = text.index("title:\n")
    end = text.index("\n\n", start)
    file.write_text(text[:start] + 'title: "El kratom y sus riesgos"' + text[end:], encoding="utf-8")
    before = {path.name: path.read_bytes() for path in (spanish / "es").glob("*.yaml")}
    assert main(["export-po", "--content", str(spanish), "es", str(tmp_path / "po")]) == 0
    po = {name: polib.pofile(str(tmp_path / "po" / f"{name}.po")) for name in ("kratom", "withdrawal")}
    po["kratom"].find("title.easy", by="msgctxt").msgstr = "Kratom: sus riesgos"
    po["kratom"].save(str(tmp_path / "po" / "kratom.po"))
    po["withdrawal"].find("purpose.easy", by="msgctxt").msgstr = "Otra cosa."
    po["withdrawal"].save(str(tmp_path / "po" / "withdrawal.po"))
    assert main(["import-po", "--content", str(spanish), "es", str(tmp_path / "po")]) == 1
    err = capsys.readouterr().err
    assert re.search(r"es/kratom\.yaml:\d+:8: title\.easy: the file gives one text here where the English "
                     r"has one per level", err), err
    assert {path.name: path.read_bytes() for path in (spanish / "es").glob("*.yaml")} == before


def test_number_or_address_lost_in_translation(content, capsys):
    """The red team's case: the helpline's 4357 typed as 4375 inside a Spanish sentence."""
    code, err = check_spanish(content, capsys, "getting-help.yaml", "al 1-800-662-4357 para encontrar",
                              "al 1-800-662-4375 para encontrar")
    assert code == 1
    assert ("es/getting-help.yaml:22:15: key_messages.call-helpline.standard: the English has the phone "
            "number "
            "1-800-662-4357; the translation does not (copy it from the English)") in err
    assert ("key_messages.call-helpline.standard: the translation has the phone number 1-800-662-4375; "
            "the English "
            "does not") in err


def test_text_left_in_english(content, capsys):
    """What a tool's "copy source" does: the English text as the translation."""
    english = ("**Call the National Helpline at 1-800-662-4357 to find treatment.** It is free, private "
               "and open 24 hours a day, in English and Spanish.")
    spanish = ("**Llame a la Línea Nacional de Ayuda al 1-800-662-4357 para encontrar tratamiento.** "
               "Es gratis y privada, las 24 horas, en inglés y en español.")
    code, err = check_spanish(content, capsys, "getting-help.yaml", spanish, english)
    assert code == 1
    assert ("key_messages.call-helpline.standard: the text is the English text: translate it "
            "(a tool's \"copy source\" "
            "leaves it so), or mark it [untranslated] to print it as a draft") in err


def test_placeholders_differ_from_the_english(content, capsys):
    code, err = check_spanish(content, capsys, "interface.yaml", "{pages}", "")
    assert code == 1
    assert re.search(r"es/interface\.yaml:\d+:\d+: page_of: placeholders must be as in the English, "
                     r"\{page\}, \{pages\}; the translation has \{page\}", err)


def test_bold_mark_without_its_partner(content, capsys):
    code, err = check_spanish(content, capsys, "getting-help.yaml", "para encontrar tratamiento.**",
                              "para encontrar tratamiento.")
    assert code == 1
    assert ("es/getting-help.yaml:22:15: key_messages.call-helpline.standard: a ** mark has no partner: "
            "bold text goes between two (**like this**)") in err


def test_text_in_curly_quotes(content, capsys):
    text = ("**Llame a la Línea Nacional de Ayuda al 1-800-662-4357 para encontrar tratamiento.** "
            "Es gratis y privada, las 24 horas, en inglés y en español.")
    code, err = check_spanish(content, capsys, "getting-help.yaml", f'"{text}"', f'“{text}”')
    assert code == 1
    assert ("key_messages.call-helpline.standard: the whole text is between curly quotes, which would "
            "print: quote a "
            'text with straight double quotes ("like this"), or not at all') in err


def test_untranslated_marker_left_in_a_text(content, capsys):
    code, err = check_spanish(content, capsys, "getting-help.yaml", "Es gratis y privada",
                              "[untranslated] Es gratis y privada")
    assert code == 1
    assert ("key_messages.call-helpline.standard: the marker [untranslated] is still in the text; "
            "delete it once the text is translated") in err


def test_character_no_font_can_print(content, capsys):
    edit(content, "Kratom can hook you.", "Kratom can hook you \U0001f48a.")
    code, err = check(content, capsys)
    assert code == 1 and re.search(r"kratom\.yaml:\d+:\d+: key_messages\.addiction\.easy: 1 character of "
                                   r"English \(\U0001f48a U\+1F48A PILL\) is in no bundled font; "
                                   r"replace it with words", err)


def test_script_no_font_can_print(content, capsys):
    """A whole script: one line for the file, naming the language and its letters."""
    edit(content, "Kratom can hook you.", "კრატომი საშიშია.")
    code, err = check(content, capsys)
    assert code == 1 and err.count("no bundled font") == 1
    assert re.search(r"kratom\.yaml:\d+:\d+: key_messages\.addiction\.easy: 9 characters of English "
                     r"\(ა ი კ მ ო რ ს ტ შ\) are in no bundled font; "
                     r'see TRANSLATING\.md "Adding a script"', err)


def test_fonts_not_installed(tmp_path, monkeypatch):
    from handoutkit import config, fonts

    monkeypatch.setattr(config, "FETCHED_FONTS_DIR", tmp_path / "fetched")
    fonts.drawn.cache_clear()
    fonts._printable.cache_clear()
    try:
        [(path, message)] = fonts.uncovered_characters({"title": "Xin chào"}, "vi")
    finally:
        fonts.drawn.cache_clear()
        fonts._printable.cache_clear()
    assert path == () and message == (f"the font Noto Sans is not installed ({tmp_path}/fetched/noto-sans); "
                                      "run `make fonts`")


@pytest.mark.pdf
def test_over_the_page_budget(content, capsys, tmp_path):
    data = yaml.safe_load((content / "en/kratom.yaml").read_text())
    data["steps"]["items"] |= {f"rest-{n}": {"easy": f"Rest and drink water, step {n}."} for n in range(40)}
    write(content, dump_yaml(data))
    code, err = run(capsys, "build", "--content", str(content), "--lang", "en", "--level",
                    "easy", "--topic", "kratom", "--out", str(tmp_path))
    assert code == 1
    assert re.search(r"en/easy/kratom\.pdf: \d pages; the easy level allows at most 2; its last page is "
                     r"\d+% full: cut about \d+% of its text\. Longest: [\w-]+ \(\d+% of the text\)", err)
    assert "No 'en' PDF was written; earlier ones are unchanged." in err
    assert f"A preview marked as over the limit: {tmp_path}/over-page-limit/en/easy/kratom.pdf" in err


def test_harder_to_read_than_the_target(content, capsys):
    hard = "Pharmacokinetic interactions substantially complicate individualized therapy."
    data = yaml.safe_load((content / "en/kratom.yaml").read_text())
    data["steps"]["items"]["tell-doctor"]["easy"] = " ".join([hard] * 10)
    write(content, dump_yaml(data))
    code, err = check(content, capsys)
    assert code == 1
    assert "kratom.yaml: easy: Flesch-Kincaid grade" in err and "Hardest sentences:" in err


@pytest.mark.pdf
def test_a_language_too_hard_to_read_is_not_written_nor_its_bilingual_sheets(content, capsys, tmp_path):
    """None of its PDFs is written, and the bilingual unit, which loads it again, fails too."""
    hard = "Pharmacokinetic interactions substantially complicate individualized therapy."
    data = yaml.safe_load((content / "en/kratom.yaml").read_text())
    data["steps"]["items"]["tell-doctor"]["easy"] = " ".join([hard] * 10)
    write(content, dump_yaml(data))
    code, err = run(capsys, *two_languages(tmp_path, content), "--bilingual", "es")
    out = tmp_path / "out"
    assert code == 1
    assert err.count("kratom.yaml: easy: Flesch-Kincaid grade") == 2  # English, then the pair
    assert (out / "es/easy/kratom.pdf").is_file()
    assert sorted(path.relative_to(out).as_posix() for path in out.rglob("*.pdf")) == ["es/easy/kratom.pdf"]


def test_review_date_passed(content):
    language = load_language("en", options(content.parent / "out", content=content))
    lines = warnings(language, today=date(2030, 1, 1))
    assert any(re.search(r"kratom\.yaml: review_due \S+ has passed; the facts need a clinical "
                         r"review", line) for line in lines)
    assert warnings(language, today=date(2026, 11, 21)) == []


# ---- The command line ----

@pytest.mark.parametrize("args,message", [
    (["build", "--level", "hard"], "argument --level: invalid choice: 'hard'"),
    (["build", "--topic", "kratm"], "argument --topic: invalid choice: 'kratm'"),
    (["build", "--paper", "legal"], "argument --paper: invalid choice: 'legal'"),
])
def test_unknown_level_topic_or_paper(capsys, args, message):
    code, err = run(capsys, *args)
    assert code == 2 and message in err


def test_unknown_language(capsys):
    code, err = run(capsys, "build", "--lang", "xx")
    assert code == 2 and "unknown language 'xx'; available: en, es" in err


def test_not_a_language_code(content, capsys):
    code, err = run(capsys, "new-language", "--content", str(content), "english")
    assert code == 2 and "'english' is not a language tag (BCP 47" in err


def test_output_folder_cannot_be_written(capsys, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    code, err = run(capsys, "build", "--lang", "en", "--level", "easy", "--topic", "kratom",
                    "--out", str(blocked / "out"))
    assert code == 1 and f"cannot write {blocked / 'out'}" in err


def test_debug_shows_the_traceback(content):
    write(content, "")
    import subprocess
    import sys
    result = subprocess.run([sys.executable, str(ROOT / "make_handouts.py"), "--debug", "check",
                             "--content", str(content), "--lang", "en"], capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "the file is empty" in result.stderr


# ---- Clinic profiles ----

def profile(tmp_path: Path, text: str, logo: tuple[str, bytes] | None = None) -> Path:
    folder = tmp_path / "clinics"
    folder.mkdir(exist_ok=True)
    if logo:
        (folder / logo[0]).write_bytes(logo[1])
    file = folder / "test-clinic.yaml"
    file.write_text(text, encoding="utf-8")
    return file


def build_with_profile(capsys, file: Path, tmp_path: Path) -> tuple[int, str]:
    return run(capsys, "build", "--clinic", str(file), "--lang", "en", "--level", "easy",
               "--topic", "kratom", "--out", str(tmp_path / "out"))


def test_invalid_clinic_profile(capsys, tmp_path):
    file = profile(tmp_path, 'name: Test Clinic\nphone: call us\nwebsite: clinic.example.org\n'
                             'referals: []\n')
    code, err = build_with_profile(capsys, file, tmp_path)
    assert code == 1
    assert "test-clinic.yaml:2:8: phone: should be a phone number" in err
    assert "test-clinic.yaml:3:10: website: should be a web address starting with https://" in err
    assert "test-clinic.yaml:4:1: unknown key 'referals'; did you mean 'referrals'?" in err
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_logo_too_large(capsys, tmp_path):
    big = b"\x89PNG\r\n\x1a\n" + bytes(300 * 1024)
    file = profile(tmp_path, 'name: Test\nphone: "555-0100"\nlogo: big.png\n', ("big.png", big))
    code, err = build_with_profile(capsys, file, tmp_path)
    assert code == 1
    assert "test-clinic.yaml:3:7: logo: 'big.png' is 300 KB; a logo may be at most 200 KB" in err


def test_logo_of_the_wrong_type(capsys, tmp_path):
    file = profile(tmp_path, 'name: Test\nphone: "555-0100"\nlogo: logo.gif\n', ("logo.gif", b"GIF89a"))
    code, err = build_with_profile(capsys, file, tmp_path)
    assert code == 1 and "logo: 'logo.gif' is not an SVG or PNG file" in err
    file = profile(tmp_path, 'name: Test\nphone: "555-0100"\nlogo: fake.png\n', ("fake.png", b"<html>"))
    code, err = build_with_profile(capsys, file, tmp_path)
    assert code == 1 and "logo: 'fake.png' is named .png but is not a PNG file" in err
    os.mkfifo(tmp_path / "clinics/pipe.svg")  # reading it would wait forever
    assert "logo: 'pipe.svg' is not a regular file" in logo_problem(tmp_path, "pipe.svg")


def test_logo_outside_the_profile_folder(capsys, tmp_path):
    (tmp_path / "elsewhere.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    file = profile(tmp_path, 'name: Test\nphone: "555-0100"\nlogo: ../elsewhere.svg\n')
    code, err = build_with_profile(capsys, file, tmp_path)
    assert code == 1 and "logo: '../elsewhere.svg' is outside the profile's folder" in err


SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
LOGO_ADVICE = "export the logo as a plain SVG, or as a PNG of at most 2000×2000 pixels"


def logo_problem(tmp_path: Path, name: str, data: bytes | str | None = None) -> str:
    """What loading a profile with this logo says (it must fail, at the logo: line)."""
    if data is not None:
        data = data.encode("utf-8") if isinstance(data, str) else data
    file = profile(tmp_path, f'name: Test\nphone: "555-0100"\nlogo: "{name}"\n',
                   (name, data) if data is not None else None)
    with pytest.raises(ContentError) as error:
        load_profile(file)
    message = str(error.value)
    assert message.startswith(f"{file}:3:7: logo: '{name}'") or "test-clinic.yaml:3:7: logo:" in message
    return message


def test_logo_refers_to_other_files(tmp_path):
    (tmp_path / "clinics/Documents").mkdir(parents=True)
    (tmp_path / "clinics/Documents/scan.png").write_bytes(png(8, 8))  # a private photo
    for logo, said in [
        (f'{SVG_OPEN}<image href="Documents/scan.png" width="9" height="9"/></svg>',
         "refers to 'Documents/scan.png' from <image>; a logo must be one file that loads "
         "nothing else (only #id references and inline PNG or JPEG images); " + LOGO_ADVICE),
        (f'{SVG_OPEN}<image xlink:href="file:///etc/passwd"/></svg>', "refers to 'file:///etc/passwd'"),
        (f'{SVG_OPEN}<use href="other.svg#a"/></svg>', "refers to 'other.svg#a' from <use>"),
        (f'{SVG_OPEN}<a href="https://evil.example"><rect width="1" height="1"/></a></svg>',
         "refers to 'https://evil.example' from <a>"),
        (f'{SVG_OPEN}<style>rect {{ fill: url("fonts/x.woff") }}</style></svg>',
         "refers to 'fonts/x.woff' in a <style> element"),
        (f'{SVG_OPEN}<rect style="fill:url(Documents/scan.png)"/></svg>',
         "refers to 'Documents/scan.png' in the style attribute of <rect>"),
        (f'{SVG_OPEN}<style>@import "x.css";</style></svg>',
         "loads a file or font in a <style> element (@import, @font-face or local())"),
        (f'{SVG_OPEN}<style>@font-face {{ src: local("DejaVu Sans") }}</style></svg>',
         "loads a file or font in a <style> element"),
        (f'{SVG_OPEN}<path id="a"/><image href="#a"/></svg>', "refers to '#a' from <image>"),
        (f'{SVG_OPEN}<style>rect {{ fill: \\75 rl(x.png) }}</style></svg>', "has a backslash escape"),
        (f'{SVG_OPEN}<image href="data:image/svg+xml;base64,PHN2Zy8+"/></svg>',
         "refers to 'data:image/svg+xml;base64,PHN2Zy8+' from <image>"),
    ]:
        assert said in logo_problem(tmp_path, "logo.svg", logo)
    # What a logo may hold: its own #ids, gradients and inline PNG images.
    inline = base64.b64encode(png(4, 4)).decode()
    (tmp_path / "clinics/logo.svg").write_text(
        f'{SVG_OPEN}<defs><linearGradient id="g"><stop offset="0"/></linearGradient>'
        f'<path id="p" d="M0 0h9v9z"/></defs><use xlink:href="#p" fill="url(#g)"/>'
        f'<image href="data:image/png;base64,{inline}" width="4" height="4"/></svg>')
    logo = load_profile(tmp_path / "clinics/test-clinic.yaml").logo
    assert logo is not None and logo.data_uri.startswith("data:image/svg+xml;base64,")


def test_logo_with_a_doctype_or_entities(tmp_path):
    xxe = ('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
           f'{SVG_OPEN}<text>&x;</text></svg>')
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "ha">'
              + "".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(9))
              + f']>\n{SVG_OPEN}<text>&j;</text></svg>')
    for logo in (xxe, laughs, f'<!DOCTYPE svg>{SVG_OPEN}</svg>'):
        assert ("has a DOCTYPE, which can declare entities and load other files; " + LOGO_ADVICE
                in logo_problem(tmp_path, "logo.svg", logo))
    assert "has a processing instruction" in logo_problem(
        tmp_path, "logo.svg", f'<?xml-stylesheet href="x.css"?>{SVG_OPEN}</svg>')


def test_logo_with_scripts_or_events(tmp_path):
    for logo, said in [
        (f'{SVG_OPEN}<script>alert(1)</script></svg>', "has a <script> element, which a logo may not have"),
        ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
         "has an event attribute (onload) on <svg>"),
        (f'{SVG_OPEN}<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject></svg>',
         "has a <foreignObject> element"),
        (f'{SVG_OPEN}<text font-family="DejaVu Sans">EC ✓</text></svg>',
         "has text (<text>), which would print in a font that is not bundled; convert the text "
         "to outlines (paths) in your drawing program"),
    ]:
        assert said in logo_problem(tmp_path, "logo.svg", logo)


def test_logo_too_complex(tmp_path):
    from PIL import Image

    from handoutkit.logos import MAX_PIXELS

    # 1.6 KB of nested <use>: ten copies of ten copies ... a million paths.
    levels = ['<path id="l0" d="M0 0h1v1z"/>'] + [
        f'<g id="l{n}">' + f'<use xlink:href="#l{n - 1}"/>' * 10 + "</g>" for n in range(1, 7)]
    bomb = f'{SVG_OPEN}<defs>{"".join(levels)}</defs><use xlink:href="#l6"/></svg>'
    assert len(bomb) < 2000
    assert ("draws more than 10000 shapes once its <use> copies are counted; " + LOGO_ADVICE
            in logo_problem(tmp_path, "logo.svg", bomb))
    assert "refers to itself" in logo_problem(tmp_path, "logo.svg",
                                              f'{SVG_OPEN}<g id="a"><use href="#a"/></g></svg>')
    deep = SVG_OPEN + "<g>" * 3000 + "</g>" * 3000 + "</svg>"
    assert "nests elements or <use> copies more than 100 deep" in logo_problem(tmp_path, "logo.svg", deep)
    chain = "".join(f'<use id="u{n}" href="#u{n + 1}"/>' for n in range(500)) + '<path id="u500"/>'
    assert "more than 100 deep" in logo_problem(tmp_path, "logo.svg", f"{SVG_OPEN}{chain}</svg>")
    many = SVG_OPEN + '<rect width="1" height="1"/>' * 5000 + "</svg>"
    assert "has 5001 elements; a logo may have at most 5000" in logo_problem(tmp_path, "logo.svg", many)
    # 7000 x 7000 pixels: refused from the header, before a byte of it is decoded.
    huge = png(7000, 7000, rows=b"")
    assert ("'logo.png' is 7000×7000 pixels; a logo may be at most 4000 pixels on a side and "
            "4 million pixels in all; " + LOGO_ADVICE) in logo_problem(tmp_path, "logo.png", huge)
    assert "is 4001×10 pixels" in logo_problem(tmp_path, "logo.png", png(4001, 10, rows=b""))
    inline = base64.b64encode(png(5000, 5000, rows=b"")).decode()
    assert "'logo.svg' (an image inside it) is 5000×5000 pixels" in logo_problem(
        tmp_path, "logo.svg", f'{SVG_OPEN}<image href="data:image/png;base64,{inline}"/></svg>')
    jpeg = b"\xff\xd8\xff\xc0\x00\x11\x08" + struct.pack(">HH", 9000, 9000) + bytes(12)
    assert "(an image inside it) is 9000×9000 pixels" in logo_problem(
        tmp_path, "logo.svg",
        f'{SVG_OPEN}<image href="data:image/jpeg;base64,{base64.b64encode(jpeg).decode()}"/></svg>')
    # Far below the size at which Pillow (which WeasyPrint draws PNGs with) would warn.
    assert MAX_PIXELS * 10 < Image.MAX_IMAGE_PIXELS


def test_logo_damaged(tmp_path):
    good = png(40, 20, colour=2)
    broken = bytearray(good)
    broken[-20] ^= 0xFF  # a byte of the compressed image data
    for data, said in [
        (good[:-30], "'logo.png' is a truncated PNG; " + LOGO_ADVICE),
        (bytes(broken), "'logo.png' is a damaged PNG (a 'IDAT' chunk fails its checksum)"),
        (good[:-12], "'logo.png' is a truncated PNG (it does not end with IEND)"),
        (png(40, 20, rows=bytes(100)), "is a damaged or truncated PNG (its image data does not match"),
        (good[:33] + good[-12:], "is a damaged PNG (it has no image data)"),
        (png(4, 2, rows=b"\x07" + bytes(4) + b"\x00" + bytes(4)),
         "is a damaged PNG (a row of its image data has an unknown filter)"),
    ]:
        assert said in logo_problem(tmp_path, "logo.png", data)
    frame = b"\xff\xd8\xff\xc0\x00\x11\x08" + struct.pack(">HH", 9, 9) + bytes(12)
    for jpeg in (frame, frame + b"\xff\xda\x00\x08" + bytes(6)):  # no scan; no end
        inline = base64.b64encode(jpeg).decode()
        assert "(an image inside it) is a damaged or truncated JPEG (no image data, or no end)" \
            in logo_problem(tmp_path, "logo.svg",
                            f'{SVG_OPEN}<image href="data:image/jpeg;base64,{inline}"/></svg>')
    assert "'logo.svg' is not well-formed XML (mismatched tag, line 3)" in logo_problem(
        tmp_path, "logo.svg", f"{SVG_OPEN}\n<g>\n</svg>")
    file = profile(tmp_path, 'name: Test\nphone: "555-0100"\nlogo: logo.png\n', ("logo.png", good))
    assert load_profile(file).logo.kind == "PNG"


def test_clinic_text_no_font_can_print(tmp_path):
    file = profile(tmp_path, 'name: Test \U0001f48a\nphone: "555-0100"\nreferrals:\n'
                             '  - name: Help\n    offers: {en: Walk-ins \u2713, es: Sin cita}\n')
    with pytest.raises(ContentError) as error:
        load_profile(file)
    message = str(error.value)
    assert ("test-clinic.yaml:1:7: name: 1 character (\U0001f48a U+1F48A PILL) is in no bundled "
            "font; replace it with words" in message)
    assert ("test-clinic.yaml:5:18: referrals.0.offers.en: 1 character of English (\u2713 U+2713 "
            "CHECK MARK) is not in its fonts (Atkinson Hyperlegible); replace it with words" in message)


def test_address_with_invisible_characters(tmp_path, content, capsys):
    file = profile(tmp_path, 'name: Test\nphone: "555-0100"\nreferrals:\n  - name: Help\n'
                             '    offers: Help.\n    url: "https://help.example.org/\u202egpj.exe"\n'
                             'website: "https://exa\u200bmple.org"\n')
    with pytest.raises(ContentError) as error:
        load_profile(file)
    message = str(error.value)
    assert ("test-clinic.yaml:7:10: website: the address holds the invisible character U+200B ZERO "
            "WIDTH SPACE, so what prints could read differently from what a QR code or browser "
            "opens; type the address again without it") in message
    assert "test-clinic.yaml:6:10: referrals.0.url: the address holds the invisible character " \
           "U+202E RIGHT-TO-LEFT OVERRIDE" in message
    for char in ("\u2066", "\u200e", "\u00ad", "\ufeff", "\U000e0041", "\u2060"):
        edit(content, 'qr: "https://findtreatment.gov"', f'qr: "https://findtreatment.gov{char}"',
             name="getting-help.yaml")
        code, err = check(content, capsys, "--topic", "getting-help")
        assert code == 1 and f"qr: the address holds the invisible character U+{ord(char):04X}" in err
        edit(content, f'qr: "https://findtreatment.gov{char}"', 'qr: "https://findtreatment.gov"',
             name="getting-help.yaml")


def test_address_too_long(tmp_path, content, capsys):
    longest = "https://clinic.example.org/" + "a" * 173
    file = profile(tmp_path, f'name: Test\nphone: "555-0100"\nwebsite: {longest}\n')
    assert len(longest) == 200 and load_profile(file).clinic.website == longest
    file = profile(tmp_path, f'name: Test\nphone: "555-0100"\nwebsite: {longest}b\n')
    with pytest.raises(ContentError) as error:
        load_profile(file)
    assert ("test-clinic.yaml:3:10: website: the address is 201 characters; at most 200 can be "
            "printed and typed from paper: use the page's short address") in str(error.value)
    fits = "https://findtreatment.gov/" + "q" * 154  # 180 characters: QR version 9
    edit(content, 'qr: "https://findtreatment.gov"', f'qr: "{fits}"', name="getting-help.yaml")
    code, err = check(content, capsys, "--topic", "getting-help")
    assert code == 0, err
    edit(content, f'qr: "{fits}"', f'qr: "{fits}q"', name="getting-help.yaml")
    code, err = check(content, capsys, "--topic", "getting-help")
    line = line_of(content, "qr:", name="getting-help.yaml")
    assert code == 1
    assert re.search(rf"getting-help\.yaml:{line}:\d+: sections\.[a-z-]+\.resources\.[a-z-]+\.qr: the "
                     r"address is too long for a printed QR code: at most 180 characters; use the "
                     r"page's short address", err)


def test_address_mixes_scripts(tmp_path, content, capsys):
    from handoutkit.addresses import mixed_scripts

    assert mixed_scripts("https://ex\u0430mple.org/path") == (
        "the address mixes Latin and Cyrillic letters in 'ex\u0430mple.org' (the '\u0430' is "
        "CYRILLIC SMALL LETTER A); check it is the clinic's real address")
    assert mixed_scripts("https://\u043f\u0440\u0438.com") is None  # one script per part: fine
    # An address prints in every language, so it must be in the Latin font every stack has:
    # one that mixes in another script's letters is refused outright (the warning is for
    # texts whose language prints both scripts).
    file = profile(tmp_path, 'name: Test\nphone: "555-0100"\nwebsite: https://ex\u0430mple.org\n')
    with pytest.raises(ContentError, match="website: 1 character \\(\u0430\\) is not in the fonts every "
                                           "language prints it in \\(Atkinson Hyperlegible\\)"):
        load_profile(file)
    edit(content, 'qr: "https://findtreatment.gov"', 'qr: "https://findtre\u0627tment.gov"',
         name="getting-help.yaml")
    code, err = check(content, capsys, "--topic", "getting-help")
    assert code == 1
    assert re.search(r"getting-help\.yaml:\d+:\d+: sections\.[a-z-]+\.resources\.[a-z-]+\.qr: "
                     r"1 character of English \(\u0627\) is not in its fonts", err)


# ---- Pictures, glossary and clinical sign-off ----

def test_unknown_picture(content, capsys):
    edit(content, "icon: call-911", "icon: call-912", name="getting-help.yaml")
    code, err = check(content, capsys)
    line = line_of(content, "icon: call-912", name="getting-help.yaml")
    assert code == 1
    assert (f"getting-help.yaml:{line}:11: help_box.emergency.icon: no picture named "
            "'call-912' in styles/icons/; the pictures are: alcohol, call-911,") in err


def test_picture_without_words(content, capsys):
    edit(content, "icon: call-911", "icon: pills", name="getting-help.yaml")
    edit(content, '  pills: "Pills"\n', "", name="interface.yaml")
    code, err = check(content, capsys)
    line = line_of(content, "icon: pills", name="getting-help.yaml")
    assert code == 1
    assert (f"getting-help.yaml:{line}:11: the picture 'pills' has no words for screen readers: "
            "add `pills: ...` under `icons` in interface.yaml") in err


def test_number_out_of_range(content, capsys):
    edit(content, "rows: 3", "rows: 13", name="interactions.yaml")
    code, err = check(content, capsys)
    line = line_of(content, "rows: 13", name="interactions.yaml")
    assert code == 1
    assert (f"interactions.yaml:{line}:13: sections.my-medicines.write_in.rows: "
            "is too large: at most 12") in err


def test_glossary_term_not_used(content, capsys):
    shutil.copytree(CONTENT_DIR / "es", content / "es")
    file = content / "es/kratom.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("ansias", "antojos"), encoding="utf-8")
    code, err = run(capsys, "check", "--content", str(content), "--lang", "es")
    assert code == 0
    assert re.search(r"warning: \S+es/kratom\.yaml:\d+:\d+: \S+: the English says 'cravings'; the "
                     r"glossary \(glossary\.yaml\) agrees on 'ansias'", err)


def test_topic_not_clinically_reviewed(content, capsys):
    code, err = check(content, capsys)
    assert code == 0
    assert ("en/reviews.yaml: kratom has never been clinically reviewed in this language; after a "
            "review, run `make_handouts.py sign-off en kratom --by NAME`") in err
    run(capsys, "sign-off", "--content", str(content), "en", "kratom", "--by", "Dr. A. Ruiz",
        "--on", "2026-11-30")
    edit(content, "Kratom can hook you.", "Kratom can hook you fast.")
    code, err = check(content, capsys)
    assert ("en/reviews.yaml: kratom changed after its clinical review by Dr. A. Ruiz on 2026-11-30; "
            "it needs a new review (then `make_handouts.py sign-off`)") in err


def test_review_record_damaged(content, capsys):
    write(content, "kratom:\n  by: Someone\n  date: yesterday\n  text: 0123456789\n", name="reviews.yaml")
    code, err = check(content, capsys)
    assert code == 1 and "en/reviews.yaml:3:9: kratom.date: should be a date written like 2026-11-21" in err


def test_sign_off_without_a_name_or_date(content, capsys):
    code, err = run(capsys, "sign-off", "--content", str(content), "en", "kratom", "--by", "")
    assert code == 2 and "--by needs the reviewers' names and roles, on one line" in err
    code, err = run(capsys, "sign-off", "--content", str(content), "en", "kratom", "--by", "A",
                    "--on", "2026-02-30")
    assert code == 2 and "argument --on: '2026-02-30' is not a date written like 2026-11-30" in err


def test_two_profiles_with_one_file_name(capsys, tmp_path):
    for side in ("north", "south"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "clinic.yaml").write_text('name: A clinic\nphone: "555-0100"\n', encoding="utf-8")
    code, err = run(capsys, "build", "--clinic", str(tmp_path / "north/clinic.yaml"),
                    "--clinic", str(tmp_path / "south/clinic.yaml"), "--out", str(tmp_path / "out"))
    assert code == 2
    assert (f"--clinic {tmp_path / 'north/clinic.yaml'} and --clinic {tmp_path / 'south/clinic.yaml'} "
            "would both write to the folder 'clinic/': give the profiles different file names") in err


@pytest.mark.parametrize("command", ["build", "check", "status"])
def test_content_folder_not_found(capsys, tmp_path, command):
    code, err = run(capsys, command, "--content", str(tmp_path / "nonexistent"))
    assert code == 1
    assert f"{tmp_path / 'nonexistent'} (--content) is not a folder: it should hold one folder per " \
           "language, each with an interface.yaml" in err
    code, err = run(capsys, command, "--content", str(tmp_path))
    assert code == 1 and "(--content) holds no language folder" in err


# ---- Building ----

def test_another_build_is_writing_to_the_folder(capsys, tmp_path):
    import fcntl
    import os

    from handoutkit.lock import LOCK_FILE

    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_FILE).write_text("4242\n")
    with open(out / LOCK_FILE) as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        code, err = run(capsys, "build", "--lang", "en", "--out", str(out))
    assert code == 1
    assert f"another build (process 4242) is writing to {out}; wait for it to finish" in err
    assert os.getpid() != 4242


def test_lock_file_is_a_link(capsys, tmp_path):
    from handoutkit.lock import LOCK_FILE

    out, target = tmp_path / "out", tmp_path / "target"
    out.mkdir()
    target.write_text("precious")
    (out / LOCK_FILE).symlink_to(target)
    code, err = run(capsys, "build", "--lang", "en", "--out", str(out))
    assert code == 1 and "is a symbolic link; the build's lock file must be a plain file" in err
    assert target.read_text() == "precious"
    (out / LOCK_FILE).unlink()
    (out / LOCK_FILE).mkdir()
    code, err = run(capsys, "build", "--lang", "en", "--out", str(out))
    assert code == 1 and f"{out / LOCK_FILE} is not a regular file; delete it and build again" in err


@pytest.mark.parametrize("inside", ["styles", "templates", "handouts"])
def test_output_folder_inside_the_inputs(capsys, tmp_path, inside):
    code, err = run(capsys, "build", "--lang", "en", "--out", str(ROOT / inside / "out"))
    assert code == 2 and f"is inside {inside}/, which handouts are made from" in err
    assert not (ROOT / inside / "out").exists()
    profile = tmp_path / f"{inside}.yaml"  # OUT/<profile name>/ is the profile's folder
    profile.write_text('name: A clinic\nphone: "555-0100"\n', encoding="utf-8")
    code, err = run(capsys, "build", "--clinic", str(profile), "--out", str(ROOT))
    assert code == 2 and (f"the handouts for '{inside}' would go to {ROOT / inside}, inside "
                          f"{inside}/, which handouts are made from; choose another --out") in err


def test_more_jobs_than_cpus(capsys, tmp_path, monkeypatch):
    from handoutkit import build as build_module
    from handoutkit import cli
    from handoutkit.report import Report

    seen = []
    monkeypatch.setattr(cli, "_cpus", lambda: 2)
    monkeypatch.setattr(cli, "build", lambda options, progress: seen.append(options.jobs)
                        or Report())
    code, err = run(capsys, "build", "--lang", "en", "--jobs", "1000", "--out", str(tmp_path))
    assert code == 0 and "warning: --jobs 1000 is more than the 2 CPUs here; using 2" in err
    assert seen == [2]
    code, err = run(capsys, "build", "--lang", "en", "--jobs", "0", "--out", str(tmp_path))
    assert code == 2 and "--jobs 0: give a number of processes, 1 or more" in err
    assert build_module._workers(2, 1) == 1  # never more processes than PDFs to render


def two_languages(tmp_path: Path, content: Path) -> list[str]:
    shutil.copytree(CONTENT_DIR / "es", content / "es")
    return ["build", "--content", str(content), "--lang", "en", "--lang", "es", "--level",
            "easy", "--topic", "kratom", "--out", str(tmp_path / "out")]


@pytest.mark.pdf
def test_not_enough_free_space(capsys, tmp_path, content, monkeypatch):
    import errno
    import shutil as shell

    from handoutkit import files

    args = two_languages(tmp_path, content)
    assert run(capsys, *args, "--force")[0] == 0
    before = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*.pdf")}
    usage = shell.disk_usage(tmp_path)
    monkeypatch.setattr(files.shutil, "disk_usage", lambda path: usage._replace(free=20_000))
    code, err = run(capsys, *args, "--force")
    assert code == 1 and re.search(r"not enough free space in .+/en/easy: the new files need "
                                   r"\d+ KB, and 20 KB is free; no PDF in it was replaced", err)
    monkeypatch.undo()
    real_stage, staged = files.stage, []

    def fill_the_disk(path, data, durable):  # the second file meets a full disk
        staged.append(path)
        if len(staged) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_stage(path, data, durable)

    monkeypatch.setattr(files, "stage", fill_the_disk)
    code, err = run(capsys, *args, "--force", "--html")
    assert code == 1 and "cannot write in " in err and "No space left on device; no PDF in it " \
                                                        "was replaced" in err
    assert {p: p.read_bytes() for p in (tmp_path / "out").rglob("*.pdf")} == before
    assert not list((tmp_path / "out").rglob("*.tmp"))
    assert not (tmp_path / "out/en/easy/kratom.html").exists()  # English: all or nothing
    assert (tmp_path / "out/es/easy/kratom.html").is_file()  # Spanish had room


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_handout_too_costly_to_render(capsys, tmp_path, content, monkeypatch, jobs):
    from handoutkit import workers

    real_render = workers.render_pdf

    def costly(html, base, when, allowed):  # English hangs; memory for Spanish is refused
        if 'lang="en"' in html:
            while True:
                pass
        if 'lang="es"' in html:
            return bytearray(8 * 2**30)
        return real_render(html, base, when, allowed)

    monkeypatch.setattr(workers, "RENDER_SECONDS", 1)
    monkeypatch.setattr(workers, "render_pdf", costly)
    code, err = run(capsys, *two_languages(tmp_path, content), "--jobs", jobs)
    assert code == 1
    assert re.search(r"en/easy/kratom\.pdf: it took more than 1 seconds to render; no handout "
                     r"should: check the clinic's logo", err)
    assert "es/easy/kratom.pdf: it needed more than 1536 MB to render" in err


@pytest.mark.pdf
def test_rendering_process_stopped(capsys, tmp_path, content, monkeypatch):
    import os

    from handoutkit import workers

    real_render, once = workers.render_pdf, tmp_path / "killed-once"

    def dying(html, base, when, allowed):  # English always kills its worker; Spanish once
        if 'lang="en"' in html or ('lang="es"' in html and not once.exists()):
            once.touch()
            os._exit(9)
        return real_render(html, base, when, allowed)

    monkeypatch.setattr(workers, "render_pdf", dying)
    code, err = run(capsys, *two_languages(tmp_path, content), "--jobs", "2")
    assert code == 1
    assert ("en/easy/kratom.pdf: the process rendering it stopped (it was killed, or ran out of "
            "memory); build again") in err
    assert (tmp_path / "out/es/easy/kratom.pdf").is_file()  # tried again, alone, and built
    assert not (tmp_path / "out/en/easy/kratom.pdf").exists()

# ---- Hostile YAML (issue 11, items 12, 13, 15, 19) ----

@pytest.mark.parametrize("tagged", ["!!binary aGVsbG8=", "!!int abc", "!!timestamp 2026-11-21",
                                    "!!str Kratom", "!!python/object:os.system ls", "!custom x",
                                    "! Kratom"])
def test_explicit_tag(content, capsys, tagged):
    edit(content, '  easy: "Kratom and its risks"', f"  easy: {tagged}")
    code, err = check(content, capsys)
    line = line_of(content, tagged)
    tag = tagged.split()[0]
    assert code == 1
    assert f"kratom.yaml:{line}:9: the tag '{tag}' is not allowed; remove the tag" in err


def test_merge_keys(content, capsys):
    edit(content, "title:\n", "title:\n  <<: {easy: x}\n")
    code, err = check(content, capsys)
    line = line_of(content, "<<:")
    assert code == 1
    assert f"kratom.yaml:{line}:3: merge keys (<<) are not allowed; write the keys out in full" in err


def test_key_read_as_true_or_false(capsys, tmp_path):
    file = profile(tmp_path, 'name: {en: Test Clinic, no: Testklinikk}\nphone: "555-0100"\n')
    code, err = build_with_profile(capsys, file, tmp_path)
    assert code == 1
    assert "test-clinic.yaml:1:25: YAML reads the key 'no' as true or false; write 'no' in quotes" in err
    file = profile(tmp_path, 'name: {en: A, ~: B, null: C, 1: D, 01: E, 2026-01-01: F}\n'
                             'phone: "555-0100"\n')
    code, err = build_with_profile(capsys, file, tmp_path)
    for column, key, what in ((15, "~", "nothing (null)"), (21, "null", "nothing (null)"),
                              (30, "1", "a number"), (36, "01", "a number"), (43, "2026-01-01", "a date")):
        said = f"YAML reads the key '{key}' as {what}; write '{key}' in quotes"
        assert f"test-clinic.yaml:1:{column}: {said}" in err


def test_not_a_real_date(content, capsys):
    edit(content, 'review_due: "2027-11-30"', "review_due: 2027-02-30")
    code, err = check(content, capsys)
    line = line_of(content, "review_due:")
    assert code == 1
    assert f"kratom.yaml:{line}:13: '2027-02-30' is not a real date; write it as YYYY-MM-DD" in err


def test_number_too_long(content, capsys):
    edit(content, "rows: 3", f"rows: {'9' * 5000}", name="interactions.yaml")
    code, err = check(content, capsys)
    line = line_of(content, "rows: 999", name="interactions.yaml")
    assert code == 1
    assert (f"interactions.yaml:{line}:13: the number is 5000 digits long, too long to read; "
            "write it in quotes if it is text") in err


@pytest.mark.parametrize("char", ["\x00", "\x0c", "\x1b", "\x7f", "\x85", "\x9b"])
def test_control_character(content, capsys, char):
    edit(content, "Kratom and its risks", f"Kratom{char} and its risks")
    code, err = check(content, capsys)
    line = line_of(content, '  easy: "Kratom')
    assert code == 1
    assert (f"kratom.yaml:{line}:16: an invisible control character (U+{ord(char):04X}); "
            "delete it") in err
    assert char not in err


@pytest.mark.parametrize("levels", [60, 999, 100_000])
def test_nested_too_deep(content, capsys, levels):
    write(content, "title: " + "[" * levels + "]" * levels + "\n")
    code, err = check(content, capsys)
    assert code == 1
    assert re.search(r"kratom\.yaml:1:\d+: lists and mappings nested more than 50 deep", err)


def test_nested_too_deep_in_blocks(content, capsys):
    write(content, "title:\n" + "".join("  " * depth + "-\n" for depth in range(1, 80)))
    code, err = check(content, capsys)
    assert code == 1 and "lists and mappings nested more than 50 deep" in err


# ---- Files that are not plain files (issue 11, items 21 and 24) ----

@pytest.mark.parametrize("kind", ["folder", "pipe"])
def test_not_a_regular_file(content, capsys, kind):
    file = content / "en/kratom.yaml"
    file.unlink()
    file.mkdir() if kind == "folder" else os.mkfifo(file)  # a pipe must not block the check
    code, err = check(content, capsys)
    assert code == 1
    assert ("kratom.yaml:1:1: not a regular file (a folder, device, pipe or socket); give the "
            "path of a YAML file") in err


def test_not_a_regular_file_as_clinic_profile(capsys, tmp_path):
    code, err = build_with_profile(capsys, Path("/dev/zero"), tmp_path)
    assert code == 1 and "/dev/zero:1:1: not a regular file" in err


def test_file_too_large_is_not_read(content, capsys):
    with open(content / "en/kratom.yaml", "r+b") as file:
        file.truncate(8 * 1024 ** 3)  # sparse: reading it would take 8 GB
    code, err = check(content, capsys)
    assert code == 1
    assert "kratom.yaml:1:1: the file is 8388608 KB; content files may be at most 512 KB" in err
    assert read_regular(content / "en/kratom.yaml", MAX_READ_BYTES) is None  # nor hashes it


def test_link_outside_the_content_folder(content, capsys, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    shutil.move(content / "en/kratom.yaml", outside)
    (content / "en/kratom.yaml").symlink_to(outside)
    code, err = check(content, capsys)
    assert code == 1
    assert (f"kratom.yaml:1:1: a symbolic link leads to {outside}, outside {content}; put the "
            "file itself in the folder instead of a link") in err
    (content / "en/kratom.yaml").unlink()
    (content / "en/kratom.yaml").symlink_to("../en/../en/withdrawal.yaml")  # inside: allowed
    assert "a symbolic link leads" not in check(content, capsys)[1]


def test_symbolic_link_loop(content, capsys):
    (content / "en/kratom.yaml").unlink()
    (content / "en/kratom.yaml").symlink_to("loop.yaml")
    (content / "en/loop.yaml").symlink_to("kratom.yaml")
    code, err = check(content, capsys)
    assert code == 1
    assert ("kratom.yaml:1:1: the file is a symbolic link that leads back to itself (a loop); "
            "replace the link with the file") in err
    (content / "fr").symlink_to("fr")  # a language folder in a loop is no language
    assert check(content, capsys)[0] == 1
    code, err = run(capsys, "check", "--content", str(content), "--lang", "fr")
    assert code == 2 and "unknown language 'fr'; available: en" in err


@pytest.mark.parametrize("text,message", [
    ('name: {}\n', "1:7: name: is empty: give the text, or a text per language code"),
    ("name: {en: ''}\n", "1:12: name.en: must not be empty"),
    ("name: []\n", "1:7: name: should be text, or a mapping of language codes to text"),
    ("name: no\n", "1:7: name: should be text, or a mapping of language codes to text"),
    ("name: A\nreferrals: {}\n", "2:12: referrals: should be a list"),
    ("name: A\nreferrals: [null]\n", "2:13: referrals.0: should be a mapping"),
    ("name: A\nreferrals:\n  - name: {}\n    offers: B\n", "3:11: referrals.0.name: is empty"),
])
def test_clinic_text_empty_or_of_the_wrong_shape(capsys, tmp_path, text, message):
    file = profile(tmp_path, text + 'phone: "555-0100"\n')
    with pytest.raises(ContentError) as caught:
        load_profile(file)
    assert f"test-clinic.yaml:{message}" in str(caught.value)
    if text == "name: {}\n":  # and the command line says the same, without a traceback
        code, err = build_with_profile(capsys, file, tmp_path)
        assert code == 1 and f"test-clinic.yaml:{message}" in err


@pytest.mark.parametrize("command", ["check", "status"])
@pytest.mark.parametrize("folder,fix", [("pt_BR", "use pt-BR"), ("zh-hant", "use zh-Hant"),
                                        ("xx-notalocale", "use a code such as fr")])
def test_folder_name_not_a_language_code(content, capsys, command, folder, fix):
    (content / folder).mkdir()
    shutil.copy(content / "en/interface.yaml", content / folder / "interface.yaml")
    code, err = run(capsys, command, "--content", str(content))
    assert code == 1
    assert (f"{folder}/interface.yaml:1:1: the folder name '{folder}' is not a language tag (BCP 47: "
            f"parts joined by '-', like pt-BR); {fix}") in err
    assert run(capsys, command, "--content", str(content), "--lang", "en")[0] == 0


# ---- A translation's records, hand-edited (issue 11) ----

RECORD = "    help_box.emergency.name: 4538f2dc67 f2dccca8e6\n"


@pytest.mark.parametrize("damage,message", [
    (("synced:\n", "synced: oops\nold:\n"), "10:9: synced: should be a mapping"),
    (("  getting-help:\n", "  getting-help: [a, b]\n  old:\n"),
     "11:17: synced.getting-help: should be a mapping"),
    ((RECORD, "    help_box.emergency.name: 12345\n"),
     "12:30: synced.getting-help.help_box.emergency.name: should be text"),
    ((RECORD, "    help_box.emergency.name:\n"),
     "12:29: synced.getting-help.help_box.emergency.name: should be text"),
    ((RECORD, "    help_box.emergency.name: 4538f2\n"),
     "12:30: synced.getting-help.help_box.emergency.name: should be two fingerprints the tool wrote"),
    ((RECORD, "    help_box.emergency.name: {a: b}\n"),
     "12:30: synced.getting-help.help_box.emergency.name: should be text"),
    (("synced:\n", "notes: x\nsynced:\n"), "10:1: unknown key 'notes'"),
    (("synced:\n", "synced: [\n"), "12:28: YAML syntax"),
    (None, "12:30: synced.getting-help.help_box.emergency.name: should be two fingerprints"),  # cut mid-line
    (("reviewed_on: ''", "reviewed_on: '2026-02-30'"), "9:14: reviewed_on: should be a date"),
    (("reviewed_on: ''", "reviewed_on: '9999-12-31'"), "9:14: reviewed_on: 9999-12-31 is in the future"),
])
def test_translation_record_damaged(content, capsys, damage, message):
    shutil.copytree(CONTENT_DIR / "es", content / "es")
    file = content / "es/translation.yaml"
    text = file.read_text(encoding="utf-8")
    assert text.index(RECORD) == text.index("synced:\n") + len("synced:\n  getting-help:\n")
    file.write_text(text.replace(*damage, 1) if damage else text[:text.index(RECORD) + 34],
                    encoding="utf-8")
    commands = [["check", "--lang", "es"], ["status", "--lang", "es"], ["mark-current", "es"],
                ["build", "--lang", "es", "--level", "easy", "--topic", "kratom", "--out",
                 str(content.parent / "out")]]
    for command in commands if damage is None else commands[:1]:
        code, err = run(capsys, command[0], "--content", str(content), *command[1:])
        assert code == 1, command
        assert f"es/translation.yaml:{message}" in err
        assert ("translation.yaml is kept by the tool: restore it from git, or delete it and run "
                "`make status` to write a new one (texts already stale then count as current, "
                "and reviewed_by and reviewed_on must be filled in again)") in err
    if damage is None:  # what the message promises
        file.unlink()
        assert run(capsys, "status", "--content", str(content), "--lang", "es")[0] == 0
        assert "help_box.emergency.name: 4538f2dc67 f2dccca8e6" in file.read_text(encoding="utf-8")


@pytest.mark.parametrize("more", [[], ["--allow-incomplete"]])
def test_translation_with_no_topic_file(content, capsys, more):
    (content / "fr").mkdir()
    shutil.copy(CONTENT_DIR / "es/interface.yaml", content / "fr/interface.yaml")
    code, err = run(capsys, "check", "--content", str(content), "--lang", "fr", *more)
    assert code == 1 and "OK" not in err
    assert (f"{content / 'fr'}:1:1: the folder has no topic file (withdrawal.yaml, kratom.yaml, "
            "interactions.yaml, getting-help.yaml); copy them in from a folder that "
            "`make_handouts.py new-language` makes, and translate them") in err
    assert "file is missing" not in err


def test_syntax_error_in_a_translation_is_reported_once(content, capsys):
    shutil.copytree(CONTENT_DIR / "es", content / "es")
    file = content / "es/kratom.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("title:\n", "title: [\n", 1), encoding="utf-8")
    code, err = run(capsys, "check", "--content", str(content), "--lang", "es")
    assert code == 1 and re.search(r"es/kratom\.yaml:\d+:\d+: YAML syntax", err)
    assert "file is missing" not in err and "new-language" not in err


@pytest.mark.parametrize("command", ["check", "status"])
def test_broken_english_is_reported_against_the_english_file(content, capsys, command):
    shutil.copytree(CONTENT_DIR / "es", content / "es")
    edit(content, "title:\n", "title: [\n")
    code, err = run(capsys, command, "--content", str(content), "--lang", "es")
    assert code == 1
    assert re.search(r"en/kratom\.yaml:\d+:\d+: YAML syntax", err) and "es/kratom.yaml" not in err


def test_no_month_names_for_a_language(content, capsys):
    """Haitian Creole: the locale data has no month names; interface.yaml must give them."""
    shutil.copytree(content / "en", content / "ht")
    code, err = run(capsys, "check", "--content", str(content), "--lang", "ht")
    assert code == 1
    assert ("ht/interface.yaml:1:1: the locale data has no month names for 'ht', so dates cannot be "
            "written in words: add `dates:` with `months:` (the 12 names, January first) and "
            "`format:` (like \"{day} {month} {year}\"); see TRANSLATING.md, \"Dates\"") in err


def test_translation_in_another_shape_than_the_english(content, capsys):
    code, err = check_spanish(content, capsys, "kratom.yaml", "key_messages:\n",
                              'key_messages: "Texto"\nold:\n')
    assert code == 1
    assert re.search(r"es/kratom\.yaml:\d+:\d+: key_messages: the English file has items keyed by id "
                     r"\(such as 'not-proven-safe'\) here; this file has one text: give the same keys "
                     r"as the English file", err)
