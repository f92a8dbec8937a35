"""A circuit breaker for the LLM: after a few consecutive failures, stop calling it for a while.

    breaker = CircuitBreaker(failures=3, cooldown_s=30)
    if breaker.allow(): ... breaker.success(latency_ms) / breaker.failure(reason)
    breaker.status()   # for /api/health: state, consecutive failures, last latency, ...

closed: calls go through. After `failures` consecutive failures (errors, timeouts) it opens: every call is
refused (the interviewer speaks the offline move at once, instead of making the candidate wait for a
timeout) until `cooldown_s` has passed; then it is half-open: one call is let through as a probe, and its
outcome closes the breaker or opens it for another cool-down. Shared by all interviews of a process,
since it describes the server, not a conversation. Single event loop: no locking needed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


class CircuitBreaker:
    def __init__(self, failures: int = 3, cooldown_s: float = 30.0, clock: Callable[[], float] = time.monotonic):
        self.threshold = max(1, failures)
        self.cooldown_s = cooldown_s
        self._clock = clock
        self.consecutive_failures = 0
        self.opened_at: float | None = None
        self._probing: float | None = None  # when the half-open probe was let through
        self.last_latency_ms: int | None = None
        self.last_error: str | None = None
        self.calls = 0
        self.failures = 0
        self.refused = 0

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        if self._clock() - self.opened_at >= self.cooldown_s:
            return "half-open"
        return "open"

    def allow(self) -> bool:
        state = self.state
        if state == "closed":
            return True
        now = self._clock()
        if state == "half-open" and (self._probing is None or now - self._probing >= self.cooldown_s):
            self._probing = now  # one probe at a time (a lost one is replaced); the others stay offline
            return True
        self.refused += 1
        return False

    def success(self, latency_ms: float | None = None) -> None:
        self.calls += 1
        self.consecutive_failures = 0
        self.opened_at = None
        self._probing = None
        if latency_ms is not None:
            self.last_latency_ms = round(latency_ms)

    def abandon(self) -> None:
        """The call was cancelled before it told anything (a reply prepared and dropped, a barge-in): a probe in
        flight no longer holds the one probe slot."""
        self._probing = None

    def failure(self, reason: str) -> None:
        self.calls += 1
        self.failures += 1
        self.consecutive_failures += 1
        self.last_error = reason
        if self._probing is not None or self.consecutive_failures >= self.threshold:
            self.opened_at = self._clock()
        self._probing = None

    def status(self) -> dict[str, Any]:
        state = self.state
        retry_in = None
        if state == "open" and self.opened_at is not None:
            retry_in = round(self.cooldown_s - (self._clock() - self.opened_at), 1)
        return {"state": state, "consecutive_failures": self.consecutive_failures,
                "last_latency_ms": self.last_latency_ms, "last_error": self.last_error, "retry_in_s": retry_in,
                "calls": self.calls, "failures": self.failures, "refused": self.refused}
