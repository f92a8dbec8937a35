"""The scorecard document (stored in Scorecard.data, served by the API, printed by `viva score --json`).

Overall score = the rubric-weighted mean of the dimension scores (1-4), rounded to 2 decimals.

Hire signal for the chosen level. The bar rises with the level: the same answers that make a mid-level
"lean hire" make a senior "lean no hire".

    weighted score at least:   strong hire   lean hire   lean no hire   (below: strong no hire)
    mid                            3.0          2.4          1.6
    senior                         3.3          2.7          1.7
    staff                          3.5          3.0          1.9

plus floors: "strong hire" also needs every dimension at 3 or more (mid: 2 or more) and at most one
hint in the whole interview, else it is "lean hire"; one dimension scored 1 rules out "strong hire", two
or more cap the signal at "lean no hire" (a hire has at most one blank area). Only assessed dimensions
count (see assessed.py). Calibrated on the graded fixtures (tests/scoring/test_calibration.py): strong
answers for the level reach "lean hire" or better, medium ones "lean no hire", weak ones "strong no hire".
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from app.catalog import Round
from app.interviewer.moves import MoveKind
from app.scoring.pacing import Pacing, pacing
from app.scoring.speech import SpeechMetrics, speech_metrics
from app.scoring.transcript import TranscriptTurn

VERSION = 1
HIRE_SIGNALS = ("strong no hire", "lean no hire", "lean hire", "strong hire")
HIRE_BARS: dict[str, dict[str, float]] = {
    "mid": {"strong hire": 3.0, "lean hire": 2.4, "lean no hire": 1.6},
    "senior": {"strong hire": 3.3, "lean hire": 2.7, "lean no hire": 1.7},
    "staff": {"strong hire": 3.5, "lean hire": 3.0, "lean no hire": 1.9},
}
STRONG_HIRE_MIN_DIMENSION = {"mid": 2, "senior": 3, "staff": 3}
STRONG_HIRE_MAX_HINTS = 1
MAX_BLANKS_FOR_HIRE = 1  # dimensions scored 1 that a "lean hire" tolerates


class Evidence(BaseModel):
    quote: str  # verbatim substring of the candidate turn `seq`: a sentence, or whole clauses of a long one
    seq: int
    start_ms: int
    end_ms: int
    cut_before: bool = False  # the sentence began before the quote (show "…" before it, outside the quote)
    cut_after: bool = False  # the sentence goes on after the quote


class MisconceptionHit(BaseModel):
    """A common wrong claim of the round (rubric `misconceptions`) heard in a candidate turn."""

    id: str
    dimension: str
    quote: str  # verbatim substring of candidate turn `seq`: the sentence that makes the claim
    seq: int
    start_ms: int
    end_ms: int
    correction: str
    cap: int  # the dimension scores at most this
    cut_before: bool = False  # as in Evidence: the quote is whole clauses of a longer sentence
    cut_after: bool = False


class Moment(BaseModel):
    """Something that happened in the interview that the feedback names: a vague answer, an off-topic one,
    an "I don't know", a hint, a misconception."""

    kind: str  # "vague" | "off_topic" | "dont_know" | "hint" | "misconception"
    seq: int  # the candidate turn (for a hint: the interviewer turn that gave it)
    quote: str  # verbatim from that turn
    dimension: str | None = None
    note: str = ""


NOT_ASSESSED = "Not assessed in this interview."


class CodeQuote(BaseModel):
    """Lines of the candidate's final code quoted as evidence (app/scoring/code_runs.py)."""

    question_id: str
    language: str
    first_line: int  # 1-based number of lines[0]
    lines: list[str]
    note: str = ""


class CodeWork(BaseModel):
    """What was written and run for one question: the final code and the last run of each kind."""

    question_id: str
    language: str
    code: str
    runs: int = 0  # Run (examples) presses
    submits: int = 0  # Submit (hidden tests) presses
    status: str | None = None  # of the last submit: passed | failed | error | None (never submitted)
    passed: int = 0
    total: int = 0
    first_failure: str | None = None  # the failing input (or dataset) of the last submit


class DimensionScore(BaseModel):
    key: str
    name: str
    weight: float
    score: int = Field(ge=1, le=4)
    anchor: str  # the rubric's description of this score
    rationale: str
    evidence: list[Evidence] = []
    missing: list[str] = []  # signals a strong answer would also show
    signals_found: list[str] = []
    reasoning: list[str] = []  # kinds of reasoning found around the evidence (see depth.KINDS)
    hints: int = 0  # hints the interviewer gave on this dimension
    flags: list[str] = []  # e.g. "list-like", "llm-evidence-unverified", "misconception"
    assessed: bool = True  # False: never probed and no evidence; left out of the overall and hire signal
    scored_by: str = "offline"  # "offline" | "llm" | "offline-fallback"
    code_evidence: list[CodeQuote] = []  # the code quoted with its line numbers (correctness dimensions)
    drawn: list[dict[str, Any]] = []  # the whiteboard as evidence: {text, version, at_ms} (app/board/evidence.py)
    drawn_gaps: list[str] = []  # what the question's design needs and the final drawing lacks


