"""Build speed and memory, measured against the naive approach in the same run.

    make bench        (or: .venv/bin/python benchmarks/bench_build.py)

Measures, on the full default set (every language, level and topic):
  a. naive baseline: the `weasyprint` command run once per PDF, one after another, on the
     same HTML the build writes with --html (a third of them after each full build);
  b. a full build (all CPUs; median of 3);
  c. a rebuild with nothing to do (median of 5 runs);
  d. a rebuild after a translator edits one sentence of one Spanish topic file (median of
     5 such edits); and, for reference, the same edit with only its handout rebuilt
     (`--topic`, no booklet): a new process's fixed cost, and one handout's;
  e. peak memory of any one process (the build and each of its workers);
  f. time to render one document, against bare WeasyPrint on the same HTML in the same
     process;
  g. what the limits on untrusted input cost: a full clinic build (profile and logo
     checked, each PDF rendered under its time and memory limits) against the same build
     with the render limits lifted (benchmarks/unlimited.py), interleaved (each first in
     turn), median of 5;
  h. the same for reading: every content file and the clinic profile through the
     checking loader, against plain YAML parsing;
  i. many clinics: 4 and then 16 clinic profiles (copies of the example, each its own name),
     English and Spanish at the easy level, from scratch: time per PDF at 16 clinics against
     4 (linear growth keeps it level), and the peak memory of any one process.
and prints a table with the targets. Times are wall-clock seconds on this machine; the
ratios are what to compare across machines.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from handoutkit.config import CONTENT_DIR  # noqa: E402

PYTHON = sys.executable
TOOL = [PYTHON, str(ROOT / "make_handouts.py"), "build"]
UNLIMITED = [PYTHON, str(ROOT / "benchmarks" / "unlimited.py"), "build"]
CLINIC = ROOT / "clinics" / "example.yaml"
FULL_REPEATS = 3  # full builds (b), of which the median is shown
EDITED_TOPIC = "withdrawal"  # the topic of d's edits
LIMITS_REPEATS = 5  # pairs of builds with and without the limits (g): 3 left it to noise
REPEATS = 5  # runs of each short measurement (c, d and d's reference), of which the median is shown


def timed(command: list[str]) -> tuple[float, str, int]:
    """Seconds, output, and peak memory (KB) of the largest process the command ran
    (wait4 reports the child's own peak and those of the children it waited for)."""
    started = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as process:
        output = process.stdout.read().decode("utf-8", "replace")
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{output}")
    return seconds, output, usage.ru_maxrss


def naive_pdf(html: Path) -> tuple[float, int]:
    """Seconds and peak memory of the `weasyprint` command on one handout's HTML."""
    seconds, _, peak = timed([PYTHON, "-m", "weasyprint", "--pdf-variant", "pdf/ua-1",
                              str(html), str(html.with_suffix(".naive.pdf"))])
    return seconds, peak


def built_count(output: str) -> int:
    return int(re.search(r"Built (\d+)", output)[1])


def edit_one_spanish_topic(content: Path) -> None:
    """What a translator does: change one sentence, at one level, of one topic."""
    file = content / "es" / f"{EDITED_TOPIC}.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["key_messages"]["overdose-risk"]["standard"] += " Ahora."
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def per_document(html_files: list[Path], repeats: int = 3) -> tuple[float, float]:
    """Seconds per document: this tool's renderer, and bare WeasyPrint, same process."""
    import weasyprint

    from handoutkit.workers import Job, run

    jobs = []
    for html in html_files:
        text = html.read_text(encoding="utf-8")
        bare = re.sub(r'<link rel="stylesheet"[^>]*>', "", text)  # the tool applies it parsed
        jobs.append((Job(bare, html, _date(text), (ROOT / "styles",)), html))
    run(jobs[0][0])  # warm both up: imports, fonts
    weasyprint.HTML(filename=jobs[0][1]).write_pdf(pdf_variant="pdf/ua-1")
    ours = bare_total = 0.0
    for _ in range(repeats):
        for job, html in jobs:
            started = time.perf_counter()
            run(job)
            ours += time.perf_counter() - started
            started = time.perf_counter()
            weasyprint.HTML(filename=html).write_pdf(pdf_variant="pdf/ua-1")
            bare_total += time.perf_counter() - started
    count = repeats * len(jobs)
    return ours / count, bare_total / count


def limits_cost(content: Path, out: Path) -> tuple[float, float]:
    """Median seconds of a full clinic build with the limits and without, interleaved so
    that a drift in the machine's speed affects both alike, and each first in turn, so that
    an effect of order does not fall on one of them only."""
    common = ["--content", str(content), "--clinic", str(CLINIC), "--force"]
    runs: dict[str, list[float]] = {"limited": [], "unlimited": []}
    commands = {"limited": TOOL, "unlimited": UNLIMITED}
    for repeat in range(LIMITS_REPEATS):
        for name in sorted(runs, reverse=repeat % 2 == 1):
            runs[name].append(timed([*commands[name], *common, "--out", str(out / name)])[0])
    return statistics.median(runs["limited"]), statistics.median(runs["unlimited"])


def reading_cost(content: Path, repeats: int = 5) -> tuple[float, float]:
    """Seconds to read every content file and the clinic profile: through the checking
    loader (sizes, types, links, tags, depth, positions) and with plain YAML parsing."""
    from handoutkit.clinic import load_profile
    from handoutkit.loader import load_yaml

    files = sorted(content.rglob("*.yaml"))
    checked, plain = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        for file in files:
            load_yaml(file)
        load_profile(CLINIC)
        checked.append(time.perf_counter() - started)
        started = time.perf_counter()
        for file in [*files, CLINIC]:
            yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        plain.append(time.perf_counter() - started)
    return statistics.median(checked), statistics.median(plain)


def many_clinics(content: Path, work: Path,
                 counts: tuple[int, ...] = (4, 16)) -> list[tuple[int, int, float, int]]:
    """(clinics, PDFs, seconds, peak KB of any one process) of a from-scratch build of each
    number of clinic profiles, each a copy of the example with its own name and file."""
    folder = work / "profiles"
    folder.mkdir()
    shutil.copy(CLINIC.with_name("example-logo.svg"), folder / "example-logo.svg")
    text = CLINIC.read_text(encoding="utf-8")
    results = []
    for count in counts:
        profiles = []
        for number in range(1, count + 1):
            profile = folder / f"clinic-{number:02d}.yaml"
            profile.write_text(text.replace("name: Example Community Clinic",
                                            f"name: Example Community Clinic {number}"), encoding="utf-8")
            profiles.append(profile)
        command = [*TOOL, "--content", str(content), "--level", "easy", "--force",
                   "--out", str(work / f"clinics-{count}")]
        for profile in profiles:
            command += ["--clinic", str(profile)]
        seconds, output, peak = timed(command)
        results.append((count, built_count(output), seconds, peak))
    return results


def _date(html: str):
    from datetime import date
    return date.fromisoformat(re.search(r'dcterms.created" content="([\d-]+)"', html)[1])


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        text = Path("/proc/cpuinfo").read_text()
        model = re.search(r"model name\s*:\s*(.+)", text)[1].strip()
    except (OSError, TypeError):
        pass
    return f"{model}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()}"


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="handouts-bench-"))
    try:
        content = work / "handouts"
        shutil.copytree(CONTENT_DIR, content)
        out = work / "out"
        common = ["--content", str(content), "--out", str(out)]

        # The HTML of every handout, for the naive baseline and the per-document timing.
        subprocess.run([*TOOL, "--content", str(content), "--out", str(work / "html"), "--html"],
                       check=True, capture_output=True)
        html_files = sorted((work / "html").rglob("*.html"))

        # Each build is repeated, and the median taken: the speed of a shared machine
        # drifts from one minute to the next, and would otherwise decide the verdicts. For
        # the same reason the naive baseline takes turns with the full builds: a third of
        # its PDFs after each.
        fulls, naives = [], []
        for repeat in range(FULL_REPEATS):
            fulls.append(timed([*TOOL, *common, "--force"]))
            naives += [naive_pdf(html) for html in html_files[repeat::FULL_REPEATS]]
        naive = sum(seconds for seconds, _ in naives)
        naive_peak = max(peak for _, peak in naives)
        full = statistics.median(seconds for seconds, _, _ in fulls)
        full_peak = max(peak for _, _, peak in fulls)
        total = built_count(fulls[0][1])
        noop = statistics.median(timed([*TOOL, *common])[0] for _ in range(REPEATS))
        edits = []
        for _ in range(REPEATS):
            edit_one_spanish_topic(content)
            seconds, edit_output, _ = timed([*TOOL, *common])
            edits.append(seconds)
        edit, affected = statistics.median(edits), built_count(edit_output)
        # Not timed: the first build with --topic after builds without it loads every
        # language of the topic (a different selection is a different input), not Spanish only.
        subprocess.run([*TOOL, *common, "--topic", EDITED_TOPIC], check=True, capture_output=True)
        alone = []
        for _ in range(REPEATS):
            edit_one_spanish_topic(content)
            seconds, alone_output, _ = timed([*TOOL, *common, "--topic", EDITED_TOPIC])
            alone.append(seconds)
        alone_affected = built_count(alone_output)

        ours, bare = per_document(html_files[:8])
        limited, unlimited = limits_cost(content, work / "clinic")
        checked, plain = reading_cost(content)
        clinics = many_clinics(content, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    edit_allowed = affected / total * full + 1
    rows = [
        ("a. naive: weasyprint command per PDF", f"{naive:.1f} s", f"{len(html_files)} PDFs", "baseline"),
        ("b. full build (median)", f"{full:.1f} s", f"{naive / full:.1f}x faster than naive",
         _verdict(naive / full >= 6, "at least 6x")),
        ("c. rebuild, nothing changed (median)", f"{noop:.2f} s", f"{noop / full:.1%} of full build",
         _verdict(noop / full <= 0.02, "at most 2%")),
        ("d. rebuild after one Spanish edit (median)", f"{edit:.2f} s",
         f"{affected} of {total} PDFs; allowed {edit_allowed:.2f} s; slowest {max(edits):.2f} s",
         _verdict(max(edits) <= 0.7 * edit_allowed, "every run 30% within (affected/total) x full + 1 s")),
        ("   the same edit, its handout alone", f"{statistics.median(alone):.2f} s",
         f"{alone_affected} of {total} PDFs, no booklet; slowest {max(alone):.2f} s",
         f"reference: median {statistics.median(alone) / (0.7 * edit_allowed):.0%} of d's bound with "
         f"its margin ({0.7 * edit_allowed:.2f} s)"),
        ("e. peak memory of one process", f"{full_peak / 1024:.0f} MB",
         f"naive: {naive_peak / 1024:.0f} MB", _verdict(full_peak / 1024 <= 400, "at most 400 MB")),
        ("f. one document, this tool", f"{ours * 1000:.0f} ms",
         f"{ours / bare:.2f}x bare WeasyPrint ({bare * 1000:.0f} ms)",
         _verdict(ours / bare <= 1.1, "at most 1.1x")),
        ("g. clinic build with limits (median)", f"{limited:.1f} s",
         f"{limited / unlimited:.3f}x the build without ({unlimited:.1f} s)",
         _verdict(limited / unlimited <= 1.03, "at most 1.03x (noise)")),
        ("h. reading every file, checked", f"{checked * 1000:.0f} ms",
         f"plain YAML: {plain * 1000:.0f} ms; {(checked - plain) / limited:.2%} of g",
         _verdict((checked - plain) / limited <= 0.01, "at most 1% of a build")),
    ]
    (few, few_pdfs, few_seconds, few_peak), (many, many_pdfs, many_seconds, many_peak) = clinics
    growth = (many_seconds / many_pdfs) / (few_seconds / few_pdfs)
    rows += [
        (f"i. {few} clinics, easy level, en and es", f"{few_seconds:.1f} s",
         f"{few_pdfs} PDFs, {few_seconds / few_pdfs * 1000:.0f} ms each", "baseline"),
        (f"   {many} clinics", f"{many_seconds:.1f} s",
         f"{many_pdfs} PDFs; {growth:.2f}x the time per PDF of {few}",
         _verdict(growth <= 1.1, "at most 1.1x (linear, with noise)")),
        ("   peak memory of one process", f"{max(few_peak, many_peak) / 1024:.0f} MB",
         f"{few}: {few_peak / 1024:.0f} MB, {many}: {many_peak / 1024:.0f} MB",
         _verdict(max(few_peak, many_peak) / 1024 <= 400, "at most 400 MB")),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    print(f"Machine: {machine()}")
    print(f"{total} PDFs (every language, level, topic, booklet and wallet card sheet)\n")
    header = ("measure", "time", "ratio", "target")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("| " + " | ".join("-" * w for w in widths) + " |")
    for row in rows:
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths)) + " |")
    return 0


def _verdict(ok: bool, target: str) -> str:
    return f"{'met' if ok else 'MISSED'}: {target}"


if __name__ == "__main__":
    sys.exit(main())
