"""The build pipeline: load -> validate -> measure -> render -> check -> write.

Each language is built on its own: a language with problems is reported and left out,
the others are written. Within a language nothing is written until every requested PDF
has rendered and passed its checks, so a failed build leaves earlier PDFs in place.
"""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Callable

from . import readability
from .clinic import Profile, load_profile
from .config import (
    BILINGUAL_PAGE_FACTOR,
    CONTENT_DIR,
    INTERFACE_FILE,
    LARGE_PRINT_PAGE_FACTOR,
    LEVELS,
    READABILITY_TARGETS,
    REFERRALS_PER_EXTRA_PAGE,
    STYLES_DIR,
    TOPICS,
)
from .contents import Handout, ResourceView, view
from .errors import ContentError, Problem, display_path
from .fonts import uncovered_characters
from .loader import Located, load_yaml
from .pdf import ForbiddenFetch, foreign_fonts, render_pdf, tag_languages
from .render import BILINGUAL, BOOKLET, HANDOUT, WALLET, Edition, Page, render_html
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
    clinics: tuple[Path, ...] = ()  # clinic profiles; each gets <out>/<profile id>/
    large_print: bool = False
    bilingual: tuple[str, ...] = ()  # languages to pair with English side by side

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


# ---- Planning: which PDFs, with what, where ----

def plan(options: Options, language: Language, profile: Profile | None) -> list[Output]:
    """A language's PDFs: one per topic and level, plus, when every topic is built, a
    booklet per level and a sheet of wallet cards."""
    outputs = []
    base = options.out / profile.id if profile else options.out
    edition = _edition(language, profile)
    for level in options.levels:
        views = handouts(language, level, profile)
        folder = base / language.code / _level_folder(level, options)
        for h in views:
            page = _page(options, HANDOUT, [replace(edition, handouts=[h])], level)
            budget = _budget(language, level, options) + _referral_pages(h)
            outputs.append(Output(page, folder / f"{h.slug}.pdf", budget))
        if options.topics == TOPICS:
            page = _page(options, BOOKLET, [replace(edition, handouts=views)], level)
            outputs.append(Output(page, folder / "booklet.pdf", None))
    if options.topics == TOPICS:
        easy = handouts(language, "easy", profile)  # the plainest names for each number
        page = _page(options, WALLET, [replace(edition, handouts=easy)], None)
        outputs.append(Output(page, base / language.code / "wallet-cards.pdf", 1))
    return outputs


def plan_bilingual(options: Options, english: Language, other: Language,
                   profile: Profile | None) -> list[Output]:
    """English and another language side by side, one sheet per topic and level."""
    outputs = []
    base = options.out / profile.id if profile else options.out
    for level in options.levels:
        folder = base / f"{english.code}+{other.code}" / _level_folder(level, options)
        pairs = zip(handouts(english, level, profile), handouts(other, level, profile))
        for first, second in pairs:
            editions = [replace(_edition(english, profile), handouts=[first]),
                        replace(_edition(other, profile), handouts=[second])]
            page = _page(options, BILINGUAL, editions, level)
            budget = math.ceil(BILINGUAL_PAGE_FACTOR * _budget(english, level, options))
            outputs.append(Output(page, folder / f"{first.slug}.pdf", budget))
    return outputs


def handouts(language: Language, level: str, profile: Profile | None = None) -> list[Handout]:
    local = _local_referrals(profile, language.code)
    return [view(slug, topic, level, local) for slug, topic in language.topics.items()]


def _local_referrals(profile: Profile | None, lang: str) -> list[ResourceView]:
    if profile is None:
        return []
    return [ResourceView(r.name, r.offers, r.phone, r.url, None, local=True, languages=r.languages)
            for r in profile.view(lang).referrals]


def _edition(language: Language, profile: Profile | None) -> Edition:
    clinic = profile.view(language.code) if profile else None
    return Edition(language.code, language.strings, [], clinic, language.draft)


def _page(options: Options, kind: str, editions: list[Edition], level: str | None) -> Page:
    newest = max(h.last_reviewed for edition in editions for h in edition.handouts)
    return Page(kind, editions, level, options.paper, newest, options.large_print)


def _referral_pages(h: Handout) -> int:
    """Pages a handout may add for the clinic's local referrals it lists: the budget is
    for our words, and a clinic's programs should not squeeze them out."""
    local = sum(1 for section in h.sections for r in section.resources if r.local)
    return math.ceil(local / REFERRALS_PER_EXTRA_PAGE)


def _level_folder(level: str, options: Options) -> str:
    return f"{level}-large" if options.large_print else level


