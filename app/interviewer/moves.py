"""A move: what the interviewer does next (the planner decides it, a brain speaks it).

`MoveKind` values are the strings stored in turn meta (`meta["move"]`), so stored meta stays plain
strings. `answer_kind` is what the interviewer noticed about the candidate's previous turn (read by the
scorer): ok, vague, off_topic, dont_know, clarifying, repeat_request, think, none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class MoveKind(StrEnum):
    OPEN = "open"
    RESUME = "resume"
    PROBE = "probe"
    SPECIFICS = "specifics"
    NEXT_QUESTION = "next_question"
    HINT = "hint"
    ENCOURAGE = "encourage"
    REPEAT = "repeat"
    THINK_ACK = "think_ack"
    NUDGE = "nudge"
    CLARIFY = "clarify"
    REDIRECT = "redirect"
    CHALLENGE = "challenge"  # puts a wrong claim just made to a concrete test (meta "misconception_id")
    WRAP_UP_QUESTIONS = "wrap_up_questions"
    ANSWER_QUESTION = "answer_question"
    CLOSE = "close"
    RUN_RESULT = "run_result"  # reacts to a code or SQL run (app/interviewer/run_moves.py)
    NONE = "none"


ANSWER_KINDS = ("ok", "vague", "off_topic", "dont_know", "clarifying", "repeat_request", "think", "none")


@dataclass
class Move:
    kind: MoveKind
    text: str  # the full offline utterance
    lead: str = ""  # the part before the question (acknowledgement, transition, hint intro)
    prompt: str = ""  # the question put to the candidate (what "repeat" repeats)
    question_id: str | None = None
    dimension: str | None = None  # the rubric dimension a probe / hint / specifics targets
    new_question: bool = False
    tag: str | None = None  # a key recorded in asked_probes (probe or specifics wording)
    hint_used: bool = False
    hint: str = ""  # the hint text given (a probe's own hint, or the question's)
    transition: str | None = None  # phase key announced by this move
    answer_kind: str = "none"
    fact_ids: list[str] = field(default_factory=list)  # facts given by a clarify move
    phase: str | None = None  # the phase this move belongs to (set by the planner)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.kind = MoveKind(self.kind)

    def meta(self, phase: str | None = None) -> dict[str, Any]:
        out = {"move": self.kind.value, "question_id": self.question_id, "dimension": self.dimension,
               "fallback": False, "hint_used": self.hint_used, "phase": self.phase or phase,
               "transition": self.transition, "answer_kind": self.answer_kind, **self.extra}
        if self.kind == MoveKind.CLARIFY:
            out["fact_id"] = self.fact_ids[0] if self.fact_ids else None
            out["fact_ids"] = list(self.fact_ids)
        return out
