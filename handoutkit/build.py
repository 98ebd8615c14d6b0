"""The build pipeline: targets -> load -> validate -> measure -> render -> check -> write.

A unit (one language for one clinic, or one bilingual pair) is written whole or not at
all: its PDFs replace the earlier ones only when every one of them rendered and passed
its checks. Units are independent: one with problems is reported, the others are built.
What the manifest shows unchanged is skipped, without reading any content.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import Future
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from . import __version__
from .config import BILINGUAL, BOOKLET, HANDOUT, PREVIEW_DIR, SOURCE_LANGUAGE, STYLES_DIR
from .errors import ContentError, display_path
from .files import NoSpace, Outside, read_regular, remove_leftovers, write_all
from .lock import locked
from .manifest import Manifest, digest
from .options import Options
from .targets import Target, assets, preview_path, shard, targets

# Only what a build with nothing to do needs is imported here; the rest (content
# loading, pydantic, Jinja2, WeasyPrint) is imported when something must be made.
if TYPE_CHECKING:
    from .clinic import Profile
    from .contents import Handout
    from .languages import Language
    from .pages import Output
    from .pdf import Rendered
    from .workers import Job, Renderer

MAX_READ_BYTES = 64 * 1024 * 1024  # far over any font or content file: larger ones are not hashed
BUILT, SKIPPED, FAILED = "built", "skipped", "failed"


@dataclass
class Report:
    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # What was not built and why: by language ("es"), clinic profile ("example"),
    # clinic and language ("example/es") or bilingual pair ("en+es").
    failures: dict[str, ContentError] = field(default_factory=dict)
    unsaved: str = ""  # why the manifest could not be written, if it could not
    seconds: float = 0.0


class Progress:
    """Told how many PDFs a build has to consider, then of each as it is done. This one
    says nothing; the command line shows a bar, or a line per PDF."""

    def start(self, total: int) -> None:
        pass

    def step(self, name: str, status: str) -> None:  # status: BUILT, SKIPPED or FAILED
        pass

    def close(self) -> None:
        """The build is over (or stopped): take down what start() put up."""


def build(options: Options, progress: Progress | None = None) -> Report:
    """Make every requested PDF of every language and clinic that has no problems."""
    started, report, progress = time.perf_counter(), Report(), progress or Progress()
    with locked(options.out) as lock:
        manifest = Manifest.load(options.out, options.shard)
        clinics = list(_units(options, report))
        if options.shard:
            manifest.own([target.path for _, units in clinics for unit in units.values() for target in unit])
        remove_leftovers(_folders(options.out, clinics, manifest), options.out)
        fingerprints = _Fingerprints(options)
        sorted_units = [(profile, name, _sort(options, unit, manifest, fingerprints))
                        for profile, units in clinics for name, unit in units.items()]
        progress.start(sum(len(unit.inputs) for *_, unit in sorted_units))
        stale = sum(len(unit.stale) for *_, unit in sorted_units)
        # Nothing to render: the PDF engine and its workers are not even imported.
        with _renderer(_workers(options.jobs, stale), lock) if stale else nullcontext() as renderer:
            run = _Run(options, manifest, fingerprints, renderer, report, progress)
            pending, languages = [], {}
            for profile, name, unit in sorted_units:
                loaded = languages.setdefault(profile.id if profile else None, {})
                try:
                    pending.append(_start(run, profile, name, unit, loaded))
                except ContentError as error:
                    report.failures[_unit_name(profile, name)] = error
            for work in pending:
                _finish(run, work)
        _save(manifest, report)
    report.seconds = time.perf_counter() - started
    return report


def _save(manifest: Manifest, report: Report) -> None:
    """Save the manifest; if it cannot be, say why in the report (the PDFs are written all
    the same, and the next build makes them again)."""
    try:
        manifest.save()
    except OSError as error:
        report.unsaved = (f"cannot write {display_path(manifest.file)}: {error.strerror}; the PDFs "
                          "are written, but the next build will make them all again")


def _workers(jobs: int, pdfs: int) -> int:
    """Processes worth starting: no more than PDFs to render (the command line has already
    kept --jobs within the CPUs)."""
    return max(1, min(jobs, pdfs))


def _renderer(jobs: int, lock: int) -> Renderer:
    from .workers import Renderer

    return Renderer(jobs, private=(lock,))


def _folders(out: Path, clinics: list[tuple[Profile | None, dict[str, list[Target]]]],
             manifest: Manifest) -> set[Path]:
    """The folders this build or an earlier one writes PDFs to: the only ones it cleans."""
    paths = [target.path for _, units in clinics for unit in units.values() for target in unit]
    return {out, *(path.parent for path in paths), *manifest.folders()}


def _units(options: Options, report: Report) -> Iterator[tuple[Profile | None, dict[str, list[Target]]]]:
    """Each clinic (or none) with the units it builds: all of them, or those of its part."""
    mine = shard(options, *options.shard) if options.shard else None

    def wanted(clinic: str, units: dict[str, list[Target]]) -> dict[str, list[Target]]:
        return {name: unit for name, unit in units.items() if mine is None or (clinic, name) in mine}

    if not options.clinics:
        yield None, wanted("", targets(options, None))
        return
    from .clinic import load_profile  # imports the schema: only when there are profiles

    folders: dict[str, Path] = {}
    for file in options.clinics:
        if mine is not None and not any(clinic == file.stem for clinic, _ in mine):
            continue  # another part's: not even read
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
        yield profile, wanted(profile.id, targets(options, profile))


def _unit_name(profile: Profile | None, name: str) -> str:
    return f"{profile.id}/{name}" if profile else name


# ---- Starting a unit: skip, or load and send its PDFs to be rendered ----

@dataclass
class _Sorted:
    """A unit's targets with the hash of what each is made from, and those out of date."""

    targets: list[Target]
    inputs: dict[Target, str]
    stale: list[Target]


