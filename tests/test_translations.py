"""Translations: status, staleness, drafts, new languages, any script, standard tooling."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
import yaml
from helpers import (
    LONG,
    LONG_FACTOR,
    RTL,
    body_texts,
    facts,
    font_names,
    foreign_fonts,
    options,
    page_texts,
    write_yaml,
)
from pseudo import in_words_of, lengthen, make_pseudo_locale, transform
from pypdf import PdfReader
from samples import SAMPLES

from handoutkit.build import build
from handoutkit.cli import main
from handoutkit.config import (
    CONTENT_DIR,
    ENGLISH_THEN_FILE,
    LEVELS,
    SERVED_LANGUAGES,
    SOURCE_LANGUAGE,
    STATE_FILE,
    TEMPLATES_DIR,
    TOPICS,
)
from handoutkit.loader import dump_yaml
from handoutkit.render import has_month_names
from handoutkit.translations import UNTRANSLATED, fixed_keys


@pytest.fixture
def translated(content) -> Path:
    """English plus a complete pseudo-translation (en-XA) to break on purpose."""
    make_pseudo_locale(content, LONG, lengthen, LONG_FACTOR)
    return content


def status(content: Path, capsys) -> tuple[int, str]:
    code = main(["status", "--content", str(content)])
    return code, capsys.readouterr().out


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---- status ----

def test_status_of_a_complete_translation(translated, capsys):
    code, out = status(translated, capsys)
    assert code == 0
    assert re.search(r"kratom\s+complete (\d+)/\1, missing 0, stale 0, extra 0", out)
    assert "Unreviewed languages (no reviewed_by and reviewed_on in translation.yaml): en-XA" in out
    assert "All translations complete and current." in out


def test_status_lists_missing_and_extra_keys(translated, capsys):
    file = translated / LONG / "kratom.yaml"
    data = yaml.safe_load(file.read_text())
    data["key_messages"]["never-mix"] = {level: UNTRANSLATED + text
                                      for level, text in data["key_messages"]["never-mix"].items()}
    data["sections"]["what-it-is"]["bulets"] = ["x"]
    write_yaml(file, data)
    code, out = status(translated, capsys)
    assert code == 1
    assert re.search(r"kratom\s+complete \d+/\d+, missing 3, stale 0, extra 1", out)
    for level in LEVELS:
        assert f"missing: key_messages.never-mix.{level}" in out
    assert "extra: sections.what-it-is.bulets" in out


def test_stale_after_english_changes_until_translation_is_updated(translated, capsys):
    assert status(translated, capsys)[0] == 0  # records what each translation was made from
    edit(translated / "en/kratom.yaml", "Kratom can hook you.", "Kratom can hook you fast.")
    code, out = status(translated, capsys)
    assert code == 1
    assert "stale: key_messages.addiction.easy" in out and "stale 1," in out
    # What changed, without git: the English the translation was made from, and the new.
    rest = " Quitting can cause withdrawal (feeling sick)."
    assert ("      stale: key_messages.addiction.easy\n"
            f"        English then: **Kratom can hook you.**{rest}\n"
            f"        English now:  **Kratom can hook you fast.**{rest}\n") in out
    kept = yaml.safe_load((translated / ENGLISH_THEN_FILE).read_text(encoding="utf-8"))
    assert "**Kratom can hook you.** Quitting can cause withdrawal (feeling sick)." in kept.values()
    edit(translated / LONG / "kratom.yaml", lengthen("Kratom can hook you."),
         lengthen("Kratom can hook you fast."))
    code, out = status(translated, capsys)
    assert code == 0, out
    kept = yaml.safe_load((translated / ENGLISH_THEN_FILE).read_text(encoding="utf-8"))
    assert "**Kratom can hook you.** Quitting can cause withdrawal (feeling sick)." not in kept.values()


def test_mark_current_clears_a_stale_key(translated, capsys):
    status(translated, capsys)
    edit(translated / "en/kratom.yaml", "Kratom can hook you.", "Kratom can make you hooked.")
    assert main(["mark-current", "--content", str(translated), LONG, "key_messages.addiction.easy"]) == 0
    out = capsys.readouterr().out
    assert "kratom: key_messages.addiction.easy marked current" in out
    assert "1 key marked current." in out  # not "1 keys"
    assert status(translated, capsys)[0] == 0
    assert main(["mark-current", "--content", str(translated), LONG, "title.easy"]) == 1


@pytest.mark.pdf
def test_a_changed_phone_number_is_stale_and_english_is_printed(translated, capsys, tmp_path):
    edit(translated / "en/kratom.yaml", 'number: "1-800-222-1222"', 'number: "1-800-222-1223"')
    code, out = status(translated, capsys)
    assert code == 1 and "stale: help_box.poison-help.number" in out
    report = build(options(tmp_path, content=translated, langs=(LONG,), levels=("easy",),
                           topics=("kratom",)))
    assert any("help_box.poison-help.number" in line for line in report.warnings)
    assert "1-800-222-1223" in PdfReader(tmp_path / LONG / "easy/kratom.pdf").pages[0].extract_text()


# ---- building incomplete and stale translations ----

@pytest.mark.pdf
def test_incomplete_language_is_not_built_but_others_are(translated, tmp_path, capsys):
    file = translated / LONG / "withdrawal.yaml"
    data = yaml.safe_load(file.read_text())
    data["purpose"]["easy"] = UNTRANSLATED + data["purpose"]["easy"]
    first = data["steps"]["items"]["before-stop-talk"]
    data["steps"]["items"]["before-stop-talk"] = {level: UNTRANSLATED + text for level, text in first.items()}
    write_yaml(file, data)
    args = ["build", "--content", str(translated), "--level", "easy", "--topic", "withdrawal",
            "--out", str(tmp_path)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert re.search(rf"{LONG}/withdrawal.yaml:1:1: \d+ keys not translated \(build with "
                     r"--allow-incomplete", err)
    assert "    purpose.easy" in err and re.search(r"    steps\.items\.before-stop-talk\.easy", err)
    assert (tmp_path / "en/easy/withdrawal.pdf").exists()
    assert not (tmp_path / LONG).exists()

    assert main(args + ["--allow-incomplete"]) == 0
    pdf = tmp_path / LONG / "easy/withdrawal.pdf"
    draft = lengthen("DRAFT - incomplete translation").replace(" ", "")
    assert all(draft in re.sub(r"\s", "", page) for page in page_texts(pdf))
    assert facts(pdf).subject == yaml.safe_load(
        (translated / "en/withdrawal.yaml").read_text())["purpose"]["easy"]  # English stands in
    assert "draft" in capsys.readouterr().err


# ---- new languages ----

@pytest.mark.pdf
def test_new_language_scaffold(content, capsys, tmp_path):
    assert main(["new-language", "--content", str(content), "fr"]) == 0
    folder = content / "fr"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{t}.yaml" for t in TOPICS] + ["interface.yaml", "translation.yaml"])
    data = yaml.safe_load((folder / "kratom.yaml").read_text())
    assert data["title"]["easy"].startswith(UNTRANSLATED)
    assert data["help_box"]["emergency"]["number"] == "911"  # numbers are not text to translate
    code, out = status(content, capsys)
    assert code == 1 and "kratom        complete 0/" in out
    assert main(["build", "--content", str(content), "--lang", "fr", "--level", "easy",
                 "--topic", "kratom", "--out", str(tmp_path), "--allow-incomplete"]) == 0


@pytest.mark.parametrize("code,message", [("pt_BR", "is not a language tag (BCP 47: parts joined by "
                                                     "'-', like pt-BR); use pt-BR"),
                                          ("en", "already exists")])
def test_new_language_refuses_bad_or_existing_codes(content, code, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["new-language", "--content", str(content), code])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


# ---- any script: pseudo-locales ----

@pytest.mark.parametrize("level,topic", [(lv, t) for lv in LEVELS for t in TOPICS])
def test_long_pseudo_locale_fits_scaled_budget_without_clipping(pseudo_build, level, topic):
    """Nor is any of its text clipped: test_formats.test_every_pdf_passes_the_layout_checks
    finds any glyph printed past the text column, in these PDFs too."""
    pdf = pseudo_build / LONG / level / f"{topic}.pdf"
    assert facts(pdf).pages <= math.ceil(LEVELS[level].max_pages * LONG_FACTOR)
    assert foreign_fonts(pdf) == set()


@pytest.mark.parametrize("level,topic", [(lv, t) for lv in LEVELS for t in TOPICS + ("booklet",)])
def test_arabic_pseudo_locale_is_right_to_left_on_every_page(pseudo_build, level, topic):
    pdf = pseudo_build / RTL / level / f"{topic}.pdf"
    assert facts(pdf).lang == RTL
    assert any("Noto" in name for name in font_names(pdf))
    for number, lines in enumerate(line_starts(pdf), start=1):
        if len(lines) >= 5:
            assert ragged_start(lines) > 0.5, f"{pdf.name} page {number} is not right to left"


@pytest.mark.parametrize("level", LEVELS)
def test_right_to_left_booklet_starts_each_topic_on_the_front_of_a_sheet(pseudo_build, level):
    """Pages 1, 3, 5...: left-hand pages in a right-to-left book, as right-hand ones are in
    a left-to-right one."""
    starts = [mark.page + 1 for mark in facts(pseudo_build / RTL / level / "booklet.pdf").outline]
    assert len(starts) == len(TOPICS) and all(page % 2 == 1 for page in starts), starts


def test_left_to_right_control(pseudo_build):
    for lines in line_starts(pseudo_build / LONG / "standard/kratom.pdf"):
        assert ragged_start(lines) < 0.5


def line_starts(pdf: Path) -> list[list[float]]:
    """For each page, the x where each line of body text starts (its leftmost run)."""
    pages = []
    for page in body_texts(pdf):
        rows: dict[int, list[float]] = {}
        for _, x, y, _ in page:
            rows.setdefault(round(y), []).append(x)
        pages.append([min(xs) for xs in rows.values()])
    return pages


def ragged_start(starts: list[float]) -> float:
    """Share of distinct start positions: right-aligned (RTL) lines start all over."""
    return len({round(x) for x in starts}) / len(starts)


def test_character_no_font_has_is_an_error(content, tmp_path):
    edit(content / "en/kratom.yaml", "Kratom can hook you.", "Kratom can hook you \u2192 fast.")
    report = build(options(tmp_path, content=content, levels=("easy",), topics=("kratom",)))
    message = str(report.failures["en"])
    assert re.search(r"kratom\.yaml:\d+:\d+: key_messages\.addiction\.easy: 1 character of English "
                     r"\(\u2192 U\+2192 RIGHTWARDS ARROW\) is not in its fonts \(Atkinson Hyperlegible\); "
                     r"replace it with words",
                     message)


# ---- every visible word comes from a language's YAML ----

def test_templates_hold_no_words():
    for template in TEMPLATES_DIR.glob("*.j2"):
        text = template.read_text()
        text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)  # CSS, filled from YAML
        text = re.sub(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", " ", text, flags=re.S)  # Jinja
        text = re.sub(r"<[^>]*>", " ", text)  # tags and their attributes
        words = [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in {"DOCTYPE", "html"}]
        assert words == [], f"{template.name}: {words}"


# ---- standard translation tooling ----

def round_trip(source: Path, template: Path | None, tmp_path: Path) -> object:
    po, back = tmp_path / "file.po", tmp_path / "back.yaml"
    first = [sys.executable, "-m", "translate.convert.yaml2po", "-i", str(source), "-o", str(po)]
    if template:
        first += ["-t", str(template)]
    subprocess.run(first, check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "translate.convert.po2yaml", "-t", str(template or source),
                    "-i", str(po), "-o", str(back)], check=True, capture_output=True)
    return yaml.safe_load(back.read_text(encoding="utf-8"))


@pytest.mark.parametrize("file", sorted(path for path in CONTENT_DIR.rglob("*.yaml")
                                        if path.name != ENGLISH_THEN_FILE),  # the tool's own
                         ids=lambda path: str(path.relative_to(CONTENT_DIR)))
def test_translate_toolkit_round_trip(file, tmp_path):
    english = CONTENT_DIR / "en" / file.name
    template = english if file.parent.name != "en" and english.is_file() else None
    # PO files hold text only: a number (a write-in table's rows) comes back as its digits,
    # which the schema reads as the same number and the overlay as the same value.
    assert round_trip(file, template, tmp_path) == as_text(yaml.safe_load(file.read_text(encoding="utf-8")))


def as_text(data: object) -> object:
    """`data` with every number written as text, as translate-toolkit writes it."""
    if isinstance(data, dict):
        return {key: as_text(value) for key, value in data.items()}
    if isinstance(data, list):
        return [as_text(value) for value in data]
    return str(data) if isinstance(data, int) and not isinstance(data, bool) else data


def test_a_number_written_as_text_by_a_translation_tool_is_not_stale(translated, capsys):
    file = translated / LONG / "interactions.yaml"
    edit(file, "rows: 3", 'rows: "3"')
    code, out = status(translated, capsys)
    assert code == 0 and re.search(r"interactions\s+complete (\d+)/\1, missing 0, stale 0", out)


# ---- glossary ----

def test_glossary_warns_where_a_translation_strays_from_the_agreed_term(translated, capsys):
    """en-XA doubles vowels: 'naloxone' is 'ñáálööxööñéé'. A glossary agreeing on another word
    flags every translated text whose English says naloxone, at its own line; a term used as
    agreed ('craving') is not flagged."""
    (translated / LONG / "glossary.yaml").write_text('naloxone: "NALOXO"\ncraving: ["çrráávííñg"]\n',
                                                     encoding="utf-8")
    main(["check", "--content", str(translated), "--lang", LONG])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "the glossary" in line]
    odd = [line for line in lines
           if "the English says 'naloxone'; the glossary (glossary.yaml) agrees on 'NALOXO'" not in line]
    assert lines and not odd, odd
    first = re.search(rf"{LONG}/kratom\.yaml:(\d+):\d+: (\S+): the English says", err)
    file = (translated / LONG / "kratom.yaml").read_text(encoding="utf-8").splitlines()
    assert "ñáálööxööñéé" in file[int(first[1]) - 1].lower()


@pytest.mark.pdf
def test_a_picture_in_english_carries_over_to_a_one_string_translation(translated, tmp_path):
    """An English item with an icon and a level mapping, translated as one string for every
    level: the translation is complete, and the picture comes from English."""
    english = translated / "en" / "getting-help.yaml"
    item = "      call-911:\n        icon: call-911\n        easy: \"Call 911.\""
    assert item in english.read_text(encoding="utf-8")
    file = translated / LONG / "getting-help.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["sections"]["overdose"]["steps"]["call-911"] = "Cáálll 911."
    write_yaml(file, data)
    report = build(options(tmp_path, content=translated, langs=(LONG,), topics=("getting-help",),
                           levels=("easy",)))
    assert not report.failures, report.failures
    assert (tmp_path / LONG / "easy" / "getting-help.pdf").is_file()


def test_check_says_when_a_language_has_no_readability_measure(translated, capsys):
    assert main(["check", "--content", str(translated), "--lang", LONG]) == 0
    out = capsys.readouterr().out
    assert f"Readability not measured: {LONG} (no formula for this language)." in out
    assert "OK: 1 language valid; 0 handouts measured" in out
    assert "scale" not in out  # no empty table


HAITIAN_MONTHS = ["janvye", "fevriye", "mas", "avril", "me", "jen", "jiyè", "out", "septanm",
                  "oktòb", "novanm", "desanm"]


@pytest.mark.pdf
def test_a_language_without_month_names_in_the_locale_data_gives_its_own(content, capsys, tmp_path):
    """Haitian Creole: the locale data writes "M11"; interface.yaml's dates say "novanm"."""
    make_pseudo_locale(content, "ht", lengthen, LONG_FACTOR)
    args = ["build", "--content", str(content), "--lang", "ht", "--level", "easy", "--topic",
            "kratom", "--out", str(tmp_path / "out"), "--jobs", "1"]
    assert main(args) == 1
    assert ("ht/interface.yaml:1:1: the locale data has no month names for 'ht', so dates cannot "
            "be written in words: add `dates:`") in capsys.readouterr().err
    interface = content / "ht" / "interface.yaml"
    labels = yaml.safe_load(interface.read_text(encoding="utf-8"))
    labels["dates"] = {"months": HAITIAN_MONTHS, "format": "{day} {month} {year}"}
    write_yaml(interface, labels)
    assert main(args) == 0
    text = PdfReader(tmp_path / "out/ht/easy/kratom.pdf").pages[0].extract_text()
    assert re.search(rf"\b\d{{1,2}} ({'|'.join(HAITIAN_MONTHS)}) 20\d\d\b", text), text[-300:]
    assert main(["status", "--content", str(content), "--lang", "ht"]) == 0  # dates is no extra key


