"""Languages: a language's files loaded, overlaid on English when translated, validated,
and measured for readability.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import readability
from .addresses import address_warnings
from .clinic import Profile
from .config import INTERFACE_FILE, READABILITY_TARGETS, SOURCE_LANGUAGE
from .contents import Handout, local_referrals, view
from .errors import ContentError, Problem, counted, display_path
from .fonts import uncovered_characters
from .glossary import glossary_problems, load_glossary
from .loader import Located, load_yaml, present, strings
from .options import INTERFACE, Options
from .qa import qa_problems
from .reviews import SignOff, current, load_reviews
from .schema import Interface, Topic
from .translations import FileReport, LanguageState, load_state, overlay
from .validator import validate


@dataclass
class Language:
    code: str
    folder: Path
    strings: Interface
    topics: dict[str, Topic]
    state: LanguageState
    reports: list[FileReport] = field(default_factory=list)
    reviews: dict[str, SignOff] = field(default_factory=dict)  # clinical sign-off per topic
    addresses: list[str] = field(default_factory=list)  # look-alike web addresses, located

    @property
    def draft(self) -> bool:
        """Built with English in place of missing translations."""
        return any(report.missing for report in self.reports)

    @property
    def english_texts(self) -> frozenset[str]:
        """Texts printed in English in place of missing translations (in a draft)."""
        return frozenset(text for report in self.reports for text in report.english)

    @property
    def behind_english(self) -> set[str]:
        """Topics whose translation misses texts or is stale: a sign-off of them is void."""
        return {report.name for report in self.reports if report.missing or report.stale}

    def handouts(self, level: str, profile: Profile | None = None) -> list[Handout]:
        """Each topic at `level`, as printed: with the clinic's own referrals first among
        the resources, and its clinical sign-off while that is current."""
        local = local_referrals(profile.view(self.code).referrals) if profile else []
        behind = self.behind_english
        return [view(slug, topic, level, local, current(self.reviews.get(slug), topic, slug in behind))
                for slug, topic in self.topics.items()]


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


# ---- Loading ----

def _dates_in_words(code: str, loaded: dict, where: dict) -> list[Problem]:
    """A language the locale data has no month names for must give its own."""
    from .render import has_month_names

    if loaded[INTERFACE].dates is not None or has_month_names(code):
        return []
    return [Problem(where[INTERFACE].file, 1, 1,
                    f"the locale data has no month names for '{code}', so dates cannot be "
                    "written in words: add `dates:` with `months:` (the 12 names, January "
                    "first) and `format:` (like \"{day} {month} {year}\"); see TRANSLATING.md, "
                    "\"Dates\"")]


def load_language(code: str, options: Options) -> Language:
    """Load, overlay on English when translated, and validate one language's files."""
    if code != SOURCE_LANGUAGE and not any(present(options.file(code, name)) for name in options.topics):
        # Even a draft needs some translated topic: else it is English labelled as `code`.
        names = ", ".join(f"{name}.yaml" for name in options.topics)
        raise ContentError([Problem(options.content / code, 1, 1, f"the folder has no topic file "
                                    f"({names}); copy them in from a folder that "
                                    "`make_handouts.py new-language` makes, and translate them")])
    state, problems = load_state(options.content / code)
    reviews, review_problems = load_reviews(options.content / code)
    glossary, glossary_errors = load_glossary(options.content / code)
    problems += review_problems + glossary_errors
    reports: list[FileReport] = []
    loaded: dict[str, Interface | Topic] = {}
    where: dict[str, Located] = {}
    addresses: list[str] = []
    for name in (INTERFACE, *options.topics):
        located = _located(options.file(SOURCE_LANGUAGE, name), options.content, problems)
        if located is None:
            continue
        model = Interface if name == INTERFACE else Topic
        if code != SOURCE_LANGUAGE:
            try:
                validate(located, model)  # a mistake in English is said of the English file
            except ContentError as error:
                problems += error.problems
                continue
            located = _translated(code, name, located, state, options, reports, problems, glossary)
        try:
            loaded[name] = validate(located, model)
        except ContentError as error:
            problems += error.problems
            continue
        where[name] = located
        addresses += address_warnings(located, "the organization's")
        problems += [Problem(located.file, *located.position(path), message)
                     for path, message in uncovered_characters(located.data, code)]
    if INTERFACE in loaded:
        problems += _pictures_without_words(loaded, where) + _dates_in_words(code, loaded, where)
    if problems:
        raise ContentError(problems)
    strings = loaded.pop(INTERFACE)
    return Language(code, options.content / code, strings, loaded, state, reports,  # type: ignore[arg-type]
                    reviews, addresses)


