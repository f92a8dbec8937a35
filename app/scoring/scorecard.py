"""The scorecard document (stored in Scorecard.data, served by the API, printed by `viva score --json`).

Overall score = the rubric-weighted mean of the dimension scores (1-4), rounded to 2 decimals.

Hire signal for the chosen level. The bar rises with the level: the same answers that make a mid-level
"lean hire" make a senior "lean no hire".

    weighted score at least:   strong hire   lean hire   lean no hire   (below: strong no hire)
    mid                            3.2          2.5          1.9
    senior                         3.4          2.8          2.2
    staff                          3.6          3.1          2.5

plus two floors: "strong hire" also needs every dimension at 3 or more (mid: 2 or more) and at most one
hint in the whole interview, else it is "lean hire"; any dimension scored 1 caps the signal at
"lean no hire" (a hire needs no blank area).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.catalog import Round
from app.scoring.pacing import Pacing, pacing
from app.scoring.speech import SpeechMetrics, speech_metrics
from app.scoring.transcript import TranscriptTurn

VERSION = 1
HIRE_SIGNALS = ("strong no hire", "lean no hire", "lean hire", "strong hire")
HIRE_BARS: dict[str, dict[str, float]] = {
    "mid": {"strong hire": 3.2, "lean hire": 2.5, "lean no hire": 1.9},
    "senior": {"strong hire": 3.4, "lean hire": 2.8, "lean no hire": 2.2},
    "staff": {"strong hire": 3.6, "lean hire": 3.1, "lean no hire": 2.5},
}
STRONG_HIRE_MIN_DIMENSION = {"mid": 2, "senior": 3, "staff": 3}
STRONG_HIRE_MAX_HINTS = 1


class Evidence(BaseModel):
    quote: str  # verbatim substring of the candidate turn `seq`
    seq: int
    start_ms: int
    end_ms: int


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
    flags: list[str] = []  # e.g. "list-like", "llm-evidence-unverified"
    assessed: bool = True  # an interviewer turn probed it or the candidate gave evidence for it
    scored_by: str = "offline"  # "offline" | "llm" | "offline-fallback" (the LLM failed on this dimension)


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
    overall: float
    hire_signal: str
    dimensions: list[DimensionScore]
    summary: str
    strengths: list[str] = []
    improvements: list[str] = []
    practice: list[str] = []
    hints_used: int = 0
    notes: list[str] = []
    speech: SpeechMetrics
    pacing: Pacing


def weighted_overall(dimensions: list[DimensionScore]) -> float:
    total = sum(d.weight for d in dimensions)
    return round(sum(d.weight * d.score for d in dimensions) / total, 2) if total else 1.0


def hire_signal(level: str, overall: float, scores: list[int], hints: int = 0) -> str:
    bars = HIRE_BARS.get(level, HIRE_BARS["senior"])
    lowest = min(scores, default=1)
    if (overall >= bars["strong hire"] and lowest >= STRONG_HIRE_MIN_DIMENSION.get(level, 3)
            and hints <= STRONG_HIRE_MAX_HINTS):
        return "strong hire"
    if overall >= bars["lean hire"] and lowest >= 2:
        return "lean hire"
    if overall >= bars["lean no hire"]:
        return "lean no hire"
    return "strong no hire"


def is_hint(turn: TranscriptTurn) -> bool:
    return not turn.is_candidate and (turn.meta.get("move") == "hint" or bool(turn.meta.get("hint_used")))


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
             fallback_reason: str | None = None) -> ScorecardDoc:
    """The whole document from dimension scores: overall, hire signal, narrative, speech and pacing."""
    from app.scoring.feedback import offline_narrative  # feedback imports this module

    hints, _ = count_hints(turns)
    overall = weighted_overall(dimensions)
    signal = hire_signal(level, overall, [d.score for d in dimensions], hints)
    speech = speech_metrics(turns)
    narrative = narrative or offline_narrative(rnd, level, dimensions, overall, signal, hints, speech)
    return ScorecardDoc(
        round=rnd.id, round_title=rnd.rubric.title, level=level, scorer=scorer,
        fallback_reason=fallback_reason, overall=overall, hire_signal=signal, dimensions=dimensions,
        summary=narrative.summary, strengths=narrative.strengths, improvements=narrative.improvements,
        practice=narrative.practice, hints_used=hints, notes=notes or [], speech=speech,
        pacing=pacing(rnd.rubric, turns),
    )
