"""requirements.lock pins every dependency with hashes: it must agree with pyproject.toml
(each range it allows, every dependency there), and the tests must run on what it pins."""

from __future__ import annotations

import importlib
import re
import sys
import tomllib
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import cffi
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from handoutkit import engine
from handoutkit.config import CODE_DIR, ROOT
from handoutkit.targets import assets

LOCK = ROOT / "requirements.lock"
UPGRADE = "run `make lock` (README, \"Dependencies\")"
PROJECT = "pyproject.toml"


def blocks() -> dict[str, str]:
    """Each locked package's lines (its pin, hashes and "# via"), by its name."""
    text = LOCK.read_text(encoding="utf-8")
    return {canonicalize_name(match[1]): block for block in re.split(r"\n(?=[A-Za-z0-9])", text)
            if (match := re.match(r"([A-Za-z0-9._-]+)==", block))}


def pinned() -> dict[str, tuple[str, int]]:
    """Each locked package: its version and how many hashes it has."""
    return {name: (re.match(r"[^=]+==([^\s\\;]+)", block)[1], block.count("--hash=sha256:"))
            for name, block in blocks().items()}


def wanted_by(block: str) -> set[str]:
    """What a locked package is there for, from pip-compile's "# via" lines: other packages'
    names, or PROJECT (a dependency pyproject.toml names)."""
    via = re.findall(r"#\s+(?:via\s+)?([A-Za-z0-9._-]+(?: \(pyproject\.toml\))?)\s*$", block, re.M)
    return {PROJECT if name.endswith("(pyproject.toml)") else canonicalize_name(name) for name in via}


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def required() -> list[Requirement]:
    lines = project()["dependencies"] + project()["optional-dependencies"]["test"]
    return [Requirement(line) for line in lines]


def test_every_dependency_is_pinned_with_hashes_within_its_range():
    pins = pinned()
    problems = []
    for requirement in required():
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{requirement} is not in requirements.lock; {UPGRADE}")
        elif not requirement.specifier.contains(pins[name][0], prereleases=True):
            problems.append(f"requirements.lock pins {name}=={pins[name][0]}, outside {requirement}; "
                            f"{UPGRADE}")
    problems += [f"{name} has no hash in requirements.lock; {UPGRADE}"
                 for name, (_, hashes) in pins.items() if not hashes]
    assert not problems, "\n".join(problems)


def test_nothing_is_pinned_that_no_dependency_needs():
    """A dependency taken out of pyproject.toml, and what only it needed, leave the lock."""
    direct = {canonicalize_name(requirement.name) for requirement in required()}
    pins = blocks()
    stale = [name for name, block in pins.items()
             if not any(need == PROJECT and name in direct or need in pins for need in wanted_by(block))]
    assert not stale, f"requirements.lock pins {', '.join(stale)}, which nothing needs; {UPGRADE}"


def test_the_lock_was_made_from_pyproject_with_the_test_extra_on_the_oldest_python_it_allows():
    header = LOCK.read_text(encoding="utf-8").split("\n\n")[0]
    assert "--extra=test" in header and "--generate-hashes" in header and "pyproject.toml" in header
    oldest = re.fullmatch(r">=(3\.\d+)", project()["requires-python"])[1]
    assert f"pip-compile with Python {oldest}\n" in header  # its pins install on that Python


def test_the_tests_run_on_the_locked_versions():
    """What make installed is what the lock pins: layout and page budgets were checked on it."""
    wrong = []
    for name, (pin, _) in pinned().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            wrong.append(f"{name}: not installed (the lock pins {pin})")
            continue
        if installed != pin:
            wrong.append(f"{name}: {installed} installed, the lock pins {pin}")
    assert not wrong, "run `make test` (it installs from requirements.lock):\n" + "\n".join(wrong)


# ---- The versions a build counts among each PDF's inputs (handoutkit/engine.py) ----

def test_the_build_reads_the_locked_versions_as_installed():
    """Read from the distributions' folder names (fast), they are what importlib.metadata
    finds (slow) and what the lock pins; and the tool's own code counts too."""
    read = dict(part.split(" ", 1) for part in engine.versions().split("; "))
    for project in engine.LIBRARIES:
        assert read[project] == version(project) == pinned()[project][0], project
    assert {CODE_DIR / "pdf.py", CODE_DIR / "tagging.py", CODE_DIR / "render.py"} <= set(assets())


def test_the_build_reads_the_system_libraries_weasyprint_lays_text_out_with():
    """The same Pango and HarfBuzz that WeasyPrint loads, and HarfBuzz-Subset there exactly
    when WeasyPrint finds it (it then subsets fonts with it, and the bytes differ)."""
    from weasyprint.text import ffi

    read = dict(part.split(" ", 1) for part in engine.versions().split("; "))
    pango = ffi.pango.pango_version()  # 1.50.12 is 15012
    assert read["pango"] == f"{pango // 10000}.{pango // 100 % 100}.{pango % 100}"
    major, minor, micro = (int(part) for part in read["harfbuzz"].split("."))
    assert ffi.harfbuzz.hb_version_atleast(major, minor, micro)
    assert not ffi.harfbuzz.hb_version_atleast(major, minor, micro + 1)
    assert read["harfbuzz-subset"] == ("absent" if ffi.harfbuzz_subset is None else "present")
    # fontconfig's and FriBidi's, as cffi (WeasyPrint's loader) reads them from Pango's.
    own = cffi.FFI()
    own.cdef("int FcGetVersion(void); extern const char *fribidi_version_info;")
    fontconfig = own.dlopen(engine.SYSTEM_LIBRARIES["fontconfig"][0][0])
    fribidi = own.dlopen(engine.SYSTEM_LIBRARIES["fribidi"][0][0])
    assert read["fontconfig"] == str(fontconfig.FcGetVersion())
    assert f") {read['fribidi']}\n" in own.string(fribidi.fribidi_version_info).decode()


