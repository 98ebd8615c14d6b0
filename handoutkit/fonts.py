"""Which bundled fonts print which language, and which characters they can draw.

The table is config.SCRIPTS. From it come the stylesheet's font stacks (a language's
families, and the @font-face rules that load them), the check of each language's texts
against its own stack, and the README's table of languages.

A character no font of its language's stack has would be drawn by whatever system font
happens to be installed, or as an empty box; either way the handout is wrong, so it is an
error, found before rendering and named by file, line and key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from .config import DEFAULT_SCRIPT, FONT_FAMILIES, SCRIPTS, SOURCE_LANGUAGE, FontFamily, Script
from .errors import display_path
from .loader import KeyPath, dotted, strings

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont  # comes with WeasyPrint, imported when used

LICENCE = "OFL.txt"  # beside each family's files
SOURCE = "SOURCE.txt"  # in a fetched family's folder: the package it was fetched from
SHOWN = 10  # characters listed in an error; the count says how many more
ADDING_A_SCRIPT = 'see TRANSLATING.md "Adding a script"'
# A language code as a clinic profile's per-language texts are keyed (schema.LangText).
_LANGUAGE_KEY = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
# lang="..." in the HTML the templates make (text is escaped, so content cannot add one).
_LANG_ATTRIBUTE = re.compile(r'\slang="([A-Za-z0-9-]+)"')


class FontsNotInstalled(Exception):
    """A family fetched at set-up is missing: `make fonts` has not run."""

    def __init__(self, family: FontFamily) -> None:
        super().__init__(f"the font {family.name} is not installed ({display_path(family.path)}); "
                         "run `make fonts`")


# ---- Languages to scripts to families ----

@cache
def script_of(lang: str) -> Script:
    """The script a BCP 47 tag is written in: its script subtag if it has one (zh-Hant,
    sr-Latn), else the one CLDR gives its language (and region: zh-TW is Hant)."""
    subtags = lang.replace("_", "-").split("-")
    language = get_global("language_aliases").get(subtags[0].lower(), subtags[0].lower())
    script = next((s.title() for s in subtags[1:] if len(s) == 4 and s.isalpha()), None)
    if script is None:
        region = next((s.upper() for s in subtags[1:] if len(s) in (2, 3)), None)
        likely = get_global("likely_subtags")
        found = likely.get(f"{language}_{region}") or likely.get(language) or ""
        script = next((part for part in found.split("_") if len(part) == 4), DEFAULT_SCRIPT)
    return SCRIPTS.get(f"{language}-{script}") or SCRIPTS.get(script) or SCRIPTS[DEFAULT_SCRIPT]


def stack(lang: str) -> tuple[FontFamily, ...]:
    """The families a language prints in, in the order CSS tries them. The default
    script's close every stack: a text every language shares (a clinic's name) is checked
    against them, so it prints in any language."""
    return tuple(dict.fromkeys(script_of(lang).families + SCRIPTS[DEFAULT_SCRIPT].families))


def page_stack(langs: Iterable[str]) -> tuple[FontFamily, ...]:
    """The stack of a page's margins (running header and footer), which hold every language
    of the page. English comes last: its plain Latin letters are in every stack, so each
    other language's words come whole from that language's own families."""
    ordered = sorted(dict.fromkeys(langs), key=lambda lang: lang == SOURCE_LANGUAGE)
    return tuple(dict.fromkeys(family for lang in ordered for family in stack(lang)))


def languages_in(html: str) -> tuple[str, ...]:
    """The languages of an HTML page, from its lang attributes, in order of appearance."""
    return tuple(dict.fromkeys(_LANG_ATTRIBUTE.findall(html))) or (SOURCE_LANGUAGE,)


# ---- CSS ----

def face_css(family: FontFamily, url: Callable[[Path], str]) -> str:
    """@font-face rules loading each file of a family; `url` addresses a file."""
    for path in family.files:
        if not path.is_file():
            raise FontsNotInstalled(family)
    return "".join(
        f'@font-face {{ font-family: "{family.name}"; src: url("{url(path)}"); '
        f"font-weight: {face[:3]}; font-style: {'italic' if 'Italic' in face else 'normal'}; }}\n"
        for face, path in zip(family.faces, family.files))


def stack_css(langs: Iterable[str]) -> str:
    """Each language's font stack, for its elements (:lang() also matches a longer tag:
    zh-Hant-TW), and the page margins' stack."""
    langs = tuple(dict.fromkeys(langs))
    # A longer tag last: an element of zh-Hant matches :lang(zh) too, and must get zh-Hant's.
    rules = [f":lang({lang}) {{ font-family: {_names(stack(lang))}; }}\n"
             for lang in sorted(langs, key=len)]
    return "".join(rules) + f"@page {{ font-family: {_names(page_stack(langs))}; }}\n"


