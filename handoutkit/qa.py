"""Checks of each translated text against its English text: what must not change in
translation does not.

- Every phone number of the English is in the translation, whole (1-800-662-HELP too),
  and the translation has no other. Every number and web or e-mail address of the English
  is in it: digits may be the language's own (٤٣٥٧ for 4357), and a number may be written
  with the language's decimal and thousands separators or with English's ("1,5" or "1.5"
  for 1.5 in Spanish, which is written both ways); a number may not be spelled out in
  words, since a patient dials what is printed ("24/7" may: it is a way of saying "always").
- A text of four words or more is not the English text itself (a tool's "copy source").
- Every {placeholder} of the English is in the translation, and no other.
- Bold marks (**) come in pairs.
- No "[untranslated]" marker is left inside a text.
- A text is not wrapped whole in curly quotes (an editor's “smart” quotes, which YAML
  prints), unless the English is.

Each is an error: a helpline with two digits swapped is worse than no handout.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from .errors import Problem
from .glossary import UNGLOSSED
from .loader import strings, undotted
from .translations import UNTRANSLATED, Merged

# A web or e-mail address.
_ADDRESS = re.compile(r"(?:https?://)?[\w.-]+@[\w-]+(?:\.[\w-]+)+"
                      r"|(?:https?://)?(?:[\w-]+\.)+(?:gov|org|com|net|edu)\b[\w/.-]*",
                      re.ASCII | re.IGNORECASE)
# A phone number, whole: three or more groups of digits joined by hyphens, the last may
# be letters (1-800-662-HELP); a range (12-48) is two numbers. Compared whole, in order,
# both ways: a translation may neither lose one nor gain one. Only Latin letters and digits
# may not touch it: Thai, Burmese or Chinese text runs on without a space.
_PHONE = re.compile(r"(?<![A-Za-z0-9-])\d{1,4}(?:-\d{2,4})+(?:-\d{2,4}|-[A-Z]{3,5})(?![A-Za-z0-9-])")
# A number in the English way: groups of thousands after commas, decimals after a point.
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?")
# Numbers that are words: "24/7" may be translated as "every day, at any hour".
_IDIOMS = re.compile(r"\b24/7\b")
_PLACEHOLDER = re.compile(r"\{\w+\}")
BOLD = "**"
# A text as long as this, the same in the translation as in English, was not translated
# (a tool's "copy source"); names, short words and the sources' titles may be.
SAME_AS_ENGLISH_WORDS = 4


def ascii_digits(text: str) -> str:
    """Every decimal digit of any script as 0-9 (Arabic-Indic ٤ is 4, Devanagari ४ is 4)."""
    return _OTHER_DIGIT.sub(lambda digit: str(unicodedata.decimal(digit[0])), text)


_OTHER_DIGIT = re.compile(r"(?![0-9])\d")  # \d: any script's decimal digit (Unicode's Nd)


@dataclass(frozen=True)
class _Figures:
    """What a text holds that its translation must keep, with its digits as 0-9."""

    phones: tuple[str, ...] = ()  # whole (1-800-662-HELP)
    numbers: tuple[str, ...] = ()  # as written, outside addresses and phone numbers
    long_numbers: frozenset[str] = frozenset()  # runs of 3 digits or more, outside addresses


# Most texts have no digit, hence nothing of the kind: one search tells.
_DIGIT = re.compile(r"\d")
_LONG_NUMBER = re.compile(r"\d{3,}")


# Each English text is compared with its translation in every language: what it holds is
# read once. `make check` of 30 languages compares 21,000 pairs, 710 per language: the
# English texts stay in a cache this size, the translations pass through.
@lru_cache(maxsize=2**13)
def _figures(text: str) -> _Figures:
    if not _DIGIT.search(text):
        return _Figures()
    digits = ascii_digits(text)
    outside_addresses = _ADDRESS.sub(" ", digits)
    return _Figures(
        phones=tuple(_PHONE.findall(digits)),
        numbers=tuple(_NUMBER.findall(_IDIOMS.sub(" ", _PHONE.sub(" ", outside_addresses)))),
        long_numbers=frozenset(_LONG_NUMBER.findall(outside_addresses)),
    )


def phones(text: str) -> tuple[str, ...]:
    return _figures(text).phones


def numbers(text: str, lang: str = "en") -> frozenset[str]:
    """The values of a text's numbers, read with the language's decimal and group
    separators ("1,5" is 1.5 in Spanish, "1,500" is 1500 in English); addresses and
    phone numbers (checked whole) left out."""
    decimal, group = _separators(lang)
    return frozenset(_value(number, decimal, group) for number in _figures(text).numbers)


@cache
def _separators(lang: str) -> tuple[str, str]:
    from babel import UnknownLocaleError

    from .render import babel_locale

    try:
        symbols = babel_locale(lang).number_symbols.get("latn", {})
    except (ValueError, UnknownLocaleError):  # no locale data (Hmong): English's
        symbols = {}
    return symbols.get("decimal", "."), symbols.get("group", ",")


def _value(number: str, decimal: str, group: str) -> str:
    """The number as digits and a decimal point: '1.500,5' in Spanish is '1500.5'."""
    for separator in {group, "\u00a0", "\u202f", " "} - {decimal}:
        number = number.replace(separator, "")
    return number.replace(decimal, ".") if decimal != "." else number


def _long_numbers(text: str) -> frozenset[str]:
    """The runs of three digits or more outside addresses (988, 911, 2026, each group of
    a phone number): one the English lacks is a number the translator made up or mistyped."""
    return _figures(text).long_numbers


@lru_cache(maxsize=2**13)  # as _figures
def addresses(text: str) -> frozenset[str]:
    return frozenset(address.lower().rstrip(".").removeprefix("https://").removeprefix("http://")
                     for address in _ADDRESS.findall(text))


def text_problems(english: str, translation: str, lang: str = "en",
                  known: frozenset[str] = frozenset()) -> list[str]:
    """What the translation lost or broke, each as a sentence for the translator. `known`:
    numbers the English file has elsewhere, which a translation may repeat (Spanish adds
    "llame al 988 y oprima el 2" beside the help box's 988)."""
    problems = []
    theirs, ours = phones(english), phones(translation)
    lost = [phone for phone in theirs if phone not in ours]
    gained = [phone for phone in ours if phone not in theirs]
    if lost:
        problems.append(f"the English has the phone number {', '.join(lost)}; the translation does not "
                        "(copy it from the English)")
    if gained:
        problems.append(f"the translation has the phone number {', '.join(gained)}; the English does not")
    # Read both ways: Spanish in the United States writes 1.4 as English does, in Spain 1,4.
    lost_numbers = numbers(english) - numbers(translation, lang) - numbers(translation)
    if lost_numbers:
        problems.append(f"the English has the number{'s' if len(lost_numbers) > 1 else ''} "
                        f"{_listed(lost_numbers)}; the translation does not (write numbers in figures, "
                        "as the English does)")
    gained_numbers = _long_numbers(translation) - _long_numbers(english) - known
    if gained_numbers:
        problems.append(f"the translation has the number{'s' if len(gained_numbers) > 1 else ''} "
                        f"{_listed(gained_numbers)}; the English does not (a number of three digits "
                        "or more may be one to call or a dose)")
    lost = sorted(addresses(english) - addresses(translation))
    if lost:
        problems.append(f"the English has the address {', '.join(lost)}; the translation does not")
    wanted, given = set(_PLACEHOLDER.findall(english)), set(_PLACEHOLDER.findall(translation))
    if wanted != given:
        problems.append(f"placeholders must be as in the English, {_named(wanted)}; "
                        f"the translation has {_named(given)}")
    if translation.count(BOLD) % 2:
        problems.append("a ** mark has no partner: bold text goes between two (**like this**)")
    if _curly_quoted(translation) and not _curly_quoted(english):
        problems.append("the whole text is between curly quotes, which would print: quote a "
                        'text with straight double quotes ("like this"), or not at all')
    if UNTRANSLATED.strip() in translation:
        problems.append(f"the marker {UNTRANSLATED.strip()} is still in the text; "
                        "delete it once the text is translated")
    return problems


# An editor's "smart" quotes around a whole text: YAML takes them as part of it.
_CURLY = re.compile(r"^\s*[“„‘‚].*[”“’‘]\s*$", re.S)


def _curly_quoted(text: str) -> bool:
    return _CURLY.match(text) is not None


def _listed(found: frozenset[str]) -> str:
    return ", ".join(sorted(found))


def _named(placeholders: set[str]) -> str:
    return ", ".join(sorted(placeholders, key=lambda name: name.strip("{}"))) if placeholders else "none"


def qa_problems(merged: Merged, lang: str) -> list[Problem]:
    """Each translated text's problems, at its line, naming its key."""
    problems = []
    # Values of keys that are not text (the help box's numbers) are always English's.
    fixed = [value for path, value in strings(merged.located.data) if path and path[-1] in merged.fixed]
    english = [*merged.texts.values(), *fixed]
    known = frozenset(number for text in english for number in _long_numbers(text))
    for key, (english, translation) in merged.pairs.items():
        if _unpaired(key, merged):
            continue
        messages = text_problems(english, translation, lang, known)
        if translation == english and len(english.split()) >= SAME_AS_ENGLISH_WORDS \
                and not key.startswith(UNGLOSSED):
            messages.append("the text is the English text: translate it (a tool's \"copy source\" "
                            "leaves it so), or mark it [untranslated] to print it as a draft")
        problems += [merged.located.problem(undotted(key), f"{key}: {message}") for message in messages]
    return problems


def _unpaired(key: str, merged: Merged) -> bool:
    """Whether the text is in a list of another length than the English one, whose items
    cannot be paired (that is the error to fix first)."""
    return any(key.startswith(f"{extra}.") for extra in merged.report.extra)

