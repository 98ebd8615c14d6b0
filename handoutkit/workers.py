"""Rendering PDFs in parallel worker processes.

WeasyPrint renders one document on one core, so a build runs several processes. Each
makes once what it reuses from one document to the next (WeasyPrint itself, the parsed
stylesheet and its fonts: pdf.py). The first worker starts as soon as the build knows
something must be rendered, and warms up while the build reads the content; each other
worker warms up once there is a job for it. Warming them all at once would share the
cores three ways, and the first job, often the longest, would start later.
"""

from __future__ import annotations

import ctypes
import gc
import heapq
import multiprocessing
import os
import resource
import signal
import sys
import threading
import time
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from multiprocessing.synchronize import Event, Semaphore
from pathlib import Path
from types import TracebackType
from typing import Iterator

from .pdf import Rendered, Topic, render_booklet, render_pdf, warm_up

# What one PDF may cost, whatever its content or logo: a normal one takes a few seconds
# and under 250 MB (README, "Untrusted input"). A job past either fails alone, with a
# message naming its handout; the worker goes on with the next.
RENDER_SECONDS = 180
RENDER_MEMORY = 1536 * 1024 * 1024  # address space a job may add to what the process had


@dataclass(frozen=True)
class Job:
    """A PDF to render; a booklet's job also lays out its topics' handouts (each once, for
    the booklet and the handout) and renders their PDFs too."""

    html: str  # without a link to the stylesheet: the worker applies it, parsed once
    base: Path  # where the HTML would be: its relative addresses resolve from here
    when: date  # the PDF's timestamp
    allowed: tuple[Path, ...]  # folders the renderer may read
    topics: tuple[Topic, ...] = ()  # a booklet's: `html` is then its frame
    cost: int = 1  # what it takes to render, roughly (targets.cost): the costliest start first


class RenderLimit(Exception):
    """A job took longer or more memory than any handout should."""


class _OverTime(BaseException):
    """Raised inside WeasyPrint by the job's timer. Not an Exception: WeasyPrint catches
    those where it loads an image (and prints alt text instead), and the job must stop."""


def run(job: Job) -> tuple[Rendered, ...]:
    """Render one job (in a worker process, or in this one), within its limits: its PDF,
    then (a booklet's) each of its handouts'."""
    try:
        with _limited(), _cycle_collector_paused():
            if job.topics:
                return render_booklet(job.html, job.base, job.when, job.topics, job.allowed)
            return (render_pdf(job.html, job.base, job.when, job.allowed),)
    except _OverTime:
        raise RenderLimit(f"it took more than {RENDER_SECONDS} seconds to render") from None
    except MemoryError:
        raise RenderLimit(f"it needed more than {RENDER_MEMORY // 2**20} MB to render") from None