def font_css(langs: Iterable[str], url: Callable[[Path], str]) -> str:
    """What a standalone page needs to print in its languages' fonts: the faces and stacks."""
    langs = tuple(langs)
    # The margins' stack names every family of the page's languages.
    return "".join(face_css(family, url) for family in page_stack(langs)) + stack_css(langs)


def _names(families: Iterable[FontFamily]) -> str:
    return ", ".join(f'"{family.name}"' for family in families)


# ---- Characters ----

@cache
def drawn(family: FontFamily) -> frozenset[int]:
    """Code points every face of the family draws (a bold word must not fall back)."""
    from fontTools.ttLib import TTFont  # comes with WeasyPrint

    for path in family.files:
        if not path.is_file():
            raise FontsNotInstalled(family)
    maps = []
    for path in family.files:
        font = TTFont(path, lazy=True)
        number_unnamed_glyphs(font)
        maps.append(set(font.getBestCmap()))
    return frozenset(set.intersection(*maps))


def number_unnamed_glyphs(font: TTFont) -> None:
    """Name a TrueType font's glyphs by number ("glyph00042", as fontTools names a glyph it
    has no name for) if the font names none (a `post` table of format 3, as the Chinese,
    Japanese and Korean fonts have). Otherwise fontTools makes up a name for each glyph
    from the Unicode map as soon as anything asks for one: 0.05-0.1 s for each of those
    fonts, where what is wanted (its characters, or a subset of its glyphs) needs none.

    Only before anything has read the font's glyph order: a table read since holds the
    names it was read with (and a name set by whoever opened the font is kept)."""
    if not hasattr(font, "glyphOrder") and "glyf" in font and "post" in font \
            and font["post"].formatType == 3.0:
        font.setGlyphOrder([".notdef", *(f"glyph{gid:05d}" for gid in range(1, font["maxp"].numGlyphs))])


def uncovered_characters(data: Any, lang: str | None) -> list[tuple[KeyPath, str]]:
    """One (key path, message) per language of a file's texts: the characters that no font
    of the language's stack has, at the first text holding one. `lang` is the language the
    texts are printed in; None for a clinic profile, whose texts keyed by a language code
    are that language's, and the rest every language's."""
    missing: dict[str | None, list[tuple[KeyPath, set[str]]]] = {}
    try:
        for path, text in strings(data):
            text_lang = lang or _language_key(data, path)
            printable = _printable(_checked_stack(text_lang))
            if chars := {c for c in text if ord(c) not in printable and not _invisible(c)}:
                missing.setdefault(text_lang, []).append((path, chars))
    except FontsNotInstalled as error:
        return [((), str(error))]
    return [(found[0][0], _message(found, text_lang)) for text_lang, found in missing.items()]


def _checked_stack(lang: str | None) -> tuple[FontFamily, ...]:
    """A language's stack; for a text every language shares, the families every stack ends
    with."""
    return stack(lang) if lang else SCRIPTS[DEFAULT_SCRIPT].families


