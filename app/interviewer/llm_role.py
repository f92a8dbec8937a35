"""Which tier the LLM interviewer plays (Settings.llm_role): `lead` or `turn`, and why.

    lead   the planner decides the move and its question; the model writes the follow-up's lead
    turn   the model writes the whole follow-up (lead and question) from the planner's intent
    auto   `turn` when the configured model's judge bench measurement (scoring/trust.py) is `full`
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.config import Settings

Role = Literal["lead", "turn"]


@dataclass(frozen=True)
class LLMRole:
    role: Role
    reason: str


def role_of(settings: Settings) -> LLMRole:
    if settings.llm_role != "auto":
        return LLMRole(settings.llm_role, f"VIVA_LLM_ROLE={settings.llm_role}")
    from app.scoring.trust import trust_of

    trust = trust_of(settings)
    return LLMRole("turn" if trust.level == "full" else "lead", f"auto: {trust.reason}")