def _budget(language: Language, level: str, options: Options) -> int:
    factor = language.state.page_budget_factor
    if options.large_print:
        factor *= LARGE_PRINT_PAGE_FACTOR
    return math.ceil(LEVELS[level].max_pages * factor)


# ---- Rendering and checking ----

def render(output: Output, allowed: tuple[Path, ...]) -> Rendered:
    html_path = output.path.with_suffix(".html")
    html = render_html(output.page, html_path)
    try:
        pdf, pages = render_pdf(html, html_path, output.page.date, allowed)
    except ForbiddenFetch as error:
        raise ContentError(f"{output.name}: the handout asked to load {error}; only the "
                           "project's styles and fonts and the clinic's logo may be loaded") from None
    if output.page.kind == BILINGUAL:
        pdf = tag_languages(pdf, [edition.lang for edition in output.page.editions])
    return Rendered(output, pdf, html, pages)


def verify(rendered: Rendered) -> list[str]:
    """Problems with a rendered PDF: over its page budget, or a font not bundled."""
    output, problems = rendered.output, []
    if output.max_pages is not None and rendered.pages > output.max_pages:
        what = f"the {output.page.level} level" if output.page.level else "it"
        problems.append(f"{output.name}: {rendered.pages} pages; {what} allows at most "
                        f"{output.max_pages}; shorten its text (or the clinic profile's referrals).")
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
    # What was not built and why: by language ("es"), clinic profile ("example"),
    # clinic and language ("example/es") or bilingual pair ("en+es").
    failures: dict[str, ContentError] = field(default_factory=dict)


def build(options: Options, progress: Callable[[str], None] = lambda line: None) -> Report:
    """Make every requested PDF of every language and clinic that has no problems.

    Each unit (one language for one clinic, or one bilingual pair) is all or nothing:
    its PDFs are written only when every one of them rendered and passed its checks.
    """
    report = Report()
    languages = _load_languages(options, report)
    profiles: list[Profile | None] = [None]
    if options.clinics:
        profiles = _load_profiles(options, report)
    for profile in profiles:
        prefix = f"{profile.id}/" if profile else ""
        allowed = (STYLES_DIR, profile.folder) if profile else (STYLES_DIR,)
        # A language asked for only as half of a bilingual pair gets no handouts of its own.
        units = {code: (lambda language=language: plan(options, language, profile))
                 for code, language in languages.items() if code in options.langs}
        for code in options.bilingual:
            if SOURCE_LANGUAGE in languages and code in languages:
                units[f"{SOURCE_LANGUAGE}+{code}"] = (lambda other=languages[code]: plan_bilingual(
                    options, languages[SOURCE_LANGUAGE], other, profile))
        for name, outputs in units.items():
            try:
                report.written += _make(outputs(), allowed, options.html, progress)
            except ContentError as error:
                report.failures[prefix + name] = error
    return report


def _load_languages(options: Options, report: Report) -> dict[str, Language]:
    """Every requested language (and English, for bilingual sheets) that loads and reads
    within its targets; the others go into the report's failures."""
    codes = list(dict.fromkeys([*options.langs, *([SOURCE_LANGUAGE] if options.bilingual else []),
                                *options.bilingual]))
    languages = {}
    for code in codes:
        try:
            language = load_language(code, options)
            scores = score(language, options.levels)
            gate(scores)
        except ContentError as error:
            report.failures[code] = error
            continue
        report.warnings += warnings(language)
        report.scores += scores
        languages[code] = language
    for code in options.bilingual:
        if SOURCE_LANGUAGE in languages and code in languages:
            continue
        report.failures.setdefault(f"{SOURCE_LANGUAGE}+{code}", ContentError(
            f"no bilingual sheets for {SOURCE_LANGUAGE}+{code}: a language did not load"))
    return languages


def _load_profiles(options: Options, report: Report) -> list[Profile | None]:
    profiles: list[Profile | None] = []
    for file in options.clinics:
        try:
            profiles.append(load_profile(file))
        except ContentError as error:
            report.failures[file.stem] = error
    return profiles


def _make(outputs: list[Output], allowed: tuple[Path, ...], html: bool,
          progress: Callable[[str], None]) -> list[Rendered]:
    """Render and check every output; write them all, or raise and write none."""
    results, problems = [], []
    for output in outputs:
        rendered = render(output, allowed)
        problems += verify(rendered)
        results.append(rendered)
        progress(f"rendered {output.name} ({rendered.pages} pages)")
    if problems:
        raise ContentError("\n".join(problems))
    for rendered in results:
        write(rendered, html)
    return results


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