def _message(found: list[tuple[KeyPath, set[str]]], lang: str | None) -> str:
    """'key: 37 characters of Vietnamese (ơ ư ệ ...) are in no bundled font (...); advice'."""
    chars = sorted(set().union(*(chars for _, chars in found)))
    key = dotted(found[0][0])
    many = len(chars) > 1
    count = f"{len(chars)} character{'s' if many else ''}{f' of {language_name(lang)}' if lang else ''}"
    shown = " ".join(_shown(c) for c in chars[:SHOWN]) + (" ..." if len(chars) > SHOWN else "")
    verb = "are" if many else "is"
    if any(ord(c) in _printable(FONT_FAMILIES) for c in chars):
        fonts = ", ".join(family.name for family in _checked_stack(lang))
        owner = "its fonts" if lang else "the fonts every language prints it in"
        where = f"{verb} not in {owner} ({fonts})"
    else:
        where = f"{verb} in no bundled font"
    texts = f" ({len(found)} texts, the first here)" if len(found) > 1 else ""
    advice = ADDING_A_SCRIPT if any(_letter(c) for c in chars) else "replace it with words"
    return f"{key}: {count} ({shown}) {where}{texts}; {advice}"


@cache  # per stack: a union of the large sets of Chinese, Japanese and Korean fonts
def _printable(families: tuple[FontFamily, ...]) -> frozenset[int]:
    return frozenset().union(*(drawn(family) for family in families))


def _language_key(data: Any, path: KeyPath) -> str | None:
    """The language a clinic text is for, if it is one of a mapping of language codes."""
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    if isinstance(parent, dict) and all(isinstance(k, str) and _LANGUAGE_KEY.fullmatch(k) for k in parent):
        return str(path[-1])
    return None


def _shown(char: str) -> str:
    """A letter as itself; anything else (an emoji, a symbol) with its code and name."""
    if _letter(char):
        return char
    return f"{char} U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"


def _letter(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _invisible(char: str) -> bool:
    """Line breaks, and format marks (joiners, direction marks) that draw nothing."""
    return char in "\n\r\t" or unicodedata.category(char) == "Cf"


@cache
def language_name(lang: str) -> str:
    """A language's English name, as CLDR gives it ('zh-Hant': 'Traditional Chinese')."""
    english = Locale("en")
    underscored = lang.replace("-", "_")
    if name := english.languages.get(underscored):
        return name
    try:
        return Locale.parse(underscored).get_display_name("en") or lang
    except (ValueError, UnknownLocaleError):
        return english.languages.get(underscored.split("_")[0], lang)


# ---- The README's table ----

README_COLUMNS = ("language", "code", "script", "fonts", "direction", "fonts on disk",
                  "page budget factor", "readability", "month names")


def readme_rows(languages: Iterable[str], direction: Callable[[str], str]) -> list[list[str]]:
    """The README's table of languages, a row of README_COLUMNS for each (more columns may
    follow them there)."""
    from .readability import FORMULAS
    from .render import has_month_names

    rows = []
    for lang in languages:
        script = script_of(lang)
        size = sum(path.stat().st_size for family in script.families for path in family.files)
        formula = FORMULAS.get(lang)
        rows.append([language_name(lang), f"`{lang}`", script.name,
                     ", ".join(family.name for family in script.families), direction(lang),
                     f"{size / 1e6:.1f} MB", f"{script.page_budget_factor:g}",
                     formula.name if formula else "not measured",
                     "locale data" if has_month_names(lang) else "interface.yaml `dates`"])
    return rows


RTL_LANGUAGES = {"ar", "fa", "he", "ur", "ps", "yi"}


def direction(lang: str) -> str:
    """The direction a language's script is written in: "rtl" or "ltr"."""
    return "rtl" if lang.split("-")[0] in RTL_LANGUAGES else "ltr"


def source_line(family: FontFamily) -> str:
    """What a fetched family's SOURCE.txt says: the package and the tarball's checksum."""
    return f"{family.package}@{family.version} sha256:{family.sha256}\n"


if __name__ == "__main__":  # `python -m handoutkit.fonts`: the README's table, from config
    from .config import SERVED_LANGUAGES

    rows = readme_rows(SERVED_LANGUAGES, direction)
    for row in [list(README_COLUMNS), ["---"] * len(README_COLUMNS), *rows]:
        print(f"| {' | '.join(row)} |")
