"""The Brain seam: something that, given the interview state, says the interviewer's next utterance.

    async for chunk in brain.reply(state, rnd): ...

`reply` streams text chunks (they become `interviewer_delta` events; the Interviewer sends
`interviewer_done` after the last one), records its move in `state` (question in play, probes asked,
hints, wrap-up, finished) and sets `state.last_meta` = {"move", "question_id", "dimension", "fallback",
"hint_used", "phase", ...}. `state.event` says what it is replying to; `state.elapsed_s` is current.
A brain is built once per process and shared by every interview, so it keeps no per-interview state.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol, runtime_checkable

from app.catalog import Round
from app.interviewer.state import InterviewState


@runtime_checkable
class Brain(Protocol):
    name: str  # "offline" or "llm"

    def reply(self, state: InterviewState, rnd: Round) -> AsyncIterator[str]:
        """Stream the next utterance as text chunks and update `state` (see module doc)."""
        ...