def _sort(options: Options, unit: list[Target], manifest: Manifest,
          fingerprints: _Fingerprints) -> _Sorted:
    inputs = {target: fingerprints.inputs(target) for target in unit}
    stale = [t for t in unit if options.force or not manifest.current(t.path, inputs[t], options.html)]
    return _Sorted(unit, inputs, stale)


@dataclass
class _Run:
    """What every unit of one build shares."""

    options: Options
    manifest: Manifest
    fingerprints: _Fingerprints
    renderer: Renderer
    report: Report
    progress: Progress


@dataclass
class _Sent:
    """A PDF sent to render, and what to record of it once it is written."""

    output: Output
    inputs: str  # hash of what it is made from
    render: str  # hash of what was rendered
    html: str | None  # the HTML to write beside it (--html)
    job: Job  # its own job: to try again alone, or to make its preview
    future: Future[tuple[Rendered, ...]]  # its job's, or its booklet's (a handout sent with it)
    index: int = 0  # which of that job's PDFs it is


@dataclass
class _Work:
    """A unit on its way: the PDFs sent to render, and those that need none."""

    name: str
    sent: list[_Sent] = field(default_factory=list)
    unchanged: list[tuple[Target, str]] = field(default_factory=list)  # rendered before exactly so


def _start(run: _Run, profile: Profile | None, name: str, unit: _Sorted,
           languages: dict[str, Language]) -> _Work:
    work = _Work(_unit_name(profile, name))
    for target in unit.targets:
        if target not in unit.stale:
            _remove_preview(target.path, run.options.out)
            run.report.skipped.append(target.path)
            run.progress.step(target.name, SKIPPED)
    if not unit.stale:
        return work  # nothing changed: no content read, no WeasyPrint imported
    run.renderer.start()  # the workers warm up while the content is read below
    try:
        _send(run, profile, unit, languages, work)
    except ContentError:
        for target in unit.stale:
            run.progress.step(target.name, FAILED)
        raise
    return work


def _send(run: _Run, profile: Profile | None, unit: _Sorted, languages: dict[str, Language],
          work: _Work) -> None:
    """Load the languages of the stale targets, and send to render those whose HTML is
    not exactly what was rendered before. A booklet is made of its level's handouts' pages
    (see _send_booklet)."""
    from .pages import plan

    for code in dict.fromkeys(code for target in unit.stale for code in target.langs):
        if code not in languages:
            languages[code] = _load(code, run.options, run.report)

    def prepare(target: Target) -> _Prepared:
        return _Prepared(run, plan(run.options, target, languages, profile))

    prepared = {target: prepare(target) for target in unit.stale}
    taken: set[Target] = set()
    for target in sorted(unit.stale, key=_longest_first):
        if target in taken:
            continue  # sent with its booklet
        if target.kind == BOOKLET:
            topics = [other for other in unit.targets
                      if other.kind == HANDOUT and other.level == target.level]
            for topic in topics:
                if topic not in prepared:  # unchanged, but the booklet needs its pages
                    prepared[topic] = prepare(topic)
            taken.update(_send_booklet(run, unit, work, prepared[target], [prepared[t] for t in topics]))
        else:
            _send_one(run, unit, work, prepared[target])


