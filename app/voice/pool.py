"""A bounded, prioritised pool of transcription work shared by every stream session of the process.

- `workers` threads run `Transcriber.transcribe` (blocking; never on the event loop).
- At most `max_queued` jobs wait; beyond that `try_submit` raises `PoolFull` and `submit` waits for
  room (the caller tells the client `busy` and keeps the audio: nothing is dropped silently).
- The queue is ordered by priority: FINAL (a turn ended and waits) before CHUNK (pre-transcription at
  a pause) before PARTIAL (provisional words, only started when the pool is idle).
- A queued job can be promoted (its turn ended) or cancelled (speech resumed after a short pause).
- A free worker takes the first job and, when the transcriber can batch (`batch_size` > 1), up to
  batch_size - 1 more queued turn jobs of a similar length: one call for a burst of several sessions'
  clips (app/voice/stt/whisper_batch.py). Two chunks of one turn (one `group`) never share a call: the later
  one's prompt carries the earlier one's words (measured: batching them raised espeak WER 16 % -> 25 %).

All methods are called from the event loop; completion callbacks come back to it.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
from collections.abc import Callable
from enum import IntEnum

import numpy as np

from app.voice.priority import niced_executor
from app.voice.stt import Transcriber, Transcript

log = logging.getLogger("viva.stt")

Prompt = str | None | Callable[[], str | None]


class Priority(IntEnum):
    FINAL = 0
    CHUNK = 1
    PARTIAL = 2


class PoolFull(Exception):
    """The global queue is full (the server is overloaded)."""


class Job:
    def __init__(self, audio: np.ndarray, prompt: Prompt, priority: Priority, future: asyncio.Future,
                 group: object = None) -> None:
        self.audio = audio
        self.group = group  # jobs of one group (a turn's chunks) are never batched together
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
    def __init__(self, transcriber: Transcriber, workers: int = 1, max_queued: int = 32, nice: int = 0) -> None:
        self.transcriber = transcriber
        self.workers = max(1, workers)
        self.max_queued = max(1, max_queued)
        self._executor = niced_executor(nice, "viva-stt", self.workers)
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
    def try_submit(self, audio: np.ndarray, prompt: Prompt, priority: Priority, group: object = None) -> Job:
        if self.closed:
            raise PoolFull("transcription pool is closed")
        if self.full:
            raise PoolFull(f"{self._queued} transcription jobs queued")
        job = Job(audio, prompt, priority, asyncio.get_running_loop().create_future(), group)
        self._queued += 1
        heapq.heappush(self._heap, (int(priority), next(self._seq), job))
        self._kick()
        return job

    async def submit(self, audio: np.ndarray, prompt: Prompt, priority: Priority, group: object = None) -> Job:
        """Like try_submit, but waits for room in the queue instead of failing."""
        while True:
            try:
                return self.try_submit(audio, prompt, priority, group)
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
            jobs = [job, *self._companions(job)]
            self._running += 1
            for one in jobs:
                self._queued -= 1
                one.state, one.started = "running", time.perf_counter()
                self._wake_one()
            done = loop.run_in_executor(self._executor, self._run, jobs)
            done.add_done_callback(lambda f, jobs=jobs: self._finish(jobs, f))

    def _companions(self, head: Job) -> list[Job]:
        """Queued jobs to run in one call with `head` (at most batch_size - 1): turn work (FINAL, CHUNK) of
        a similar length, in priority order. Partials are never batched: they only run on an idle pool."""
        size = getattr(self.transcriber, "batch_size", 1)
        if size <= 1 or head.priority == Priority.PARTIAL or not _batchable(self.transcriber, head):
            return []
        taken, passed, groups = [], [], {head.group}
        while self._heap and len(taken) < size - 1:
            entry = heapq.heappop(self._heap)
            priority, _, job = entry
            if job.state != "queued" or priority != job.priority:
                continue  # stale
            if priority != Priority.PARTIAL and _batchable(self.transcriber, job) and _similar(head, job) \
                    and (job.group is None or job.group not in groups):  # a turn's next chunk needs its words
                taken.append(job)
                groups.add(job.group)
            else:
                passed.append(entry)
        for entry in passed:
            heapq.heappush(self._heap, entry)
        return taken

    def _run(self, jobs: list[Job]) -> list[Transcript | BaseException]:
        """In a worker thread: one job alone, or several in one batched call. Never raises: each job
        gets its transcript or its own error."""
        prompts = [job.prompt() if callable(job.prompt) else job.prompt for job in jobs]
        if len(jobs) == 1:
            try:
                return [self.transcriber.transcribe(jobs[0].audio, prompts[0])]
            except Exception as exc:  # noqa: BLE001 - handed to the job's future
                return [exc]
        try:
            return list(self.transcriber.transcribe_batch([job.audio for job in jobs], prompts))
        except Exception as exc:  # noqa: BLE001 - the batch failed as a whole: every job reports it
            return [exc] * len(jobs)

    def _finish(self, jobs: list[Job], done: asyncio.Future) -> None:
        self._running -= 1
        finished = time.perf_counter()
        if done.cancelled():
            results: list = [asyncio.CancelledError()] * len(jobs)
        elif done.exception() is not None:  # always retrieved, never left to warn
            results = [done.exception()] * len(jobs)
        else:
            results = done.result()
        for job, result in zip(jobs, results, strict=True):
            job.finished = finished
            if job.state == "running":
                job.state = "done"
            if not job.future.done():
                if isinstance(result, asyncio.CancelledError):
                    job.future.cancel()
                elif isinstance(result, BaseException):
                    job.future.set_exception(result)
                else:
                    job.future.set_result(result)
        head = jobs[0]
        log.debug("stt call: %d job(s), %.1f s audio, priority %s: waited %.0f ms, ran %.0f ms", len(jobs),
                  sum(j.seconds for j in jobs), head.priority.name, 1000 * (head.started - head.submitted),
                  1000 * (finished - head.started))
        if not self.closed:
            self._kick()

    def _wake_one(self) -> None:
        while self._room:
            waiter = self._room.pop(0)
            if not waiter.done():
                waiter.set_result(None)
                return


def _batchable(transcriber: Transcriber, job: Job) -> bool:
    check = getattr(transcriber, "batchable", None)
    return bool(check and check(job.audio))


def _similar(a: Job, b: Job) -> bool:
    """Lengths close enough that padding the shorter one to the longer costs less than a call of its own."""
    short, long_ = sorted((len(a.audio), len(b.audio)))
    return long_ <= 2 * short + 2 * 16_000
