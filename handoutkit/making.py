"""Making the PDFs a build found out of date: load each unit's languages, plan its pages,
render them in the workers (pdf.py, workers.py), check each PDF, and write the unit whole
or not at all.

build.py imports this module only when something must be made: everything heavy (the
content schema, Jinja2, WeasyPrint) is imported from here.
"""

from __future__ import annotations

from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .clinic import Profile, load_profile
from .config import BILINGUAL, BOOKLET, DEFAULT_OUT, HANDOUT, ROOT, SOURCE_LANGUAGE, STYLES_DIR
from .errors import ContentError, display_path
from .files import NoSpace, Outside, write_all
from .languages import Language, gate, load_language, score, warnings
from .manifest import Manifest, digest
from .options import Options
from .overbudget import how_much, longest
from .pages import Output, plan
from .pdf import ForbiddenFetch, Rendered, Topic, unbundled
from .render import render_html
from .report import BUILT, FAILED, SKIPPED, Progress, Report
from .targets import Target, cost, preview_path, remove_preview
from .workers import Job, Renderer, RenderLimit

if TYPE_CHECKING:
    from .build import Unit
    from .contents import Handout


def make(options: Options, units: list[Unit], manifest: Manifest, assets: str, renderer: Renderer,
         report: Report, progress: Progress) -> None:
    """Make the stale PDFs of each unit, and write each unit whole or not at all."""
    run = _Run(options, manifest, assets, renderer, report, progress)
    pending, languages = [], {}
    profiles: dict[Path, Profile | None] = {}  # each clinic's, loaded once: None if it failed
    for unit in units:
        if not unit.stale:
            continue
        profile = _profile(unit, profiles, report)
        if unit.clinic and profile is None:
            for target in unit.stale:
                progress.step(target.name, FAILED)
            continue
        loaded = languages.setdefault(unit.clinic.id if unit.clinic else None, {})
        try:
            pending.append(_start(run, unit, profile, loaded))
        except ContentError as error:
            report.failures[unit.name] = error
    for work in pending:
        _finish(run, work)


def _profile(unit: Unit, profiles: dict[Path, Profile | None], report: Report) -> Profile | None:
    """The unit's clinic profile, loaded and checked; None, and a failure reported once, if
    it has problems (none of its clinic's PDFs is made then)."""
    if unit.clinic is None:
        return None
    file = unit.clinic.file
    if file not in profiles:
        try:
            profiles[file] = load_profile(file)
            report.warnings += profiles[file].warnings
        except ContentError as error:
            profiles[file] = None
            report.failures[str(file)] = error
    return profiles[file]


# ---- Starting a unit: load its languages and send its PDFs to be rendered ----

@dataclass
class _Run:
    """What every unit of one build shares."""

    options: Options
    manifest: Manifest
    assets: str  # hash of what every PDF is made with: templates, styles, fonts, code, libraries
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


def _start(run: _Run, unit: Unit, profile: Profile | None, languages: dict[str, Language]) -> _Work:
    work = _Work(unit.name)
    try:
        _send(run, unit, profile, languages, work)
    except ContentError:
        for target in unit.stale:
            run.progress.step(target.name, FAILED)
        raise
    return work


def _send(run: _Run, unit: Unit, profile: Profile | None, languages: dict[str, Language],
          work: _Work) -> None:
    """Load the languages of the stale targets, and send to render those whose HTML is
    not exactly what was rendered before. A booklet is made of its level's handouts' pages
    (see _send_booklet)."""

    for code in dict.fromkeys(code for target in unit.stale for code in target.langs):
        if code not in languages:
            languages[code] = _load(code, run.options, run.report)

    # Each target's HTML is made as it is sent, not all first: the workers start on the
    # first (longest) job while the next one's HTML is made.
    def prepare(target: Target) -> _Prepared:
        return _Prepared(run, plan(run.options, target, languages, profile))

    taken: set[Target] = set()
    for target in sorted(unit.stale, key=_longest_first):
        if target in taken:
            continue  # sent with its booklet
        topics = [other for other in unit.targets if other.kind == HANDOUT and other.level == target.level]
        if target.kind == BOOKLET and all(topic in unit.stale for topic in topics):
            taken.update(_send_booklet(run, unit, work, prepare(target), [prepare(t) for t in topics]))
        else:
            _send_one(run, unit, work, prepare(target))


class _Prepared:
    """A target's page and HTML (made when first asked for), and the hash of what would be
    rendered."""

    def __init__(self, run: _Run, output: Output) -> None:
        self.output = output
        self.target = output.target
        # The HTML written beside the PDF (--html) links the project's files from where it is.
        written = output.path.with_suffix(".html")
        self.standalone = render_html(output.page, written) if run.options.html else None
        # The HTML rendered links them as if the PDF were in the default output folder: the
        # same wherever the output folder is, and so is the hash of what is rendered. (A
        # folder moved, or a shard's part copied into another, is not rendered again.)
        self.base = DEFAULT_OUT / written.relative_to(run.options.out)
        self._assets = run.assets

    @cached_property
    def html(self) -> str:
        return render_html(self.output.page, self.base, standalone=False)

    @cached_property
    def render(self) -> str:
        return digest(self.html + self._assets + _ALLOWED_NAMES)

    def unchanged(self, run: _Run) -> bool:
        """Rendered before from exactly this (so it need not be again), and still intact."""
        return (not run.options.force and not run.options.html
                and run.manifest.rendered_same(self.target.path, self.render))

    def job(self) -> Job:
        return Job(self.html, self.base, self.output.page.date, _ALLOWED, cost=cost(self.target))


