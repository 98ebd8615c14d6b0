"""The command line behind make_handouts.py.

Commands: build (PDFs), check (validate and measure, no rendering), status (how each
translation stands), new-language (a folder for a translator to fill in), mark-current
(accept stale translations that still fit), sign-off (record a topic's clinical review).
Exit codes: 0 success, 1 content problems or an incomplete translation, 2 usage errors.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .build import build
from .config import (
    CONTENT_DIR,
    DEFAULT_OUT,
    DEFAULT_PAPER,
    INTERFACE_FILE,
    LEVELS,
    PAPERS,
    PREVIEW_DIR,
    SOURCE_LANGUAGE,
    STYLES_DIR,
    TEMPLATES_DIR,
    TOPICS,
)
from .errors import ContentError, counted, display_path, shown
from .lock import BuildBusy
from .options import Options, available_languages, unknown_locale
from .report import Progress
from .targets import handout_path

# The other commands import what they need when run, so that `build` with nothing to
# do starts quickly.
if TYPE_CHECKING:
    from .languages import Score

EXIT_OK, EXIT_CONTENT = 0, 1  # argparse itself exits with 2 on a usage error


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    # WeasyPrint's own warnings (font subsetting backend, refused fetches) are either
    # noise for a clinic or reported by the build itself as a clear error.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    try:
        return COMMANDS[args.command](args, parser)
    except ContentError as error:
        _report(error, args.debug)
        return EXIT_CONTENT
    except OSError as error:  # an output folder that cannot be written, a full disk
        # (os.replace names the temporary file first and the file it was to become second)
        _report(error, args.debug, f"cannot write {error.filename2 or error.filename or 'a file'}: "
                                   f"{error.strerror}")
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("Stopped; earlier PDFs are unchanged.", file=sys.stderr)
        return 130


def _report(error: BaseException, debug: bool, message: str | None = None) -> None:
    """A user error: its message, and the traceback only when asked for with --debug."""
    if debug:
        traceback.print_exception(error)
    print(shown(message or str(error)), file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="make_handouts.py",
        description="Build plain-language patient handouts as tagged, print-ready PDFs.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show Python tracebacks with error messages (for developers)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_parser = commands.add_parser("build", help="render handouts and booklets to PDF")
    check_parser = commands.add_parser("check", help="validate content and measure readability")
    status_parser = commands.add_parser("status", help="show missing, stale and extra translations")
    new_parser = commands.add_parser("new-language", help="start a translation from English")
    current_parser = commands.add_parser(
        "mark-current", help="accept stale translations you checked still fit the English")
    sign_parser = commands.add_parser(
        "sign-off", help="record a clinical review of topics in one language")
    export_parser = commands.add_parser(
        "export-po", help="write a translation as PO files, for Weblate, Poedit and other tools")
    import_parser = commands.add_parser(
        "import-po", help="write the finished texts of PO files back into a translation")
    ids_parser = commands.add_parser(
        "key-by-id", help="key a translation's list items by the English ids, not by position")
    for sub in (build_parser, check_parser, status_parser, new_parser, current_parser, sign_parser,
                export_parser, import_parser, ids_parser):
        sub.add_argument("--content", type=Path, default=CONTENT_DIR, metavar="DIR",
                         help="folder holding one folder per language (default: handouts/)")
    for sub in (build_parser, check_parser, status_parser):
        sub.add_argument("--lang", action="append", metavar="CODE",
                         help="language folder under handouts/ (repeatable; default: all)")
    for sub in (build_parser, check_parser, current_parser):
        sub.add_argument("--topic", action="append", choices=list(TOPICS),
                         help="topic (repeatable; default: all, plus the booklet)")
    for sub in (build_parser, check_parser):
        sub.add_argument("--level", action="append", choices=list(LEVELS),
                         help="reading level (repeatable; default: all)")
        sub.add_argument("--out", type=Path, default=DEFAULT_OUT,
                         help="output folder (default: build/)")
        sub.add_argument("--allow-incomplete", action="store_true",
                         help="build translations with missing keys, in English, marked DRAFT")
    build_parser.add_argument("--paper", choices=list(PAPERS), default=DEFAULT_PAPER,
                              help="paper size (default: letter)")
    build_parser.add_argument("--html", action="store_true",
                              help="also write each handout's HTML next to its PDF")
    build_parser.add_argument("--clinic", action="append", type=Path, metavar="FILE",
                              help="clinic profile (repeatable); outputs go to OUT/<profile>/")
    build_parser.add_argument("--large-print", action="store_true",
                              help="body text 18 pt and up; outputs go to <level>-large/")
    build_parser.add_argument("--bilingual", action="append", metavar="CODE",
                              help="also build English and CODE side by side, in OUT/en+CODE/")
    build_parser.add_argument("--jobs", type=int, default=None, metavar="N",
                              help="PDFs rendered at once (default and most: the number of CPUs)")
    build_parser.add_argument("--force", action="store_true",
                              help="rebuild every PDF, even those unchanged since the last build")
    build_parser.add_argument("--shard", type=_shard, metavar="K/N",
                              help="build only part K of N, for N machines or CI jobs (see README)")
    new_parser.add_argument("code", help="language code, such as fr, vi or zh-Hant")
    current_parser.add_argument("language", help="language code, such as es")
    ids_parser.add_argument("language", help="language code, such as es")
    current_parser.add_argument("keys", nargs="*", metavar="KEY",
                                help="key paths as `status` prints them (default: every stale key)")
    for sub in (export_parser, import_parser):
        sub.add_argument("language", help="language code, such as es")
        sub.add_argument("folder", type=Path, metavar="DIR",
                         help="folder of the PO files, one per content file")
    sign_parser.add_argument("language", help="language code, such as en or es")
    sign_parser.add_argument("topics", nargs="+", choices=list(TOPICS), metavar="TOPIC",
                             help=f"the topics reviewed ({', '.join(TOPICS)})")
    sign_parser.add_argument("--by", required=True, metavar="NAMES",
                             help="who reviewed, as it should be printed (names and roles)")
    sign_parser.add_argument("--on", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                             help="the date of the review (default: today)")
    return parser


def _shard(text: str) -> tuple[int, int]:
    """K/N, with 1 <= K <= N."""
    part, _, parts = text.partition("/")
    if not (part.isdigit() and parts.isdigit() and 1 <= int(part) <= int(parts) <= 1000):
        raise argparse.ArgumentTypeError(f"'{text}' is not a part such as 2/4 (part K of N, "
                                         "K from 1 to N)")
    return int(part), int(parts)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written like 2026-11-30") from None


def _options(args: argparse.Namespace, parser: argparse.ArgumentParser,
             langs: list[str] | None = None) -> Options:
    known = available_languages(args.content)
    if not known:
        what = "is not a folder" if not args.content.is_dir() else "holds no language folder"
        raise ContentError(f"{args.content} (--content) {what}: it should hold one folder per "
                           f"language, each with an {INTERFACE_FILE}, like handouts/en/")
    wanted = langs or getattr(args, "lang", None) or known
    pairs = getattr(args, "bilingual", None) or []
    for code in [*wanted, *pairs]:
        if code not in known:
            parser.error(f"unknown language '{code}'; available: {', '.join(known)}")
    if SOURCE_LANGUAGE in pairs:
        parser.error(f"--bilingual pairs a language with English; '{SOURCE_LANGUAGE}' is English")
    unknown = [problem for code in dict.fromkeys([*wanted, *pairs])
               if (problem := unknown_locale(args.content, code))]
    if unknown:
        raise ContentError(unknown)
    clinics = _distinct_profiles(getattr(args, "clinic", None) or [], parser)
    if args.command == "build":  # each profile, language and pair gets a folder in --out
        names = [file.stem for file in clinics] or [*wanted, *(f"{SOURCE_LANGUAGE}+{c}" for c in pairs)]
        _outside_inputs(args.out, args.content, [args.out / name for name in names], parser)
    chosen = set(getattr(args, "topic", None) or TOPICS)
    levels = set(getattr(args, "level", None) or LEVELS)
    return Options(
        langs=tuple(dict.fromkeys(wanted)),
        levels=tuple(level for level in LEVELS if level in levels),
        topics=tuple(topic for topic in TOPICS if topic in chosen),
        paper=getattr(args, "paper", DEFAULT_PAPER),
        out=getattr(args, "out", DEFAULT_OUT),
        html=getattr(args, "html", False),
        content=args.content,
        allow_incomplete=getattr(args, "allow_incomplete", False),
        clinics=clinics,
        large_print=getattr(args, "large_print", False),
        bilingual=tuple(dict.fromkeys(pairs)),
        jobs=_jobs(args.jobs, parser) if args.command == "build" else 1,
        force=getattr(args, "force", False),
        shard=getattr(args, "shard", None),
    )


def _jobs(wanted: int | None, parser: argparse.ArgumentParser) -> int:
    """Rendering processes: at most one per CPU, since each keeps a CPU busy and more
    only share them (and each takes memory)."""
    if wanted is None:
        return _cpus()
    if wanted < 1:
        parser.error(f"--jobs {wanted}: give a number of processes, 1 or more")
    if wanted > (cpus := _cpus()):
        print(f"warning: --jobs {wanted} is more than the {cpus} CPUs here; using {cpus}",
              file=sys.stderr)
    return min(wanted, cpus)


def _cpus() -> int:
    """The CPUs this process may use (a container or `taskset` may allow fewer than the
    machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _outside_inputs(out: Path, content: Path, folders: list[Path],
                    parser: argparse.ArgumentParser) -> None:
    """Outputs inside the files handouts are made from would make every build see its own
    PDFs as changed inputs, and could overwrite them: refuse an --out inside them, and an
    output folder that would land in them (a profile named styles.yaml with --out .)."""
    for folder in (content, STYLES_DIR, TEMPLATES_DIR):
        where = display_path(folder)
        if out.resolve().is_relative_to(folder.resolve()):
            parser.error(f"--out {out} is inside {where}/, which handouts are made from; "
                         "choose an output folder outside it (default: build/)")
        for written in folders:
            if written.resolve().is_relative_to(folder.resolve()):
                parser.error(f"the handouts for '{written.name}' would go to {written}, inside "
                             f"{where}/, which handouts are made from; choose another --out "
                             "(default: build/)")


def _distinct_profiles(files: list[Path], parser: argparse.ArgumentParser) -> tuple[Path, ...]:
    """The clinic profiles, each once. A profile's file name names its output folder, so
    two profiles with one name would overwrite each other's handouts: refused. (The name
    is the one given: a link named after a clinic names its folder, not the file it opens.)"""
    unique = list(dict.fromkeys(Path(os.path.abspath(file)) for file in files))
    for file in unique:
        if file.stem == PREVIEW_DIR:
            parser.error(f"--clinic {file}: '{PREVIEW_DIR}/' is where previews of handouts over their "
                         "page budget go; give the profile another file name")
    for index, file in enumerate(unique):
        clash = next((other for other in unique[:index] if other.stem == file.stem), None)
        if clash:
            parser.error(f"--clinic {clash} and --clinic {file} would both write to the folder "
                         f"'{file.stem}/': give the profiles different file names")
    return tuple(unique)


def _build(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    options = _options(args, parser)
    progress = _TerminalProgress() if sys.stderr.isatty() else _LineProgress()
    try:
        report = build(options, progress)
    except BuildBusy as error:
        print(shown(str(error)), file=sys.stderr)
        return EXIT_CONTENT
    finally:
        progress.close()
    for line in report.warnings:
        print(shown(f"warning: {line}"), file=sys.stderr)
    for unit, error in report.failures.items():
        _report(error, args.debug)
        print(shown(f"No '{unit}' PDF was written; earlier ones are unchanged."), file=sys.stderr)
    if report.unsaved:
        print(shown(report.unsaved), file=sys.stderr)
    print(f"Built {len(report.written)}, skipped {len(report.skipped)} (unchanged), "
          f"failed {len(report.failures)} in {options.out} ({report.seconds:.1f} s)")
    return EXIT_CONTENT if report.failures or report.unsaved else EXIT_OK


class _LineProgress(Progress):
    """One plain line per PDF, for logs and CI."""

    def step(self, name: str, status: str) -> None:
        print(f"{status:8} {name}", flush=True)


class _TerminalProgress(Progress):
    """A progress bar on a terminal."""

    def start(self, total: int) -> None:
        import tqdm

        tqdm.tqdm.monitor_interval = 0  # no monitor thread: worker processes may be forked
        self._bar = tqdm.tqdm(total=total, unit="pdf", leave=False)

    def step(self, name: str, status: str) -> None:
        self._bar.set_postfix_str(f"{status} {name}", refresh=False)
        self._bar.update()

    def close(self) -> None:
        if bar := getattr(self, "_bar", None):
            bar.close()


def _check(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .languages import gate, load_language, score, warnings
    from .reviews import review_warnings

    options = _options(args, parser)
    scores: list[Score] = []
    unmeasured: list[str] = []  # languages valid but without a readability measure
    failed = False
    for code in options.langs:
        try:
            language = load_language(code, options)
        except ContentError as error:
            _report(error, args.debug)
            failed = True
            continue
        for line in warnings(language) + review_warnings(language.folder, language.topics,
                                                         language.reviews, language.behind_english):
            print(shown(f"warning: {line}"), file=sys.stderr)
        measured = score(language, options.levels)
        if not measured:
            unmeasured.append(f"{code} ({'a draft' if language.draft else 'no formula for this language'})")
        scores += measured
    if scores:
        print(readability_table(scores, options))
    try:
        gate(scores)
    except ContentError as error:
        _report(error, args.debug)
        failed = True
    if failed:
        return EXIT_CONTENT
    if unmeasured:
        print(f"Readability not measured: {', '.join(unmeasured)}.")
    languages = len(options.langs)
    print(f"OK: {languages} language{'s' * (languages != 1)} valid; {len(scores)} handouts "
          "measured and within their reading targets.")
    return EXIT_OK


def _status(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from . import translator_commands

    options = _options(args, parser)
    codes = [code for code in options.langs if code != SOURCE_LANGUAGE]
    clean = translator_commands.report(options, codes, lambda line: print(shown(line)))
    return EXIT_OK if clean else EXIT_CONTENT


def _new_language(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from . import translator_commands

    try:
        folder = translator_commands.new_language(args.content, args.code)
    except ValueError as error:
        parser.error(str(error))
    print(f"Created {folder}/ with every text marked \"[untranslated]\".")
    print("Next: translate the files, then run `make status` (see TRANSLATING.md).")
    return EXIT_OK


def _mark_current(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from . import translator_commands

    options = _options(args, parser, [args.language])
    if args.language == SOURCE_LANGUAGE:
        parser.error("English is the source; only translations can be stale")
    accepted = translator_commands.mark_current(options, args.language, set(args.keys) or None)
    for name, key in accepted:
        print(shown(f"{name}: {key} marked current"))
    print(f"{counted(len(accepted), 'key')} marked current.")
    return EXIT_OK


def _export_po(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .po import export_po

    if args.language == SOURCE_LANGUAGE:
        parser.error("English is the source; export a translation")
    for path in export_po(_options(args, parser, [args.language]), args.language, args.folder):
        print(shown(f"wrote {display_path(path)}"))
    return EXIT_OK


def _import_po(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .po import import_po

    if args.language == SOURCE_LANGUAGE:
        parser.error("English is the source; import a translation")
    imported = import_po(_options(args, parser, [args.language]), args.language, args.folder)
    for name, outcome in imported.items():
        line = f"{name}: {counted(outcome.changed, 'text')} changed"
        if outcome.fuzzy:
            line += f"; {counted(outcome.fuzzy, 'entry')} still fuzzy, left as they were"
        if outcome.outdated:
            line += (f"; {counted(outcome.outdated, 'entry')} made from older English, left out: "
                     "export again and carry your work over")
        print(shown(line))
    return EXIT_OK


def _key_by_id(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from . import translator_commands

    if args.language == SOURCE_LANGUAGE:
        parser.error("English is the source; its ids are written by hand")
    keyed = translator_commands.key_by_id(_options(args, parser, [args.language]), args.language)
    for name, lists in keyed:
        print(shown(f"{name}: {counted(lists, 'list')} keyed by id"))
    print("Every list was already keyed by id." if not keyed else
          "Check the changes with `git diff`, then run `make status`.")
    return EXIT_OK


def _sign_off(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .languages import load_language
    from .reviews import sign_off

    by = args.by.strip()
    if not by or len(by) > 300 or not by.isprintable():
        parser.error("--by needs the reviewers' names and roles, on one line, at most 300 characters")
    on = args.on or date.today()
    if on > date.today():
        parser.error(f"--on {on.isoformat()} is in the future")
    options = _options(args, parser, [args.language])
    options = replace(options, topics=tuple(topic for topic in TOPICS if topic in args.topics))
    language = load_language(args.language, options)
    if behind := sorted(language.behind_english & set(language.topics)):
        raise ContentError(f"{', '.join(behind)}: the translation is stale against the English "
                           "(`make status` lists the texts); bring it up to date, then sign off")
    sign_off(language.folder, language.topics, language.reviews, by, on)
    for topic in language.topics:
        print(f"{args.language}/{topic}: clinically reviewed by {by} on {on.isoformat()}")
    return EXIT_OK


COMMANDS = {"build": _build, "check": _check, "status": _status,
            "new-language": _new_language, "mark-current": _mark_current, "sign-off": _sign_off,
            "export-po": _export_po, "import-po": _import_po, "key-by-id": _key_by_id}


def readability_table(scores: list[Score], options: Options) -> str:
    """Topic x level: score, target, SMOG, words, sentences, and pages of the last build."""
    rows = [("lang", "topic", "level", "scale", "score", "target", "SMOG", "words",
             "sentences", "pages")]
    for s in scores:
        m = s.measurement
        rows.append((s.lang, s.topic, s.level, m.formula.name, f"{m.score:.1f}", f"{s.target:.1f}",
                     f"{m.smog:.1f}" if m.smog is not None else "-", str(m.words),
                     str(m.sentences), _built_pages(handout_path(options, None, s.lang, s.level, s.topic))))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
                     for row in rows)


def _built_pages(pdf: Path) -> str:
    """Pages of an already built PDF ('-' if not built): check itself never renders."""
    if not pdf.is_file():
        return "-"
    import pikepdf

    try:
        with pikepdf.open(pdf, attempt_recovery=False) as document:
            return str(len(document.pages))
    except (pikepdf.PdfError, OSError, ValueError):
        return "damaged"  # cut short or overwritten: the next build replaces it


if __name__ == "__main__":
    sys.exit(main())
