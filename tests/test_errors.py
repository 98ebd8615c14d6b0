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
import zlib
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import options

from handoutkit.cli import main
from handoutkit.clinic import load_profile
from handoutkit.config import CONTENT_DIR, ROOT
from handoutkit.errors import ContentError
from handoutkit.languages import load_language, warnings

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
    assert "key_messages: should be a list (lines starting with '- ')" in err


def test_missing_required_key(content, capsys):
    data = yaml.safe_load((content / "en/kratom.yaml").read_text())
    del data["steps"]["heading"]
    write(content, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
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
    assert "help_box.0.number: should be a phone number: digits and dashes" in err
    assert "sources.0.url: should be a web address starting with https://" in err


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
    del data["steps"]["items"][-1]
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    code, err = run(capsys, "check", "--content", str(content), "--lang", "es")
    assert code == 1
    assert re.search(r"es/kratom\.yaml:1:1: \d+ keys not translated \(build with "
                     r"--allow-incomplete", err)


def test_character_no_font_can_print(content, capsys):
    edit(content, "Kratom can hook you.", "Kratom can hook you \U0001f48a.")
    code, err = check(content, capsys)
    assert code == 1 and re.search(r"kratom\.yaml:\d+:\d+: key_messages\.1\.easy: the character "
                                   r"'\U0001f48a' \(U\+1F48A PILL\) is in no bundled font", err)


def test_over_the_page_budget(content, capsys, tmp_path):
    data = yaml.safe_load((content / "en/kratom.yaml").read_text())
    data["steps"]["items"] += [{"easy": f"Rest and drink water, step {n}."} for n in range(40)]
    write(content, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    code, err = run(capsys, "build", "--content", str(content), "--lang", "en", "--level",
                    "easy", "--topic", "kratom", "--out", str(tmp_path))
    assert code == 1
    assert re.search(r"en/easy/kratom\.pdf: \d pages; the easy level allows at most 2", err)
    assert "No 'en' PDF was written; earlier ones are unchanged." in err


def test_harder_to_read_than_the_target(content, capsys):
    hard = "Pharmacokinetic interactions substantially complicate individualized therapy."
    data = yaml.safe_load((content / "en/kratom.yaml").read_text())
    data["steps"]["items"][0]["easy"] = " ".join([hard] * 10)
    write(content, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    code, err = check(content, capsys)
    assert code == 1
    assert "kratom.yaml: easy: Flesch-Kincaid grade" in err and "Hardest sentences:" in err


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
    assert code == 2 and "'english' is not a language code" in err


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


def png(width: int, height: int, rows: bytes | None = None, colour: int = 0) -> bytes:
    """A PNG of `width` x `height` grey (or RGB, colour 2) pixels, all black."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    channels = 3 if colour == 2 else 1
    if rows is None:
        rows = b"".join(b"\0" + bytes(width * channels) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9))
            + chunk(b"IEND", b""))


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
        (f'{SVG_OPEN}<style>@import "x.css";</style></svg>', "has an @import in a <style> element"),
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
    ]:
        assert said in logo_problem(tmp_path, "logo.png", data)
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
    assert ("test-clinic.yaml:1:7: name: the character '\U0001f48a' (U+1F48A PILL) is in no "
            "bundled font, so the handouts cannot print it; replace it, or add a font that has it"
            in message)
    assert ("test-clinic.yaml:5:18: referrals.0.offers.en: the character '\u2713' (U+2713 CHECK MARK)"
            in message)


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
    assert re.search(rf"getting-help\.yaml:{line}:\d+: sections\.[a-z-]+\.resources\.\d+\.qr: the "
                     r"address is too long for a printed QR code: at most 180 characters; use the "
                     r"page's short address", err)


def test_address_mixes_scripts(tmp_path, content, capsys):
    from handoutkit.addresses import mixed_scripts

    assert mixed_scripts("https://ex\u0430mple.org/path") == (
        "the address mixes Latin and Cyrillic letters in 'ex\u0430mple.org' (the '\u0430' is "
        "CYRILLIC SMALL LETTER A); check it is the clinic's real address")
    assert mixed_scripts("https://\u043f\u0440\u0438.com") is None  # one script per part: fine
    # The bundled fonts have no Cyrillic, so that address is refused outright ...
    file = profile(tmp_path, 'name: Test\nphone: "555-0100"\nwebsite: https://ex\u0430mple.org\n')
    with pytest.raises(ContentError, match="website: the character '\u0430' \\(U\\+0430 CYRILLIC"):
        load_profile(file)
    # ... and a mix of scripts they have is a warning.
    file = profile(tmp_path, 'name: Test\nphone: "555-0100"\nwebsite: https://ex\u0627mple.org\n')
    assert load_profile(file).warnings == [
        f"{file}:3:10: website: the address mixes Latin and Arabic letters in 'ex\u0627mple.org' "
        "(the '\u0627' is ARABIC LETTER ALEF); check it is the clinic's real address"]
    edit(content, 'qr: "https://findtreatment.gov"', 'qr: "https://findtre\u0627tment.gov"',
         name="getting-help.yaml")
    code, err = check(content, capsys, "--topic", "getting-help")
    assert code == 0
    assert re.search(r"warning: \S*getting-help\.yaml:\d+:\d+: sections\.[a-z-]+\.resources\.\d+\.qr: "
                     r"the address mixes Latin and Arabic letters in 'findtre.tment\.gov' \(the "
                     r".+\); check it is the organization's real address", err)


# ---- Pictures, glossary and clinical sign-off ----

def test_unknown_picture(content, capsys):
    edit(content, "icon: call-911", "icon: call-912", name="getting-help.yaml")
    code, err = check(content, capsys)
    line = line_of(content, "icon: call-912", name="getting-help.yaml")
    assert code == 1
    assert (f"getting-help.yaml:{line}:11: help_box.0.icon: no picture named "
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
