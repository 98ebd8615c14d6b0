"""Fuzzing: hostile Unicode in content fields ends in a handout or a clear error, never a crash."""

from __future__ import annotations

import shutil

import pytest
import yaml
from helpers import facts, options, write_yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from handoutkit.build import build
from handoutkit.config import CONTENT_DIR, LEVELS

pytestmark = pytest.mark.pdf  # every test here renders PDFs, or reads those of the shared builds

# Characters the English font draws (or that draw nothing), chosen to upset layout:
# direction marks and overrides, joiners, soft hyphens, combining accents, markup and
# template syntax.
PRINTABLE = ["\u200f", "\u200e", "\u202e", "\u2066", "\u2069", "\u200d", "\u200c", "\u00ad",
             "\u0301", "\u0308", "\u0327", "é", "ñ", "ß", "ı", "<", ">", "&",
             "\"", "'", "{{", "}}", "{%", "%}", "**", "url(", "file:///etc/passwd", " "]
# Characters English does not print: each must end in a clear error. Arabic and Chinese
# letters are in bundled fonts, but not in English's.
UNPRINTABLE = ["\U0001f600", "\U0001f48a", "\u2192", "\u2713", "\u4e2d", "\u0f00", "ع", "م", "ـ"]
SLOW = dict(deadline=None, derandomize=True,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def texts(pieces: list[str], max_words: int = 20, long_words: bool = True):
    word = st.one_of(
        st.lists(st.sampled_from(pieces), min_size=1, max_size=4).map("".join),
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8),
        st.just("x" * 300) if long_words else st.just("word"),  # a 300-character word
    )
    return st.lists(word, min_size=1, max_size=max_words).map(" ".join)


titles = texts(PRINTABLE, max_words=5, long_words=False)


def build_with(tmp_path_factory, title: str, bullets: list[str], jobs: int = 1):
    """Build the easy kratom handout with this title and these bullets; with more than one
    job, in worker processes, beside another handout so that there is work for two."""
    root = tmp_path_factory.mktemp("fuzz")
    content = root / "handouts"
    shutil.copytree(CONTENT_DIR / "en", content / "en")
    file = content / "en" / "kratom.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["title"] = title
    data["sections"]["addiction"]["bullets"] = {f"b{n}": {"easy": bullet} for n, bullet in enumerate(bullets)}
    write_yaml(file, data)
    topics = ("kratom",) if jobs == 1 else ("kratom", "getting-help")
    report = build(options(root / "out", content=content, levels=("easy",), topics=topics,
                           jobs=jobs))
    return report, root / "out" / "en" / "easy" / "kratom.pdf"


@settings(max_examples=20, **SLOW)
@given(title=titles, bullets=st.lists(texts(PRINTABLE), min_size=1, max_size=40))
def test_printable_noise_builds_within_budget_or_is_too_long(tmp_path_factory, title, bullets):
    report, pdf = build_with(tmp_path_factory, title, bullets)
    event(str(report.failures.get("en", "built"))[-60:])
    if report.failures:
        message = str(report.failures["en"])
        # The only acceptable failures: too long for the page budget, a title over the
        # length limit, or text too hard to read; each names its file.
        assert ("pages; the easy level allows at most 2" in message
                or "is too long" in message or "Flesch-Kincaid grade" in message), message
        assert not pdf.exists()
    else:
        assert facts(pdf).pages <= LEVELS["easy"].max_pages


@settings(max_examples=15, **SLOW)
@given(title=texts(PRINTABLE + UNPRINTABLE, max_words=5, long_words=False), bullets=st.lists(
    texts(PRINTABLE + UNPRINTABLE), min_size=1, max_size=5))
def test_any_noise_never_crashes(tmp_path_factory, title, bullets):
    report, pdf = build_with(tmp_path_factory, title, bullets, jobs=2)
    event(str(report.failures.get("en", "built"))[-60:])
    if report.failures:
        assert "kratom" in str(report.failures["en"])  # names the file or handout
        assert not pdf.exists()
    else:
        assert pdf.exists()
