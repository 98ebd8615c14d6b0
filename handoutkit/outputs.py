"""Which PDFs a build makes, where they go, and what each is made from.

Targets are known from the options alone, before any content is read, so that a build
can tell from the manifest that nothing changed without loading a single file. Pages
(what a template renders) are made from a target once its language is loaded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

from .clinic import Profile
from .config import (
    BILINGUAL_PAGE_FACTOR,
    LARGE_PRINT_PAGE_FACTOR,
    LEVELS,
    REFERRALS_PER_EXTRA_PAGE,
    STYLES_DIR,
    TEMPLATES_DIR,
    TOPICS,
)
from .contents import Handout
from .errors import display_path
from .languages import Language, handouts
from .options import INTERFACE, Options
from .render import BILINGUAL, BOOKLET, HANDOUT, WALLET, Edition, Page
from .translations import SOURCE_LANGUAGE, STATE_FILE


@dataclass(frozen=True)
class Target:
    """A PDF to make: where, what kind, in which languages, and from which files."""

    path: Path
    kind: str
    langs: tuple[str, ...]  # one, or English and its partner on a bilingual sheet
    level: str | None  # None for wallet cards
    topic: str | None  # None when made from every topic (booklets, wallet cards)
    sources: tuple[Path, ...]  # content, interface, translation and profile files

    @property
    def name(self) -> str:
        return display_path(self.path)


@dataclass(frozen=True)
class Output:
    """A target with its page, ready to render, and its page budget."""

    target: Target
    page: Page
    max_pages: int | None  # None: no budget (booklets)

    @property
    def path(self) -> Path:
        return self.target.path

    @property
    def name(self) -> str:
        return self.target.name


def targets(options: Options, profile: Profile | None) -> dict[str, list[Target]]:
    """Every PDF to make for one clinic (or none), by unit: a language, or a bilingual
    pair. A unit is written whole or not at all."""
    units = {code: _language_targets(options, profile, code) for code in options.langs}
    for code in options.bilingual:
        units[f"{SOURCE_LANGUAGE}+{code}"] = _bilingual_targets(options, profile, code)
    return units


def _language_targets(options: Options, profile: Profile | None, code: str) -> list[Target]:
    base = _base(options, profile) / code
    every_topic = options.topics == TOPICS
    found = []
    for level in options.levels:
        folder = base / _level_folder(level, options)
        found += [_target(options, profile, folder / f"{topic}.pdf", HANDOUT, (code,), level, topic)
                  for topic in options.topics]
        if every_topic:
            found.append(_target(options, profile, folder / "booklet.pdf", BOOKLET, (code,), level, None))
    if every_topic:
        found.append(_target(options, profile, base / "wallet-cards.pdf", WALLET, (code,), None, None))
    return found


def _bilingual_targets(options: Options, profile: Profile | None, code: str) -> list[Target]:
    base = _base(options, profile) / f"{SOURCE_LANGUAGE}+{code}"
    return [_target(options, profile, base / _level_folder(level, options) / f"{topic}.pdf",
                    BILINGUAL, (SOURCE_LANGUAGE, code), level, topic)
            for level in options.levels for topic in options.topics]


def _target(options: Options, profile: Profile | None, path: Path, kind: str,
            langs: tuple[str, ...], level: str | None, topic: str | None) -> Target:
    return Target(path, kind, langs, level, topic, _sources(options, profile, langs, topic))


def _sources(options: Options, profile: Profile | None, langs: tuple[str, ...],
             topic: str | None) -> tuple[Path, ...]:
    """The content and profile files a target is made from (templates, styles and fonts
    count for every target; see assets())."""
    names = [INTERFACE, *(options.topics if topic is None else [topic])]
    codes = dict.fromkeys([*langs, *([SOURCE_LANGUAGE] if langs != (SOURCE_LANGUAGE,) else [])])
    files = [options.file(code, name) for code in codes for name in names]
    files += [options.content / code / STATE_FILE for code in codes]
    if profile:
        files += [profile.file, *([profile.logo] if profile.logo else [])]
    return tuple(files)


def assets() -> list[Path]:
    """The files every PDF is made with: templates, stylesheet, crop marks and fonts."""
    return sorted(path for folder in (TEMPLATES_DIR, STYLES_DIR)
                  for path in folder.rglob("*") if path.is_file())


def _base(options: Options, profile: Profile | None) -> Path:
    return options.out / profile.id if profile else options.out


def _level_folder(level: str, options: Options) -> str:
    return f"{level}-large" if options.large_print else level


# ---- Pages: what each target's template renders ----

def plan(options: Options, target: Target, languages: dict[str, Language],
         profile: Profile | None) -> Output:
    """The page of a target, from its loaded language(s)."""
    editions = [_edition(languages[code], profile) for code in target.langs]
    if target.kind == WALLET:
        # The plainest names for each number: the easy level's.
        views = [handouts(languages[code], "easy", profile) for code in target.langs]
    else:
        views = [[h for h in handouts(languages[code], target.level, profile)
                  if target.topic in (None, h.slug)] for code in target.langs]
    editions = [replace(edition, handouts=found) for edition, found in zip(editions, views)]
    newest = max(h.last_reviewed for found in views for h in found)
    page = Page(target.kind, editions, target.level, options.paper, newest, options.large_print)
    return Output(target, page, _max_pages(options, target, languages[target.langs[0]], views[0]))


def _edition(language: Language, profile: Profile | None) -> Edition:
    clinic = profile.view(language.code) if profile else None
    return Edition(language.code, language.strings, [], clinic, language.draft)


def _max_pages(options: Options, target: Target, language: Language,
               views: list[Handout]) -> int | None:
    if target.kind == BOOKLET:
        return None
    if target.kind == WALLET:
        return 1
    factor = language.state.page_budget_factor
    if options.large_print:
        factor *= LARGE_PRINT_PAGE_FACTOR
    budget = math.ceil(LEVELS[target.level].max_pages * factor) + _referral_pages(views[0])
    return math.ceil(BILINGUAL_PAGE_FACTOR * budget) if target.kind == BILINGUAL else budget


def _referral_pages(h: Handout) -> int:
    """Pages a handout may add for the clinic's local referrals it lists: the budget is
    for our words, and a clinic's programs should not squeeze them out."""
    local = sum(1 for section in h.sections for r in section.resources if r.local)
    return math.ceil(local / REFERRALS_PER_EXTRA_PAGE)
