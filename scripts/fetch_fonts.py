"""Fetch the font families that are not in git: `make fonts` (run by `make handouts` and
`make test` at set-up).

Each comes from its npm package at the version pinned in handoutkit/config.py, whose
tarball must have the pinned SHA-256; only the TTF files named there and the font's licence
are kept, in styles/fonts/fetched/<family>/, with SOURCE.txt naming the package. A family
already there from the same tarball is left alone, so a second run needs no network.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handoutkit.config import FETCHED_FONTS_DIR, FONT_FAMILIES, FontFamily  # noqa: E402
from handoutkit.fonts import LICENCE, SOURCE, source_line  # noqa: E402


def main() -> int:
    FETCHED_FONTS_DIR.mkdir(parents=True, exist_ok=True)
    failures = [message for family in FONT_FAMILIES if family.fetched
                if (message := fetch(family))]
    for message in failures:
        print(message, file=sys.stderr)
    return 1 if failures else 0


def fetch(family: FontFamily) -> str | None:
    """Install `family` unless it is there already; None, or what went wrong."""
    if installed(family):
        return None
    spec = f"{family.package}@{family.version}"
    print(f"fetching {spec}", file=sys.stderr)
    with tempfile.TemporaryDirectory(dir=FETCHED_FONTS_DIR) as scratch:
        try:
            tarball = _pack(spec, Path(scratch))
        except (OSError, subprocess.CalledProcessError) as error:
            return f"{spec}: npm could not fetch it ({error}); check the network, then run make fonts again"
        digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
        if digest != family.sha256:
            return (f"{spec}: the tarball's SHA-256 is {digest}, not the pinned {family.sha256}; "
                    "nothing was installed")
        folder = Path(scratch) / family.folder
        try:
            _extract(tarball, family, folder)
        except KeyError as missing:
            return f"{spec}: the package has no {missing}; check the family's faces in handoutkit/config.py"
        # Whole or not at all: the family appears in one rename.
        shutil.rmtree(family.path, ignore_errors=True)
        folder.rename(family.path)
    return None


def installed(family: FontFamily) -> bool:
    """The family's files are there, from the pinned tarball."""
    stamp = family.path / SOURCE
    return (all(path.is_file() for path in family.files) and stamp.is_file()
            and stamp.read_text(encoding="utf-8") == source_line(family))


def _pack(spec: str, folder: Path) -> Path:
    """The package's tarball, as the registry serves it (npm checks its own integrity too)."""
    name = subprocess.run(["npm", "pack", "--silent", "--pack-destination", str(folder), spec],
                          check=True, capture_output=True, text=True).stdout.split()[-1]
    return folder / name


def _extract(tarball: Path, family: FontFamily, folder: Path) -> None:
    folder.mkdir()
    members = {f"package/{face}/{path.name}": path.name for face, path in zip(family.faces, family.files)}
    members["package/LICENSE_FONT"] = LICENCE
    with tarfile.open(tarball) as archive:
        for member, name in members.items():
            source = archive.extractfile(member)  # KeyError if the package lacks it
            if source is None:  # a folder or link by that name
                raise KeyError(member)
            (folder / name).write_bytes(source.read())
    (folder / SOURCE).write_text(source_line(family), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
