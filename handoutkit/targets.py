"""Which PDFs a build makes, where they go, and which files each is made from.

Targets are known from the options alone, before any content is read, so that a build
can tell from the manifest that nothing changed without loading a single file (or
importing WeasyPrint): this module imports nothing heavy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .config import (
    BILINGUAL,
    BOOKLET,
    CODE_DIR,
    FETCHED_FONTS_DIR,
    GLOSSARY_FILE,
    HANDOUT,
    LEVELS,
    PREVIEW_DIR,
    REVIEWS_FILE,
    SOURCE_LANGUAGE,
    STATE_FILE,
    STYLES_DIR,
    TEMPLATES_DIR,
    TOPICS,
    WALLET,
)
from .errors import ContentError, display_path
from .loader import load_yaml
from .options import INTERFACE, Options


@dataclass(frozen=True)
class ClinicFiles:
    """A clinic profile as a build sees it before reading it (reading checks it, with the
    content schema): the folder its PDFs go to, and the files they are made from."""

    id: str  # the profile's file name without .yaml, as given (a link's own): names its folder
    file: Path
    logo: Path | None  # the logo file the profile names, if any, links followed
    # Where that is from the profile's folder ("logo.svg", "../x.svg"): the logo's checks
    # depend on it (inside the folder, an .svg or .png name), not only on its bytes.
    logo_place: str | None

    @classmethod
    def of(cls, file: Path) -> ClinicFiles:
        """The logo's name is read from the profile's YAML alone. A profile that cannot be
        read gives none: it changed since it was last built (or it never was), so its PDFs
        are out of date, and loading it says what is wrong."""
        try:
            logo = load_yaml(file).data.get("logo")
            folder = file.resolve().parent
            path = (folder / logo).resolve() if isinstance(logo, str) else None
            place = os.path.relpath(path, folder) if path else None
        except (ContentError, AttributeError, OSError, RuntimeError, ValueError):
            path = place = None
        return cls(file.stem, file, path, place)


@dataclass(frozen=True)
class Target:
    """A PDF to make: where, what kind, in which languages, and from which files."""

    path: Path
    kind: str
    langs: tuple[str, ...]  # one, or English and its partner on a bilingual sheet
    level: str | None  # None for wallet cards
    topic: str | None  # None when made from every topic (booklets, wallet cards)
    sources: tuple[Path, ...]  # content, interface, translation and profile files
    logo_place: str | None = None  # its clinic's (ClinicFiles.logo_place)

    @property
    def name(self) -> str:
        return display_path(self.path)


def targets(options: Options, clinic: ClinicFiles | None) -> dict[str, list[Target]]:
    """Every PDF to make for one clinic (or none), by unit: a language, or a bilingual
    pair. A unit is written whole or not at all."""
    units = {code: _language_targets(options, clinic, code) for code in options.langs}
    for code in options.bilingual:
        units[f"{SOURCE_LANGUAGE}+{code}"] = _bilingual_targets(options, clinic, code)
    return units


def handout_path(options: Options, clinic: ClinicFiles | None, code: str, level: str, topic: str) -> Path:
    """Where the handout of `topic` at `level` in language `code` is written."""
    return _base(options, clinic) / code / _level_folder(level, options) / f"{topic}.pdf"


def _language_targets(options: Options, clinic: ClinicFiles | None, code: str) -> list[Target]:
    base = _base(options, clinic) / code
    every_topic = options.topics == TOPICS
    found = []
    for level in options.levels:
        found += [_target(options, clinic, handout_path(options, clinic, code, level, topic), HANDOUT,
                          (code,), level, topic)
                  for topic in options.topics]
        if every_topic:
            booklet = base / _level_folder(level, options) / "booklet.pdf"
            found.append(_target(options, clinic, booklet, BOOKLET, (code,), level, None))
    if every_topic:
        found.append(_target(options, clinic, base / "wallet-cards.pdf", WALLET, (code,), None, None))
    return found


def _bilingual_targets(options: Options, clinic: ClinicFiles | None, code: str) -> list[Target]:
    base = _base(options, clinic) / f"{SOURCE_LANGUAGE}+{code}"
    return [_target(options, clinic, base / _level_folder(level, options) / f"{topic}.pdf",
                    BILINGUAL, (SOURCE_LANGUAGE, code), level, topic)
            for level in options.levels for topic in options.topics]


def _target(options: Options, clinic: ClinicFiles | None, path: Path, kind: str,
            langs: tuple[str, ...], level: str | None, topic: str | None) -> Target:
    return Target(path, kind, langs, level, topic, _sources(options, clinic, langs, topic),
                  clinic.logo_place if clinic else None)


def _sources(options: Options, clinic: ClinicFiles | None, langs: tuple[str, ...],
             topic: str | None) -> tuple[Path, ...]:
    """The content and profile files a target is made from (templates, styles and fonts
    count for every target; see assets())."""
    names = [INTERFACE, *(options.topics if topic is None else [topic])]
    codes = dict.fromkeys([*langs, *([SOURCE_LANGUAGE] if langs != (SOURCE_LANGUAGE,) else [])])
    files = [options.file(code, name) for code in codes for name in names]
    files += [options.content / code / state for code in codes
              for state in (STATE_FILE, REVIEWS_FILE, GLOSSARY_FILE)]
    if clinic:
        files += [clinic.file, *([clinic.logo] if clinic.logo else [])]
    return tuple(files)


def shard(options: Options, part: int, parts: int) -> set[tuple[str, str]]:
    """The units of part `part` (1 to `parts`), as (clinic, unit) pairs: the clinic is its
    profile's file name without .yaml ("" for none), the unit a language or a bilingual pair.

    A unit is never split, so each part writes whole languages or none (a unit is all or
    nothing). Each goes, most costly first, to the part with the least cost so far, so that
    the parts take about as long as each other. Only the options count, not which profiles
    load, so the same options make the same parts on every machine, even with a broken profile.
    """
    costs = {name: sum(cost(target) for target in unit) for name, unit in targets(options, None).items()}
    clinics = sorted({file.stem for file in options.clinics}) or [""]
    units = sorted(((clinic, name) for clinic in clinics for name in costs),
                   key=lambda unit: (-costs[unit[1]], unit))
    loads = [0] * parts
    mine = set()
    for unit in units:
        lightest = loads.index(min(loads))
        loads[lightest] += costs[unit[1]]
        if lightest == part - 1:
            mine.add(unit)
    return mine


def unit_folders(units: set[tuple[str, str]]) -> tuple[str, ...]:
    """Where the PDFs of these (clinic, unit) pairs, as shard() names them, go inside the
    output folder: "example/es/", or "es/" with no clinic."""
    return tuple(sorted(f"{clinic}/{unit}/" if clinic else f"{unit}/" for clinic, unit in units))


def cost(target: Target) -> int:
    """What a target takes to render, roughly: its pages at most (a booklet's, every
    topic's; a bilingual sheet's, both languages')."""
    pages = LEVELS[target.level].max_pages if target.level else 1
    if target.kind == BOOKLET:
        return pages * len(TOPICS) + 1
    return pages * len(target.langs)


def preview_path(path: Path, out: Path) -> Path:
    """Where the preview of the PDF at `path` (inside `out`) goes when it is over its page
    budget: a folder of its own, never mistaken for the finished handouts."""
    return out / PREVIEW_DIR / path.relative_to(out)


def remove_preview(path: Path, out: Path) -> None:
    """A handout now within its budget leaves no preview of an older, longer text; only
    inside the output folder (a link there to elsewhere is left alone)."""
    preview = preview_path(path, out)
    if os.path.realpath(preview).startswith(os.path.join(os.path.realpath(out), PREVIEW_DIR, "")):
        try:
            preview.unlink(missing_ok=True)
        except NotADirectoryError:
            pass  # a file stands where a previews' folder would be: there is no preview


def assets() -> list[Path]:
    """The files every PDF is made with: templates, stylesheet, crop marks and fonts, and
    the tool's own code (a new release, or a change to how it draws, renders every PDF
    again). A fetched family counts by its SOURCE.txt, which names the tarball by its
    checksum: hashing its 60 MB of fonts would take most of a build that has nothing to do."""
    files = [path for folder in (TEMPLATES_DIR, STYLES_DIR) for path in folder.rglob("*")
             if path.is_file() and not _fetched_font(path)]
    code = [path for path in CODE_DIR.glob("*.py") if path.is_file() and not path.name.startswith(".")]
    return sorted([*files, *code])


def _fetched_font(path: Path) -> bool:
    return path.suffix == ".ttf" and path.is_relative_to(FETCHED_FONTS_DIR)


def _base(options: Options, clinic: ClinicFiles | None) -> Path:
    return options.out / clinic.id if clinic else options.out


def _level_folder(level: str, options: Options) -> str:
    return f"{level}-large" if options.large_print else level


