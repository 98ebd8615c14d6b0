"""The build pipeline: load -> validate -> measure -> render -> check -> write.

Nothing is written until every requested PDF has rendered and passed its checks, so a
failed build leaves the previous good PDFs in place.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import readability
from .config import CONTENT_DIR, INTERFACE_FILE, LEVELS, READABILITY_TARGETS, TOPICS
from .contents import Handout, view
from .errors import ContentError, Problem, display_path
from .loader import load_yaml
from .pdf import ForbiddenFetch, foreign_fonts, render_pdf
from .render import Page, render_html
from .schema import Interface, Topic
from .validator import validate


@dataclass(frozen=True)
class Options:
    langs: tuple[str, ...]
    levels: tuple[str, ...]
    topics: tuple[str, ...]
    paper: str
    out: Path
    html: bool = False
    content: Path = CONTENT_DIR


@dataclass(frozen=True)
class Language:
    code: str
    folder: Path
    strings: Interface
    topics: dict[str, Topic]


@dataclass(frozen=True)
class Output:
    """One PDF to make, and where it goes."""

    page: Page
    path: Path

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


def load_languages(options: Options) -> dict[str, Language]:
    """Load and validate every file needed; report the problems of all files at once."""
    problems: list[Problem] = []
    languages = {}
    for code in options.langs:
        folder = options.content / code
        strings = _load(folder / INTERFACE_FILE, Interface, problems)
        loaded = {slug: _load(folder / f"{slug}.yaml", Topic, problems) for slug in options.topics}
        if strings and all(loaded.values()):
            languages[code] = Language(code, folder, strings, loaded)
    if problems:
        raise ContentError(problems)
    return languages


def _load(file: Path, model: type, problems: list[Problem]):
    if not file.is_file():
        problems.append(Problem(file, 1, 1, "file is missing"))
        return None
    try:
        return validate(load_yaml(file), model)
    except ContentError as error:
        problems.extend(error.problems)
        return None


def handouts(language: Language, level: str) -> list[Handout]:
    return [view(slug, topic, level) for slug, topic in language.topics.items()]


def score(languages: dict[str, Language], levels: tuple[str, ...]) -> list[Score]:
    """Readability of every handout's running text, in languages that have a formula."""
    return [Score(language.folder / f"{h.slug}.yaml", h.slug, level,
                  readability.measure(h.running_text(), readability.FORMULAS[language.code]))
            for language in languages.values() if language.code in readability.FORMULAS
            for level in levels
            for h in handouts(language, level)]


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


def plan(options: Options, languages: dict[str, Language]) -> list[Output]:
    """Every PDF to make: one per topic, plus a booklet when all topics are built."""
    outputs = []
    for code, language in languages.items():
        for level in options.levels:
            views = handouts(language, level)
            folder = options.out / code / level
            for h in views:
                page = Page([h], language.strings, code, level, options.paper)
                outputs.append(Output(page, folder / f"{h.slug}.pdf"))
            if options.topics == TOPICS:
                page = Page(views, language.strings, code, level, options.paper, booklet=True)
                outputs.append(Output(page, folder / "booklet.pdf"))
    return outputs


def render(output: Output) -> Rendered:
    html = render_html(output.page, output.path.with_suffix(".html"))
    try:
        pdf, pages = render_pdf(html, output.path.with_suffix(".html"), output.page.date)
    except ForbiddenFetch as error:
        raise ContentError(f"{output.name}: the handout asked to load {error}; only the "
                           "project's styles and fonts may be loaded") from None
    return Rendered(output, pdf, html, pages)


def verify(rendered: Rendered) -> list[str]:
    """Problems with a rendered PDF: over its page budget, or a font not bundled."""
    page, problems = rendered.output.page, []
    budget = LEVELS[page.level].max_pages
    if not page.booklet and rendered.pages > budget:
        problems.append(f"{rendered.output.name}: {rendered.pages} pages; the {page.level} "
                        f"level allows at most {budget}; shorten its text at that level.")
    if fonts := foreign_fonts(rendered.pdf):
        problems.append(f"{rendered.output.name}: uses fonts that are not bundled: "
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


@dataclass
class Report:
    written: list[Rendered] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)


def build(options: Options, progress: Callable[[str], None] = lambda line: None) -> Report:
    """Make every requested PDF, or raise ContentError and write nothing."""
    languages = load_languages(options)
    scores = score(languages, options.levels)
    gate(scores)
    results, problems = [], []
    for output in plan(options, languages):
        rendered = render(output)
        problems += verify(rendered)
        results.append(rendered)
        progress(f"rendered {output.name} ({rendered.pages} pages)")
    if problems:
        raise ContentError("\n".join(problems))
    for rendered in results:
        write(rendered, options.html)
    return Report(results, scores)
