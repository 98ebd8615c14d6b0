"""Rendering PDFs in parallel worker processes.

WeasyPrint renders one document on one core, so a build runs several processes. Each
makes once what it reuses from one document to the next (WeasyPrint itself, the parsed
stylesheet and its fonts: pdf.py), as soon as it starts: the workers start as soon as the
build knows something must be rendered, and warm up while it reads the content.
"""

from __future__ import annotations

from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import TracebackType

from .pdf import render_pdf, tag_languages, warm_up


@dataclass(frozen=True)
class Job:
    html: str  # without a link to the stylesheet: the worker applies it, parsed once
    base: Path  # where the HTML would be: its relative addresses resolve from here
    when: date  # the PDF's timestamp
    allowed: tuple[Path, ...]  # folders the renderer may read
    langs: tuple[str, ...]  # two for a bilingual sheet, whose columns get language tags


@dataclass(frozen=True)
class Result:
    pdf: bytes
    pages: int
    fonts: frozenset[str]


def run(job: Job) -> Result:
    """Render one job (in a worker process, or in this one)."""
    pdf, pages, fonts = render_pdf(job.html, job.base, job.when, job.allowed)
    if len(job.langs) > 1:
        pdf = tag_languages(pdf, list(job.langs))
    return Result(pdf, pages, fonts)


class Renderer:
    """Runs jobs on `jobs` processes; with one, in this process (simplest to debug)."""

    def __init__(self, jobs: int) -> None:
        self._jobs = jobs
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Start the workers now, so they warm up while the build prepares their jobs.
        A build with nothing to render never calls this, and starts no process."""
        if self._jobs > 1 and self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self._jobs, initializer=warm_up)
            self._pool.submit(int)  # makes the pool start its processes

    def submit(self, job: Job) -> Future[Result]:
        if self._jobs > 1:
            self.start()
            assert self._pool is not None
            return self._pool.submit(run, job)
        future: Future[Result] = Future()
        try:
            future.set_result(run(job))
        except Exception as error:  # handed to whoever waits for the result, as a pool would
            future.set_exception(error)
        return future

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=error is not None)
