"""Counting events per key in a sliding window (in this process): failed logins per account and per
client address, interviews created per user.

`blocked(key)` is non-zero once `max_events` events are inside the window, so the next attempt — the
11th failed login with the default 10 — is refused with 429 (without checking the password at all).
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

MAX_KEYS = 50_000  # bounded memory: the oldest keys are forgotten first


class WindowCounter:
    def __init__(self, max_events: int, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_events = max_events
        self.window_s = window_s
        self.clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, key: str) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        cutoff = self.clock() - self.window_s
        while times and times[0] <= cutoff:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def blocked(self, *keys: str) -> float:
        """Seconds until the first of these keys may try again; 0 when none is blocked."""
        wait = 0.0
        for key in keys:
            times = self._recent(key)
            if len(times) >= self.max_events:
                wait = max(wait, times[0] + self.window_s - self.clock())
        return wait

    def add(self, *keys: str) -> None:
        now = self.clock()
        for key in keys:
            times = self._failures.setdefault(key, deque())
            times.append(now)
            self._failures.move_to_end(key)
            if len(times) > self.max_events:
                times.popleft()
        while len(self._failures) > MAX_KEYS:
            self._failures.popitem(last=False)

    def clear(self, key: str) -> None:
        self._failures.pop(key, None)
