"""A handout over its page budget: how much must go, where the text grew most against
the English, and a preview PDF to look at.

The preview is the same handout marked on every page with the language's
`over_page_limit` words (interface.yaml), written under `<out>/over-page-limit/`, apart
from the finished handouts, and never recorded in the manifest: nobody hands it out.
"""

from __future__ import annotations

from .contents import Handout, SectionView

SECTIONS_NAMED = 3  # the longest sections, against the English, a message names


def how_much(pages: int, max_pages: int, last_page_fill: float) -> str:
    """'its last page is 40% full: cut about 15% of its text', from the pages the content
    takes beyond the budget over all it takes."""
    used = pages - 1 + last_page_fill
    over = used - max_pages
    return (f"its last page is {last_page_fill:.0%} full: cut about {max(over / used, 0.01):.0%} "
            "of its text")


def longest(handout: Handout, english: Handout | None) -> str:
    """The sections with the most text against the English: 'what-it-is (1.6 times the
    English), ...'; for English itself, its largest sections ('what-it-is (35% of the text)')."""
    sizes = {section.id: _size(section) for section in handout.sections}
    if english is None:
        total = sum(sizes.values()) or 1
        ranked = sorted(sizes, key=lambda name: -sizes[name])
        return ", ".join(f"{name} ({sizes[name] / total:.0%} of the text)"
                         for name in ranked[:SECTIONS_NAMED])
    theirs = {section.id: _size(section) for section in english.sections}
    ratios = {name: size / theirs[name] for name, size in sizes.items() if theirs.get(name)}
    ranked = sorted(ratios, key=lambda name: -ratios[name])
    return ", ".join(f"{name} ({ratios[name]:.1f} times the English)" for name in ranked[:SECTIONS_NAMED])


def _size(section: SectionView) -> int:
    """Characters a section prints, spaces left out (so that a language written without
    spaces compares fairly)."""
    texts = [section.heading, *section.paragraphs, *(item.text for item in section.bullets + section.steps),
             *(resource.about for resource in section.resources)]
    if section.table:
        texts += [cell for row in section.table.rows for cell in row]
    return sum(len("".join(text.split())) for text in texts)
