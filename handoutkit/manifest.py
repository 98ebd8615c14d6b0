"""The manifest: what each PDF in an output folder was made from.

For each PDF it keeps a hash of its inputs (files, options, the tool's code and the
versions of what draws it), a hash of what was rendered (the HTML, the files it uses and
those versions), and a hash of the PDF itself. A build skips a PDF whose inputs are
unchanged; when inputs changed but the HTML came out the same (an edit elsewhere in a file
it shares), it skips the rendering too.

A build of one part (--shard K/N) writes the entries of its own PDFs to a manifest of its
own, .handouts-manifest.K-of-N.json, so that the parts' output folders can be copied into
one; every build reads them all, and a whole build merges them into the one manifest.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .files import read_regular, write_atomic

FILE = ".handouts-manifest.json"
PART_FILES = ".handouts-manifest.*-of-*.json"  # one per part of a build split in parts
# Far beyond what a build writes (a manifest line per PDF; a booklet is under 2 MB): a
# larger file, a pipe or a device in their place is read as "not built", never waited on.
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_PDF_BYTES = 256 * 1024 * 1024
MAX_NAME, MAX_KEY = 255, 1024  # bytes in a file name (Linux, macOS); characters in an entry's path


@dataclass(frozen=True)
class Entry:
    inputs: str
    render: str
    pdf: str


@dataclass
class Manifest:
    folder: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    part: tuple[int, int] | None = None  # (K, N) for a build of part K of N
    owned: set[str] = field(default_factory=set)  # a part's own PDFs: what its file lists
    released: set[str] = field(default_factory=set)  # what it listed before, of units not its own
    parts: set[str] = field(default_factory=set)  # what the other parts' files here list

    @classmethod
    def load(cls, folder: Path, part: tuple[int, int] | None = None) -> Manifest:
        """The folder's manifest, with those of the parts built into it (newest last).
        One that is missing, unreadable or damaged (cut short, edited by hand) is no
        reason to stop: what it cannot vouch for is built again."""
        manifest = cls(folder, part=part)
        parts = sorted(folder.glob(PART_FILES), key=lambda path: path.lstat().st_mtime_ns)
        for file in [folder / FILE, *parts]:
            entries = _read(file)
            manifest.entries.update(entries)
            if file == manifest.file and part is not None:
                manifest.owned.update(entries)  # an earlier build of this part, into this folder
            elif file != folder / FILE:
                manifest.parts.update(entries)
        return manifest

    def own(self, paths: list[Path], mine: tuple[str, ...]) -> None:
        """The PDFs a part is made of: these, and those it built before under the folders of
        its units (`mine`: "example/es/", "en+es/"), another build of it with other topics,
        say. What it built before of units no longer its own, it lists no more."""
        earlier = self.owned
        self.owned = {self.key(path) for path in paths} | {key for key in earlier if key.startswith(mine)}
        self.released = earlier - self.owned

    def key(self, path: Path) -> str:
        return path.relative_to(self.folder).as_posix()

    @property
    def file(self) -> Path:
        if self.part is None:
            return self.folder / FILE
        return self.folder / FILE.replace(".json", ".{}-of-{}.json".format(*self.part))

    def folders(self) -> set[Path]:
        """The folders holding the PDFs listed here."""
        return {(self.folder / key).parent for key in self.entries}

    def current(self, path: Path, inputs: str, html: bool) -> bool:
        """True when `path` was made from these inputs and is still as it was written."""
        entry = self.entries.get(self.key(path))
        return (entry is not None and entry.inputs == inputs and _intact(path, entry)
                and (not html or path.with_suffix(".html").is_file()))

    def rendered_same(self, path: Path, render: str) -> bool:
        """True when `path` was rendered from exactly this and is still as it was written."""
        entry = self.entries.get(self.key(path))
        return entry is not None and entry.render == render and _intact(path, entry)

    def record(self, path: Path, inputs: str, render: str, pdf: bytes) -> None:
        self.entries[self.key(path)] = Entry(inputs, render, digest(pdf))

    def refresh(self, path: Path, inputs: str) -> None:
        """The same PDF stands for new inputs (they changed, the rendering did not)."""
        entry = self.entries[self.key(path)]
        self.entries[self.key(path)] = Entry(inputs, entry.render, entry.pdf)

    def save(self) -> None:
        """Write the manifest; a whole build's holds every part's, whose files go."""
        self.folder.mkdir(parents=True, exist_ok=True)
        # An entry whose PDF is gone vouches for nothing: dropping it keeps a manifest (or a
        # hostile part's, merged into it) from carrying dead entries for ever.
        entries = {key: entry for key, entry in self.entries.items()
                   if (self.part is None or key in self.owned) and (self.folder / key).is_file()}
        text = json.dumps({key: vars(entry) for key, entry in sorted(entries.items())}, indent=1)
        write_atomic(self.file, text, durable=False)
        if self.part is None:
            for merged in self.folder.glob(PART_FILES):
                if merged.is_file() or merged.is_symlink():
                    merged.unlink(missing_ok=True)


def _read(file: Path) -> dict[str, Entry]:
    text = read_regular(file, MAX_MANIFEST_BYTES)
    try:
        data = json.loads(text) if text is not None else None
    except (ValueError, RecursionError):
        data = None
    entries = data.items() if isinstance(data, dict) else []
    return {key: Entry(**value) for key, value in entries if _valid(key, value)}


def digest(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _valid(key: str, value: object) -> bool:
    """An entry as save() writes it: a PDF inside the folder, named as a file system can
    name it (a longer name would make looking it up fail), and three hashes."""
    path = PurePosixPath(key)
    return (path.suffix == ".pdf" and not path.is_absolute() and ".." not in path.parts
            and len(key) <= MAX_KEY and all(len(part.encode("utf-8", "surrogatepass")) <= MAX_NAME
                                            for part in path.parts)
            and isinstance(value, dict) and sorted(value) == ["inputs", "pdf", "render"]
            and all(isinstance(text, str) for text in value.values()))


def _intact(path: Path, entry: Entry) -> bool:
    data = read_regular(path, MAX_PDF_BYTES)
    return data is not None and digest(data) == entry.pdf
