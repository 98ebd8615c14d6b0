"""Writing files safely: whole or not at all, with ordinary permissions.

Kept apart from the YAML and PDF code so that a build with nothing to do, which writes its
manifest, imports nothing heavy.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

# Every temporary file the tool makes is named `.<name>.<8 random characters>.handoutkit.tmp`,
# beside the file it becomes. A clean-up removes only names of exactly that shape.
TEMP_SUFFIX = ".handoutkit.tmp"
TEMP_NAME = re.compile(r"\..+\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX))


class NoSpace(OSError):
    """Not enough free space for the files about to be written."""


class Outside(OSError):
    """A folder to write in leads, through a symbolic link, out of the output folder."""


def write_atomic(path: Path, data: str | bytes, durable: bool = True) -> None:
    """Write a file whole or not at all: a temporary file beside it, then renamed over it,
    so readers never see half a file and a stopped run leaves the old one. `durable` flushes
    it to disk first (files people edit; a PDF can be built again)."""
    temporary = stage(path, data, durable)
    try:
        os.replace(temporary, path)
    except BaseException:  # the place is a folder, say: no temporary file is left behind
        temporary.unlink(missing_ok=True)
        raise


class NotRegular(OSError):
    """A folder, device, pipe or socket where a file was expected."""


class TooLarge(OSError):
    """A file over the size allowed for it."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.size = size


def read_bounded(path: Path, limit: int) -> bytes:
    """A regular file's bytes, at most `limit` of them. Opened without waiting and checked
    by type and size before anything is read, so a pipe, a device or a huge sparse file
    never hangs the tool or fills its memory; never more than `limit` + 1 bytes are read
    (the file may grow meanwhile). Raises NotRegular, TooLarge, or the OSError of opening
    or reading."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(f"{path} is not a regular file")
        if info.st_size > limit:
            raise TooLarge(info.st_size)
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            data = file.read(limit + 1)
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise TooLarge(len(data))
    return data


def read_regular(path: Path, limit: int) -> bytes | None:
    """A file's bytes, or None when it is missing, unreadable, not a regular file or larger
    than `limit` (see read_bounded)."""
    try:
        return read_bounded(path, limit)
    except OSError:
        return None


def write_all(files: list[tuple[Path, bytes]], within: Path) -> None:
    """Write several files, all in the folder `within`, all or none: each is staged beside
    its place first, and only when every one is staged are they renamed into place (a
    rename needs no free space). On any failure, no file is replaced and no temporary file
    is left. A folder that leads out of `within` through a link is refused."""
    ensure_space(files)
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            if not inside(_existing(path.parent), within):  # checked before making folders
                raise Outside(f"{path.parent} leads out of {within} through a symbolic link; "
                              "remove the link")
            path.parent.mkdir(parents=True, exist_ok=True)
            staged.append((stage(path, data, durable=False), path))
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    try:
        for temporary, path in staged:
            os.replace(temporary, path)
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise


def ensure_space(files: list[tuple[Path, bytes]]) -> None:
    """Refuse, before writing anything, files that would not fit on their disk."""
    if not files:
        return
    folder = _existing(files[0][0].parent)
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


def inside(folder: Path, within: Path) -> bool:
    """Whether `folder` really is in `within`, once links are followed."""
    return folder.resolve().is_relative_to(within.resolve())


def remove_leftovers(folders: set[Path], within: Path) -> None:
    """Temporary files a killed run left in `folders` (not below them, nor out of
    `within`): only names the tool makes, so nobody else's files are touched."""
    for folder in folders:
        if not folder.is_dir() or not inside(folder, within):
            continue
        for path in folder.glob(f".*{TEMP_SUFFIX}"):
            if TEMP_NAME.fullmatch(path.name) and path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)


def _existing(folder: Path) -> Path:
    """`folder`, or its nearest parent that exists."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size // 1000} KB"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
