"""Shared fixtures: the builds many tests read (each made once per test run, whichever of
`make test`'s processes needs it first), and small content folders.

Tests that render PDFs are marked `pdf` (`make test-fast` leaves them out): those using the
shared builds are marked here, the others where they are written. An unmarked test that
renders a PDF fails, so that `make test-fast` stays quick and the marks stay true."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import (
    ARABIC_FACTOR,
    EXAMPLE,
    LANGUAGES,
    LONG,
    LONG_FACTOR,
    LONG_NAME,
    RTL,
    WORKERS,
    made_once,
    options,
    succeeds,
)
from pseudo import arabize, lengthen, make_pseudo_locale

from handoutkit.config import CONTENT_DIR
from handoutkit.pdf import _weasyprint


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """Every English and Spanish handout and booklet, and the bilingual sheets, on Letter,
    built once, with their HTML."""
    return made_once(tmp_path_factory, "built", lambda out: succeeds(
        options(out, langs=LANGUAGES, html=True, jobs=WORKERS, bilingual=("es",))))


@pytest.fixture(scope="session")
def clinics_build(tmp_path_factory) -> Path:
    """What two clinics would print, in both languages, on A4, each PDF within its page
    budget: the example clinic, and one with a long name, long details and five local
    programs. The second prints everything, the bilingual sheets (and their HTML) too. The
    example prints the easy and standard levels, which its own tests read: its detailed
    level and bilingual sheets would be made from the same templates as the long-name
    clinic's, whose details are longer (in half-width columns on a bilingual sheet), the
    harder case; they were 22 of the suite's costliest PDFs."""
    def make(out: Path) -> None:
        both = dict(langs=("en", "es"), paper="a4", jobs=WORKERS)
        succeeds(options(out, clinics=(EXAMPLE,), levels=("easy", "standard"), **both))
        succeeds(options(out, clinics=(LONG_NAME,), bilingual=("es",), html=True, **both))

    return made_once(tmp_path_factory, "clinics", make)


@pytest.fixture(scope="session")
def clinic_build(clinics_build) -> Path:
    return clinics_build / "example"


@pytest.fixture(scope="session")
def long_name_build(clinics_build) -> Path:
    return clinics_build / "long-name"


@pytest.fixture(scope="session")
def large_build(tmp_path_factory) -> Path:
    return made_once(tmp_path_factory, "large", lambda out: succeeds(
        options(out, langs=("en", "es"), large_print=True, jobs=WORKERS)))


@pytest.fixture(scope="session")
def pseudo_build(tmp_path_factory) -> Path:
    """The pseudo-locales' handouts, in `out` beside their content folder `handouts`."""
    def make(folder: Path) -> None:
        content = folder / "handouts"
        shutil.copytree(CONTENT_DIR / "en", content / "en")
        make_pseudo_locale(content, LONG, lengthen, LONG_FACTOR)
        make_pseudo_locale(content, RTL, arabize, ARABIC_FACTOR)
        succeeds(options(folder / "out", content=content, langs=(LONG, RTL), html=True, jobs=WORKERS))

    return made_once(tmp_path_factory, "pseudo", make) / "out"


# The shared builds: a test that uses one needs PDFs.
BUILDS = {"built", "clinics_build", "clinic_build", "long_name_build", "large_build", "pseudo_build",
          "printed", "scripts_build"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BUILDS & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.pdf)


@pytest.fixture(autouse=True)
def _renders_only_if_marked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.node.get_closest_marker("pdf") is None:
        # Where every rendering in this process begins: by the build or a test calling
        # render_pdf (tagging.hooked), or by a test calling WeasyPrint itself (HTML.render,
        # which write_pdf calls too). A build the test runs in another process is not seen:
        # mark those.
        monkeypatch.setattr("handoutkit.tagging.hooked", _unmarked)
        monkeypatch.setattr(_weasyprint().HTML, "render", _unmarked)


def _unmarked(*args: object, **kwargs: object) -> None:
    raise AssertionError("this test renders a PDF: mark it @pytest.mark.pdf (make test-fast leaves "
                         "those out)")


@pytest.fixture
def spanish(tmp_path) -> Path:
    """A writable copy of the English and Spanish content."""
    folder = tmp_path / "handouts"
    for code in ("en", "es"):
        shutil.copytree(CONTENT_DIR / code, folder / code)
    return folder


@pytest.fixture
def content(tmp_path) -> Path:
    """A writable copy of the English content, for tests that break it on purpose."""
    folder = tmp_path / "handouts"
    shutil.copytree(CONTENT_DIR / "en", folder / "en")
    return folder
