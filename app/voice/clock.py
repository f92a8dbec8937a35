"""Stream time and the outgoing side of the WebSocket, shared by the session's tasks."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from app.voice.events import ServerEvent

log = logging.getLogger("viva.voice")


class StreamClock:
    """Milliseconds since the interview's stream started, continued across reconnects.

    `offset_ms` is where this connection starts (the end of the last stored turn). Audio time is
    anchored at the wall-clock moment the first frame arrived, so audio sent faster than real time
    (tests, uploads) and wall-clock events (typed answers, interviewer turns) share one time line.
    """

    def __init__(self, offset_ms: int = 0, now=time.monotonic) -> None:
        self.offset_ms = offset_ms
        self._now = now
        self._t0 = now()
        self.audio_origin_ms: int | None = None
        self.audio_ms = 0  # audio received so far in this connection

    def wall_ms(self) -> int:
        return int((self._now() - self._t0) * 1000)

    def audio_started(self) -> int:
        if self.audio_origin_ms is None:
            self.audio_origin_ms = self.offset_ms + self.wall_ms()
        return self.audio_origin_ms

    def now_ms(self) -> int:
        wall = self.offset_ms + self.wall_ms()
        if self.audio_origin_ms is None:
            return wall
        return max(wall, self.audio_origin_ms + self.audio_ms)


class Outbox:
    """Sends JSON events one at a time; after the socket has gone, sends are dropped quietly."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.closed = False
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task] = set()

    async def send(self, event: ServerEvent | dict[str, Any]) -> None:
        if self.closed:
            return
        if isinstance(event, ServerEvent):
            event = event.dump()
        async with self._lock:
            try:
                await self.ws.send_json(event)
            except Exception as exc:  # noqa: BLE001 - the client went away mid-send
                log.debug("send failed (%s): stream closed", type(exc).__name__)
                self.closed = True

    async def send_bytes(self, data: bytes) -> None:
        """A binary frame (the server voice's audio), in order with the JSON events."""
        if self.closed:
            return
        async with self._lock:
            try:
                await self.ws.send_bytes(data)
            except Exception as exc:  # noqa: BLE001 - the client went away mid-send
                log.debug("send failed (%s): stream closed", type(exc).__name__)
                self.closed = True

    def send_soon(self, event: ServerEvent | dict[str, Any]) -> None:
        """Send from synchronous code (callbacks); order among send_soon calls is kept by the lock."""
        task = asyncio.get_running_loop().create_task(self.send(event))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self, code: int = 1000) -> None:
        if self.closed:
            return
        self.closed = True
        async with self._lock:
            try:
                await self.ws.close(code)
            except Exception:  # noqa: BLE001 - already closed by the client
                pass
