"""requirements.lock pins every dependency with hashes: it must agree with pyproject.toml
(each range it allows, every dependency there), and the tests must run on what it pins."""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from handoutkit.config import ROOT

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

LOCK = ROOT / "requirements.lock"
UPGRADE = "run `make lock` (README, \"Dependencies\")"


def pinned() -> dict[str, tuple[str, int]]:
    """Each locked package: its version and how many hashes it has."""
    text = LOCK.read_text(encoding="utf-8")
    found = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        if match := re.match(r"([A-Za-z0-9._-]+)==([^\s\\;]+)", block):
            found[canonicalize_name(match[1])] = (match[2], block.count("--hash=sha256:"))
    return found


def required() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(line) for line in project["dependencies"] + project["optional-dependencies"]["test"]]


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


def test_the_lock_was_made_from_pyproject_with_the_test_extra():
    header = LOCK.read_text(encoding="utf-8").split("\n\n")[0]
    assert "--extra=test" in header and "--generate-hashes" in header and "pyproject.toml" in header


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