@pytest.mark.parametrize("code", ["hmn", "pt-BR", "zh-Hant", "sr-Latn"])
def test_new_language_takes_any_language_tag(content, code):
    assert main(["new-language", "--content", str(content), code]) == 0
    assert (content / code / "interface.yaml").exists()


def test_each_served_language_is_started_translated_and_checked_without_code(content, capsys):
    """What a translator does: `new-language`, every text written over in the language
    (words of its sample, tests/pseudo.py), month names where the locale has none; then
    `check` passes: its letters are in its fonts, its dates in its words."""
    codes = [lang for lang in SERVED_LANGUAGES if lang != SOURCE_LANGUAGE]
    for code in codes:
        assert main(["new-language", "--content", str(content), code]) == 0
        translate(content / code, in_words_of(SAMPLES[code], code, 1.0))
    capsys.readouterr()
    assert main(["check", "--content", str(content)]) == 0, capsys.readouterr().err
    assert f"OK: {len(codes) + 1} languages valid" in capsys.readouterr().out


def translate(folder: Path, write: Callable[[str], str]) -> None:
    """Every text of a new language's files written over by `write`."""
    for file in folder.glob("*.yaml"):
        if file.name == STATE_FILE:
            continue
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        translated = transform(data, lambda text: write(text.removeprefix(UNTRANSLATED)),
                               fixed_keys(file.stem))
        if file.stem == "interface" and not has_month_names(folder.name):
            months = [write(month) for month in HAITIAN_MONTHS]
            translated["dates"] = {"months": months, "format": "{day} {month} {year}"}
        file.write_text(dump_yaml(translated), encoding="utf-8")


def test_a_damaged_record_of_old_english_is_said_and_written_anew(translated, capsys):
    assert status(translated, capsys)[0] == 0
    kept = translated / ENGLISH_THEN_FILE
    kept.write_text("[not: a mapping\n", encoding="utf-8")
    code, out = status(translated, capsys)
    assert code == 0 and f"warning: {kept}:" in out and "`make status` writes the file anew" in out
    assert status(translated, capsys)[1].count("warning: ") == out.count("warning: ") - 1  # written anew


def test_a_kept_text_that_does_not_match_its_fingerprint_is_not_shown(translated, capsys):
    assert status(translated, capsys)[0] == 0
    kept = translated / ENGLISH_THEN_FILE
    records = yaml.safe_load(kept.read_text(encoding="utf-8"))
    key = next(k for k, text in records.items() if text.startswith("**Kratom can hook you.**"))
    kept.write_text(kept.read_text(encoding="utf-8").replace("**Kratom can hook you.**", "**Tampered.**"),
                    encoding="utf-8")
    edit(translated / "en/kratom.yaml", "Kratom can hook you.", "Kratom can hook you fast.")
    out = status(translated, capsys)[1]
    assert "English then: (not kept" in out and "Tampered" not in out and key