def test_a_system_library_that_is_missing_or_unlike_itself_is_said_so(monkeypatch):
    """Not a crash: a library none of whose names loads is absent; one that loads without
    the function that tells its version is unknown."""
    libc = ("libc.so.6", "libc.dylib")
    monkeypatch.setattr(engine, "SYSTEM_LIBRARIES", {
        "gone": (("libno-such-library.so.0", "libno-such-library.dylib"), lambda library: "1"),
        "other": (libc, lambda library: engine._string(library.no_such_call)),
        "silent": (libc, lambda library: ""),
        "odd": (libc, lambda library: "".split()[2]),
        "there": (libc, engine.SYSTEM_LIBRARIES["harfbuzz-subset"][1]),
    })
    assert "; gone absent; other unknown; silent unknown; odd unknown; there present; " in engine.versions()


def test_an_upgraded_system_library_is_read_in_the_same_process(monkeypatch):
    """(And a change of what versions() reads renders every PDF again:
    tests/test_incremental.py.)"""
    before = engine.versions()
    names, ask = engine.SYSTEM_LIBRARIES["pango"]
    monkeypatch.setitem(engine.SYSTEM_LIBRARIES, "pango", (names, lambda library: ask(library) + ".1"))
    assert engine.versions() == before.replace("; harfbuzz ", ".1; harfbuzz ", 1) != before


def fake_library(monkeypatch, folder: Path, *dist_infos: Path) -> None:
    """A package `fakelib` importable from `folder`, with these dist-info folders, as the
    only library the build counts."""
    (folder / "fakelib").mkdir(parents=True)
    (folder / "fakelib" / "__init__.py").write_text("")
    for dist_info in dist_infos:
        dist_info.mkdir(parents=True)
        version = dist_info.name.removesuffix(".dist-info").rpartition("-")[2]
        (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: fakelib\nVersion: {version}\n")
    monkeypatch.setattr(sys, "path", [str(folder), *sys.path])
    monkeypatch.setattr(engine, "LIBRARIES", {"fakelib": "fakelib"})
    importlib.invalidate_caches()


def test_a_stale_copy_cannot_hide_an_upgrade(tmp_path, monkeypatch):
    """pip can leave an old copy's folder beside the new one: both versions count, in
    order, so the hash changes when either does."""
    site = tmp_path / "site"
    fake_library(monkeypatch, site, site / "fakelib-1.0.dist-info", site / "FakeLib-2.0.dist-info")
    assert engine.versions().endswith("; fakelib 1.0,2.0")
    (site / "FakeLib-2.0.dist-info").rename(site / "FakeLib-3.0.dist-info")
    assert engine.versions().endswith("; fakelib 1.0,3.0")  # in the same process too


def test_a_library_is_read_where_it_is_imported_from(tmp_path, monkeypatch):
    """Not from a folder later on the path that holds another copy's metadata."""
    site, later = tmp_path / "site", tmp_path / "later"
    fake_library(monkeypatch, site, site / "fakelib-1.0.dist-info", later / "fakelib-9.0.dist-info")
    monkeypatch.setattr(sys, "path", [*sys.path, str(later)])
    assert engine.versions().endswith("; fakelib 1.0")


def test_a_library_without_metadata_beside_it_is_asked_of_importlib(tmp_path, monkeypatch):
    """A source tree, an egg, a zip: importlib.metadata finds what it can."""
    site, later = tmp_path / "site", tmp_path / "later"
    fake_library(monkeypatch, site, later / "fakelib-7.0.dist-info")
    monkeypatch.setattr(sys, "path", [*sys.path, str(later)])
    assert engine.versions().endswith("; fakelib 7.0")

    zipped = tmp_path / "fakelib.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("fakelib/__init__.py", "")
    monkeypatch.setattr(sys, "path", [str(zipped), *sys.path[1:]])
    importlib.invalidate_caches()
    assert engine.versions().endswith("; fakelib 7.0")


def test_only_the_tools_own_modules_count_as_its_code(tmp_path, monkeypatch):
    """Not an editor's lock file (Emacs links `.#build.py` to nowhere as a buffer is
    changed), nor another hidden file (macOS writes `._build.py` on some disks)."""
    (tmp_path / "pdf.py").write_text("")
    (tmp_path / "._build.py").write_text("")
    (tmp_path / ".#build.py").symlink_to("root@host.12345:1764600000")
    monkeypatch.setattr("handoutkit.targets.CODE_DIR", tmp_path)
    assert [path for path in assets() if path.parent == tmp_path] == [tmp_path / "pdf.py"]
