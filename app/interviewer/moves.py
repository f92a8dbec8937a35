"""A move: what the interviewer does next (the planner decides it, a brain speaks it).

`MoveKind` values are the strings stored in turn meta (`meta["move"]`), so stored meta stays plain
strings; `MoveKind.of(meta["move"])` reads one back. What a kind of move is and does (asks a question,
is written by the LLM, ends the interview...) is its row of `TRAITS`, read as attributes: `kind.asks`.
`answer_kind` is what the interviewer noticed about the candidate's previous turn (read by the
scorer): ok, vague, unspecific, off_topic, dont_know, clarifying, repeat_request, think, none. `vague`: no
substance (short, or fewer than a dozen content words, and nothing specific); `unspecific`: a real answer (a design,
a story) without a number, an example or a trade-off: asked for the specifics, never called vague on the scorecard.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


def _trait(name: str) -> property:
    return property(lambda kind: getattr(TRAITS[kind], name))


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

    # the traits, one attribute each (their meaning: `Traits` below)
    asks = _trait("asks")
    main_question = _trait("main_question")
    asked_once = _trait("asked_once")
    follow_up = _trait("follow_up")
    echoes = _trait("echoes")
    probes_dimension = _trait("probes_dimension")
    restates = _trait("restates")
    wrap_up = _trait("wrap_up")
    short_answer = _trait("short_answer")
    llm_writes = _trait("llm_writes")
    lead_only = _trait("lead_only")
    whole_turn = _trait("whole_turn")
    llm_asks = _trait("llm_asks")
    answer_was = _trait("answer_was")

    @classmethod
    def of(cls, value: object) -> MoveKind:
        """The kind a stored `meta["move"]` names; NONE (no traits) for a missing or unknown one."""
        try:
            return cls(value)
        except ValueError:
            return cls.NONE


@dataclass(frozen=True)
class Traits:
    asks: bool = False  # puts a new question in play (planner.apply: the redirect count starts over)
    main_question: bool = False  # a main question of the round (the opening one or the next one)
    asked_once: bool = False  # its question is never asked twice in an interview (the harness counts repeats)
    follow_up: bool = False  # follows up the answer; the LLM starts it from the candidate's words (anchor.py)
    echoes: bool = False  # the planned lead says the candidate's words back (answers._echo)
    probes_dimension: bool = False  # targets `Move.dimension`: that dimension counts as probed
    restates: bool = False  # says the question in play again or hands back to it: no new last prompt
    wrap_up: bool = False  # the candidate's questions at the end and the close
    short_answer: bool = False  # the candidate is not expected to give a long, thought-through answer next
    llm_writes: bool = False  # the LLM brain writes it; the others are spoken as planned (llm.py)
    lead_only: bool = False  # the LLM writes only the lead, the planner's question follows (llm_prompt.py)
    whole_turn: bool = False  # the LLM's `turn` tier writes the whole follow-up (llm_role.py)
    llm_asks: bool = False  # the LLM's turn ends with one question (the planned one is added if it did not)
    answer_was: str | None = None  # what the move says of the answer it replies to (feedback without answer_kind)


_FOLLOW_UP = dict(asks=True, follow_up=True, probes_dimension=True,
                  llm_writes=True, lead_only=True, whole_turn=True, llm_asks=True)
TRAITS: dict[MoveKind, Traits] = {
    MoveKind.OPEN: Traits(asks=True, main_question=True, asked_once=True),
    MoveKind.RESUME: Traits(restates=True),
    MoveKind.PROBE: Traits(**_FOLLOW_UP, asked_once=True, echoes=True),
    MoveKind.SPECIFICS: Traits(**_FOLLOW_UP, asked_once=True, echoes=True, answer_was="vague"),
    MoveKind.NEXT_QUESTION: Traits(asks=True, main_question=True, asked_once=True),
    MoveKind.HINT: Traits(probes_dimension=True),
    MoveKind.ENCOURAGE: Traits(llm_asks=True),
    MoveKind.REPEAT: Traits(restates=True, short_answer=True),
    MoveKind.THINK_ACK: Traits(),
    MoveKind.NUDGE: Traits(),
    MoveKind.CLARIFY: Traits(restates=True, short_answer=True),
    MoveKind.REDIRECT: Traits(restates=True, llm_writes=True, lead_only=True, whole_turn=True, llm_asks=True,
                              answer_was="off_topic"),
    MoveKind.CHALLENGE: Traits(**_FOLLOW_UP),
    MoveKind.WRAP_UP_QUESTIONS: Traits(wrap_up=True, short_answer=True),
    MoveKind.ANSWER_QUESTION: Traits(wrap_up=True, short_answer=True, llm_writes=True, llm_asks=True),
    MoveKind.CLOSE: Traits(wrap_up=True, short_answer=True),
    MoveKind.RUN_RESULT: Traits(llm_writes=True, lead_only=True),
    MoveKind.NONE: Traits(),
}

ANSWER_KINDS = ("ok", "vague", "unspecific", "off_topic", "dont_know", "clarifying", "repeat_request", "think", "none")


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
