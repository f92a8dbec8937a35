"""Audio read from the socket, waiting for the endpointer: so the reader can go straight back to the socket.

Before, the reader fed each frame to the endpointer itself and stopped reading whenever this session
had too much audio waiting for transcription: a `ping` (or `end_turn`) sent behind a burst of audio
then waited for the whole backlog (28.9 s measured). Now the reader puts frames here and keeps
reading; one task feeds them on in order. Messages whose meaning depends on the audio before them
(`end_turn`, `finish`, typed answers) go in as marks and run in order with the audio; `ping`,
`interrupt` and `playback_done` are answered by the reader at once.

Bounded: past `max_s` seconds of waiting audio `put` waits, so the reader stops and TCP holds the
rest (nothing is dropped). The feeding task yields to the event loop between frames.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable

import numpy as np

from app.voice.frames import SAMPLE_RATE

Mark = Callable[[], Awaitable[None]]


class AudioInbox:
    def __init__(self, feed: Callable[[np.ndarray], Awaitable[None]], max_s: float = 60.0) -> None:
        self._feed = feed
        self.max_samples = int(max_s * SAMPLE_RATE)
        self._items: deque[np.ndarray | Mark] = deque()
        self.waiting_samples = 0
        self._wake = asyncio.Event()
        self._room = asyncio.Event()
        self._room.set()
        self._idle = asyncio.Event()
        self._idle.set()
        self.closed = False

    @property
    def waiting_s(self) -> float:
        return self.waiting_samples / SAMPLE_RATE

    async def put(self, samples: np.ndarray) -> None:
        """Queue audio; waits while more than `max_s` seconds are queued already."""
        while self.waiting_samples >= self.max_samples and not self.closed:
            self._room.clear()
            await self._room.wait()
        if self.closed:
            return  # the session is over; nothing reads the inbox any more
        self._items.append(samples)
        self.waiting_samples += len(samples)
        self._idle.clear()
        self._wake.set()

    async def mark(self, action: Mark) -> None:
        """Run `action` after all audio queued so far has been fed."""
        if self.closed:
            return
        self._items.append(action)
        self._idle.clear()
        self._wake.set()

    async def drained(self) -> None:
        """Wait until everything queued so far has been fed (or the inbox is closed)."""
        await self._idle.wait()

    async def run(self) -> None:
        while not self.closed:
            if not self._items:
                self._idle.set()
                self._wake.clear()
                await self._wake.wait()
                continue
            item = self._items.popleft()
            if isinstance(item, np.ndarray):
                self.waiting_samples -= len(item)
                if self.waiting_samples < self.max_samples:
                    self._room.set()
                await self._feed(item)
                await asyncio.sleep(0)  # a backlog is worked off without holding the loop
            else:
                await item()
        self._idle.set()

    def close(self) -> None:
        self.closed = True
        self._items.clear()
        self.waiting_samples = 0
        self._room.set()
        self._wake.set()
        self._idle.set()
