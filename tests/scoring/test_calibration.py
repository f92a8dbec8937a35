"""Calibration (issue 10): the hire signal per level, as documented in docs/scoring.md, on the fixtures."""

from __future__ import annotations

import re

import pytest

from app.config import ROOT
from app.scoring.rubric import OfflineScorer
from app.scoring.scorecard import HIRE_BARS
from tests.scoring.conftest import ROUNDS, load_transcript

HIRE = ("lean hire", "strong hire")


def test_docs_table_is_the_code():
    doc = (ROOT / "docs" / "scoring.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| (mid|senior|staff) \| ([\d.]+ \| [\d.]+ \| [\d.]+) \|$", doc, re.MULTILINE))
    assert set(rows) == set(HIRE_BARS)
    for level, cells in rows.items():
        strong, lean, lean_no = (float(c) for c in cells.split(" | "))
        assert HIRE_BARS[level] == {"strong hire": strong, "lean hire": lean, "lean no hire": lean_no}


@pytest.mark.parametrize("round_id", ROUNDS)
def test_senior_answers_land_where_their_grade_says(catalog, round_id):
    rnd = catalog.get(round_id)
    signal = {k: OfflineScorer().score(rnd, "senior", load_transcript(round_id, k)).hire_signal
              for k in ("strong", "plain", "garbled", "short", "medium", "weak", "wrong")}
    for kind in ("strong", "plain", "garbled", "short"):
        assert signal[kind] in HIRE, (kind, signal)
    assert signal["medium"] == "lean no hire", signal
    assert signal["weak"] == "strong no hire", signal
    assert signal["wrong"] in ("strong no hire", "lean no hire"), signal


@pytest.mark.parametrize("round_id", ROUNDS)
def test_the_bar_rises_with_the_level(catalog, round_id):
    order = ["strong no hire", "lean no hire", "lean hire", "strong hire"]
    turns = load_transcript(round_id, "short")
    ranks = [order.index(OfflineScorer().score(catalog.get(round_id), lvl, turns).hire_signal)
             for lvl in ("mid", "senior", "staff")]
    assert ranks == sorted(ranks, reverse=True)
