"""The build pipeline: targets -> load -> validate -> measure -> render -> check -> write.

A unit (one language for one clinic, or one bilingual pair) is written whole or not at
all: its PDFs replace the earlier ones only when every one of them rendered and passed
its checks. Units are independent: one with problems is reported, the others are built.
What the manifest shows unchanged is skipped, without reading any content.
"""

from __future__ import annotations

import fcntl
import time
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from . import __version__
from .config import BILINGUAL, BOOKLET, STYLES_DIR
from .errors import ContentError
from .files import write_atomic
from .manifest import Manifest, digest
from .options import Options
from .targets import Target, assets, targets

# Only what a build with nothing to do needs is imported here; the rest (content
# loading, pydantic, Jinja2, WeasyPrint) is imported when something must be made.
if TYPE_CHECKING:
    from .clinic import Profile
    from .languages import Language
    from .pages import Output
    from .workers import Renderer, Result

LOCK_FILE = ".handouts.lock"
BUILT, SKIPPED, FAILED = "built", "skipped", "failed"


class BuildBusy(Exception):
    """Another build is writing to the same output folder."""


@dataclass
class Report:
    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # What was not built and why: by language ("es"), clinic profile ("example"),
    # clinic and language ("example/es") or bilingual pair ("en+es").
    failures: dict[str, ContentError] = field(default_factory=dict)
    seconds: float = 0.0


class Progress:
    """Told how many PDFs a build has to consider, then of each as it is done. This one
    says nothing; the command line shows a bar, or a line per PDF."""

    def start(self, total: int) -> None:
        pass

    def step(self, name: str, status: str) -> None:  # status: BUILT, SKIPPED or FAILED
        pass


def build(options: Options, progress: Progress | None = None) -> Report:
    """Make every requested PDF of every language and clinic that has no problems."""
    started, report, progress = time.perf_counter(), Report(), progress or Progress()
    with _locked(options.out):
        _remove_leftovers(options.out)
        manifest = Manifest.load(options.out)
        fingerprints = _Fingerprints(options)
        clinics = list(_units(options, report))
        progress.start(sum(len(unit) for _, units in clinics for unit in units.values()))
        with _renderer(options.jobs) as renderer:
            pending = []
            for profile, units in clinics:
                languages: dict[str, Language] = {}
                for name, unit in units.items():
                    try:
                        pending.append(_start(options, profile, name, unit, languages, manifest,
                                              fingerprints, renderer, report, progress))
                    except ContentError as error:
                        report.failures[_unit_name(profile, name)] = error
            if any(work.jobs for work in pending):
                _prepare_checks()  # while the workers render
            for work in pending:
                _finish(work, options, manifest, report, progress)
        manifest.save()
    report.seconds = time.perf_counter() - started
    return report


def _renderer(jobs: int) -> Renderer:
    from .workers import Renderer

    return Renderer(jobs)


def _units(options: Options, report: Report) -> Iterator[tuple[Profile | None, dict[str, list[Target]]]]:
    if not options.clinics:
        yield None, targets(options, None)
        return
    from .clinic import load_profile  # imports the schema: only when there are profiles

    folders: dict[str, Path] = {}
    for file in options.clinics:
        try:
            profile = load_profile(file)
            if folders.setdefault(profile.id, profile.file) != profile.file:
                # The command line refuses this; a caller of build() gets it per profile.
                raise ContentError(f"{file}: its handouts would go to the folder '{profile.id}/' "
                                   f"of {folders[profile.id]}; give the profiles different file names")
        except ContentError as error:
            report.failures[str(file)] = error
            continue
        report.warnings += profile.warnings
        yield profile, targets(options, profile)


def _unit_name(profile: Profile | None, name: str) -> str:
    return f"{profile.id}/{name}" if profile else name


# ---- Starting a unit: skip, or load and send its PDFs to be rendered ----

@dataclass
class _Work:
    """A unit on its way: the jobs sent to render, and the PDFs that need none."""

    name: str
    jobs: list[tuple[Output, str, str, str | None, Future[Result]]]  # output, inputs, render, html
    unchanged: list[tuple[Target, str]]  # rendered before exactly so: (target, inputs)


def _start(options: Options, profile: Profile | None, name: str, unit: list[Target],
           languages: dict[str, Language], manifest: Manifest, fingerprints: _Fingerprints,
           renderer: Renderer, report: Report, progress: Progress) -> _Work:
    work = _Work(_unit_name(profile, name), [], [])
    inputs = {target: fingerprints.inputs(target) for target in unit}
    stale = [t for t in unit if options.force or not manifest.current(t.path, inputs[t], options.html)]
    for target in unit:
        if target not in stale:
            report.skipped.append(target.path)
            progress.step(target.name, SKIPPED)
    if not stale:
        return work  # nothing changed: no content read, no WeasyPrint imported
    renderer.start()  # the workers warm up while the content is read below
    try:
        _send(options, profile, stale, inputs, languages, manifest, fingerprints, renderer,
              report, work)
    except ContentError:
        for target in stale:
            progress.step(target.name, FAILED)
        raise
    return work


