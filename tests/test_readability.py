"""The readability gate: measured offline, over running text only, and enforced."""

from __future__ import annotations

import socket

import pytest
import yaml
from helpers import options, write_yaml

from handoutkit import readability
from handoutkit.build import build
from handoutkit.cli import main

EN, ES = readability.FLESCH_KINCAID, readability.INFLESZ


def test_flesch_kincaid_matches_the_formula():
    # 2 sentences, 10 words, 12 syllables ("doctor" and "today" have 2)
    m = readability.measure(["The cat sat on the mat. Call your doctor today."], EN)
    assert (m.sentences, m.words) == (2, 10)
    assert m.score == pytest.approx(0.39 * 10 / 2 + 11.8 * 12 / 10 - 15.59)


def test_dictionary_and_fallback_syllables():
    assert readability.english_syllables("withdrawal") == 3
    assert readability.english_syllables("naloxone") == 3
    assert readability.english_syllables("kratom") == 2  # not in the dictionary
    assert readability.english_syllables("long-acting") == 3


def test_a_word_with_several_pronunciations_counts_its_first():
    """cmudict lists "every" as EH1 V ER0 IY0, then every(2) EH1 V R IY0; "interest" has
    four, the first with two syllables and the third with three."""
    assert readability.english_syllables("every") == 3
    assert readability.english_syllables("family") == 3
    assert readability.english_syllables("interest") == 2
    assert readability.english_syllables("aalborg") == 2  # its entry ends in a comment


@pytest.mark.parametrize("word,count", [
    ("abstinencia", 4), ("día", 2), ("poesía", 4), ("cuidado", 3), ("hay", 1), ("muy", 1),
    ("guerra", 2), ("pingüino", 3), ("naloxona", 4), ("ahora", 3), ("leyes", 2), ("y", 1),
])
def test_spanish_syllables(word, count):
    assert readability.spanish_syllables(word) == count


def test_inflesz_matches_the_formula():
    # 2 sentences, 8 words, 14 syllables
    m = readability.measure(["Llame al médico hoy. No tome kratom solo."], ES)
    assert (m.sentences, m.words) == (2, 8)
    assert m.score == pytest.approx(206.835 - 62.3 * 14 / 8 - 8 / 2)
    assert ES.passes(80, 70) and not ES.passes(60, 70)


def test_phone_numbers_and_addresses_are_not_words():
    text = "Call 1-800-662-4357 or go to findtreatment.gov or https://988lifeline.org."
    m = readability.measure([text], EN)
    assert m.words == 5  # Call, or, go, to, or
    assert m.hardest[0].text.startswith("Call 1-800-662-4357")


def test_smog_needs_thirty_sentences():
    assert readability.measure(["Short one."] * 29, EN).smog is None
    assert readability.measure(["Short one."] * 30, EN).smog is not None


def test_measuring_never_touches_the_network(monkeypatch):
    readability.english_syllables.cache_clear()
    readability._dictionary.cache_clear()

    def refuse(*args, **kwargs):
        raise AssertionError("readability tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert readability.measure(["Kratom can cause withdrawal."], EN).words == 4


HARD = ("Pharmacokinetic interactions involving cytochrome enzymes substantially "
        "complicate individualized pharmacotherapeutic decision-making.")


def make_too_hard(content, level="easy"):
    """Add very hard sentences as extra steps, at one level only."""
    file = content / "en" / "kratom.yaml"
    text = file.read_text()
    items = text.index("  items:\n", text.index("steps:")) + len("  items:\n")
    hard_steps = "".join(f"    hard-{n}:\n      {level}: \"{HARD}\"\n" for n in range(12))
    file.write_text(text[:items] + hard_steps + text[items:])


def test_too_hard_content_fails_build_naming_handout_and_sentence(content, tmp_path):
    make_too_hard(content)
    report = build(options(tmp_path / "out", content=content))
    message = str(report.failures["en"])
    assert "kratom.yaml: easy: Flesch-Kincaid grade" in message
    assert "the target is at most 5.0. Hardest sentences:" in message
    assert HARD in message
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_check_prints_table_and_fails_on_too_hard(content, capsys):
    assert main(["check", "--content", str(content)]) == 0
    table = capsys.readouterr().out
    assert "grade" in table and "sentences" in table
    assert table.count("\nen ") == 12
    make_too_hard(content, "standard")
    assert main(["check", "--content", str(content)]) == 1
    assert HARD in capsys.readouterr().err


def test_spanish_is_measured_on_the_inflesz_scale(content, capsys):
    import shutil

    from handoutkit.config import CONTENT_DIR

    shutil.copytree(CONTENT_DIR / "es", content / "es")
    file = content / "es" / "kratom.yaml"
    data = yaml.safe_load(file.read_text())
    hard = ("Las interacciones farmacocinéticas involucrando isoenzimas citocrómicas "
            "complican sustancialmente la individualización farmacoterapéutica.")
    data["steps"]["items"]["tell-doctor"]["easy"] = " ".join([hard] * 8)
    write_yaml(file, data)
    assert main(["check", "--content", str(content), "--lang", "es"]) == 1
    err = capsys.readouterr().err
    assert "es/kratom.yaml: easy: INFLESZ (Szigriszt-Pazos)" in err
    assert "the target is at least 70.0" in err and hard in err