class Renderer:
    """Runs jobs on `jobs` processes; with one, in this process (simplest to debug).

    A worker that is free takes the costliest job waiting, not the one sent first: a build
    sends one language's jobs, then loads the next language and sends its jobs, and the
    costliest of all (the detailed booklets) would otherwise end up last on one worker
    while the other has nothing left to do.

    When a worker dies (killed, or out of memory in a library that cannot say so), the
    pool breaks, and the jobs it was running fail (the build tries each of their PDFs again
    alone: see `retry`). The jobs still waiting go to a new pool, made and first given jobs
    by the thread that sends jobs and waits for results (`submit`, `result`, `retry`: the
    build's main thread), so that its processes are forked from that thread, never from a
    pool's own thread. Each pool has a number (`_generation`): news from a pool already
    replaced (its other jobs failing) neither counts as running nor breaks the new one.
    """

    _turns: Semaphore  # made with the pool, by start()
    _closing: Event

    def __init__(self, jobs: int, private: tuple[int, ...] = ()) -> None:
        self._jobs = jobs
        self._private = private  # descriptors the workers must not keep (the build's lock)
        self._pool: ProcessPoolExecutor | None = None
        self._submitted = 0
        self._waiting: list[tuple[int, int, Job, Future]] = []  # a heap: costliest first, then oldest
        self._running = 0  # jobs handed to the pool and not yet done
        self._broken = False  # the pool lost a worker: the jobs waiting need a new one
        self._generation = 0  # which pool is the current one: a replaced pool's news is old
        # The pool's thread finishes jobs while this one sends them; a job done at once finishes
        # inside _hand_over, in this thread, with the lock held.
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)  # a job finished, or the pool broke

    def start(self) -> None:
        """Start the workers now, so that the first warms up while the build prepares its
        jobs. A build with nothing to render never calls this, and starts no process."""
        if self._jobs > 1 and self._pool is None:
            context = multiprocessing.get_context()
            self._turns = context.Semaphore(1)  # workers allowed to warm up: one more per job
            self._closing = context.Event()  # set when no more jobs will come
            self._pool = self._new_pool(self._jobs, self._turns, self._closing)
            self._pool.submit(int)  # makes the pool start its processes

    def submit(self, job: Job) -> Future[tuple[Rendered, ...]]:
        if self._jobs > 1:
            self.start()
            assert self._pool is not None
            self._submitted += 1
            if 1 < self._submitted <= self._jobs:
                self._turns.release()  # a job for one more worker: let it warm up
            promised: Future[tuple[Rendered, ...]] = Future()  # the caller's, until the pool has the job
            with self._lock:
                heapq.heappush(self._waiting, (-job.cost, self._submitted, job, promised))
                self._hand_over()
                self._mend()
            return promised
        try:
            result = run(job)
        except Exception as error:  # handed to whoever waits for the result, as a pool would
            return _failed(error)
        future: Future[tuple[Rendered, ...]] = Future()
        future.set_result(result)
        return future

    def _hand_over(self) -> None:
        """Give the pool the costliest waiting jobs, one per worker (with the lock held)."""
        assert self._pool is not None
        while self._waiting and self._running < self._jobs and not self._broken:
            waiting = heapq.heappop(self._waiting)
            *_, job, promised = waiting
            if promised.cancelled():
                continue
            try:
                in_pool = self._pool.submit(run, job)
            except BrokenProcessPool:  # a worker died: the job waits for the next pool
                heapq.heappush(self._waiting, waiting)
                self._broken = True
                break
            promised.set_running_or_notify_cancel()
            self._running += 1
            in_pool.add_done_callback(
                lambda in_pool, promised=promised, pool=self._generation: self._done(in_pool, promised, pool))

    def _done(self, in_pool: Future[tuple[Rendered, ...]], promised: Future[tuple[Rendered, ...]],
              pool: int) -> None:
        died = not in_pool.cancelled() and isinstance(in_pool.exception(), BrokenProcessPool)
        with self._lock:
            if pool == self._generation:  # a pool already replaced counts for nothing
                self._running -= 1
                # Marked before the job's caller hears of it, so that the caller's wait
                # (result, retry) finds the pool to mend.
                self._broken = self._broken or died
            self._hand_over()
        if in_pool.cancelled():  # the renderer closed after a failure: `promised` is running
            promised.set_exception(CancelledError())
        elif (error := in_pool.exception()) is not None:
            promised.set_exception(error)
        else:
            promised.set_result(in_pool.result())
        self._wake()

    def _wake(self, *_: object) -> None:
        with self._changed:
            self._changed.notify_all()

    def result(self, promised: Future[tuple[Rendered, ...]]) -> tuple[Rendered, ...]:
        """The result of a job: waiting for it, and meanwhile giving the jobs still waiting
        a new pool whenever a worker dies. `promised` must wake this wait when done
        (`_done`, `_wake`)."""
        if self._jobs > 1:
            with self._changed:
                self._mend()
                while not promised.done():
                    self._changed.wait()
                    self._mend()
        return promised.result()

    def _mend(self) -> None:
        """Replace a broken pool, from the thread that sends and waits (with the lock held)."""
        if not self._broken or self._pool is None:
            return
        self._pool.shutdown(wait=False)  # its workers are gone, and its jobs failed
        context = multiprocessing.get_context()
        # Each new worker may warm up at once: there are jobs waiting for it.
        self._turns = context.Semaphore(self._jobs)
        self._pool = self._new_pool(self._jobs, self._turns, self._closing)
        self._generation += 1
        self._running = 0  # the old pool's jobs all failed with it
        self._broken = False
        self._hand_over()  # here, so that the new pool's processes start from this thread

    def retry(self, job: Job) -> tuple[Rendered, ...]:
        """Run a job again, alone in a new worker: the one it was sent to died."""
        if self._jobs == 1:
            return run(job)
        context = multiprocessing.get_context()
        turns, closing = context.Semaphore(1), context.Event()
        with self._new_pool(1, turns, closing) as pool:
            retried = pool.submit(run, job)
            retried.add_done_callback(self._wake)
            return self.result(retried)  # the jobs waiting run on a new pool meanwhile

    def _new_pool(self, workers: int, turns: Semaphore, closing: Event) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                                   initargs=(os.getpid(), self._private, turns, closing))

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._pool is not None:
            # A job not yet handed to a worker is not started: a build waits for every job
            # it sent, so there are some only when it failed.
            with self._lock:
                for *_, promised in self._waiting:
                    promised.cancel()
                self._waiting.clear()
            self._closing.set()  # workers still waiting for their turn need not warm up
            for _ in range(self._jobs):
                self._turns.release()
            self._pool.shutdown(cancel_futures=error is not None)


