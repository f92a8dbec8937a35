"""Markdown export and terminal table."""

from __future__ import annotations

from app.scoring.report import clock, render_markdown, render_table
from app.scoring.rubric import OfflineScorer
from tests.scoring.conftest import load_transcript


def test_clock():
    assert [clock(0), clock(61_500), clock(3_600_000 + 62_000), clock(None)] == [
        "0:00",
        "1:01",
        "1:01:02",
        "-",
    ]


def test_markdown_has_scores_evidence_missing_and_speech(catalog):
    turns = load_transcript("api_design", "strong")
    doc = OfflineScorer().score(catalog.get("api_design"), "staff", turns)
    md = render_markdown(doc, {"id": 7, "created_at": "2025-01-02T03:04:05"}, turns)
    assert md.startswith("# API Design interview: scorecard") or md.startswith("# ")
    assert "Interview 7 · Level: staff · scorer: offline · date: 2025-01-02" in md
    for d in doc.dimensions:
        assert f"### {d.name}: {d.score}/4" in md and f"| {d.name} | {d.weight:g} | {d.score}/4 |" in md
        for ev in d.evidence:
            assert f"— turn {ev.seq}, {clock(ev.start_ms)}–{clock(ev.end_ms)}" in md
    assert "never part of the scores" in md and "not measured (no word timings)" in md
    assert "## Pacing" in md and "## Transcript" in md


def test_table_lists_every_dimension(catalog):
    doc = OfflineScorer().score(
        catalog.get("distributed_systems"), "senior", load_transcript("distributed_systems", "weak")
    )
    table = render_table(doc)
    for d in doc.dimensions:
        assert d.name[:39] in table
    assert f"OVERALL {doc.overall:.2f} / 4 — {doc.hire_signal}" in table
