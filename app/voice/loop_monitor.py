"""How long the event loop was held: a task that sleeps 10 ms and records how late it woke.

Everything a stream session does between two awaits (VAD windows, JSON, database calls) delays every
other session's pings, frames and events; this measures the longest such stall over the last minute
(reported by GET /api/health, read by the capacity benchmark).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque

log = logging.getLogger("viva.loop")

TICK_S = 0.01
WINDOW_S = 60.0
RECORD_MS = 5.0  # stalls shorter than this are not kept
LOG_MS = 50.0  # longer stalls are logged (debug), to find what held the loop


class LoopMonitor:
    def __init__(self) -> None:
        self._stalls: deque[tuple[float, float]] = deque(maxlen=20_000)  # (monotonic, stall ms)
        self._task: asyncio.Task | None = None
        self.total_over_50ms = 0  # since start (benches take the difference over a run)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _run(self) -> None:
        while True:
            before = time.monotonic()
            await asyncio.sleep(TICK_S)
            stall = (time.monotonic() - before - TICK_S) * 1000
            if stall >= RECORD_MS:
                self._stalls.append((time.monotonic(), stall))
            if stall > LOG_MS:
                self.total_over_50ms += 1
                log.debug("event loop held for %.0f ms", stall)

    def report(self) -> dict:
        since = time.monotonic() - WINDOW_S
        recent = [ms for at, ms in self._stalls if at >= since]
        return {"max_stall_ms": round(max(recent, default=0.0), 1), "stalls_over_50ms": sum(ms > 50 for ms in recent),
                "window_s": WINDOW_S, "total_over_50ms": self.total_over_50ms}
