"""The build pipeline: load -> validate -> measure -> render -> check -> write.

Each language is built on its own: a language with problems is reported and left out,
the others are written. Within a language nothing is written until every requested PDF
has rendered and passed its checks, so a failed build leaves earlier PDFs in place.
"""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from . import readability
from .config import CONTENT_DIR, INTERFACE_FILE, LEVELS, READABILITY_TARGETS, TOPICS
from .contents import Handout, view
from .errors import ContentError, Problem, display_path
from .fonts import uncovered_characters
from .loader import Located, load_yaml
from .pdf import ForbiddenFetch, foreign_fonts, render_pdf
from .render import Page, render_html
from .schema import Interface, Topic
from .translations import SOURCE_LANGUAGE, FileReport, LanguageState, load_state, overlay
from .validator import validate

INTERFACE = Path(INTERFACE_FILE).stem  # "interface": the name status uses for it


@dataclass(frozen=True)
class Options:
    langs: tuple[str, ...]
    levels: tuple[str, ...]
    topics: tuple[str, ...]
    paper: str
    out: Path
    html: bool = False
    content: Path = CONTENT_DIR
    allow_incomplete: bool = False

    def file(self, lang: str, name: str) -> Path:
        return self.content / lang / (INTERFACE_FILE if name == INTERFACE else f"{name}.yaml")


@dataclass
class Language:
    code: str
    folder: Path
    strings: Interface
    topics: dict[str, Topic]
    state: LanguageState
    reports: list[FileReport] = field(default_factory=list)

    @property
    def draft(self) -> bool:
        """Built with English in place of missing translations."""
        return any(report.missing for report in self.reports)

    def max_pages(self, level: str) -> int:
        return math.ceil(LEVELS[level].max_pages * self.state.page_budget_factor)


@dataclass(frozen=True)
class Output:
    """One PDF to make, and where it goes."""

    page: Page
    path: Path
    max_pages: int | None  # None: no budget (booklets)

    @property
    def name(self) -> str:
        return display_path(self.path)


@dataclass
class Rendered:
    output: Output
    pdf: bytes
    html: str
    pages: int


@dataclass(frozen=True)
class Score:
    file: Path
    topic: str
    level: str
    measurement: readability.Measurement

    @property
    def lang(self) -> str:
        return self.file.parent.name

    @property
    def target(self) -> float:
        return READABILITY_TARGETS[self.lang][self.level]

    @property
    def passes(self) -> bool:
        return self.measurement.formula.passes(self.measurement.score, self.target)


def available_languages(content: Path = CONTENT_DIR) -> list[str]:
    return sorted(path.parent.name for path in content.glob(f"*/{INTERFACE_FILE}"))


# ---- Loading ----

def load_language(code: str, options: Options) -> Language:
    """Load, overlay on English when translated, and validate one language's files."""
    state, problems = load_state(options.content / code)
    reports: list[FileReport] = []
    loaded: dict[str, Interface | Topic] = {}
    for name in (INTERFACE, *options.topics):
        located = _located(options.file(SOURCE_LANGUAGE, name), problems)
        if located is None:
            continue
        if code != SOURCE_LANGUAGE:
            located = _translated(code, name, located, state, options, reports, problems)
        try:
            loaded[name] = validate(located, Interface if name == INTERFACE else Topic)
        except ContentError as error:
            problems += error.problems
            continue
        problems += [Problem(located.file, *located.position(path), message)
                     for path, message in uncovered_characters(located.data, code)]
    if problems:
        raise ContentError(problems)
    strings = loaded.pop(INTERFACE)
    return Language(code, options.content / code, strings, loaded, state, reports)  # type: ignore[arg-type]


def _located(file: Path, problems: list[Problem]) -> Located | None:
    """The file's data, or None after adding what is wrong with it to `problems`."""
    try:
        if not file.is_file():
            raise ContentError([Problem(file, 1, 1, "file is missing")])
        return load_yaml(file)
    except ContentError as error:
        problems += error.problems
        return None


def _translated(code: str, name: str, english: Located, state: LanguageState, options: Options,
                reports: list[FileReport], problems: list[Problem]) -> Located:
    """The translation overlaid on English; missing keys are problems unless a draft is wanted."""
    file = options.file(code, name)
    translation = _located(file, problems) if file.is_file() else None
    if translation is None and not options.allow_incomplete:
        problems.append(Problem(file, 1, 1, "file is missing; `make_handouts.py new-language` "
                                            "makes one to fill in"))
    merged = overlay(english, translation, name, state.synced.get(name, {}))
    merged.located.file = file
    reports.append(merged.report)
    problems += merged.problems
    if merged.report.missing and translation is not None and not options.allow_incomplete:
        problems.append(Problem(file, 1, 1, f"{len(merged.report.missing)} keys not translated "
                                "(build with --allow-incomplete for a draft with English in "
                                "their place):\n    " + "\n    ".join(merged.report.missing)))
    return merged.located


def handouts(language: Language, level: str) -> list[Handout]:
    return [view(slug, topic, level) for slug, topic in language.topics.items()]


# ---- Readability ----

