"""The Scorer seam: a transcript and its round in, a ScorecardDoc out.

Two implementations: OfflineScorer (app.scoring.rubric; deterministic, no network, the default) and
LlmScorer (app.scoring.llm; any OpenAI-compatible server, falling back to the offline scorecard on
timeout or invalid output). Settings.scorer picks one: "offline", "llm", or "auto" (the LLM when
one is configured through VIVA_LLM_BASE_URL / VIVA_LLM_API_KEY, else offline).

`score()` is blocking (CPU work, or a network call with a timeout): call it from a worker thread.
"""

from __future__ import annotations

import logging
from typing import Protocol, runtime_checkable

from app.catalog import Round
from app.config import Settings
from app.scoring.rubric import OfflineScorer
from app.scoring.scorecard import ScorecardDoc
from app.scoring.transcript import TranscriptTurn

log = logging.getLogger("viva.scoring")


class Scorer(Protocol):
    name: str

    def score(self, rnd: Round, level: str, turns: list[TranscriptTurn]) -> ScorecardDoc: ...


@runtime_checkable
class RefiningScorer(Protocol):
    """A scorer whose card refines an offline one (LlmScorer): app.scoring.jobs stores `offline`'s card
    at once, marked `refining_with`, and replaces it with score()'s when that is ready."""

    name: str
    offline: Scorer

    def refinement(self) -> str | None:
        """The model that would refine the offline card now, or None when it would not be consulted."""
        ...

    def score(self, rnd: Round, level: str, turns: list[TranscriptTurn]) -> ScorecardDoc: ...


def build_scorer(settings: Settings, show_progress: bool = False) -> Scorer:
    if settings.scorer == "offline":
        return OfflineScorer()
    if settings.llm_configured:
        from app.scoring.llm import LlmScorer

        return LlmScorer(settings, show_progress=show_progress)
    if settings.scorer == "llm":
        log.warning("scorer=llm but no LLM is configured (VIVA_LLM_BASE_URL / VIVA_LLM_API_KEY): "
                    "scoring offline")
    return OfflineScorer()
