"""The build pipeline: targets -> manifest -> (making.py: load -> validate -> measure ->
render -> check) -> write.

A unit (one language for one clinic, or one bilingual pair) is written whole or not at
all: its PDFs replace the earlier ones only when every one of them rendered and passed
its checks. Units are independent: one with problems is reported, the others are built.

This module is the cheap half: the lock, the manifest, each PDF's fingerprint, and the
skipping of what is unchanged, without reading any content. The expensive half, making
what is out of date, is making.py, imported only when there is something to make.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from . import __version__
from .engine import versions
from .errors import ContentError, display_path
from .files import read_regular, remove_leftovers
from .lock import locked
from .manifest import Manifest, digest
from .options import Options
from .report import SKIPPED, Progress, Report
from .targets import ClinicFiles, Target, assets, remove_preview, shard, targets, unit_folders

MAX_READ_BYTES = 64 * 1024 * 1024  # far over any font or content file: larger ones are not hashed


@dataclass
class Unit:
    """A unit of one clinic (or none): its targets with the hash of what each is made from,
    and those out of date."""

    name: str  # "es", "en+es"; "example/es" for a clinic's
    clinic: ClinicFiles | None
    targets: list[Target]
    inputs: dict[Target, str]
    stale: list[Target]


def build(options: Options, progress: Progress | None = None) -> Report:
    """Make every requested PDF of every language and clinic that has no problems."""
    started, report, progress = time.perf_counter(), Report(), progress or Progress()
    with locked(options.out) as lock:
        manifest = Manifest.load(options.out, options.shard)
        mine = shard(options, *options.shard) if options.shard else None
        clinics = list(_clinics(options, mine, report))
        if mine is not None:
            paths = [target.path for _, units in clinics for unit in units.values() for target in unit]
            manifest.own(paths, unit_folders(mine))
            report.warnings += _moved(options, manifest)
        remove_leftovers(_folders(options.out, clinics, manifest), options.out)
        fingerprints = _Fingerprints(options)
        units = [_unit(clinic, name, targets, options, manifest, fingerprints)
                 for clinic, found in clinics for name, targets in found.items()]
        progress.start(sum(len(unit.targets) for unit in units))
        for unit in units:
            _skip(unit, options, report, progress)
        if stale := sum(len(unit.stale) for unit in units):
            _make(options, units, manifest, fingerprints.assets, _workers(options.jobs, stale), lock,
                  report, progress)
        _save(manifest, report)
    report.seconds = time.perf_counter() - started
    return report


def _make(options: Options, units: list[Unit], manifest: Manifest, assets: str, jobs: int, lock: int,
          report: Report, progress: Progress) -> None:
    """Make what is out of date (making.py). The first worker starts first, to warm up (load
    WeasyPrint) while this process imports the rest and reads the content."""
    from .workers import Renderer

    with Renderer(jobs, private=(lock,)) as renderer:
        renderer.start()
        from .making import make  # the content schema and Jinja2 come with it

        make(options, units, manifest, assets, renderer, report, progress)


def _workers(jobs: int, pdfs: int) -> int:
    """Processes worth starting: no more than PDFs to render (the command line has already
    kept --jobs within the CPUs)."""
    return max(1, min(jobs, pdfs))


def _save(manifest: Manifest, report: Report) -> None:
    """Save the manifest; if it cannot be, say why in the report (the PDFs are written all
    the same, and the next build makes them again)."""
    try:
        manifest.save()
    except OSError as error:
        report.unsaved = (f"cannot write {display_path(manifest.file)}: {error.strerror}; the PDFs "
                          "are written, but the next build will make them all again")


def _folders(out: Path, clinics: list[tuple[ClinicFiles | None, dict[str, list[Target]]]],
             manifest: Manifest) -> set[Path]:
    """The folders this build or an earlier one writes PDFs to: the only ones it cleans."""
    paths = [target.path for _, units in clinics for unit in units.values() for target in unit]
    return {out, *(path.parent for path in paths), *manifest.folders()}


def _moved(options: Options, manifest: Manifest) -> list[str]:
    """A warning if this part built, into this folder, PDFs of units another part now
    builds (the parts change with the clinics and languages): copied into the merged folder,
    they could stand for the other part's newer ones. They are left alone: deleting them
    would be wrong where the parts share one folder (there, the other part lists them)."""
    assert options.shard is not None
    part, parts = options.shard
    others = unit_folders(set().union(*(shard(options, other, parts) for other in range(1, parts + 1)
                                        if other != part)))
    held = sorted({folder for folder in others for key in manifest.released - manifest.parts
                   if key.startswith(folder) and (manifest.folder / key).is_file()})
    if not held:
        return []
    return [f"{display_path(options.out)} holds PDFs that another part now builds, in "
            f"{', '.join(held)}: empty this folder and build the part again before copying the "
            "parts together, or build again in the merged folder (it makes again every PDF that "
            "is not what its part's manifest says)"]


def _clinics(options: Options, mine: set[tuple[str, str]] | None,
             report: Report) -> Iterator[tuple[ClinicFiles | None, dict[str, list[Target]]]]:
    """Each clinic (or none) with the units it builds: all of them, or those of its part.
    A profile is not read here: only what it is made from (making.py loads it, if stale)."""

    def wanted(clinic: str, units: dict[str, list[Target]]) -> dict[str, list[Target]]:
        return {name: unit for name, unit in units.items() if mine is None or (clinic, name) in mine}

    if not options.clinics:
        yield None, wanted("", targets(options, None))
        return
    folders: dict[str, Path] = {}
    for file in options.clinics:
        if mine is not None and not any(clinic == file.stem for clinic, _ in mine):
            continue  # another part's: not even read
        if folders.setdefault(file.stem, file) != file:
            # The command line refuses this; a caller of build() gets it per profile.
            report.failures[str(file)] = ContentError(
                f"{file}: its handouts would go to the folder '{file.stem}/' of {folders[file.stem]}; "
                "give the profiles different file names")
            continue
        clinic = ClinicFiles.of(file)
        yield clinic, wanted(clinic.id, targets(options, clinic))


def _unit(clinic: ClinicFiles | None, name: str, unit: list[Target], options: Options, manifest: Manifest,
          fingerprints: _Fingerprints) -> Unit:
    inputs = {target: fingerprints.inputs(target) for target in unit}
    stale = [t for t in unit if options.force or not manifest.current(t.path, inputs[t], options.html)]
    return Unit(f"{clinic.id}/{name}" if clinic else name, clinic, unit, inputs, stale)


def _skip(unit: Unit, options: Options, report: Report, progress: Progress) -> None:
    """The unit's PDFs that are as their inputs would make them: left as they are."""
    for target in unit.targets:
        if target not in unit.stale:
            remove_preview(target.path, options.out)
            report.skipped.append(target.path)
            progress.step(target.name, SKIPPED)


# ---- What each PDF is made from ----

class _Fingerprints:
    """Hashes of what PDFs are made from, each file read once per build."""

    def __init__(self, options: Options) -> None:
        self._files: dict[Path, str] = {}
        self._options = repr((__version__, options.paper, options.large_print,
                              options.allow_incomplete, options.topics))
        self.assets = digest("".join(self._file(path) for path in assets()) + versions())

    def inputs(self, target: Target) -> str:
        parts = [self._options, self.assets, target.kind, repr(target.langs), repr(target.level),
                 repr(target.topic), repr(target.logo_place), *(self._file(path) for path in target.sources)]
        return digest("\n".join(parts))

    def _file(self, path: Path) -> str:
        if path not in self._files:
            # A pipe, device or huge file is not read here; loading it says what is wrong.
            data = read_regular(path, MAX_READ_BYTES)
            self._files[path] = digest(data) if data is not None else "unreadable"
        return self._files[path]
