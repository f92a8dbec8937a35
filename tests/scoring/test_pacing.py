"""Pacing: minutes per phase from turn times, against the round's targets."""

from __future__ import annotations

from app.scoring.pacing import pacing, phase_minutes
from app.scoring.transcript import TranscriptTurn

MIN = 60_000


def t(seq, start_min, end_min, phase=None):
    return TranscriptTurn(
        seq=seq,
        speaker="candidate" if seq % 2 else "interviewer",
        text="x",
        start_ms=int(start_min * MIN),
        end_ms=int(end_min * MIN),
        meta={"phase": phase} if phase else {},
    )


def test_time_runs_to_the_next_turn_and_phaseless_turns_inherit():
    turns = [t(1, 0, 1, "intro"), t(2, 1.5, 2, None), t(3, 3, 9, "requirements"), t(4, 10, 12, "wrap_up")]
    assert phase_minutes(turns) == {"intro": 3.0, "requirements": 7.0, "wrap_up": 2.0}


def test_status_against_targets(catalog):
    rubric = catalog.get("system_design").rubric  # intro 2, requirements 5, estimation 4, ... wrap_up 3
    turns = [
        t(1, 0, 2, "intro"),
        t(2, 2, 12, "requirements"),
        t(3, 12, 14, "deep_dive"),
        t(4, 14, 15, "smalltalk"),
    ]
    result = pacing(rubric, turns)
    by_key = {p.key: p for p in result.phases}
    assert result.measured and result.target_total_min == 45 and result.actual_total_min == 15
    assert by_key["intro"].status == "on_time" and by_key["intro"].delta_min == 0
    assert by_key["requirements"].status == "over" and by_key["requirements"].actual_min == 10
    assert by_key["deep_dive"].status == "under" and by_key["estimation"].status == "skipped"
    assert by_key["smalltalk"].status == "unplanned" and by_key["smalltalk"].target_min is None


def test_no_phases_is_not_measured(catalog):
    result = pacing(catalog.get("coding").rubric, [t(1, 0, 1)])
    assert not result.measured and all(p.status == "skipped" for p in result.phases)
