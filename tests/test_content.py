"""The shipped content: the brief's safety messages are there, its banned claims are not."""

from __future__ import annotations

import re

import pytest
from conftest import options

from handoutkit.config import LEVELS
from handoutkit.languages import handouts, load_language

BANNED = [
    r"buy kratom", r"ideal option", r"without causing (severe )?(side effects|sedation|addiction)",
    r"without a strong risk of overdose", r"banned in \w+ states", r"kratom is safe",
    r"kratom (works|is effective)", r"855-956-4940", r"844-326-4514", r"serenity at summit",
]


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    return load_language("en", options(tmp_path_factory.mktemp("unused")))


def all_text(handout) -> str:
    parts = [handout.title, *handout.running_text(), handout.steps_heading,
             *(line.number for line in handout.help_box),
             *(s.heading for s in handout.sections)]
    return " ".join(parts)


@pytest.mark.parametrize("level", LEVELS)
def test_no_banned_claims(english, level):
    for handout in handouts(english, level):
        text = all_text(handout).lower()
        for pattern in BANNED:
            assert not re.search(pattern, text), f"{handout.slug}/{level}: {pattern}"


@pytest.mark.parametrize("level", LEVELS)
def test_safety_messages_at_every_level(english, level):
    views = {h.slug: all_text(h) for h in handouts(english, level)}
    for slug, text in views.items():
        for needed in ("911", "988", "1-800-662-4357", "naloxone"):
            assert needed in text.lower(), f"{slug}/{level} lacks {needed}"
    assert re.search(r"alcohol", views["kratom"], re.I)
    assert re.search(r"alcohol", views["interactions"], re.I)
    assert re.search(r"overdose", views["withdrawal"], re.I)
