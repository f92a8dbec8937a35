"""The interview state: everything the interviewer needs to continue, as plain JSON.

The stream session stores `InterviewState.model_dump(mode="json")` in `Interview.state` after every turn,
so a restarted server rebuilds the interviewer from it (`InterviewState.model_validate(...)`). Times are
seconds of *connected* interview time (`elapsed_s`), never wall-clock timestamps, so a resume simply
continues the clock from where it stopped.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

STATE_VERSION = 1
MAX_HISTORY = 40  # turns kept for context (LLM prompt, repeats); the store keeps the full transcript

EventKind = Literal["open", "resume", "answer", "silence", "run"]
WrapUp = Literal["none", "asked", "closed"]


class HistoryEntry(BaseModel):
    speaker: Literal["interviewer", "candidate"]
    text: str
    move: str | None = None
    question_id: str | None = None
    elapsed_s: float = 0.0
    typed: bool = False
    interrupted: bool = False


class NearMyth(BaseModel):
    """A part of an answer that asserts something near a misconception (app.hearing, meaning.NEAR)."""

    id: str  # the misconception
    start: int  # the part's character span in the answer
    end: int
    similarity: float
    probe: bool = True  # closer to the myth than to its truth (meaning.MYTH_MARGIN): may be probed; else only unsaid


class Event(BaseModel):
    """What the interviewer is replying to on this turn."""

    kind: EventKind
    text: str = ""
    typed: bool = False
    intent: str | None = None  # see intents.detect_intent
    silence_s: float = 0.0
    new_signals: dict[str, list[str]] = Field(default_factory=dict)  # dimension -> signals first heard now
    unsure: list[str] = Field(default_factory=list)  # words the recogniser was unsure of: never said back
    # heard by meaning (app.hearing, in a worker thread before the reply): myths the answer asserts in
    # words of its own (misconception ids, in the order said), and another question of the round it
    # answers instead of the one in play
    myths: list[str] = Field(default_factory=list)
    near: list[NearMyth] = Field(default_factory=list)  # parts near a myth: never said back (near_myths.py)
    answers_other: str | None = None
    about_nothing: bool = False  # far from every question of the round (app.hearing.relevance.about_nothing)
    points: dict[str, str] = Field(default_factory=dict)  # key point id -> status heard in this answer (gaps.py)
    run: dict[str, Any] | None = None  # kind "run": the run's result (app/runner/results.RunResult dump)
    board: dict[str, Any] | None = None  # the whiteboard's graph as drawn now (app/board/graph.py), if any


class InterviewState(BaseModel):
    version: int = STATE_VERSION
    round_id: str
    level: str
    phase: str = "intro"  # the phase key the interviewer last spoke in
    elapsed_s: float = 0.0  # connected time so far (updated before every reply and in snapshots)
    remaining_s: float | None = None  # of the whole round, as of elapsed_s (for readers of the snapshot)

    # questions
    question_id: str | None = None  # the main question in play
    question_started_s: float = 0.0
    asked_questions: list[str] = Field(default_factory=list)
    asked_probes: list[str] = Field(default_factory=list)  # "<question_id>:<probe index>"
    hints_used: list[str] = Field(default_factory=list)  # question ids
    specifics_asked: int = 0  # over the whole interview (picks the wording)
    question_specifics: int = 0  # for the question in play
    last_prompt: str = ""  # the last question put to the candidate, for "can you repeat that?"
    probe_in_play: str | None = None  # "<question_id>:<probe index>" of the last probe asked, None: the question
    probe_hints: list[str] = Field(default_factory=list)  # probe tags whose own hint was given
    probed: list[str] = Field(default_factory=list)  # dimensions an interviewer turn targeted
    progress: int = 0  # candidate answers so far (not repeats or "let me think"): paces the phases
    question_answers: int = 0  # ... while the question in play was in play
    redirects: int = 0  # redirects since the last question was put (one, then we move on)
    facts_given: list[str] = Field(default_factory=list)  # fact ids told to the candidate, in order
    challenged: list[str] = Field(default_factory=list)  # misconception ids challenged (each once), in order
    question_challenges: int = 0  # challenges while the question in play was in play
    question_points: dict[str, str] = Field(default_factory=dict)  # key point id -> status, problem in play
    board_turn: int = -1  # interviewer_turns when a turn last spoke about the whiteboard (app/board/followup.py)

    # evidence: dimension -> rubric signal names heard (whole interview / the question in play)
    coverage: dict[str, list[str]] = Field(default_factory=dict)
    question_coverage: dict[str, list[str]] = Field(default_factory=dict)
    evidence_hits: dict[str, int] = Field(default_factory=dict)  # dimension -> phrase hits (strength)

    # conversation
    history: list[HistoryEntry] = Field(default_factory=list)
    candidate_turns: int = 0
    interviewer_turns: int = 0
    last_move: str | None = None
    prompt_move: str | None = None  # the kind of move that put `last_prompt` (a challenge stays one when repeated)
    waiting: bool = False  # the candidate asked for time to think
    nudges: int = 0  # nudges given in the current silence
    interruptions: int = 0
    wrap_up: WrapUp = "none"
    candidate_questions: int = 0  # questions the candidate asked in the wrap-up
    finished: bool = False
    fallbacks: int = 0  # LLM turns that fell back to the offline move

    # the room's editor (app/runner): the latest code, and what was asked after runs (each once a question)
    code: str = ""
    code_language: str = ""
    run_asked: list[str] = Field(default_factory=list)  # "<question_id>:complexity" / ":testing"
    runs: int = 0

    event: Event | None = None  # the event being answered (set by the Interviewer before each reply)
    last_meta: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def new(cls, round_id: str, level: str) -> InterviewState:
        return cls(round_id=round_id, level=level)

    def add_history(self, entry: HistoryEntry) -> None:
        self.history.append(entry)
        if len(self.history) > MAX_HISTORY:
            del self.history[: len(self.history) - MAX_HISTORY]

    def record_signals(self, hits: list[tuple[str, str]]) -> dict[str, list[str]]:
        """Add (dimension, signal) hits; returns the signals heard for the first time, per dimension."""
        new: dict[str, list[str]] = {}
        for dim, signal in hits:
            self.evidence_hits[dim] = self.evidence_hits.get(dim, 0) + 1
            heard = self.coverage.setdefault(dim, [])
            if signal not in heard:
                heard.append(signal)
                new.setdefault(dim, []).append(signal)
            in_question = self.question_coverage.setdefault(dim, [])
            if signal not in in_question:
                in_question.append(signal)
        return new

    def strength(self, signal_counts: dict[str, int]) -> dict[str, float]:
        """How strongly each dimension is covered: share of its signals heard, 0..1."""
        return {dim: round(len(self.coverage.get(dim, ())) / n, 3) for dim, n in signal_counts.items() if n}
