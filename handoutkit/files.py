"""Writing files safely: whole or not at all, with ordinary permissions.

Kept apart from the YAML and PDF code so that a build with nothing to do, which writes its
manifest, imports nothing heavy.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

# Every temporary file the tool makes is named `.<name>.<8 random characters>.handoutkit.tmp`,
# beside the file it becomes. A clean-up removes only names of exactly that shape.
TEMP_SUFFIX = ".handoutkit.tmp"
TEMP_NAME = re.compile(r"\..+\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX))


class NoSpace(OSError):
    """Not enough free space for the files about to be written."""


def write_atomic(path: Path, data: str | bytes, durable: bool = True) -> None:
    """Write a file whole or not at all: a temporary file beside it, then renamed over it,
    so readers never see half a file and a stopped run leaves the old one. `durable` flushes
    it to disk first (files people edit; a PDF can be built again)."""
    os.replace(stage(path, data, durable), path)


def write_all(files: list[tuple[Path, bytes]]) -> None:
    """Write several files all or none: each is staged beside its place first, and only
    when every one is staged are they renamed into place (a rename needs no free space).
    On any failure, no file is replaced and no temporary file is left."""
    ensure_space(files)
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            staged.append((stage(path, data, durable=False), path))
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, path in staged:
        os.replace(temporary, path)


def ensure_space(files: list[tuple[Path, bytes]]) -> None:
    """Refuse, before writing anything, files that would not fit on their disk."""
    if not files:
        return
    folder = files[0][0].parent
    while not folder.exists():
        folder = folder.parent
    needed = sum(len(data) for _, data in files)
    free = shutil.disk_usage(folder).free
    if needed > free:
        raise NoSpace(f"not enough free space in {folder}: the new files need "
                      f"{_megabytes(needed)}, and {_megabytes(free)} is free")


def stage(path: Path, data: str | bytes, durable: bool) -> Path:
    """`data` in a temporary file beside `path`, with the permissions `path` should have:
    the umask's (0644 under umask 022), not a temporary file's 0600."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data.encode("utf-8") if isinstance(data, str) else data)
            if durable:
                file.flush()
                os.fsync(file.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def remove_leftovers(folders: set[Path]) -> None:
    """Temporary files a killed run left in `folders` (not below them): only names the
    tool makes, so nobody else's files are touched."""
    for folder in folders:
        for path in folder.glob(f".*{TEMP_SUFFIX}") if folder.is_dir() else []:
            if TEMP_NAME.fullmatch(path.name) and path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size // 1000} KB"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
