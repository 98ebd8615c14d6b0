"""Pseudo-locales made from the English content on the fly, to prove any script prints.

- en-XA: every word about 40% longer, in accented Latin letters ("Wííthdráwáál").
- ar-XB: every Latin letter replaced by an Arabic one, so the handout is right to left.
Numbers, addresses, {placeholders} and **markup** are kept as they are.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any, Callable

import yaml
from helpers import write_yaml

from handoutkit.config import STATE_FILE
from handoutkit.translations import fixed_keys

# Accented letters that the bundled Atkinson Hyperlegible has.
ACCENTED = str.maketrans("aeiouyncAEIOUNC", "áéíöüýñçÁÉÍÖÜÑÇ")
ARABIC = str.maketrans({
    **dict(zip("abcdefghijklmnopqrstuvwxyz", "ابكديفغهيجكلمنوبقرستوفوكيز")),
    **dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "ابكديفغهيجكلمنوبقرستوفوكيز")),
})
# Letters outside {placeholders}, web addresses and phone numbers (1-800-662-HELP whole).
_PROTECTED = re.compile(r"(\{\w+\}|https?://\S+|\b[\w.-]+\.(?:gov|org)\b|\d(?:[\d.,-]*\d)?(?:-[A-Z]{3,5}\b)?)")


def lengthen(text: str) -> str:
    """Double every vowel and accent the letters: about 40% more characters."""
    def longer(part: str) -> str:
        return re.sub(r"([aeiourtAEIOURT])", r"\1\1", part).translate(ACCENTED)
    return _outside_protected(text, longer)


def arabize(text: str) -> str:
    return _outside_protected(text, lambda part: part.translate(ARABIC))


def _outside_protected(text: str, change: Callable[[str], str]) -> str:
    return "".join(piece if index % 2 else change(piece)
                   for index, piece in enumerate(_PROTECTED.split(text)))


def transform(data: Any, change: Callable[[str], str], fixed: frozenset[str], key: Any = None) -> Any:
    if isinstance(data, dict):
        return {k: transform(v, change, fixed, k) for k, v in data.items()}
    if isinstance(data, list):
        return [transform(v, change, fixed, key) for v in data]
    if isinstance(data, str) and key not in fixed:
        return change(data)
    return data


def make_pseudo_locale(content: Path, code: str, change: Callable[[str], str],
                       page_budget_factor: float = 1.0) -> Path:
    """content/<code>/: every English file, transformed; returns the folder."""
    folder = content / code
    folder.mkdir()
    for english in (content / "en").glob("*.yaml"):
        data = yaml.safe_load(english.read_text(encoding="utf-8"))
        write_yaml(folder / english.name, transform(data, change, fixed_keys(english.stem)))
    state = {"reviewed_by": "", "reviewed_on": "", "page_budget_factor": page_budget_factor}
    write_yaml(folder / STATE_FILE, state)
    return folder


def copy_english(target: Path, source: Path) -> Path:
    shutil.copytree(source / "en", target / "en")
    return target


# Scripts written without spaces between words.
SPACELESS = ("zh", "ja", "th", "my", "km", "lo")


def in_words_of(sample: str, lang: str, ratio: float) -> Callable[[str], str]:
    """A change that writes each English text in `lang`: words of its sample sentences,
    cycled to `ratio` times the English length (in characters), numbers, addresses and
    {placeholders} kept. Not a translation: text of that script's real shapes and lengths,
    to lay out."""
    spaced = lang.split("-")[0] not in SPACELESS
    words = re.findall(r"[^\s\d.,:;!?¿¡()-]+", sample) if spaced else [
        piece for piece in re.split(r"[\s\d.,:;!?()。，、：；-]+", sample) if piece]

    def write(piece: str) -> str:
        if not any(char.isalpha() for char in piece):
            return piece  # spaces and punctuation: "(" before an address stays one
        target, out, index = max(1, round(len(piece) * ratio)), [], len(piece) % len(words)
        while sum(map(len, out)) + (len(out) if spaced else 0) < target:
            out.append(words[index % len(words)])
            index += 1
        joined = (" " if spaced else "").join(out)
        # A word never joins a number or address before it ("FindTreatment.gov's").
        before = " " if piece[0] == " " or (spaced and not piece[0].isalpha()) else ""
        return before + joined + (" " if piece[-1] == " " else "")
    return lambda text: _outside_protected(text, write)
