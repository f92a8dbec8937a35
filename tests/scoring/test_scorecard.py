"""Overall score and hire signal: documented thresholds, a higher bar for higher levels."""

from __future__ import annotations

import pytest

from app.scoring.scorecard import DimensionScore, hire_signal, weighted_overall


def dim(key: str, weight: float, score: int) -> DimensionScore:
    return DimensionScore(key=key, name=key, weight=weight, score=score, anchor="x" * 10, rationale="r")


def test_overall_is_the_weighted_mean():
    assert weighted_overall([dim("a", 0.25, 4), dim("b", 0.75, 2)]) == 2.5
    assert weighted_overall([dim("a", 0.2, 3), dim("b", 0.3, 3), dim("c", 0.5, 4)]) == 3.5


@pytest.mark.parametrize(
    "level,overall,scores,expected",
    [
        ("mid", 3.2, [3, 3, 4], "strong hire"),
        ("senior", 3.2, [3, 3, 4], "lean hire"),
        ("staff", 3.2, [3, 3, 4], "lean hire"),
        ("mid", 2.6, [2, 3, 3], "lean hire"),
        ("senior", 2.6, [2, 3, 3], "lean no hire"),
        ("staff", 2.6, [2, 3, 3], "lean no hire"),
        ("staff", 1.8, [2, 2, 2], "strong no hire"),
        ("senior", 1.6, [2, 2, 1], "strong no hire"),
        ("mid", 1.7, [2, 2, 1], "lean no hire"),
    ],
)
def test_the_bar_rises_with_the_level(level, overall, scores, expected):
    assert hire_signal(level, overall, scores) == expected


def test_floors_strong_hire_needs_no_weak_dimension_and_few_hints():
    assert hire_signal("senior", 3.6, [4, 4, 2]) == "lean hire"
    assert hire_signal("mid", 3.6, [4, 4, 2]) == "strong hire"
    assert hire_signal("senior", 3.6, [4, 4, 3], hints=2) == "lean hire"
    assert hire_signal("senior", 3.6, [4, 4, 3], hints=1) == "strong hire"
    # one blank dimension rules out strong hire (issue 10's calibration: it used to cap at lean no hire,
    # which sank concise strong answers with one dimension they never narrated); two cap at lean no hire
    assert hire_signal("mid", 3.0, [4, 4, 1]) == "lean hire"
    assert hire_signal("mid", 3.0, [4, 1, 1, 4, 4, 4]) == "lean no hire"