def _failed(error: Exception) -> Future[tuple[Rendered, ...]]:
    future: Future[tuple[Rendered, ...]] = Future()
    future.set_exception(error)
    return future


def _start_worker(parent: int, private: tuple[int, ...], turns: Semaphore, closing: Event) -> None:
    """Make a worker belong to its build, then wait for a job, or for the end of the
    build, and warm up if there is work."""
    for descriptor in private:
        os.close(descriptor)  # the lock stays with the main process alone
    _die_with(parent)
    turns.acquire()
    if not closing.is_set():
        warm_up()
        gc.freeze()  # what is loaded now lives as long as the worker: no need to scan it again


def _die_with(parent: int) -> None:
    """A worker whose build was killed stops too, rather than live on as an orphan. Linux
    tells it at once (a signal on the parent's death); elsewhere a thread looks every
    half second."""
    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # died before the signal was asked for
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


@contextmanager
def _limited() -> Iterator[None]:
    """Run a job under its time and memory limits, and lift them after. The timer needs
    the main thread (where a worker runs its jobs, and the command line builds)."""
    timed = threading.current_thread() is threading.main_thread()
    if timed:
        previous = signal.signal(signal.SIGALRM, _over_time)
        signal.setitimer(signal.ITIMER_REAL, RENDER_SECONDS)
    memory = resource.getrlimit(resource.RLIMIT_AS)
    if limit := _memory_limit(memory):
        resource.setrlimit(resource.RLIMIT_AS, (limit, memory[1]))
    try:
        yield
    finally:
        if limit:
            resource.setrlimit(resource.RLIMIT_AS, memory)
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _memory_limit(current: tuple[int, int]) -> int | None:
    """The address space this process has now plus a job's allowance, never above a limit
    already set (by `ulimit -v`, say). None where the size cannot be read (not Linux)."""
    try:
        with open("/proc/self/statm") as statm:  # pages of address space first
            size = int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:
        return None
    limits = [limit for limit in current if limit != resource.RLIM_INFINITY]
    return min([size + RENDER_MEMORY, *limits])


def _over_time(signum: int, frame: object) -> None:
    raise _OverTime


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
