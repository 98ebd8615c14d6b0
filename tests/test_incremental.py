"""Incremental, parallel and safe builds: what changed is rebuilt, nothing else; an
interrupted or concurrent build never leaves a broken or half-written PDF."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from helpers import EXAMPLE, options, write_yaml
from pypdf import PdfReader

from handoutkit import workers
from handoutkit.build import build
from handoutkit.cli import main
from handoutkit.config import CONTENT_DIR, ROOT
from handoutkit.engine import versions
from handoutkit.files import TEMP_SUFFIX
from handoutkit.lock import LOCK_FILE, BuildBusy

pytestmark = pytest.mark.pdf  # every test here renders PDFs, or reads those of the shared builds


def pdfs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.pdf"))}


def test_only_what_changed_is_rebuilt(spanish, tmp_path):
    # One level: the others are built the same way.
    opts = options(tmp_path / "out", langs=("en", "es"), levels=("standard",), content=spanish,
                   jobs=2)
    first = build(opts)
    assert not first.failures and len(first.written) == 2 * (5 + 1)
    before = pdfs(tmp_path / "out")

    again = build(opts)
    assert again.written == [] and len(again.skipped) == len(first.written)

    file = spanish / "es/withdrawal.yaml"  # a translator fixes one word
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["key_messages"]["overdose-risk"]["standard"] += " Ahora."
    write_yaml(file, data)
    edited = build(opts)
    written = {p.relative_to(tmp_path / "out").as_posix() for p in edited.written}
    allowed = {"es/standard/withdrawal.pdf", "es/standard/booklet.pdf"}
    assert written == allowed
    after = pdfs(tmp_path / "out")
    assert {k for k in before if before[k] != after[k]} <= allowed

    forced = build(replace(opts, force=True, langs=("en",), topics=("kratom",)))  # one PDF shows it
    assert [p.relative_to(tmp_path / "out").as_posix() for p in forced.written] == ["en/standard/kratom.pdf"]


def test_an_upgraded_library_renders_every_pdf_again(tmp_path, monkeypatch):
    """Though the HTML is the same: a new WeasyPrint (or another library that shapes a
    PDF) may draw it differently. So may a change to the tool's own code, which counts as
    an asset (tests/test_lock.py)."""
    opts = options(tmp_path / "out", levels=("easy",), topics=("kratom", "withdrawal"))
    assert len(build(opts).written) == 2
    upgraded = versions().replace("weasyprint ", "weasyprint 1")
    monkeypatch.setattr("handoutkit.build.versions", lambda: upgraded)
    assert len(build(opts).written) == 2


def test_a_moved_output_folder_is_not_rendered_again(content, tmp_path):
    """What is rendered, and so its hash, does not depend on where the output folder is: in
    a folder moved deeper (or a shard's part copied into another), a PDF whose content file
    changed without changing what it prints is kept, not rendered again."""
    opts = options(tmp_path / "out", content=content, levels=("easy",), topics=("kratom",))
    assert len(build(opts).written) == 1
    moved = tmp_path / "clinics" / "north" / "out"
    shutil.copytree(tmp_path / "out", moved)
    file = content / "en" / "kratom.yaml"
    note = "# A note for the next translator.\n"
    file.write_text(file.read_text(encoding="utf-8") + note, encoding="utf-8")
    report = build(replace(opts, out=moved))
    assert not report.failures and report.written == [] and len(report.skipped) == 1


@pytest.mark.parametrize("clinic", [[], ["--clinic", str(EXAMPLE)]])
def test_a_build_with_nothing_to_do_does_not_import_weasyprint(tmp_path, clinic):
    """Nor the content schema (pydantic), the templates or the workers: a skipped PDF whose
    preview was removed imported the schema, and the no-op build took twice as long; so
    did reading a clinic's profile, which a no-op build now leaves unread."""
    out = tmp_path / "out"
    args = ["build", "--lang", "en", "--level", "easy", "--topic", "kratom", "--out", str(out), *clinic]
    assert main(args) == 0
    heavy = ["weasyprint", "pydantic", "jinja2", "handoutkit.schema", "handoutkit.workers",
             "handoutkit.making", "importlib.metadata"]
    probe = ("import sys; from handoutkit.cli import main; code = main(%r); "
             "print(code, [name for name in %r if name in sys.modules])" % (args, heavy))
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip().endswith("0 []"), result.stdout + result.stderr
    assert "Built 0, skipped 1 (unchanged)" in result.stdout


def test_parallel_and_serial_builds_are_byte_identical(tmp_path):
    build(options(tmp_path / "one", levels=("standard",), jobs=1))
    build(options(tmp_path / "two", levels=("standard",), jobs=2))
    assert pdfs(tmp_path / "one") == pdfs(tmp_path / "two") != {}


def test_an_interrupted_build_keeps_earlier_pdfs_and_the_next_one_finishes(tmp_path, monkeypatch):
    opts = options(tmp_path / "out", levels=("easy",))
    build(opts)
    before = pdfs(tmp_path / "out")
    edited = tmp_path / "handouts"
    shutil.copytree(CONTENT_DIR / "en", edited / "en")
    kratom = edited / "en/kratom.yaml"
    kratom.write_text(kratom.read_text().replace("Kratom can hook you.", "Kratom can hook you fast."))
    calls = []

    def stop_midway(job):
        calls.append(job)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_run(job)

    real_run = workers.run
    monkeypatch.setattr(workers, "run", stop_midway)
    with pytest.raises(KeyboardInterrupt):
        build(options(tmp_path / "out", levels=("easy",), content=edited))
    assert pdfs(tmp_path / "out") == before  # nothing half-done, nothing replaced
    monkeypatch.setattr(workers, "run", real_run)
    easy = tmp_path / "out/en/easy"
    (easy / f".kratom.pdf.x1y2z3_9{TEMP_SUFFIX}").write_bytes(b"half")  # from a kill
    others = [easy / ".notes.tmp", easy / ".kratom.pdf.mine.tmp", tmp_path / "out/deep/.a.b.tmp",
              tmp_path / f"out/deep/.a.pdf.x1y2z3_9{TEMP_SUFFIX}"]  # not in a PDF folder
    for other in others:
        other.parent.mkdir(exist_ok=True)
        other.write_bytes(b"another program's")
    finished = build(options(tmp_path / "out", levels=("easy",), content=edited))
    assert {p.name for p in finished.written} == {"kratom.pdf", "booklet.pdf"}
    assert sorted((tmp_path / "out").rglob("*.tmp")) == sorted(others)  # only the tool's own


def test_a_killed_build_leaves_only_whole_pdfs(tmp_path, built):
    out = tmp_path / "out"
    command = [sys.executable, str(ROOT / "make_handouts.py"), "build", "--lang", "en",
               "--level", "easy", "--out", str(out), "--jobs", "1"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.rglob("*.pdf"))) < 3:
        time.sleep(0.05)  # wait for a few PDFs (not a time limit on the tool)
    process.send_signal(signal.SIGKILL)
    process.wait()
    for pdf in out.rglob("*.pdf"):
        assert len(PdfReader(pdf).pages) >= 1  # every PDF there is whole
    assert main(command[2:]) == 0
    # The same bytes as the shared build's (parallel and serial builds are the same, below).
    assert pdfs(out) == {name: pdf for name, pdf in pdfs(built).items()
                         if name.startswith("en/easy/") or name == "en/wallet-cards.pdf"}