def _send(options: Options, profile: Profile | None, stale: list[Target], inputs: dict[Target, str],
          languages: dict[str, Language], manifest: Manifest, fingerprints: _Fingerprints,
          renderer: Renderer, report: Report, work: _Work) -> None:
    """Load the languages of the stale targets, and send to render those whose HTML is
    not exactly what was rendered before."""
    from .pages import plan
    from .render import render_html
    from .workers import Job

    for code in dict.fromkeys(code for target in stale for code in target.langs):
        if code not in languages:
            languages[code] = _load(code, options, report)
    # The logo is inline (a data: URI of the checked bytes): nothing of the profile's
    # folder is ever read by the renderer, so only the styles (and fonts) may be.
    allowed = (STYLES_DIR,)
    for target in sorted(stale, key=_longest_first):
        output = plan(options, target, languages, profile)
        html = render_html(output.page, target.path.with_suffix(".html"), standalone=False)
        render = digest(html + fingerprints.assets + repr(allowed))
        if not options.force and manifest.rendered_same(target.path, render) and not options.html:
            work.unchanged.append((target, inputs[target]))
            continue
        standalone = (render_html(output.page, target.path.with_suffix(".html"))
                      if options.html else None)
        job = Job(html, target.path.with_suffix(".html"), output.page.date, allowed, target.langs)
        work.jobs.append((output, inputs[target], render, standalone, renderer.submit(job)))


def _longest_first(target: Target) -> int:
    """Booklets and bilingual sheets take longest to render: start them first, so that
    no worker is left with a long job when the others are done."""
    return {BOOKLET: 0, BILINGUAL: 1}.get(target.kind, 2)


def _load(code: str, options: Options, report: Report) -> Language:
    """A language, validated and within its readability targets, loaded once per build."""
    from .languages import gate, load_language, score, warnings

    language = load_language(code, options)
    gate(score(language, options.levels))
    report.warnings += warnings(language)
    return language


# ---- Finishing a unit: check every PDF, then write them all or none ----

def _finish(work: _Work, options: Options, manifest: Manifest, report: Report,
            progress: Progress) -> None:
    from .pdf import ForbiddenFetch

    results, problems = [], []
    for output, inputs, render, html, future in work.jobs:
        try:
            result = future.result()
        except ForbiddenFetch as error:
            problems.append(f"{output.name}: the handout asked to load {error}; only the project's "
                            "styles and fonts may be loaded")
            continue
        problems += verify(output, result)
        results.append((output, inputs, render, html, result))
    if problems:
        report.failures[work.name] = ContentError("\n".join(problems))
        for output, *_ in work.jobs:
            progress.step(output.name, FAILED)
        return
    for output, inputs, render, html, result in results:
        _atomic_write(output.path, result.pdf)
        if html is not None:
            _atomic_write(output.path.with_suffix(".html"), html.encode("utf-8"))
        manifest.record(output.path, inputs, render, result.pdf)
        report.written.append(output.path)
        progress.step(output.name, BUILT)
    for target, inputs in work.unchanged:
        manifest.refresh(target.path, inputs)
        report.skipped.append(target.path)
        progress.step(target.name, SKIPPED)


def _prepare_checks() -> None:
    """Read what verify() needs (the bundled fonts' names, with fontTools), so that it
    is ready when the first PDF comes back."""
    from .pdf import bundled_families

    bundled_families()


def verify(output: Output, result: Result) -> list[str]:
    """Problems with a rendered PDF: over its page budget, or a font not bundled."""
    from .pdf import unbundled

    problems = []
    if output.max_pages is not None and result.pages > output.max_pages:
        what = f"the {output.page.level} level" if output.page.level else "it"
        problems.append(f"{output.name}: {result.pages} pages; {what} allows at most "
                        f"{output.max_pages}; shorten its text (or the clinic profile's referrals).")
    if fonts := unbundled(result.fonts):
        problems.append(f"{output.name}: uses fonts that are not bundled: "
                        f"{', '.join(sorted(fonts))}; a character is missing from the bundled fonts")
    return problems


# ---- What each PDF is made from ----

class _Fingerprints:
    """Hashes of what PDFs are made from, each file read once per build."""

    def __init__(self, options: Options) -> None:
        self._files: dict[Path, str] = {}
        self._options = repr((__version__, options.paper, options.large_print,
                              options.allow_incomplete, options.topics))
        self.assets = digest("".join(self._file(path) for path in assets()))

    def inputs(self, target: Target) -> str:
        parts = [self._options, self.assets, target.kind, repr(target.langs), repr(target.level),
                 repr(target.topic), *(self._file(path) for path in target.sources)]
        return digest("\n".join(parts))

    def _file(self, path: Path) -> str:
        if path not in self._files:
            self._files[path] = digest(path.read_bytes()) if path.is_file() else "missing"
        return self._files[path]


# ---- Writing safely ----

def _atomic_write(path: Path, data: bytes) -> None:
    """A build stopped at any moment leaves every earlier PDF whole (see write_atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data, durable=False)


def _remove_leftovers(out: Path) -> None:
    """Temporary files of a build that was killed before it could rename them."""
    for leftover in out.rglob(".*.tmp") if out.is_dir() else []:
        leftover.unlink(missing_ok=True)


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    """One build at a time per output folder: a second one stops with a clear message."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / LOCK_FILE, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildBusy(f"another build is writing to {out}; wait for it to finish, "
                            "or use another --out folder") from None
        yield

