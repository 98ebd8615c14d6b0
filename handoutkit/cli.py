"""The command line: `build` makes PDFs, `check` validates and measures without rendering.

Exit codes: 0 success, 1 content problems, 2 usage errors.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from . import __version__
from .build import Options, Score, available_languages, build, gate, load_languages, score
from .config import CONTENT_DIR, DEFAULT_OUT, DEFAULT_PAPER, LEVELS, PAPERS, TOPICS
from .errors import ContentError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    # WeasyPrint's own warnings (font subsetting backend, refused fetches) are either
    # noise for a clinic or reported by the build itself as a clear error.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    try:
        options = _options(args, parser)
        if args.command == "build":
            return _build(options)
        return _check(options)
    except ContentError as error:
        print(error, file=sys.stderr)
        if args.command == "build":
            print("Nothing was written; earlier PDFs are unchanged.", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("Stopped; earlier PDFs are unchanged.", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="make_handouts.py",
        description="Build plain-language patient handouts as tagged, print-ready PDFs.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_parser = commands.add_parser("build", help="render handouts and booklets to PDF")
    check_parser = commands.add_parser("check", help="validate content and measure readability")
    for sub in (build_parser, check_parser):
        sub.add_argument("--lang", action="append", metavar="CODE",
                         help="language folder under handouts/ (repeatable; default: all)")
        sub.add_argument("--level", action="append", choices=list(LEVELS),
                         help="reading level (repeatable; default: all)")
        sub.add_argument("--topic", action="append", choices=list(TOPICS),
                         help="topic (repeatable; default: all, plus the booklet)")
        sub.add_argument("--out", type=Path, default=DEFAULT_OUT,
                         help="output folder (default: build/)")
        sub.add_argument("--content", type=Path, default=CONTENT_DIR, metavar="DIR",
                         help="folder holding one folder per language (default: handouts/)")
    build_parser.add_argument("--paper", choices=list(PAPERS), default=DEFAULT_PAPER,
                              help="paper size (default: letter)")
    build_parser.add_argument("--html", action="store_true",
                              help="also write each handout's HTML next to its PDF")
    return parser


def _options(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Options:
    known = available_languages(args.content)
    langs = tuple(dict.fromkeys(args.lang or known))
    for code in langs:
        if code not in known:
            parser.error(f"unknown language '{code}'; available: {', '.join(known)}")
    chosen = set(args.topic or TOPICS)
    return Options(
        langs=langs,
        levels=tuple(level for level in LEVELS if level in set(args.level or LEVELS)),
        topics=tuple(topic for topic in TOPICS if topic in chosen),
        paper=getattr(args, "paper", DEFAULT_PAPER),
        out=args.out,
        html=getattr(args, "html", False),
        content=args.content,
    )


def _build(options: Options) -> int:
    report = build(options, progress=lambda line: print(line, flush=True))
    print(f"Wrote {len(report.written)} PDFs to {options.out}")
    return EXIT_OK


def _check(options: Options) -> int:
    languages = load_languages(options)
    scores = score(languages, options.levels)
    print(readability_table(scores, options.out))
    gate(scores)
    print(f"OK: {len(scores)} handouts valid and within their reading targets.")
    return EXIT_OK


def readability_table(scores: list[Score], out: Path) -> str:
    """Topic x level: score, target, SMOG, words, sentences, and pages of the last build."""
    rows = [("lang", "topic", "level", "scale", "score", "target", "SMOG", "words",
             "sentences", "pages")]
    for s in scores:
        m = s.measurement
        rows.append((s.lang, s.topic, s.level, m.formula.name, f"{m.score:.1f}", f"{s.target:.1f}",
                     f"{m.smog:.1f}" if m.smog is not None else "-", str(m.words),
                     str(m.sentences), _built_pages(out / s.lang / s.level / f"{s.topic}.pdf")))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
                     for row in rows)


def _built_pages(pdf: Path) -> str:
    """Pages of an already built PDF ('-' if not built): check itself never renders."""
    if not pdf.is_file():
        return "-"
    from pypdf import PdfReader

    return str(len(PdfReader(pdf).pages))


if __name__ == "__main__":
    sys.exit(main())
