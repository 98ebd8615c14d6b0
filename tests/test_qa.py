"""Checks of each translated text against its English: numbers, addresses, placeholders,
bold marks and markers survive translation (`check` failing at the text's line is tested
with the error catalogue, tests/test_errors.py)."""

from __future__ import annotations

import pytest

from handoutkit.cli import main
from handoutkit.qa import text_problems

HELPLINE = "Call the Helpline at 1-800-662-4357. It is free, 24/7."


def test_the_shipped_translation_passes():
    for lang in ("en", "es"):
        assert main(["check", "--lang", lang]) == 0


@pytest.mark.parametrize("translation", [
    "Llame a la Línea al 1-800-662-4357. Es gratis, a toda hora.",  # 24/7 in words
    "اتصل بالخط على ١-٨٠٠-٦٦٢-٤٣٥٧. مجاني، 24/7.",  # Arabic-Indic digits
    "हेल्पलाइन को १-८००-६६२-४३५७ पर कॉल करें। यह मुफ़्त है।",  # Devanagari digits
])
def test_a_language_may_write_its_own_digits_and_always_in_words(translation):
    assert text_problems(HELPLINE, translation) == []


def test_a_decimal_comma_stands_for_a_decimal_point():
    assert text_problems("Take 0.5 mg.", "Tome 0,5 mg.", "es") == []
    assert text_problems("Take 0.5 mg.", "Tome 0.5 mg.", "es") == []  # as in the United States
    assert text_problems("Take 0.5 mg.", "Tome 5 mg.", "es") != []
    assert text_problems("Take 1.125 mg.", "Tome 1125 mg.", "es") != []  # not a thousands group


def test_a_text_read_once_is_read_in_each_language_with_its_own_separators():
    """What a text holds is read once (a cache); its numbers' values are read per language:
    "0,25" is 0.25 in Spanish and not in English, whichever language checked it first."""
    assert text_problems("Take 0.25 mg.", "Tome 0,25 mg.", "es") == []
    assert text_problems("Take 0.25 mg.", "Tome 0,25 mg.", "en") != []  # the same texts, read again
    assert text_problems("Take 0.25 mg.", "Tome 0,25 mg.", "es") == []


@pytest.mark.parametrize(("translation", "expected"), [
    # The red team's cases: groups reordered, one dropped, letters changed, one added.
    ("TTY: 1-487-800-4889. También 1-800-662-HELP.", "1-800-487-4889; the translation does not"),
    ("TTY: 1-800-487-4889. También 1-662-HELP.", "1-800-662-HELP; the translation does not"),
    ("TTY: 1-800-487-4889. También 1-800-662-AYUDA.", "1-800-662-HELP; the translation does not"),
    ("TTY: 1-800-487-4889. También 1-800-662-HELP o 1-800-662-4375.",
     "the translation has the phone number 1-800-662-4375; the English does not"),
])
def test_a_phone_number_is_compared_whole(translation, expected):
    problems = text_problems("TTY: 1-800-487-4889. Also 1-800-662-HELP.", translation, "es")
    assert any(expected in problem for problem in problems), problems


def test_a_range_may_be_written_in_words():
    assert text_problems("It lasts 12-48 hours.", "Dura de 12 a 48 horas.", "es") == []


@pytest.mark.parametrize(("translation", "expected"), [
    ("Llame al 1-800-662-4357.", "the English has the address findtreatment.gov; the translation does not"),
    ("Llame al 1-800-662-4357 o visite findtreatment.gov. [untranslated] Gratis.",
     "the marker [untranslated] is still in the text; delete it once the text is translated"),
    ("Llame al 1-800-662-4357 o visite findtreatment.gov. {date}",
     "placeholders must be as in the English, none; the translation has {date}"),
])
def test_each_problem_is_named(translation, expected):
    assert text_problems("Call 1-800-662-4357 or visit findtreatment.gov.", translation) == [expected]


def test_a_language_without_locale_data_is_read_as_english_writes_numbers():
    assert text_problems("Take 0.5 mg.", "Haus 0.5 mg.", "hmn") == []


def test_a_phone_number_may_touch_a_script_written_without_spaces():
    assert text_problems("Call 1-800-662-4357 now.", "โทร1-800-662-4357ทันที", "th") == []


def test_a_number_the_english_lacks_is_an_error_unless_the_english_file_has_it():
    """988 o al 989: a made-up or mistyped number to call. Spanish may add 'llame al 988 y
    oprima el 2' where the English file has 988 elsewhere (the help box's number)."""
    [problem] = text_problems("Call 988.", "Llame al 988 o al 989.", "es")
    assert problem.startswith("the translation has the number 989; the English does not")
    assert text_problems("You feel hopeless.", "En español: llame al 988.", "es", frozenset({"988"})) == []
