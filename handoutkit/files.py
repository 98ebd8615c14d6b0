"""Writing files safely: whole or not at all, with ordinary permissions.

Kept apart from the YAML and PDF code so that a build with nothing to do, which writes its
manifest, imports nothing heavy.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: str | bytes, durable: bool = True) -> None:
    """Write a file whole or not at all: a temporary file beside it, then renamed over it,
    so readers never see half a file and a stopped run leaves the old one. `durable` flushes
    it to disk first (files people edit; a PDF can be built again). It gets the usual
    permissions (the umask's), not a temporary file's 0600."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data.encode("utf-8") if isinstance(data, str) else data)
            if durable:
                file.flush()
                os.fsync(file.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
