"""Clinical sign-off: who reviewed each topic, in each language, and on which text.

A language's reviews.yaml records, per topic, the reviewer, the date and a fingerprint of
the text they signed off. The sign-off is printed on the detailed handout only while the
text is the one reviewed; `check` warns about topics never reviewed or changed since.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import RootModel, StringConstraints

from .config import REVIEWS_FILE, TOPICS
from .contents import SignOffView
from .errors import ContentError, Problem, display_path
from .files import write_atomic
from .loader import dump_yaml, has_data, load_yaml, present
from .schema import Line, Slug, Strict, Topic
from .translations import fingerprint
from .validator import validate

Fingerprint = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{10}$")]

HEADER = """\
# Clinical sign-off of each topic in this language: who checked the text against
# docs/fact-base.md, and when. Written by `make_handouts.py sign-off`, which also records
# a fingerprint of the text reviewed (`text`): when the text changes, the sign-off is no
# longer printed and `make check` asks for a new review. Do not edit `text` by hand.
"""


class SignOff(Strict):
    by: Line  # names and roles, as they should be printed
    date: date
    text: Fingerprint


class Reviews(RootModel[dict[Slug, SignOff]]):
    pass


def text_fingerprint(topic: Topic) -> str:
    """A fingerprint of everything a topic prints, in one language, at every level (keys
    left at their defaults are left out, so a new optional key keeps sign-offs valid; items'
    ids are not printed, so renaming one keeps them valid too)."""
    dumped = topic.model_dump(mode="json", exclude_defaults=True)
    return fingerprint(json.dumps(_without_ids(topic, dumped), sort_keys=True))


def _without_ids(value: Any, dumped: Any) -> Any:
    """The dumped data with each list keyed by id as the list of its items, in order."""
    if isinstance(value, Strict):
        return {name: _without_ids(list(getattr(value, name).values()), list(data.values()))
                if value.keyed(name) else _without_ids(getattr(value, name), data)
                for name, data in dumped.items()}
    if isinstance(value, dict):
        return {key: _without_ids(value[key], data) for key, data in dumped.items()}
    if isinstance(value, list):
        return [_without_ids(item, data) for item, data in zip(value, dumped, strict=True)]
    return dumped


def load_reviews(folder: Path) -> tuple[dict[str, SignOff], list[Problem]]:
    """The sign-offs of a language folder (none if it has no reviews.yaml)."""
    file = folder / REVIEWS_FILE
    if not present(file):
        return {}, []
    try:
        if not has_data(file, within=folder.parent):
            return {}, []  # no sign-off yet, or every entry deleted
        return dict(validate(load_yaml(file, within=folder.parent), Reviews).root), []
    except ContentError as error:
        return {}, error.problems


def current(sign_off: SignOff | None, topic: Topic, stale: bool = False) -> SignOffView | None:
    """The sign-off to print: only one made on exactly this text, and, for a translation,
    only while it is not stale (the English it follows has not changed since)."""
    if sign_off is None or stale or sign_off.text != text_fingerprint(topic):
        return None
    return SignOffView(sign_off.by, sign_off.date)


def review_warnings(folder: Path, topics: dict[str, Topic], reviews: dict[str, SignOff],
                    stale: set[str] = frozenset()) -> list[str]:
    """Topics never clinically reviewed in this language, changed since their review, or
    (translations) stale against the English since."""
    file = display_path(folder / REVIEWS_FILE)
    lines = [f"{file}: '{slug}' is not a topic; its sign-off is ignored" for slug in reviews
             if slug not in TOPICS]
    for slug, topic in topics.items():
        sign_off = reviews.get(slug)
        if sign_off is None:
            lines.append(f"{file}: {slug} has never been clinically reviewed in this language; "
                         f"after a review, run `make_handouts.py sign-off {folder.name} {slug} --by NAME`")
        elif current(sign_off, topic, slug in stale) is None:
            lines.append(f"{file}: {slug} changed after its clinical review by {sign_off.by} on "
                         f"{sign_off.date}; it needs a new review (then `make_handouts.py sign-off`)")
    return lines


def sign_off(folder: Path, topics: dict[str, Topic], reviews: dict[str, SignOff],
             by: str, on: date) -> None:
    """Record that `by` reviewed these topics' current text on `on`."""
    updated = dict(reviews)
    for slug, topic in topics.items():
        updated[slug] = SignOff(by=by, date=on, text=text_fingerprint(topic))
    data = {slug: {"by": s.by, "date": s.date.isoformat(), "text": s.text}
            for slug, s in sorted(updated.items())}
    write_atomic(folder / REVIEWS_FILE, HEADER + dump_yaml(data))
