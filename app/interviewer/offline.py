"""The offline brain: rubric-driven, deterministic, no network, no keys. The default.

It speaks the planner's move as written (see planner.py for how moves are chosen). Chunks are the
utterance's sentences, so the client can start speaking the first sentence while the rest arrives — the
same shape as the LLM brain's stream.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from app.catalog import Round
from app.interviewer import planner
from app.interviewer.phrases import sentences
from app.interviewer.state import InterviewState


class OfflineBrain:
    name = "offline"

    async def reply(self, state: InterviewState, rnd: Round) -> AsyncIterator[str]:
        move = planner.plan(state, rnd)
        planner.apply(state, move, rnd)
        state.last_meta = move.meta()
        parts = sentences(move.text)
        for i, part in enumerate(parts):
            yield part if i == len(parts) - 1 else part + " "