# The logo is inline (a data: URI of the checked bytes): nothing of the profile's folder is
# ever read by the renderer, so only the styles (and fonts) may be.
_ALLOWED = (STYLES_DIR,)
_ALLOWED_NAMES = repr([folder.relative_to(ROOT).as_posix() for folder in _ALLOWED])  # wherever the project is


def _send_one(run: _Run, unit: Unit, work: _Work, target: _Prepared) -> None:
    if target.unchanged(run):
        work.unchanged.append((target.target, unit.inputs[target.target]))
    else:
        _send_sent(run, unit, work, target, target.job())


def _send_booklet(run: _Run, unit: Unit, work: _Work, booklet: _Prepared,
                  topics: list[_Prepared]) -> set[Target]:
    """Send a booklet whose handouts are all stale; the handouts it takes care of. When all
    of them must be rendered again (a full build), one job lays them out once, for their
    PDFs and for the booklet's pages (pdf.render_booklet). Otherwise the booklet is laid
    out whole, and the handouts are sent on their own, to render on another worker.

    Either way the booklet is the same PDF, byte for byte (tests/test_pdfs.py), so its own
    HTML stays the hash of what is rendered."""
    if booklet.unchanged(run):
        work.unchanged.append((booklet.target, unit.inputs[booklet.target]))
        return set()
    if any(topic.unchanged(run) for topic in topics):
        _send_sent(run, unit, work, booklet, booklet.job())
        return set()
    frame = render_html(booklet.output.page, booklet.base, standalone=False, frame=True)
    job = Job(frame, booklet.base, booklet.output.page.date, _ALLOWED, tuple(
        Topic(topic.target.topic, topic.html, topic.base, topic.output.page.date) for topic in topics),
        cost(booklet.target) + sum(cost(topic.target) for topic in topics))
    future = _send_sent(run, unit, work, booklet, job)
    for index, topic in enumerate(topics, start=1):
        work.sent.append(_Sent(topic.output, unit.inputs[topic.target], topic.render, topic.standalone,
                               topic.job(), future, index))
    return {topic.target for topic in topics}


def _send_sent(run: _Run, unit: Unit, work: _Work, target: _Prepared, job: Job) -> Future:
    """Submit `job` as the target's; its future."""
    future = run.renderer.submit(job)
    work.sent.append(_Sent(target.output, unit.inputs[target.target], target.render, target.standalone,
                           job, future))
    return future


def _longest_first(target: Target) -> tuple[bool, int]:
    """Booklets first, so that each takes its handouts along; then the costliest first
    (the workers start on the first jobs sent, before the others are known)."""
    return target.kind != BOOKLET, -cost(target)


def _load(code: str, options: Options, report: Report) -> Language:
    """A language, validated and within its readability targets, loaded once per build."""
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
        remove_preview(sent.output.path, run.options.out)
        run.manifest.record(sent.output.path, sent.inputs, sent.render, result.pdf)
        run.report.written.append(sent.output.path)
        run.progress.step(sent.output.name, BUILT)
    for target, inputs in work.unchanged:
        remove_preview(target.path, run.options.out)
        run.manifest.refresh(target.path, inputs)
        run.report.skipped.append(target.path)
        run.progress.step(target.name, SKIPPED)


class _RenderFailed(Exception):
    """Why a PDF could not be rendered, said for the person running the build."""


def _result(sent: _Sent, renderer: Renderer) -> Rendered:
    """A PDF's result. When its worker died (killed, or out of memory in a library that
    cannot report it), its job is tried once more, alone in a new worker: the jobs that
    died with it still build, and the one that killed it fails by itself. (A handout sent
    with its booklet is tried again alone.)"""
    try:
        try:
            return renderer.result(sent.future)[sent.index]
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
    if fonts := unbundled(result.fonts):
        return [f"{output.name}: uses fonts that are not bundled: "
                f"{', '.join(sorted(fonts))}; a character is missing from the bundled fonts"]
    return []


def over_budget(output: Output, result: Rendered) -> bool:
    return output.max_pages is not None and result.pages > output.max_pages


def _over_budget(output: Output, result: Rendered, job: Job, renderer: Renderer, options: Options) -> str:
    """How much is over and where the text grew, with a preview to look at (overbudget.py)."""
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
        pdf = renderer.result(renderer.submit(replace(job, html=html)))[0].pdf
        write_all([(preview, pdf)], options.out)
    except Exception as error:  # the message matters more than its preview
        return f"{message} (no preview: {error})"
    return f"{message}. A preview marked as over the limit: {display_path(preview)}"


def _against_english(output: Output, options: Options) -> tuple[Handout, Handout | None]:
    """The handout of the page's last language, and the same handout in English (None
    for English itself)."""
    handout = output.page.editions[-1].handouts[0]
    if output.page.editions[-1].lang == SOURCE_LANGUAGE:
        return handout, None
    if len(output.page.editions) > 1:
        return handout, output.page.editions[0].handouts[0]
    english = load_language(SOURCE_LANGUAGE, replace(options, allow_incomplete=True))
    return handout, next(h for h in english.handouts(handout.level) if h.slug == handout.slug)
