"""Incremental, parallel and safe builds: what changed is rebuilt, nothing else; an
interrupted or concurrent build never leaves a broken or half-written PDF."""

from __future__ import annotations

import fcntl
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import options
from pypdf import PdfReader

from handoutkit import workers
from handoutkit.build import LOCK_FILE, BuildBusy, build
from handoutkit.cli import main
from handoutkit.config import CONTENT_DIR, LEVELS, ROOT


@pytest.fixture
def bilingual_content(tmp_path) -> Path:
    content = tmp_path / "handouts"
    for code in ("en", "es"):
        shutil.copytree(CONTENT_DIR / code, content / code)
    return content


def pdfs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.pdf"))}


def test_only_what_changed_is_rebuilt(bilingual_content, tmp_path):
    opts = options(tmp_path / "out", langs=("en", "es"), content=bilingual_content, jobs=2)
    first = build(opts)
    assert not first.failures and len(first.written) == 2 * (3 * 5 + 1)
    before = pdfs(tmp_path / "out")

    again = build(opts)
    assert again.written == [] and len(again.skipped) == len(first.written)

    file = bilingual_content / "es/withdrawal.yaml"  # a translator fixes one word
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["key_messages"][0]["standard"] += " Ahora."
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    edited = build(opts)
    written = {p.relative_to(tmp_path / "out").as_posix() for p in edited.written}
    allowed = {f"es/{level}/{name}.pdf" for level in LEVELS for name in ("withdrawal", "booklet")}
    assert written == {"es/standard/withdrawal.pdf", "es/standard/booklet.pdf"}
    after = pdfs(tmp_path / "out")
    assert {k for k in before if before[k] != after[k]} <= allowed

    forced = build(options(tmp_path / "out", langs=("en", "es"), content=bilingual_content,
                           force=True))
    assert len(forced.written) == len(first.written)


def test_a_build_with_nothing_to_do_does_not_import_weasyprint(tmp_path):
    out = tmp_path / "out"
    args = ["build", "--lang", "en", "--level", "easy", "--topic", "kratom", "--out", str(out)]
    assert main(args) == 0
    probe = ("import sys; from handoutkit.cli import main; code = main(%r); "
             "print(code, 'weasyprint' in sys.modules)" % args)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip().endswith("0 False"), result.stdout + result.stderr
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
    (tmp_path / "out/en/easy/.kratom.pdf.leftover.tmp").write_bytes(b"half")  # from a kill
    finished = build(options(tmp_path / "out", levels=("easy",), content=edited))
    assert {p.name for p in finished.written} == {"kratom.pdf", "booklet.pdf"}
    assert not list((tmp_path / "out").rglob("*.tmp"))


def test_a_killed_build_leaves_only_whole_pdfs(tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, str(ROOT / "make_handouts.py"), "build", "--lang", "en",
               "--out", str(out), "--jobs", "1"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.rglob("*.pdf"))) < 3:
        time.sleep(0.05)  # wait for a few PDFs (not a time limit on the tool)
    process.send_signal(signal.SIGKILL)
    process.wait()
    for pdf in out.rglob("*.pdf"):
        assert len(PdfReader(pdf).pages) >= 1  # every PDF there is whole
    assert main(command[2:]) == 0
    clean = tmp_path / "clean"
    build(options(clean, langs=("en",)))
    assert pdfs(out) == pdfs(clean)


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
                       (STYLES_DIR,), ("en",))


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
        assert all(future.result().pages == 1 for future in results)
    assert log.read_text().count("warm") == jobs_sent  # the third worker never loaded anything


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


def test_a_changed_logo_under_the_same_name_is_rebuilt(tmp_path):
    """The logo's bytes are an input of every PDF of its clinic (and are in the HTML,
    inline): a new logo under the old name rebuilds them."""
    from test_errors import png

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
