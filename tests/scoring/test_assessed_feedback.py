"""Not assessed (issue 9 part 5) and feedback from what happened (issue 10 part 6)."""

from __future__ import annotations

from app.scoring.report import render_markdown, render_table
from app.scoring.rubric import OfflineScorer
from app.scoring.scorecard import NOT_ASSESSED
from app.scoring.transcript import TranscriptTurn
from tests.browser.seed import DATABASE_SHORT
from tests.scoring.conftest import load_transcript


def planner_turns() -> list[TranscriptTurn]:
    out, t = [], 0
    for i, (speaker, phase, text, *extra) in enumerate(DATABASE_SHORT):
        out.append(TranscriptTurn(seq=i + 1, speaker=speaker, text=text, start_ms=t, end_ms=t + 4000,
                                  meta={"phase": phase, **(extra[0] if extra else {})}))
        t += 5000
    return out


def test_never_probed_dimensions_are_not_assessed_and_out_of_the_overall(catalog):
    rnd = catalog.get("database")
    doc = OfflineScorer().score(rnd, "senior", planner_turns())
    by_key = {d.key: d for d in doc.dimensions}
    for key in ("schema_modelling", "transactions_concurrency"):
        d = by_key[key]
        assert not d.assessed and d.anchor == NOT_ASSESSED and d.evidence == []
        assert d.anchor != rnd.dimension(key).anchors[1]
    assert {k for k, d in by_key.items() if d.assessed} == {
        "query_fluency", "indexing_performance", "scaling_operations", "communication_tradeoffs"}
    assessed = [d for d in doc.dimensions if d.assessed]
    expected = round(sum(d.weight * d.score for d in assessed) / sum(d.weight for d in assessed), 2)
    assert doc.overall == expected
    assert set(doc.not_assessed) == {by_key["schema_modelling"].name, by_key["transactions_concurrency"].name}
    practise = " ".join(doc.practice)
    assert "Schema design and modelling (not assessed in this interview)" in practise
    assert "not assessed" in doc.summary.lower()


def test_exports_say_not_assessed(catalog):
    turns = planner_turns()
    doc = OfflineScorer().score(catalog.get("database"), "senior", turns)
    md = render_markdown(doc, {"id": 3}, turns)
    assert "| Schema design and modelling | 0.2 | not assessed |" in md
    assert "### Schema design and modelling: not assessed" in md
    assert "Not assessed in this interview" in render_table(doc)
    dumped = doc.model_dump()
    assert [d["assessed"] for d in dumped["dimensions"]].count(False) == 2


def test_feedback_names_what_happened_with_quotes_and_turns(catalog):
    turns = planner_turns()
    doc = OfflineScorer().score(catalog.get("database"), "senior", turns)
    kinds = {(m.kind, m.seq) for m in doc.moments}
    assert ("misconception", 2) in kinds and ("dont_know", 4) in kinds and ("hint", 5) in kinds
    for m in doc.moments:
        assert m.quote in next(t.text for t in turns if t.seq == m.seq)
    assert [m.id for m in doc.misconceptions] == ["row_number_ties"]
    q = next(d for d in doc.dimensions if d.key == "query_fluency")
    assert q.score <= 2 and "misconception" in q.flags
    improvements = " ".join(doc.improvements)
    assert "row number handles ties" in improvements and "RANK or DENSE_RANK" in improvements
    assert "\"I don't know\" (turn 4" in improvements  # the indexing probe went unanswered
    md = render_markdown(doc, {"id": 3}, turns)
    assert "## Corrections" in md and "## What happened" in md


def test_improvements_are_specific_to_each_dimension(catalog):
    doc = OfflineScorer().score(catalog.get("system_design"), "senior", load_transcript("system_design", "medium"))
    assert len(doc.improvements) == 3
    assert len({i.split(": ", 1)[1][:60] for i in doc.improvements}) == 3  # no shared template
    for item in doc.improvements:
        dim = next(d for d in doc.dimensions if item.startswith(d.name))
        if dim.evidence:
            assert dim.evidence[0].quote[:40] in item  # quotes what the candidate said there


def test_older_transcripts_without_meta_assess_everything(catalog):
    doc = OfflineScorer().score(catalog.get("database"), "senior", load_transcript("database", "weak"))
    assert all(d.assessed for d in doc.dimensions) and doc.not_assessed == []
