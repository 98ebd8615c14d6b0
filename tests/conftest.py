"""Shared fixtures: one full English build per test session, and small content folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handoutkit.build import build
from handoutkit.config import CONTENT_DIR, LEVELS, TOPICS
from handoutkit.options import Options

LANGUAGES = ("en", "es")  # the shipped languages
WORKERS = 2  # for the large builds the tests share; the others render in-process


def options(out: Path, **changes) -> Options:
    settings = dict(langs=("en",), levels=tuple(LEVELS), topics=TOPICS, paper="letter", out=out)
    settings.update(changes)
    return Options(**settings)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """Every English and Spanish handout and booklet, built once, with their HTML."""
    out = tmp_path_factory.mktemp("build")
    report = build(options(out, langs=LANGUAGES, html=True, jobs=WORKERS))
    assert not report.failures, report.failures
    return out


@pytest.fixture
def content(tmp_path) -> Path:
    """A writable copy of the English content, for tests that break it on purpose."""
    folder = tmp_path / "handouts"
    shutil.copytree(CONTENT_DIR / "en", folder / "en")
    return folder
