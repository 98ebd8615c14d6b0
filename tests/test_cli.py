"""The command line: exit codes, messages, and what a failed build leaves behind."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from helpers import EXAMPLE

from handoutkit.cli import main
from handoutkit.config import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    # Buffered output, as on most machines (some CI machines set PYTHONUNBUFFERED).
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, str(ROOT / "make_handouts.py"), *args],
                          capture_output=True, text=True, cwd=ROOT, env=env)


def test_bad_level_is_a_usage_error():
    result = run("build", "--level", "hard")
    assert result.returncode == 2
    assert "invalid choice: 'hard'" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_language_is_a_usage_error():
    result = run("check", "--lang", "xx")
    assert result.returncode == 2
    assert "unknown language 'xx'; available: en" in result.stderr  # and the others


@pytest.mark.pdf
def test_the_program_leaves_quickly_with_all_its_output_and_exit_code(content, tmp_path):
    """make_handouts.py skips Python's teardown: nothing it says may be lost on the way."""
    args = ["build", "--content", str(content), "--level", "easy", "--topic", "kratom",
            "--out", str(tmp_path)]
    result = run(*args)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"built .+kratom\.pdf\nBuilt 1, skipped 0 \(unchanged\), failed 0 in .+ "
                        r"\(\d+\.\d s\)\n", result.stdout), result.stdout
    (content / "en/kratom.yaml").write_text("title: [")
    result = run(*args)
    assert result.returncode == 1
    assert result.stderr.rstrip().endswith("No 'en' PDF was written; earlier ones are unchanged.")


@pytest.mark.pdf
def test_build_one_handout_with_html(tmp_path, capsys):
    assert main(["build", "--lang", "en", "--level", "easy", "--topic", "withdrawal", "--paper", "a4",
                 "--html", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in (tmp_path / "en/easy").iterdir()) == \
        ["withdrawal.html", "withdrawal.pdf"]
    assert "Built 1, skipped 0 (unchanged), failed 0" in capsys.readouterr().out


@pytest.mark.pdf
def test_failed_build_keeps_previous_pdfs(content, tmp_path, capsys):
    out = tmp_path / "out"
    args = ["build", "--content", str(content), "--level", "easy", "--topic", "kratom",
            "--out", str(out)]
    assert main(args) == 0
    good = (out / "en/easy/kratom.pdf").read_bytes()
    file = content / "en/kratom.yaml"
    file.write_text(file.read_text().replace("last_reviewed:", "last_reviewd:"))
    assert main(args) == 1
    error = capsys.readouterr().err
    assert "kratom.yaml:" in error and "unknown key 'last_reviewd'" in error
    assert "No 'en' PDF was written; earlier ones are unchanged." in error
    assert "Traceback" not in error
    assert (out / "en/easy/kratom.pdf").read_bytes() == good
    assert [p.name for p in (out / "en/easy").iterdir()] == ["kratom.pdf"]  # no leftovers


@pytest.mark.pdf
def test_over_page_budget_is_an_error_naming_the_handout(content, tmp_path, capsys):
    file = content / "en/withdrawal.yaml"
    text = file.read_text()
    filler = "".join(f"    rest-{n}:\n      easy: \"Rest and drink water, step {n}.\"\n" for n in range(60))
    items = text.index("  items:\n", text.index("steps:")) + len("  items:\n")
    file.write_text(text[:items] + filler + text[items:])
    code = main(["build", "--content", str(content), "--level", "easy", "--topic", "withdrawal",
                 "--out", str(tmp_path)])
    assert code == 1
    assert "en/easy/withdrawal.pdf:" in capsys.readouterr().err
    assert not (tmp_path / "en").exists()


def test_messages_never_pass_terminal_controls_through(tmp_path, capsys):
    """A folder name, key or text with an escape sequence or a direction override is
    printed as codes: a file cannot recolour, retitle or reorder the user's terminal."""
    import shutil

    from handoutkit.config import CONTENT_DIR

    content = tmp_path / "handouts"
    shutil.copytree(CONTENT_DIR / "en", content / "en")
    hostile = content / "x\x1b[31mRED\x1b]0;pwned\x07"
    hostile.mkdir()
    (hostile / "interface.yaml").write_text("title: x\n")
    assert main(["status", "--content", str(content)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "x\\x1b[31mRED" in err
    shutil.rmtree(hostile)
    kratom = content / "en/kratom.yaml"
    kratom.write_text(kratom.read_text() + "\u202eevil: 1\n")
    assert main(["check", "--content", str(content)]) == 1
    err = capsys.readouterr().err
    assert "\u202e" not in err and "\\u202eevil" in err


@pytest.mark.pdf
def test_a_link_to_a_profile_names_the_folder_by_its_own_name(tmp_path, capsys):
    """Two clinics sharing a profile through links get a folder each; the logo is found
    beside the profile the link opens."""
    for name in ("north", "south"):
        (tmp_path / f"{name}.yaml").symlink_to(EXAMPLE)
    out = tmp_path / "out"
    args = ["build", "--lang", "en", "--level", "easy", "--topic", "kratom", "--out", str(out)]
    clinics = ["--clinic", str(tmp_path / "north.yaml"), "--clinic", str(tmp_path / "south.yaml")]
    assert main([*args, *clinics]) == 0
    built = sorted(path.relative_to(out).as_posix() for path in out.rglob("*.pdf"))
    assert built == ["north/en/easy/kratom.pdf", "south/en/easy/kratom.pdf"]
