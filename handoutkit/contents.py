"""A topic seen at one reading level: only the words printed at that level.

Templates and the readability gate both work from these views, so what is measured
is exactly what is printed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Sequence

from .config import LEVELS
from .schema import Item, Section, Source, Text, Topic

if TYPE_CHECKING:
    from .clinic import LocalReferral


@dataclass(frozen=True)
class HelpLine:
    number: str
    name: str
    when: str
    icon: str | None = None


@dataclass(frozen=True)
class ItemView:
    """A bullet or step: its words, and the pictogram beside it, if any."""

    text: str
    icon: str | None = None


@dataclass(frozen=True)
class WriteInView:
    columns: list[str]
    rows: int


@dataclass(frozen=True)
class SignOffView:
    """A current clinical review of a topic in one language, printed at the detailed level."""

    by: str
    on: date


@dataclass(frozen=True)
class TableView:
    columns: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class ResourceView:
    name: str
    about: str
    phone: str | None
    url: str | None
    qr: str | None
    local: bool = False  # a clinic's own referral, listed before the national ones
    languages: str | None = None


@dataclass(frozen=True)
class SectionView:
    id: str
    heading: str
    style: str
    icon: str | None
    paragraphs: list[str]
    bullets: list[ItemView]
    steps: list[ItemView]
    table: TableView | None
    write_in: WriteInView | None
    resources: list[ResourceView]


@dataclass(frozen=True)
class Handout:
    """One topic at one level, ready for a template."""

    slug: str
    level: str
    title: str
    purpose: str
    key_messages: list[str]
    help_box: list[HelpLine]
    sections: list[SectionView]
    steps_heading: str
    steps: list[ItemView]
    sources: list[Source]
    last_reviewed: date
    review_due: date
    sign_off: SignOffView | None = None

    @property
    def lists_resources(self) -> bool:
        """Whether it lists where to get help (and so the clinic's every detail with it)."""
        return any(section.resources for section in self.sections)

    def running_text(self) -> list[str]:
        """The prose a reader reads: no headings, numbers, addresses or sources."""
        blocks = [self.purpose, *self.key_messages, *(line.when for line in self.help_box)]
        for section in self.sections:
            blocks += section.paragraphs + [item.text for item in section.bullets + section.steps]
            if section.table:
                blocks += [cell for row in section.table.rows for cell in row]
            # A clinic's own referrals are its words, not ours to grade.
            blocks += [resource.about for resource in section.resources if not resource.local]
        return blocks + [item.text for item in self.steps]


def local_referrals(referrals: Sequence[LocalReferral]) -> list[ResourceView]:
    """A clinic's own referrals (in one language), as resources listed before the national ones."""
    return [ResourceView(r.name, r.offers, r.phone, r.url, None, local=True, languages=r.languages)
            for r in referrals]


def view(slug: str, topic: Topic, level: str, local: Sequence[ResourceView] = (),
         sign_off: SignOffView | None = None) -> Handout:
    """Resolve every Text of `topic` at `level`, leaving out what that level omits.

    `local` resources (a clinic's referrals) come first in the first list of resources;
    a current clinical `sign_off` is printed where the sources are (the detailed level).
    """
    sections = [section for section_id, body in topic.sections.items()
                if (section := _section(section_id, body, level))]
    first = next((i for i, section in enumerate(sections) if section.resources), None)
    if local and first is not None:
        sections[first] = replace(sections[first], resources=[*local, *sections[first].resources])
    return Handout(
        slug=slug,
        level=level,
        title=_at(topic.title, level),
        purpose=_at(topic.purpose, level),
        key_messages=_each(topic.key_messages, level),
        help_box=[HelpLine(item.number, _at(item.name, level), _at(item.when, level), item.icon)
                  for item in topic.help_box.values() if item.name.at(level) and item.when.at(level)],
        sections=sections,
        steps_heading=_at(topic.steps.heading, level),
        steps=_items(topic.steps.items, level),
        sources=list(topic.sources.values()) if LEVELS[level].prints_sources else [],
        last_reviewed=topic.last_reviewed,
        review_due=topic.review_due,
        sign_off=sign_off if LEVELS[level].prints_sources else None,
    )


def _section(section_id: str, body: Section, level: str) -> SectionView | None:
    if not body.heading.at(level):
        return None
    table = None
    if body.table:
        rows = [[_at(cell, level) for cell in row] for row in body.table.rows.values()
                if all(cell.at(level) for cell in row)]
        table = TableView([_at(column, level) for column in body.table.columns], rows) if rows else None
    resources = [ResourceView(_at(r.name, level), _at(r.about, level), r.phone, r.url, r.qr)
                 for r in body.resources.values() if r.name.at(level) and r.about.at(level)]
    write_in = (WriteInView([_at(column, level) for column in body.write_in.columns], body.write_in.rows)
                if body.write_in else None)
    section = SectionView(section_id, _at(body.heading, level), body.style, body.icon,
                          _each(body.paragraphs, level), _items(body.bullets, level),
                          _items(body.steps, level), table, write_in, resources)
    has_body = (section.paragraphs or section.bullets or section.steps or section.table
                or section.write_in or section.resources)
    return section if has_body else None


def _each(texts: dict[str, Text], level: str) -> list[str]:
    return [words for text in texts.values() if (words := text.at(level))]


def _items(items: dict[str, Item], level: str) -> list[ItemView]:
    return [ItemView(words, item.icon) for item in items.values() if (words := item.at(level))]


def _at(text: Text, level: str) -> str:
    words = text.at(level)
    assert words is not None, "a FullText has every level; callers check other texts first"
    return words


def emergency_numbers(handouts: list[Handout]) -> list[HelpLine]:
    """Every number of the handouts' help boxes, once each, in the order first met, with
    the shortest name any handout gives it (a wallet card has room for little)."""
    seen: dict[str, HelpLine] = {}
    for handout in handouts:
        for line in handout.help_box:
            if line.number not in seen or len(line.name) < len(seen[line.number].name):
                seen[line.number] = line
    return list(seen.values())