class Narrative(BaseModel):
    summary: str
    strengths: list[str] = []
    improvements: list[str] = []
    practice: list[str] = []


class ScorecardDoc(BaseModel):
    version: int = VERSION
    interview_id: int | None = None
    round: str
    round_title: str
    level: str
    scorer: str  # "offline" | "llm" | "offline-fallback"
    fallback_reason: str | None = None
    refining_with: str | None = None  # this is the offline card; this model's refinement will replace it
    refined_by: str | None = None  # the model that refined this card (scorer "llm")
    overall: float
    hire_signal: str
    dimensions: list[DimensionScore]
    summary: str
    strengths: list[str] = []
    improvements: list[str] = []
    practice: list[str] = []
    hints_used: int = 0
    misconceptions: list[MisconceptionHit] = []
    moments: list[Moment] = []
    not_assessed: list[str] = []  # names of the dimensions not assessed
    notes: list[str] = []
    speech: SpeechMetrics
    pacing: Pacing
    code: list[CodeWork] = []  # per question with code runs (app/scoring/code_runs.py)


def weighted_overall(dimensions: list[DimensionScore]) -> float:
    """The weighted mean over the assessed dimensions (never-probed ones say nothing either way)."""
    dimensions = [d for d in dimensions if d.assessed]
    total = sum(d.weight for d in dimensions)
    return round(sum(d.weight * d.score for d in dimensions) / total, 2) if total else 1.0


def hire_signal(level: str, overall: float, scores: list[int], hints: int = 0) -> str:
    bars = HIRE_BARS.get(level, HIRE_BARS["senior"])
    lowest = min(scores, default=1)
    blanks = sum(s <= 1 for s in scores) if scores else 2
    if (overall >= bars["strong hire"] and lowest >= STRONG_HIRE_MIN_DIMENSION.get(level, 3)
            and hints <= STRONG_HIRE_MAX_HINTS):
        return "strong hire"
    if overall >= bars["lean hire"] and blanks <= MAX_BLANKS_FOR_HIRE:
        return "lean hire"
    if overall >= bars["lean no hire"]:
        return "lean no hire"
    return "strong no hire"


def is_hint(turn: TranscriptTurn) -> bool:
    return not turn.is_candidate and (turn.meta.get("move") == MoveKind.HINT or bool(turn.meta.get("hint_used")))


def count_hints(turns: list[TranscriptTurn]) -> tuple[int, dict[str, int]]:
    """All hints the interviewer gave, and those given on a named dimension."""
    total, by_dim = 0, {}
    for t in turns:
        if is_hint(t):
            total += 1
            if dim := t.meta.get("dimension"):
                by_dim[dim] = by_dim.get(dim, 0) + 1
    return total, by_dim


def assemble(rnd: Round, level: str, turns: list[TranscriptTurn], dimensions: list[DimensionScore], *,
             scorer: str, narrative: Narrative | None = None, notes: list[str] | None = None,
             fallback_reason: str | None = None,
             misconceptions: list[MisconceptionHit] | None = None) -> ScorecardDoc:
    """The whole document from dimension scores: which dimensions were assessed, overall, hire signal,
    narrative (with the moments it names), speech and pacing."""
    from app.scoring.assessed import mark_assessed  # both import this module
    from app.scoring.feedback import moments, offline_narrative

    dimensions = mark_assessed(rnd, turns, dimensions)
    wrong = misconceptions or []
    hints, _ = count_hints(turns)
    overall = weighted_overall(dimensions)
    signal = hire_signal(level, overall, [d.score for d in dimensions if d.assessed], hints)
    speech = speech_metrics(turns)
    happened = moments(turns, wrong)
    narrative = narrative or offline_narrative(rnd, level, dimensions, overall, signal, hints, speech,
                                               turns=turns, happened=happened)
    return ScorecardDoc(
        round=rnd.id, round_title=rnd.rubric.title, level=level, scorer=scorer,
        fallback_reason=fallback_reason, overall=overall, hire_signal=signal, dimensions=dimensions,
        summary=narrative.summary, strengths=narrative.strengths, improvements=narrative.improvements,
        practice=narrative.practice, hints_used=hints, misconceptions=wrong, moments=happened,
        not_assessed=[d.name for d in dimensions if not d.assessed], notes=notes or [], speech=speech,
        pacing=pacing(rnd.rubric, turns),
    )
