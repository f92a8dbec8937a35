"""Runs shared by every session: at most `workers` sandboxes at once, a bounded wait, one run per session
at a time and a minimum gap between a session's runs. Nothing here blocks the event loop: each run is an
asyncio subprocess (app/runner/sandbox.py)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from app.runner.results import RunResult

log = logging.getLogger("viva.runner")


class RunRefused(Exception):
    """The run was not started (busy, too soon, one already going): a message for the candidate."""


class RunPool:
    def __init__(self, workers: int = 2, max_waiting: int = 8, min_gap_s: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._slots = asyncio.Semaphore(max(1, workers))
        self.max_waiting = max_waiting
        self.min_gap_s = min_gap_s
        self._clock = clock
        self._waiting = 0
        self._running: set[str] = set()
        self._last: dict[str, float] = {}

    @property
    def waiting(self) -> int:
        return self._waiting

    async def run(self, key: str, job: Callable[[], Awaitable[RunResult]]) -> RunResult:
        """Run `job` for session `key` (an interview id) or raise RunRefused."""
        if key in self._running:
            raise RunRefused("a run is already going; wait for its results")
        now = self._clock()
        if now - self._last.get(key, -1e9) < self.min_gap_s:
            raise RunRefused("runs are limited to one a second; try again in a moment")
        if self._waiting >= self.max_waiting:
            raise RunRefused("the code runner is busy; try again in a few seconds")
        self._running.add(key)
        self._last[key] = now
        self._waiting += 1
        queued = True
        try:
            async with self._slots:
                self._waiting, queued = self._waiting - 1, False
                started = time.perf_counter()
                result = await job()
                log.info("run %s: %s %s %s %d/%d in %.0f ms", key, result.language, result.mode, result.status,
                         result.passed, result.total, (time.perf_counter() - started) * 1000)
                return result
        finally:
            if queued:  # cancelled while waiting for a slot
                self._waiting -= 1
            self._running.discard(key)
            self._last[key] = self._clock()
            if len(self._last) > 10_000:  # forget sessions long gone
                cutoff = self._clock() - 3600
                self._last = {k: v for k, v in self._last.items() if v > cutoff}
