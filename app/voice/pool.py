"""A bounded, prioritised pool of transcription work shared by every stream session of the process.

- `workers` threads run `Transcriber.transcribe` (blocking; never on the event loop).
- At most `max_queued` jobs wait; beyond that `try_submit` raises `PoolFull` and `submit` waits for
  room (the caller tells the client `busy` and keeps the audio: nothing is dropped silently).
- The queue is ordered by priority: FINAL (a turn ended and waits) before CHUNK (pre-transcription at
  a pause) before PARTIAL (provisional words, only started when the pool is idle).
- A queued job can be promoted (its turn ended) or cancelled (speech resumed after a short pause).

All methods are called from the event loop; completion callbacks come back to it.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from enum import IntEnum

import numpy as np

from app.voice.transcriber import Transcriber, Transcript

log = logging.getLogger("viva.stt")

Prompt = str | None | Callable[[], str | None]


class Priority(IntEnum):
    FINAL = 0
    CHUNK = 1
    PARTIAL = 2


class PoolFull(Exception):
    """The global queue is full (the server is overloaded)."""


class Job:
    def __init__(self, audio: np.ndarray, prompt: Prompt, priority: Priority, future: asyncio.Future) -> None:
        self.audio = audio
        self.prompt = prompt
        self.priority = priority
        self.future: asyncio.Future[Transcript] = future
        self.state = "queued"  # queued | running | done | cancelled
        self.submitted = time.perf_counter()
        self.started: float | None = None
        self.finished: float | None = None

    @property
    def seconds(self) -> float:
        return len(self.audio) / 16_000


class TranscriptionPool:
    def __init__(self, transcriber: Transcriber, workers: int = 1, max_queued: int = 32) -> None:
        self.transcriber = transcriber
        self.workers = max(1, workers)
        self.max_queued = max(1, max_queued)
        self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="viva-stt")
        self._heap: list[tuple[int, int, Job]] = []
        self._seq = itertools.count()
        self._queued = 0
        self._running = 0
        self._room: list[asyncio.Future[None]] = []
        self.closed = False

    # --- state ---------------------------------------------------------------------------------
    @property
    def queued(self) -> int:
        return self._queued

    @property
    def running(self) -> int:
        return self._running

    @property
    def idle(self) -> bool:
        return self._queued == 0 and self._running < self.workers

    @property
    def full(self) -> bool:
        return self._queued >= self.max_queued

    # --- submitting ----------------------------------------------------------------------------
    def try_submit(self, audio: np.ndarray, prompt: Prompt, priority: Priority) -> Job:
        if self.closed:
            raise PoolFull("transcription pool is closed")
        if self.full:
            raise PoolFull(f"{self._queued} transcription jobs queued")
        job = Job(audio, prompt, priority, asyncio.get_running_loop().create_future())
        self._queued += 1
        heapq.heappush(self._heap, (int(priority), next(self._seq), job))
        self._kick()
        return job

    async def submit(self, audio: np.ndarray, prompt: Prompt, priority: Priority) -> Job:
        """Like try_submit, but waits for room in the queue instead of failing."""
        while True:
            try:
                return self.try_submit(audio, prompt, priority)
            except PoolFull:
                if self.closed:
                    raise
                waiter = asyncio.get_running_loop().create_future()
                self._room.append(waiter)
                try:
                    await waiter
                finally:
                    if waiter in self._room:
                        self._room.remove(waiter)

    def promote(self, job: Job, priority: Priority) -> None:
        if job.state == "queued" and priority < job.priority:
            job.priority = priority
            heapq.heappush(self._heap, (int(priority), next(self._seq), job))  # old entry goes stale

    def cancel(self, job: Job) -> None:
        if job.state == "queued":
            self._queued -= 1
            self._wake_one()
        if job.state in ("queued", "running"):
            job.state = "cancelled"
        if not job.future.done():
            job.future.cancel()

    async def close(self) -> None:
        self.closed = True
        for _, _, job in self._heap:
            self.cancel(job)
        self._heap.clear()
        for waiter in self._room:
            if not waiter.done():
                waiter.set_result(None)
        await asyncio.get_running_loop().run_in_executor(None, self._executor.shutdown)

    # --- running -------------------------------------------------------------------------------
    def _kick(self) -> None:
        loop = asyncio.get_running_loop()
        while self._running < self.workers and self._heap:
            priority, _, job = heapq.heappop(self._heap)
            if job.state != "queued" or priority != job.priority:
                continue  # cancelled, or a stale entry of a promoted job
            self._queued -= 1
            self._running += 1
            job.state, job.started = "running", time.perf_counter()
            done = loop.run_in_executor(self._executor, self._run, job)
            done.add_done_callback(lambda f, job=job: self._finish(job, f))
            self._wake_one()

    def _run(self, job: Job) -> Transcript:
        prompt = job.prompt() if callable(job.prompt) else job.prompt
        return self.transcriber.transcribe(job.audio, prompt)

    def _finish(self, job: Job, done: asyncio.Future) -> None:
        self._running -= 1
        job.finished = time.perf_counter()
        if job.state == "running":
            job.state = "done"
        error = None if done.cancelled() else done.exception()  # always retrieved, never left to warn
        if not job.future.done():
            if done.cancelled():
                job.future.cancel()
            elif error is not None:
                job.future.set_exception(error)
            else:
                job.future.set_result(done.result())
        waited, ran = 1000 * (job.started - job.submitted), 1000 * (job.finished - job.started)
        log.debug("stt job %.1f s audio, priority %s: waited %.0f ms, ran %.0f ms", job.seconds,
                  job.priority.name, waited, ran)
        if not self.closed:
            self._kick()

    def _wake_one(self) -> None:
        while self._room:
            waiter = self._room.pop(0)
            if not waiter.done():
                waiter.set_result(None)
                return
