"""Checks of each translated text against its English text: what must not change in
translation does not.

- Every phone number, number and web or e-mail address of the English is in the
  translation. Digits may be the language's own (٤٣٥٧ for 4357) and a decimal comma may
  stand for a decimal point (0,5 for 0.5); a number may not be spelled out in words,
  since a patient dials what is printed ("24/7" may: it is a way of saying "always").
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

from .errors import Problem
from .translations import UNTRANSLATED, Merged

# A web or e-mail address; a number, with a decimal point or comma (a phone number or a
# range is several numbers).
_ADDRESS = re.compile(r"(?:https?://)?[\w.-]+@[\w-]+(?:\.[\w-]+)+"
                      r"|(?:https?://)?(?:[\w-]+\.)+(?:gov|org|com|net|edu)\b[\w/.-]*",
                      re.ASCII | re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Numbers that are words: "24/7" may be translated as "every day, at any hour".
_IDIOMS = re.compile(r"\b24/7\b")
_PLACEHOLDER = re.compile(r"\{\w+\}")
BOLD = "**"


def ascii_digits(text: str) -> str:
    """Every decimal digit of any script as 0-9 (Arabic-Indic ٤ is 4, Devanagari ४ is 4)."""
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text)


def numbers(text: str) -> set[str]:
    """The numbers of a text, addresses left out, with a decimal comma read as a point
    ("0,5" is "0.5"); the groups of a phone number or range count one by one."""
    text = _IDIOMS.sub(" ", _ADDRESS.sub(" ", ascii_digits(text)))
    return {_as_point(number) for number in _NUMBER.findall(text)}


def _as_point(number: str) -> str:
    """'0,5' -> '0.5'; a thousands separator ('1,000', '1.000') -> '1000'."""
    parts = re.split(r"[.,]", number)
    if len(parts) > 1 and all(len(part) == 3 for part in parts[1:]):
        return "".join(parts)
    return ".".join(parts)


def addresses(text: str) -> set[str]:
    return {address.lower().rstrip(".") for address in _ADDRESS.findall(text)}


def text_problems(english: str, translation: str) -> list[str]:
    """What the translation lost or broke, each as a sentence for the translator."""
    problems = []
    lost = numbers(english) - numbers(translation)
    if lost:
        problems.append(f"the English has the number{'s' if len(lost) > 1 else ''} "
                        f"{_listed(lost)}; the translation does not (write numbers in figures, "
                        "as the English does)")
    lost = addresses(english) - addresses(translation)
    if lost:
        problems.append(f"the English has the address {_listed(lost)}; the translation does not")
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
_CURLY = re.compile(r"^\s*[“”„«‘’‚‹「『].*[“”»‘’›」』]\s*$", re.S)


def _curly_quoted(text: str) -> bool:
    return _CURLY.match(text) is not None


def _listed(found: set[str]) -> str:
    return ", ".join(sorted(found))


def _named(placeholders: set[str]) -> str:
    return ", ".join(sorted(placeholders, key=lambda name: name.strip("{}"))) if placeholders else "none"


def qa_problems(merged: Merged) -> list[Problem]:
    """Each translated text's problems, at its line, naming its key."""
    return [merged.located.problem(_path(key), f"{key}: {message}")
            for key, (english, translation) in merged.pairs.items() if not _unpaired(key, merged)
            for message in text_problems(english, translation)]


def _unpaired(key: str, merged: Merged) -> bool:
    """Whether the text is in a list of another length than the English one, whose items
    cannot be paired (that is the error to fix first)."""
    return any(key.startswith(f"{extra}.") for extra in merged.report.extra)


def _path(key: str) -> tuple[str | int, ...]:
    return tuple(int(part) if part.isdigit() else part for part in key.split("."))
