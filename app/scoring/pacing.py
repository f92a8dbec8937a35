"""Pacing: minutes spent in each phase of the round against the rubric's targets. Pure functions.

Every stored turn's meta carries "phase". A turn's time runs from its start to the next turn's start
(the last turn: to its own end), and counts for its phase; a turn without a phase inherits the phase
of the turn before it. A phase is "on_time" within max(1 minute, 25% of its target) of the target,
else "over" or "under"; a phase with a target and no time at all is "skipped".
"""

from __future__ import annotations

from pydantic import BaseModel

from app.catalog import Rubric
from app.scoring.transcript import TranscriptTurn

TOLERANCE_MIN = 1.0
TOLERANCE_SHARE = 0.25


class PhasePace(BaseModel):
    key: str
    name: str
    target_min: float | None  # None for a phase the rubric does not know
    actual_min: float
    delta_min: float | None
    status: str  # on_time | over | under | skipped | unplanned


class Pacing(BaseModel):
    measured: bool  # False when no turn carries a phase
    phases: list[PhasePace] = []
    target_total_min: float = 0
    actual_total_min: float = 0


def _status(target: float, actual: float) -> str:
    if actual <= 0:
        return "skipped"
    tolerance = max(TOLERANCE_MIN, TOLERANCE_SHARE * target)
    if actual > target + tolerance:
        return "over"
    if actual < target - tolerance:
        return "under"
    return "on_time"


def phase_minutes(turns: list[TranscriptTurn]) -> dict[str, float]:
    ordered = sorted(turns, key=lambda t: (t.start_ms, t.seq))
    spent: dict[str, float] = {}
    phase: str | None = None
    for i, t in enumerate(ordered):
        phase = t.phase or phase
        if phase is None:
            continue
        end = ordered[i + 1].start_ms if i + 1 < len(ordered) else t.end_ms
        spent[phase] = spent.get(phase, 0.0) + max(0, end - t.start_ms) / 60000
    return spent


def pacing(rubric: Rubric, turns: list[TranscriptTurn]) -> Pacing:
    spent = phase_minutes(turns)
    result = Pacing(measured=bool(spent), target_total_min=rubric.duration_minutes,
                    actual_total_min=round(sum(spent.values()), 2))
    for ph in rubric.phases:
        actual = round(spent.pop(ph.key, 0.0), 2)
        result.phases.append(PhasePace(key=ph.key, name=ph.name, target_min=ph.minutes, actual_min=actual,
                                       delta_min=round(actual - ph.minutes, 2),
                                       status=_status(ph.minutes, actual)))
    for key, actual in sorted(spent.items()):
        result.phases.append(PhasePace(key=key, name=key.replace("_", " "), target_min=None,
                                       actual_min=round(actual, 2), delta_min=None, status="unplanned"))
    return result
