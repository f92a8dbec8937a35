"""Progress of a long run on stderr: items done of total, elapsed time and an ETA.

    progress = Progress(total=288, label="viva eval")
    for session in sessions:
        ...
        progress.step()          # "viva eval: 12/288 (4%), 0:31 elapsed, ETA 11:54"

Lines go to stderr (the table on stdout stays clean for piping), at most one every `every_s` seconds plus
the last; nothing is printed when `enabled` is False (tests).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    def __init__(self, total: int, label: str, stream: TextIO | None = None, every_s: float = 2.0,
                 enabled: bool = True, clock: Callable[[], float] = time.monotonic):
        self.total, self.label, self.every_s, self.enabled = max(0, total), label, every_s, enabled
        self.stream = stream if stream is not None else sys.stderr
        self._clock = clock
        self.started = clock()
        self.done = 0
        self._last = float("-inf")

    def line(self) -> str:
        elapsed = self._clock() - self.started
        pct = 100 * self.done / self.total if self.total else 100.0
        eta = elapsed / self.done * (self.total - self.done) if self.done else None
        tail = f", ETA {_clock(eta)}" if eta is not None and self.done < self.total else ""
        return f"{self.label}: {self.done}/{self.total} ({pct:.0f}%), {_clock(elapsed)} elapsed{tail}"

    def step(self, n: int = 1) -> None:
        self.done = min(self.total, self.done + n) if self.total else self.done + n
        now = self._clock()
        if self.enabled and (now - self._last >= self.every_s or self.done >= self.total):
            self._last = now
            print(self.line(), file=self.stream, flush=True)

    def each(self, items: Iterable[T]) -> Iterator[T]:
        """The items, one step counted as each is done (when the loop moves on from it)."""
        for item in items:
            yield item
            self.step()