def score(language: Language, levels: tuple[str, ...]) -> list[Score]:
    """Readability of every handout's running text, if the language has a formula."""
    formula = readability.FORMULAS.get(language.code)
    if formula is None or language.draft:
        return []
    return [Score(language.folder / f"{h.slug}.yaml", h.slug, level,
                  readability.measure(h.running_text(), formula))
            for level in levels for h in handouts(language, level)]


def gate(scores: list[Score]) -> None:
    """Fail when a handout is harder to read than its level's target."""
    failures = [s for s in scores if not s.passes]
    if failures:
        raise ContentError("\n".join(_too_hard(s) for s in failures))


def _too_hard(s: Score) -> str:
    m = s.measurement
    bound = "at least" if m.formula.higher_is_easier else "at most"
    lines = [f"{display_path(s.file)}: {s.level}: {m.formula.name} {m.score:.1f}; "
             f"the target is {bound} {s.target:.1f}. Hardest sentences:"]
    lines += [f"    {x.score:5.1f}: {x.text}" for x in m.hardest]
    return "\n".join(lines)


# ---- Rendering ----

def plan(options: Options, language: Language) -> list[Output]:
    """Every PDF to make: one per topic, plus a booklet when all topics are built."""
    outputs = []
    for level in options.levels:
        views = handouts(language, level)
        folder = options.out / language.code / level
        for h in views:
            page = Page([h], language.strings, language.code, level, options.paper, language.draft)
            outputs.append(Output(page, folder / f"{h.slug}.pdf", language.max_pages(level)))
        if options.topics == TOPICS:
            page = Page(views, language.strings, language.code, level, options.paper,
                        language.draft, booklet=True)
            outputs.append(Output(page, folder / "booklet.pdf", None))
    return outputs


def render(output: Output) -> Rendered:
    html_path = output.path.with_suffix(".html")
    html = render_html(output.page, html_path)
    try:
        pdf, pages = render_pdf(html, html_path, output.page.date)
    except ForbiddenFetch as error:
        raise ContentError(f"{output.name}: the handout asked to load {error}; only the "
                           "project's styles and fonts may be loaded") from None
    return Rendered(output, pdf, html, pages)


def verify(rendered: Rendered) -> list[str]:
    """Problems with a rendered PDF: over its page budget, or a font not bundled."""
    output, problems = rendered.output, []
    if output.max_pages is not None and rendered.pages > output.max_pages:
        problems.append(f"{output.name}: {rendered.pages} pages; the {output.page.level} level "
                        f"allows at most {output.max_pages}; shorten its text at that level.")
    if fonts := foreign_fonts(rendered.pdf):
        problems.append(f"{output.name}: uses fonts that are not bundled: "
                        f"{', '.join(sorted(fonts))}; a character is missing from the bundled fonts")
    return problems


def write(rendered: Rendered, html: bool) -> None:
    path = rendered.output.path
    _atomic_write(path, rendered.pdf)
    if html:
        _atomic_write(path.with_suffix(".html"), rendered.html.encode("utf-8"))


def _atomic_write(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp",
                                     delete=False) as handle:
        handle.write(data)
    os.replace(handle.name, path)


# ---- The whole build ----

@dataclass
class Report:
    written: list[Rendered] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failures: dict[str, ContentError] = field(default_factory=dict)  # language -> problems


def build(options: Options, progress: Callable[[str], None] = lambda line: None) -> Report:
    """Make every requested PDF of every language that has no problems."""
    report = Report()
    for code in options.langs:
        try:
            _build_language(code, options, report, progress)
        except ContentError as error:
            report.failures[code] = error
    return report


def _build_language(code: str, options: Options, report: Report,
                    progress: Callable[[str], None]) -> None:
    language = load_language(code, options)
    report.warnings += warnings(language)
    scores = score(language, options.levels)
    gate(scores)
    report.scores += scores
    results, problems = [], []
    for output in plan(options, language):
        rendered = render(output)
        problems += verify(rendered)
        results.append(rendered)
        progress(f"rendered {output.name} ({rendered.pages} pages)")
    if problems:
        raise ContentError("\n".join(problems))
    for rendered in results:
        write(rendered, options.html)
    report.written += results


def warnings(language: Language, today: date | None = None) -> list[str]:
    """What a build goes ahead with but should say: content past its review date, and
    stale, extra and missing translations."""
    today = today or date.today()
    lines = [f"{display_path(language.folder / f'{slug}.yaml')}: review_due {topic.review_due} "
             "has passed; the facts need a clinical review"
             for slug, topic in language.topics.items()
             if language.code == SOURCE_LANGUAGE and topic.review_due < today]
    for r in language.reports:
        file = display_path(language.folder / (INTERFACE_FILE if r.name == INTERFACE else f"{r.name}.yaml"))
        if r.stale:
            lines.append(f"{file}: {len(r.stale)} stale keys (the English changed since they were "
                         f"translated): {', '.join(r.stale)}")
        if r.extra:
            lines.append(f"{file}: {len(r.extra)} keys not in English, ignored: {', '.join(r.extra)}")
        if r.missing:
            lines.append(f"{file}: {len(r.missing)} keys printed in English (draft)")
    return lines