def test_a_second_build_into_the_same_folder_stops_clearly(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    with open(out / LOCK_FILE, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(BuildBusy):
            build(options(out, levels=("easy",), topics=("kratom",)))
        assert main(["build", "--lang", "en", "--out", str(out)]) == 1
    assert f"another build is writing to {out}; wait for it to finish" in capsys.readouterr().err


def test_progress_lines_and_summary_when_not_a_terminal(tmp_path, capsys):
    args = ["build", "--lang", "en", "--level", "easy", "--topic", "kratom", "--out", str(tmp_path)]
    main(args)
    main(args)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("built ") and out[0].endswith("en/easy/kratom.pdf")
    assert re.match(r"Built 1, skipped 0 \(unchanged\), failed 0 in .+ \(\d+\.\d s\)", out[1])
    assert out[2].startswith("skipped ") and out[3].startswith("Built 0, skipped 1")




# ---- workers: started in turn, warm, and quick to load the engine ----

def tiny_job(tmp_path: Path) -> workers.Job:
    from datetime import date

    from handoutkit.config import STYLES_DIR
    return workers.Job("<p lang=en>Hello</p>", tmp_path / "tiny.html", date(2026, 1, 1),
                       (STYLES_DIR,))


@pytest.mark.parametrize("jobs_sent", [1, 2])
def test_a_worker_warms_up_only_when_there_is_a_job_for_it(tmp_path, monkeypatch, jobs_sent):
    log = tmp_path / "warmed"
    real_warm_up = workers.warm_up

    def logged_warm_up() -> None:  # the workers are forked: they run this one
        real_warm_up()
        with open(log, "a") as handle:
            handle.write("warm\n")

    monkeypatch.setattr(workers, "warm_up", logged_warm_up)
    with workers.Renderer(3) as renderer:
        results = [renderer.submit(tiny_job(tmp_path)) for _ in range(jobs_sent)]
        assert all(future.result()[0].pages == 1 for future in results)
    assert log.read_text().count("warm") == jobs_sent  # the third worker never loaded anything


def test_a_free_worker_takes_the_costliest_job_waiting(tmp_path, monkeypatch):
    """A build sends one language's jobs, then the next language's: the costliest of them
    all must not wait behind cheaper ones sent before it."""
    monkeypatch.setattr(workers, "run", logged_run)
    job = tiny_job(tmp_path)
    with workers.Renderer(2) as renderer:
        # Two jobs hold the two workers while the others are sent; then one worker is let go,
        # and takes the others one by one, while the second still holds its worker.
        holding = [renderer.submit(replace(job, html=f"go{n}")) for n in (1, 2)]
        sent = [renderer.submit(replace(job, cost=cost)) for cost in (2, 9, 5, 9)]
        (tmp_path / "go1").touch()
        assert all(future.result() == () for future in sent)
        (tmp_path / "go2").touch()
        assert all(future.result() == () for future in holding)
    assert (tmp_path / "order").read_text().split() == ["go1", "9", "9", "5", "2", "go2"]


def test_jobs_waiting_when_a_worker_dies_go_to_a_new_pool(tmp_path, monkeypatch):
    """The jobs the dead worker's pool was running fail (the build tries each again alone);
    those not yet handed to it run on a new pool, two at a time, not one by one."""
    monkeypatch.setattr(workers, "run", dying_run)
    with workers.Renderer(2) as renderer:
        a_worker_dies_while_jobs_wait(renderer, tiny_job(tmp_path))


def test_news_from_a_replaced_pool_does_not_break_the_new_one(tmp_path, monkeypatch):
    """A dead pool fails its two running jobs one after the other: when the new pool is
    made between the two, the second must not have it replaced again."""
    made, usual_pool, usual_done = [], workers.Renderer._new_pool, workers.Renderer._done

    def counted_pool(self, *args):
        made.append(args)
        return usual_pool(self, *args)

    def late_done(self, in_pool, promised, pool):
        if pool == 0 and isinstance(in_pool.exception(), BrokenProcessPool) and promised.html == "hold":
            time.sleep(0.5)  # the first job's failure has woken the waiter, who made a new pool
        usual_done(self, in_pool, promised, pool)

    monkeypatch.setattr(workers, "run", dying_run)
    monkeypatch.setattr(workers.Renderer, "_new_pool", counted_pool)
    monkeypatch.setattr(workers.Renderer, "_done", late_done)
    with workers.Renderer(2) as renderer:
        a_worker_dies_while_jobs_wait(renderer, tiny_job(tmp_path))
    assert len(made) == 2


def a_worker_dies_while_jobs_wait(renderer: workers.Renderer, job: workers.Job) -> None:
    """Two jobs hold the two workers and three wait; then one of the two kills its worker.
    The waiting ones are done (on a new pool), the running ones fail with the old pool."""
    running = [renderer.submit(replace(job, html=html, cost=9)) for html in ("hold", "die")]
    for future, html in zip(running, ("hold", "die")):
        future.html = html  # type: ignore[attr-defined]  # which job a callback is about
    waiting = [renderer.submit(replace(job, cost=cost)) for cost in (3, 2, 1)]
    (job.base.parent / "die").touch()
    assert [renderer.result(future) for future in waiting] == [("done",)] * 3
    for future in running:
        with pytest.raises(BrokenProcessPool):
            renderer.result(future)


def dying_run(job: workers.Job) -> tuple:
    """A job that holds its worker until its file is there, then (named "die") kills it."""
    if job.html in ("hold", "die"):
        while not (job.base.parent / job.html).exists():
            time.sleep(0.01)
        os._exit(9)
    return ("done",)


def logged_run(job: workers.Job) -> tuple:
    """A job that writes its cost (or, waiting first for a file of that name, its HTML)
    in a file beside its HTML."""
    if job.html.startswith("go"):
        while not (job.base.parent / job.html).exists():
            time.sleep(0.01)
    with open(job.base.parent / "order", "a") as handle:
        handle.write(f"{job.html if job.html.startswith('go') else job.cost}\n")
    return ()


def test_rendering_pauses_the_cycle_collector_and_always_restores_it(tmp_path, monkeypatch):
    import gc

    seen = []

    def failing_render(*args):
        seen.append(gc.isenabled())
        raise RuntimeError("render failed")

    monkeypatch.setattr(workers, "render_pdf", failing_render)
    with pytest.raises(RuntimeError):
        workers.run(tiny_job(tmp_path))
    assert seen == [False] and gc.isenabled()


def test_loading_the_engine_searches_for_no_library():
    """cffi searches for each library name WeasyPrint tries with ctypes.util.find_library,
    which runs ldconfig, gcc and ld: loading by file name needs none of them."""
    probe = """
import ctypes.util, subprocess, sys
usual, commands = ctypes.util.find_library, []
class Recorded(subprocess.Popen):
    def __init__(self, args, *rest, **options):
        commands.append(args)
        super().__init__(args, *rest, **options)
subprocess.Popen = Recorded
from handoutkit.pdf import warm_up
warm_up()
print(commands, ctypes.util.find_library is usual, 'weasyprint' in sys.modules)
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "[] True True", result.stdout + result.stderr


def test_the_engine_still_loads_where_its_libraries_must_be_searched_for():
    probe = """
import contextlib, cffi.api, handoutkit.pdf as pdf
by_file_name = pdf._libraries_by_file_name
@contextlib.contextmanager
def none_found_by_file_name():
    real = cffi.api._load_backend_lib
    def fail(backend, name, flags):
        raise OSError(f"cannot load {name}")
    with by_file_name():
        cffi.api._load_backend_lib = fail
        try:
            yield
        finally:
            cffi.api._load_backend_lib = real
pdf._libraries_by_file_name = none_found_by_file_name
print("loaded", pdf._weasyprint().__name__)
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout == "loaded weasyprint\n", result.stdout + result.stderr  # and no advice


def test_written_files_get_the_umasks_permissions(tmp_path, content, capsys):
    """A shared print folder or web server must be able to read the handouts: files get
    0644 under umask 022 (a temporary file's 0600 would hide them), and 0640 under 027."""
    import os
    import stat

    for mask, mode in ((0o022, 0o644), (0o027, 0o640)):
        previous = os.umask(mask)
        try:
            out = tmp_path / f"out-{mask:o}"
            build(options(out, content=content, levels=("easy",), topics=("kratom",)))
            main(["sign-off", "--content", str(content), "en", "kratom", "--by", "A. Reviewer"])
        finally:
            os.umask(previous)
        for file in [out / "en/easy/kratom.pdf", out / ".handouts-manifest.json",
                     content / "en/reviews.yaml"]:
            assert stat.S_IMODE(file.stat().st_mode) == mode, (file, oct(file.stat().st_mode))
        (content / "en/reviews.yaml").unlink()
    assert not list(tmp_path.rglob("*.tmp"))


# ---- a killed build, and builds that meet each other ----

def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_a_killed_build_and_leave_no_lock(tmp_path, stop):
    """Only the main process is killed (a timeout, the OOM killer): its workers stop too,
    and the next build into the folder is not told that another one is writing."""
    out = tmp_path / "out"
    command = [sys.executable, str(ROOT / "make_handouts.py"), "build", "--lang", "en",
               "--level", "easy", "--out", str(out), "--jobs", "2"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(workers_of := children(process.pid)) < 2:
            time.sleep(0.05)  # waiting for the workers to start (not a limit on the tool)
        assert len(workers_of) >= 2
        assert (out / LOCK_FILE).read_text().strip() == str(process.pid)
        process.send_signal(stop)
        process.wait()
        while time.monotonic() < deadline and any(alive(pid) for pid in workers_of):
            time.sleep(0.05)
        assert not any(alive(pid) for pid in workers_of)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
    report = build(options(out, levels=("easy",), topics=("kratom",)))
    assert not report.failures


def test_workers_do_not_hold_the_lock(tmp_path):
    """A worker closes the lock it inherited: the kernel drops the lock with the main
    process, whatever its workers do."""
    out = tmp_path / "out"
    probe = f"""
import os
from pathlib import Path
from handoutkit.lock import locked
from handoutkit.workers import Renderer
with locked(Path({str(out)!r})) as lock:
    with Renderer(2, private=(lock,)) as renderer:
        renderer.start()
        pid = renderer._pool.submit(os.getpid).result()
        print(pid, os.path.exists(f"/proc/{{pid}}/fd/{{lock}}") and
              os.readlink(f"/proc/{{pid}}/fd/{{lock}}").endswith(".handouts.lock"))
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.split()[-1] == "False", result.stdout + result.stderr


def test_the_lock_names_its_holder_and_never_follows_a_link(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    (out / LOCK_FILE).symlink_to(precious)
    assert main(["build", "--lang", "en", "--level", "easy", "--topic", "kratom",
                 "--out", str(out)]) == 1
    assert "is a symbolic link; the build's lock file must be a plain file" in capsys.readouterr().err
    assert precious.read_text() == "keep me"
    (out / LOCK_FILE).unlink()
    os.link(precious, out / LOCK_FILE)  # a hard link: locked, but its contents kept
    assert not build(options(out, levels=("easy",), topics=("kratom",))).failures
    assert precious.read_text() == "keep me"


@pytest.mark.parametrize("damage", ["null", "[]", '"a string"', "[" * 100_000 + "]" * 100_000,
                                    '{"../../outside.pdf": {"inputs": "", "render": "", "pdf": ""}}',
                                    '{"en/easy/kratom.pdf": {"inputs": 1}}', '{"en/easy/kr',
                                    # names no file system takes: looking them up fails
                                    '{"%s/x.pdf": {"inputs": "", "render": "", "pdf": ""}}' % ("a" * 300),
                                    '{"%s.pdf": {"inputs": "", "render": "", "pdf": ""}}' % ("a" * 5000)])
def test_a_damaged_manifest_means_a_full_rebuild(tmp_path, damage):
    out = tmp_path / "out"
    opts = options(out, levels=("easy",), topics=("kratom",))
    build(opts)
    (out / ".handouts-manifest.json").write_text(damage)
    (tmp_path / f".outside.pdf.x1y2z3_9{TEMP_SUFFIX}").write_text("not the build's to clean")
    report = build(opts)
    assert not report.failures and len(report.written) == 1
    assert build(opts).written == []  # and the manifest is whole again
    assert (tmp_path / f".outside.pdf.x1y2z3_9{TEMP_SUFFIX}").exists()


def test_check_reads_a_damaged_pdf_as_damaged(tmp_path, capsys):
    out = tmp_path / "out"
    build(options(out, levels=("easy",), topics=("kratom",)))
    pdf = out / "en/easy/kratom.pdf"
    pdf.write_bytes(pdf.read_bytes()[: pdf.stat().st_size // 2])
    assert main(["check", "--lang", "en", "--level", "easy", "--topic", "kratom",
                 "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert re.search(r"en +kratom +easy .* damaged\n", captured.out), captured.out
    assert "Traceback" not in captured.err and "EOF marker" not in captured.err


def test_a_changed_logo_under_the_same_name_is_rebuilt(tmp_path):
    """The logo's bytes are an input of every PDF of its clinic (and are in the HTML,
    inline): a new logo under the old name rebuilds them."""
    from helpers import png

    folder = tmp_path / "clinics"
    folder.mkdir()
    (folder / "logo.png").write_bytes(png(6, 6))
    profile = folder / "logo-clinic.yaml"
    profile.write_text('name: Logo Clinic\nphone: "555-0100"\nlogo: logo.png\n')
    opts = options(tmp_path / "out", levels=("easy",), topics=("getting-help",), clinics=(profile,))
    pdf = tmp_path / "out/logo-clinic/en/easy/getting-help.pdf"

    def logo_sizes() -> set[tuple[int, int]]:
        return {image.image.size for page in PdfReader(pdf).pages for image in page.images}

    assert build(opts).written == [pdf] and logo_sizes() == {(6, 6)}
    assert build(opts).written == []
    (folder / "logo.png").write_bytes(png(9, 4))
    assert build(opts).written == [pdf] and logo_sizes() == {(9, 4)}
    # The same bytes, moved out of the folder and linked to: what loading refuses, a build
    # with nothing to do must not accept (nor an .svg name for a file that is not one).
    outside = tmp_path / "elsewhere.png"
    (folder / "logo.png").rename(outside)
    (folder / "logo.png").symlink_to(outside)
    report = build(opts)
    assert report.written == [] and "is outside the profile's folder" in str(report.failures[str(profile)])


@pytest.mark.parametrize("kind", ["fifo", "zero", "folder"])
def test_a_pipe_device_or_folder_in_the_output_folder_is_never_read(tmp_path, capsys, kind):
    """The manifest and the PDFs it lists are read back: never waited on, never read
    without end; the build goes on as if they were not there."""
    out = tmp_path / "out"
    opts = options(out, levels=("easy",), topics=("kratom",))
    build(opts)
    pdf, manifest = out / "en/easy/kratom.pdf", out / ".handouts-manifest.json"
    for place in (pdf, manifest):
        place.unlink()
        {"fifo": lambda: os.mkfifo(place), "zero": lambda: place.symlink_to("/dev/zero"),
         "folder": lambda: place.mkdir()}[kind]()
    args = ["build", "--lang", "en", "--level", "easy", "--topic", "kratom", "--out", str(out)]
    code = main(args)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if kind == "folder":  # nothing can replace a folder: said, with the file's name
        assert code == 1 and f"cannot write in {pdf.parent}: Is a directory; no PDF in it" in err
        assert f"cannot write {manifest}: Is a directory; the PDFs are written, but" in err
        assert f"No '{manifest}'" not in err  # not a language that failed
        assert not list(out.rglob("*.tmp"))
    else:
        assert code == 0 and PdfReader(pdf).pages and json_of(manifest)


def json_of(path: Path) -> dict:
    import json

    return json.loads(path.read_text())


def test_a_link_inside_the_output_folder_is_not_written_through(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / f".x.pdf.x1y2z3_9{TEMP_SUFFIX}").write_text("not the build's")
    out = tmp_path / "out"
    out.mkdir()
    (out / "en").symlink_to(elsewhere)
    opts = options(out, langs=("en",), levels=("easy",), topics=("kratom",))
    report = build(opts)
    assert "leads out of" in str(report.failures["en"]) and "remove the link" in str(report.failures["en"])
    assert sorted(p.name for p in elsewhere.rglob("*")) == [f".x.pdf.x1y2z3_9{TEMP_SUFFIX}"]
