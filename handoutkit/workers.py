"""Rendering PDFs in parallel worker processes.

WeasyPrint renders one document on one core, so a build runs several processes. Each
makes once what it reuses from one document to the next (WeasyPrint itself, the parsed
stylesheet and its fonts: pdf.py). The first worker starts as soon as the build knows
something must be rendered, and warms up while the build reads the content; each other
worker warms up once there is a job for it. Warming them all at once would share the
cores three ways, and the first job, often the longest, would start later.
"""

from __future__ import annotations

import gc
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from multiprocessing.synchronize import Event, Semaphore
from pathlib import Path
from types import TracebackType
from typing import Iterator

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
    with _cycle_collector_paused():
        pdf, pages, fonts = render_pdf(job.html, job.base, job.when, job.allowed)
    if len(job.langs) > 1:
        pdf = tag_languages(pdf, list(job.langs))
    return Result(pdf, pages, fonts)


class Renderer:
    """Runs jobs on `jobs` processes; with one, in this process (simplest to debug)."""

    _turns: Semaphore  # made with the pool, by start()
    _closing: Event

    def __init__(self, jobs: int) -> None:
        self._jobs = jobs
        self._pool: ProcessPoolExecutor | None = None
        self._submitted = 0

    def start(self) -> None:
        """Start the workers now, so that the first warms up while the build prepares its
        jobs. A build with nothing to render never calls this, and starts no process."""
        if self._jobs > 1 and self._pool is None:
            context = multiprocessing.get_context()
            self._turns = context.Semaphore(1)  # workers allowed to warm up: one more per job
            self._closing = context.Event()  # set when no more jobs will come
            self._pool = ProcessPoolExecutor(max_workers=self._jobs, initializer=_warm_up_in_turn,
                                             initargs=(self._turns, self._closing))
            self._pool.submit(int)  # makes the pool start its processes

    def submit(self, job: Job) -> Future[Result]:
        if self._jobs > 1:
            self.start()
            assert self._pool is not None
            self._submitted += 1
            if 1 < self._submitted <= self._jobs:
                self._turns.release()  # a job for one more worker: let it warm up
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
            self._closing.set()  # workers still waiting for their turn need not warm up
            for _ in range(self._jobs):
                self._turns.release()
            self._pool.shutdown(cancel_futures=error is not None)


def _warm_up_in_turn(turns: Semaphore, closing: Event) -> None:
    """Wait for a job, or for the end of the build, then warm up if there is work."""
    turns.acquire()
    if not closing.is_set():
        warm_up()
        gc.freeze()  # what is loaded now lives as long as the worker: no need to scan it again


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """WeasyPrint makes objects by the hundred thousand, and Python's cycle collector
    would scan them again and again as the document grows: a sixth of the render time.
    Reference counting frees most of them as it goes; the collector takes the rest once
    the document is done."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