class _Prepared:
    """A target's page and HTML, and the hash of what would be rendered."""

    def __init__(self, run: _Run, output: Output) -> None:
        from .render import render_html

        self.output = output
        self.target = output.target
        self.base = output.path.with_suffix(".html")
        self.html = render_html(output.page, self.base, standalone=False)
        self.render = digest(self.html + run.fingerprints.assets + repr(_ALLOWED))
        self.standalone = render_html(output.page, self.base) if run.options.html else None

    def unchanged(self, run: _Run) -> bool:
        """Rendered before from exactly this (so it need not be again), and still intact."""
        return (not run.options.force and not run.options.html
                and run.manifest.rendered_same(self.target.path, self.render))

    def job(self) -> Job:
        from .workers import Job

        return Job(self.html, self.base, self.output.page.date, _ALLOWED)


# The logo is inline (a data: URI of the checked bytes): nothing of the profile's folder is
# ever read by the renderer, so only the styles (and fonts) may be.
_ALLOWED = (STYLES_DIR,)


def _send_one(run: _Run, unit: _Sorted, work: _Work, target: _Prepared) -> None:
    if target.unchanged(run):
        work.unchanged.append((target.target, unit.inputs[target.target]))
        return
    job = target.job()
    work.sent.append(_Sent(target.output, unit.inputs[target.target], target.render, target.standalone,
                           job, run.renderer.submit(job)))


def _send_booklet(run: _Run, unit: _Sorted, work: _Work, booklet: _Prepared,
                  topics: list[_Prepared]) -> set[Target]:
    """Send a booklet, which lays out its level's handouts for their pages; the handouts it
    takes care of. When all of them must be rendered too (a full build), it renders them
    from the same layouts. When only some must (one text edited), they are sent on their
    own, to render on another worker beside the booklet rather than one after another."""
    from .pdf import Topic
    from .render import render_html

    frame = render_html(booklet.output.page, booklet.base, standalone=False, frame=True)
    booklet.render = digest("".join([frame, *(topic.html for topic in topics), run.fingerprints.assets,
                                     repr(_ALLOWED)]))
    if booklet.unchanged(run):
        work.unchanged.append((booklet.target, unit.inputs[booklet.target]))
        return set()
    changed = [topic for topic in topics if topic.target in unit.stale and not topic.unchanged(run)]
    wanted = changed if len(changed) == len(topics) else []
    job = replace(booklet.job(), html=frame, topics=tuple(
        Topic(topic.target.topic, topic.html, topic.base, topic.output.page.date, topic in wanted)
        for topic in topics))
    future = run.renderer.submit(job)
    work.sent.append(_Sent(booklet.output, unit.inputs[booklet.target], booklet.render,
                           booklet.standalone, job, future))
    for index, topic in enumerate(wanted, start=1):
        work.sent.append(_Sent(topic.output, unit.inputs[topic.target], topic.render, topic.standalone,
                               topic.job(), future, index))
    return {topic.target for topic in wanted}


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

def _finish(run: _Run, work: _Work) -> None:
    results: list[tuple[_Sent, Rendered]] = []
    problems: list[str] = []
    for sent in work.sent:
        try:
            result = _result(sent, run.renderer)
        except _RenderFailed as error:
            problems.append(f"{sent.output.name}: {error}")
            continue
        problems += verify(sent.output, result)
        if over_budget(sent.output, result):
            problems.append(_over_budget(sent.output, result, sent.job, run.renderer, run.options))
        results.append((sent, result))
    if not problems:
        problems = _write(results, run.options.out)
    if problems:
        run.report.failures[work.name] = ContentError("\n".join(problems))
        for sent in work.sent:
            run.progress.step(sent.output.name, FAILED)
        return
    for sent, result in results:
        _remove_preview(sent.output.path, run.options.out)
        run.manifest.record(sent.output.path, sent.inputs, sent.render, result.pdf)
        run.report.written.append(sent.output.path)
        run.progress.step(sent.output.name, BUILT)
    for target, inputs in work.unchanged:
        _remove_preview(target.path, run.options.out)
        run.manifest.refresh(target.path, inputs)
        run.report.skipped.append(target.path)
        run.progress.step(target.name, SKIPPED)


def _remove_preview(path: Path, out: Path) -> None:
    """A handout now within its budget leaves no preview of an older, longer text; only
    inside the output folder (a link there to elsewhere is left alone)."""
    preview = preview_path(path, out)
    if os.path.realpath(preview).startswith(os.path.join(os.path.realpath(out), PREVIEW_DIR, "")):
        preview.unlink(missing_ok=True)


