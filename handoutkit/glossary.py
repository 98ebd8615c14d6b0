"""A language's glossary: the agreed word for each English term, used every time.

handouts/<lang>/glossary.yaml maps an English term to the words that render it. Wherever
the English text of a key uses the term (as a whole word, plural too), its translation
should use one of the agreed words; `check` and `build` warn where it does not.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, RootModel

from .config import GLOSSARY_FILE
from .errors import ContentError, Problem
from .loader import Located, has_data, load_yaml, present, undotted
from .schema import Line, Short
from .validator import validate

# Titles and publishers of sources name publications: a translator may keep them as published.
UNGLOSSED = ("sources.",)


class Glossary(RootModel[dict[Short, Line | Annotated[list[Line], Field(min_length=1)]]]):
    """English term -> the agreed translation, or its forms (singular, plural...)."""

    def agreed(self) -> dict[str, list[str]]:
        return {term: [words] if isinstance(words, str) else words
                for term, words in self.root.items()}


def load_glossary(folder: Path) -> tuple[dict[str, list[str]], list[Problem]]:
    """The agreed terms of a language folder (none when it has no glossary)."""
    file = folder / GLOSSARY_FILE
    if not present(file):
        return {}, []
    try:
        if not has_data(file, within=folder.parent):
            return {}, []
        return validate(load_yaml(file, within=folder.parent), Glossary).agreed(), []
    except ContentError as error:
        return {}, error.problems


def departures(glossary: dict[str, list[str]], english: str, translation: str) -> list[tuple[str, list[str]]]:
    """(term, agreed words) for each glossary term the English uses and the translation
    renders some other way."""
    found = []
    folded = translation.casefold()
    for term, words in glossary.items():
        if uses(english, term) and not any(word.casefold() in folded for word in words):
            found.append((term, words))
    return found


def glossary_problems(glossary: dict[str, list[str]], pairs: dict[str, tuple[str, str]],
                      located: Located) -> list[Problem]:
    """A located warning for each translated text that strays from the glossary."""
    problems = []
    for key, (english, translation) in pairs.items():
        if key.startswith(UNGLOSSED):
            continue
        path = undotted(key)
        for term, words in departures(glossary, english, translation):
            agreed = " or ".join(f"'{word}'" for word in words)
            problems.append(located.problem(path, f"{key}: the English says '{term}'; the glossary "
                                                  f"({GLOSSARY_FILE}) agrees on {agreed}"))
    return problems


def uses(text: str, term: str) -> bool:
    return _pattern(term).search(text) is not None


@cache
def _pattern(term: str) -> re.Pattern[str]:
    """A term as a whole word, plural too (compiled once: a glossary may have thousands)."""
    return re.compile(rf"\b{re.escape(term)}(s|es)?\b", re.IGNORECASE)
