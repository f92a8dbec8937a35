"""The interviewer: asks, listens, probes what the rubric still needs, keeps time, closes well.

    from app.interviewer import Interviewer, build_brain

`build_brain(settings)` picks the brain once per process: the LLM brain when an LLM is configured
(Settings.llm_configured) and VIVA_BRAIN is auto or llm, the offline brain otherwise.
"""

from __future__ import annotations

import logging

from app.config import Settings
from app.interviewer.brain import Brain
from app.interviewer.interviewer import Interviewer
from app.interviewer.offline import OfflineBrain
from app.interviewer.state import InterviewState

log = logging.getLogger("viva.interviewer")

__all__ = ["Brain", "Interviewer", "InterviewState", "OfflineBrain", "build_brain"]


def build_brain(settings: Settings) -> Brain:
    if settings.brain == "offline" or (settings.brain == "auto" and not settings.llm_configured):
        return OfflineBrain()
    if not settings.llm_configured:
        log.warning("VIVA_BRAIN=llm but no VIVA_LLM_BASE_URL / VIVA_LLM_API_KEY: every turn will fall back")
    from app.interviewer.llm import LLMBrain  # imports the openai client only when needed

    return LLMBrain(settings)
