"""Hidden-test results weigh on the correctness dimensions (issue 21): on fixtures, in coding and SQL,
passing + explained > passing + unexplained > failing + fluent explanation. The runs are real sandbox
runs of a correct and a buggy answer; the talk is scored by the real offline scorer."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from app.catalog import load_catalog
from app.runner import exercises, judge
from app.scoring.code_runs import RunRecord, apply_runs
from app.scoring.report import render_markdown
from app.scoring.rubric import OfflineScorer
from app.scoring.transcript import parse_transcript
from tests.runner.conftest import needs_sandbox  # noqa: F401  (the fixture)

pytestmark = pytest.mark.usefixtures("needs_sandbox")
ROOT = Path(__file__).resolve().parents[2]
CATALOG = load_catalog(ROOT / "rubrics", ROOT / "prompts")
EXERCISES = exercises.load_all(ROOT / "prompts")
FIXTURES = Path(__file__).parent / "code_transcripts"

CODING_EXPLAINED = (FIXTURES / "coding_explained.txt").read_text()
CODING_UNEXPLAINED = (FIXTURES / "coding_unexplained.txt").read_text()
SQL_EXPLAINED = (FIXTURES / "sql_explained.txt").read_text()
SQL_UNEXPLAINED = (FIXTURES / "sql_unexplained.txt").read_text()
BUGGY_TWO_SUM = """def two_sum(nums, target):
    seen = {}
    for i, x in enumerate(nums):
        if x > target:
            continue
        if target - x in seen:
            return [seen[target - x], i]
        seen[x] = i
"""
ONE_LEVEL = "SELECT m.id, m.name FROM employees e JOIN employees m ON m.id = e.manager_id WHERE e.id = 7"


def _record(qid: str, language: str, code: str) -> RunRecord:
    ex = EXERCISES[qid]
    result = asyncio.run(judge.run_sql(ex, code, "submit") if language == "sql"
                         else judge.run_code(ex, language, code, "submit"))
    return RunRecord(question_id=qid, language=language, mode="submit", status=result.status,
                     passed=result.passed, total=result.total, code=code,
                     result=result.model_dump(mode="json"))


def _score(round_id: str, transcript: str, runs: list[RunRecord], key: str):
    rnd = CATALOG.get(round_id)
    doc = apply_runs(OfflineScorer().score(rnd, "mid", parse_transcript(transcript)), rnd, runs)
    return doc, next(d for d in doc.dimensions if d.key == key)


@pytest.mark.parametrize("round_id, qid, language, good, bad, explained, unexplained, key", [
    ("coding", "two_sum_variants", "python", None, BUGGY_TWO_SUM, CODING_EXPLAINED, CODING_UNEXPLAINED,
     "correctness_testing"),
    ("database", "org_chart_recursive", "sql", None, ONE_LEVEL, SQL_EXPLAINED, SQL_UNEXPLAINED, "query_fluency"),
])
def test_passing_explained_beats_passing_unexplained_beats_failing_fluent(round_id, qid, language, good, bad,
                                                                          explained, unexplained, key):
    ex = EXERCISES[qid]
    good = ex.reference if language == "sql" else ex.reference[language]
    passing, failing = _record(qid, language, good), _record(qid, language, bad)
    assert passing.status == "passed" and failing.status == "failed"
    _, talk_only = _score(round_id, explained, [], key)
    _, best = _score(round_id, explained, [passing], key)
    _, plain = _score(round_id, unexplained, [passing], key)
    doc, fluent_failing = _score(round_id, explained, [failing], key)
    assert best.score > plain.score > fluent_failing.score, (best.score, plain.score, fluent_failing.score)
    assert talk_only.score >= 2  # the fluent talk alone would have scored well
    assert "hidden-tests-failed" in fluent_failing.flags and fluent_failing.code_evidence
    quote = fluent_failing.code_evidence[0]
    assert quote.first_line == 1 and quote.lines[0] == bad.splitlines()[0]
    assert doc.code[0].status == "failed" and doc.code[0].first_failure


def test_an_error_is_quoted_at_its_line_and_the_export_escapes_code():
    rnd = CATALOG.get("coding")
    code = "def two_sum(nums, target):\n    a = 1\n    b = 2\n    return [0, 1 // 0]  # <b>|x|</b>\n"
    run = _record("two_sum_variants", "python", code)
    doc = apply_runs(OfflineScorer().score(rnd, "mid", parse_transcript(CODING_EXPLAINED)), rnd, [run])
    dim = next(d for d in doc.dimensions if d.key == "correctness_testing")
    assert dim.code_evidence[0].first_line == 2 and "1 // 0" in dim.code_evidence[0].lines[-1]
    md = render_markdown(doc)
    assert "\n## Code\n" in md and "    4 |     return [0, 1 // 0]" in md
    assert "<b>|x|</b>" in md.split("\n## Code\n")[1]  # inside an indented code block: shown as text, not markup


def test_runs_only_against_the_examples_leave_the_talk_score():
    rnd = CATALOG.get("coding")
    ex = EXERCISES["two_sum_variants"]
    result = asyncio.run(judge.run_code(ex, "python", ex.reference["python"], "run"))
    run = RunRecord(question_id="two_sum_variants", language="python", mode="run", status=result.status,
                    passed=result.passed, total=result.total, code=ex.reference["python"],
                    result=result.model_dump(mode="json"))
    before = OfflineScorer().score(rnd, "mid", parse_transcript(CODING_EXPLAINED))
    after = apply_runs(before, rnd, [run])
    assert [d.score for d in after.dimensions] == [d.score for d in before.dimensions]
    assert after.code[0].runs == 1 and after.code[0].status is None
