"""One build at a time per output folder.

The lock is an flock on a descriptor that only the build's main process holds: worker
processes close their inherited copy as they start (workers.py), so a build killed on its
own never leaves the folder locked by orphans, and the kernel drops the lock the moment
its holder dies. The lock file holds the holder's process id, for the message.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import ContentError

LOCK_FILE = ".handouts.lock"


class BuildBusy(Exception):
    """Another build is writing to the same output folder."""


@contextmanager
def locked(out: Path) -> Iterator[int]:
    """Hold the output folder's lock; yields its descriptor (for the workers to close)."""
    out.mkdir(parents=True, exist_ok=True)
    descriptor = _open(out / LOCK_FILE)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(descriptor)
            who = f"another build (process {holder})" if holder else "another build"
            raise BuildBusy(f"{who} is writing to {out}; wait for it to finish, "
                            "or use another --out folder") from None
        _write_holder(descriptor)
        yield descriptor
    finally:
        os.close(descriptor)


def _open(path: Path) -> int:
    """Open the lock file without following a symbolic link planted in its place and
    without truncating anything: the file the name leads to is never harmed."""
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
    try:
        descriptor = os.open(path, flags, 0o666)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ContentError(f"{path} is a symbolic link; the build's lock file must be a plain "
                               "file: delete the link and build again") from None
        if error.errno == errno.EISDIR:
            raise ContentError(f"{path} is not a regular file; delete it and build again") from None
        raise
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise ContentError(f"{path} is not a regular file; delete it and build again")
    return descriptor


def _write_holder(descriptor: int) -> None:
    """Record this process as the holder, unless the file has other names (hard links):
    then another file's contents would change, and the message only loses the number."""
    if os.fstat(descriptor).st_nlink == 1:
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)


def _holder(descriptor: int) -> int | None:
    text = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None