def _pictures_without_words(loaded: dict[str, Interface | Topic], where: dict[str, Located]) -> list[Problem]:
    """Every pictogram a topic prints needs its alt text in interface.yaml (`icons`)."""
    described = loaded[INTERFACE].icons  # type: ignore[union-attr]
    interface = where[INTERFACE]
    return [where[name].problem(path, f"the picture '{icon}' has no words for screen readers: add "
                                      f"`{icon}: ...` under `icons` in {interface.file.name}")
            for name, located in where.items() if name != INTERFACE
            for path, icon in strings(located.data)
            if path and path[-1] == "icon" and icon not in described]


def _located(file: Path, content: Path, problems: list[Problem]) -> Located | None:
    """The file's data, or None after adding what is wrong with it to `problems`."""
    try:
        if not present(file):
            raise ContentError([Problem(file, 1, 1, "file is missing")])
        return load_yaml(file, within=content)
    except ContentError as error:
        problems += error.problems
        return None


def _translated(code: str, name: str, english: Located, state: LanguageState, options: Options,
                reports: list[FileReport], problems: list[Problem],
                glossary: dict[str, list[str]]) -> Located:
    """The translation overlaid on English; missing keys are problems unless a draft is wanted."""
    file = options.file(code, name)
    exists = present(file)
    translation = _located(file, options.content, problems) if exists else None
    if not exists and not options.allow_incomplete:
        problems.append(Problem(file, 1, 1, "file is missing; `make_handouts.py new-language` "
                                            "makes one to fill in"))
    merged = overlay(english, translation, name, state.synced.get(name, {}))
    merged.located.file = file
    merged.report.glossary = glossary_problems(glossary, merged.pairs, merged.located)
    reports.append(merged.report)
    problems += merged.problems + qa_problems(merged, code)
    if merged.report.missing and translation is not None and not options.allow_incomplete:
        problems.append(Problem(file, 1, 1, f"{counted(len(merged.report.missing), 'key')} not translated "
                                "(build with --allow-incomplete for a draft with English in "
                                "their place):\n    " + "\n    ".join(merged.report.missing)))
    return merged.located


def score(language: Language, levels: tuple[str, ...]) -> list[Score]:
    """Readability of every handout's running text, if the language has a formula."""
    formula = readability.FORMULAS.get(language.code)
    if formula is None or language.draft:
        return []
    return [Score(language.folder / f"{h.slug}.yaml", h.slug, level,
                  readability.measure(h.running_text(), formula))
            for level in levels for h in language.handouts(level)]


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



def warnings(language: Language, today: date | None = None) -> list[str]:
    """What a build goes ahead with but should say: content past its review date,
    stale and missing translations, and look-alike web addresses."""
    today = today or date.today()
    lines = [f"{display_path(language.folder / f'{slug}.yaml')}: review_due {topic.review_due} "
             "has passed; the facts need a clinical review"
             for slug, topic in language.topics.items()
             if language.code == SOURCE_LANGUAGE and topic.review_due < today]
    for r in language.reports:
        file = display_path(language.folder / (INTERFACE_FILE if r.name == INTERFACE else f"{r.name}.yaml"))
        if r.stale:
            lines.append(f"{file}: {counted(len(r.stale), 'stale key')} (the English changed since they were "
                         f"translated): {', '.join(r.stale)}")
        if r.missing:
            lines.append(f"{file}: {counted(len(r.missing), 'key')} printed in English (draft)")
        lines += [str(problem) for problem in r.glossary]
    return lines + language.addresses
