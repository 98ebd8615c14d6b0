"""Pages: what the template of each target renders (a Page, of one or two Editions), made
once its language is loaded, with its page budget."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .clinic import ClinicView, Profile
from .config import (
    BILINGUAL,
    BILINGUAL_PAGE_FACTOR,
    BOOKLET,
    LARGE_PRINT_PAGE_FACTOR,
    LEVELS,
    REFERRALS_PER_EXTRA_PAGE,
    WALLET,
)
from .contents import Handout
from .fonts import direction, script_of
from .languages import Language
from .options import Options
from .schema import Interface
from .targets import Target


@dataclass(frozen=True)
class Edition:
    """One language's words for a page: its handouts, interface strings and clinic."""

    lang: str
    strings: Interface
    handouts: list[Handout]
    clinic: ClinicView | None = None
    english: frozenset[str] = frozenset()  # texts printed in English: missing translations

    @property
    def draft(self) -> bool:
        return bool(self.english)

    @property
    def direction(self) -> str:
        return direction(self.lang)


@dataclass(frozen=True)
class Page:
    """What one PDF is made of. A bilingual page has two editions, English first."""

    kind: str
    editions: list[Edition]
    level: str | None  # None for wallet cards, which have no reading level
    paper: str
    date: date  # the newest review date: the 'updated' date and the PDF's timestamps
    large_print: bool = False
    preview: bool = False  # over its page budget: marked so on every page, for the translator

    @property
    def main(self) -> Edition:
        return self.editions[0]

    @property
    def title(self) -> str:
        strings = self.main.strings
        if self.kind == BOOKLET:
            return getattr(strings.booklet_title, self.level)
        if self.kind == WALLET:
            return strings.wallet.title
        return " / ".join(edition.handouts[0].title for edition in self.editions)

    @property
    def subject(self) -> str:
        if self.kind == BOOKLET:
            return self.main.strings.booklet_purpose
        if self.kind == WALLET:
            return self.main.strings.wallet.title
        return " / ".join(edition.handouts[0].purpose for edition in self.editions)


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


def plan(options: Options, target: Target, languages: dict[str, Language],
         profile: Profile | None) -> Output:
    """The page of a target, from its loaded language(s)."""
    editions = [_edition(languages[code], profile) for code in target.langs]
    if target.kind == WALLET:
        # The plainest names for each number: the easy level's.
        views = [languages[code].handouts("easy", profile) for code in target.langs]
    else:
        views = [[h for h in languages[code].handouts(target.level, profile)
                  if target.topic in (None, h.slug)] for code in target.langs]
    editions = [replace(edition, handouts=found) for edition, found in zip(editions, views)]
    newest = max(h.last_reviewed for found in views for h in found)
    page = Page(target.kind, editions, target.level, options.paper, newest, options.large_print)
    return Output(target, page, _max_pages(options, target, [languages[code] for code in target.langs],
                                           views[0]))


def _edition(language: Language, profile: Profile | None) -> Edition:
    clinic = profile.view(language.code) if profile else None
    return Edition(language.code, language.strings, [], clinic, language.english_texts)


def _max_pages(options: Options, target: Target, languages: list[Language],
               views: list[Handout]) -> int | None:
    """The page budget: the level's, times the factor the translation asks for and its
    script's (the larger of a bilingual sheet's two), times large print's."""
    if target.kind == BOOKLET:
        return None
    if target.kind == WALLET:
        return 1
    factor = max(language.state.page_budget_factor * script_of(language.code).page_budget_factor
                 for language in languages)
    if options.large_print:
        factor *= LARGE_PRINT_PAGE_FACTOR
    # Rounded first: 1.12 x 1.25 x 5 is 7.000000000000001 in floating point, not 8 pages.
    budget = math.ceil(round(LEVELS[target.level].max_pages * factor, 6)) + _referral_pages(views[0])
    return math.ceil(BILINGUAL_PAGE_FACTOR * budget) if target.kind == BILINGUAL else budget


def _referral_pages(h: Handout) -> int:
    """Pages a handout may add for the clinic's local referrals it lists: the budget is
    for our words, and a clinic's programs should not squeeze them out."""
    local = sum(1 for section in h.sections for r in section.resources if r.local)
    return math.ceil(local / REFERRALS_PER_EXTRA_PAGE)