class _RenderFailed(Exception):
    """Why a PDF could not be rendered, said for the person running the build."""


def _result(sent: _Sent, renderer: Renderer) -> Rendered:
    """A PDF's result. When its worker died (killed, or out of memory in a library that
    cannot report it), its job is tried once more, alone in a new worker: the jobs that
    died with it still build, and the one that killed it fails by itself. (A handout sent
    with its booklet is tried again alone.)"""
    from concurrent.futures.process import BrokenProcessPool

    from .pdf import ForbiddenFetch
    from .workers import RenderLimit

    try:
        try:
            return sent.future.result()[sent.index]
        except BrokenProcessPool:
            return renderer.retry(sent.job)[0]
    except ForbiddenFetch as error:
        raise _RenderFailed(f"the handout asked to load {error}; only the project's styles "
                            "and fonts may be loaded") from None
    except RenderLimit as error:
        raise _RenderFailed(f"{error}; no handout should: check the clinic's logo and the "
                            "length of the texts") from None
    except BrokenProcessPool:
        raise _RenderFailed("the process rendering it stopped (it was killed, or ran out of "
                            "memory); build again, and check the clinic's logo if it happens "
                            "again") from None


def _write(results: list[tuple[_Sent, Rendered]], out: Path) -> list[str]:
    """Write a unit's PDFs (and HTML) all or none; the problems if that failed."""
    files = []
    for sent, result in results:
        files.append((sent.output.path, result.pdf))
        if sent.html is not None:
            files.append((sent.output.path.with_suffix(".html"), sent.html.encode("utf-8")))
    try:
        write_all(files, out)
    except (NoSpace, Outside) as error:
        return [f"{error}; no PDF in it was replaced" +
                (": free some space and build again" if isinstance(error, NoSpace) else "")]
    except OSError as error:
        folder = files[0][0].parent if files else "the output folder"
        return [f"cannot write in {folder}: {error.strerror}; no PDF in it was replaced"]
    return []


def verify(output: Output, result: Rendered) -> list[str]:
    """Problems with a rendered PDF but its length: a font not bundled."""
    from .pdf import unbundled

    if fonts := unbundled(result.fonts):
        return [f"{output.name}: uses fonts that are not bundled: "
                f"{', '.join(sorted(fonts))}; a character is missing from the bundled fonts"]
    return []


def over_budget(output: Output, result: Rendered) -> bool:
    return output.max_pages is not None and result.pages > output.max_pages


def _over_budget(output: Output, result: Rendered, job: Job, renderer: Renderer, options: Options) -> str:
    """How much is over and where the text grew, with a preview to look at (overbudget.py)."""
    from .overbudget import how_much, longest
    from .render import render_html

    assert output.max_pages is not None
    what = f"the {output.page.level} level" if output.page.level else "it"
    message = (f"{output.name}: {result.pages} pages; {what} allows at most {output.max_pages}; "
               f"{how_much(result.pages, output.max_pages, result.last_page_fill)}")
    if output.page.main.clinic is not None:
        message += " (or list fewer of the clinic profile's referrals)"
    if output.page.kind in (HANDOUT, BILINGUAL):
        handout, english = _against_english(output, options)
        message += f". Longest: {longest(handout, english)}"
    preview = preview_path(output.path, options.out)
    try:
        page = replace(output.page, preview=True)
        html = render_html(page, job.base, standalone=False)
        pdf = renderer.submit(replace(job, html=html)).result()[0].pdf
        write_all([(preview, pdf)], options.out)
    except Exception as error:  # the message matters more than its preview
        return f"{message} (no preview: {error})"
    return f"{message}. A preview marked as over the limit: {display_path(preview)}"


def _against_english(output: Output, options: Options) -> tuple[Handout, Handout | None]:
    """The handout of the page's last language, and the same handout in English (None
    for English itself)."""
    from .languages import handouts, load_language

    handout = output.page.editions[-1].handouts[0]
    if output.page.editions[-1].lang == SOURCE_LANGUAGE:
        return handout, None
    if len(output.page.editions) > 1:
        return handout, output.page.editions[0].handouts[0]
    english = load_language(SOURCE_LANGUAGE, replace(options, allow_incomplete=True))
    return handout, next(h for h in handouts(english, handout.level) if h.slug == handout.slug)


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
            # A pipe, device or huge file is not read here; loading it says what is wrong.
            data = read_regular(path, MAX_READ_BYTES)
            self._files[path] = digest(data) if data is not None else "unreadable"
        return self._files[path]
