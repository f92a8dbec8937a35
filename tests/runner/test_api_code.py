"""GET /api/interviews/{id}/code: ok, not found, not yours; drafts and runs go with the interview."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.runner import store as code_store
from app.runner.results import RunResult
from tests.factories import make_interview, make_user


@pytest.fixture
def session(client):
    with Session(client.app.state.engine) as s:
        yield s


def _run(qid="two_sum_variants") -> RunResult:
    return RunResult(question_id=qid, language="python", mode="submit", status="failed", passed=4, total=5)


def test_the_code_of_an_interview_in_time_order(client, session):
    interview = make_interview(session, round_id="coding", level="mid")
    engine = client.app.state.engine
    code_store.save_draft(engine, interview.id, "two_sum_variants", "python", "def two_sum(): pass")
    code_store.save_draft(engine, interview.id, "two_sum_variants", "python", "def two_sum(nums, t): pass")
    code_store.add_run(engine, interview.id, 9000, "v2", _run())
    code_store.add_run(engine, interview.id, 4000, "v1", _run())
    body = client.get(f"/api/interviews/{interview.id}/code").json()
    assert [d["code"] for d in body["drafts"]] == ["def two_sum(nums, t): pass"]  # one draft per question
    assert [r["code"] for r in body["runs"]] == ["v1", "v2"]
    assert body["runs"][0]["result"]["passed"] == 4


def test_code_of_a_missing_or_someone_elses_interview_is_not_found(client, session):
    assert client.get("/api/interviews/9999/code").status_code == 404
    theirs = make_interview(session, make_user(session), round_id="coding", level="mid")
    code_store.add_run(client.app.state.engine, theirs.id, 0, "secret", _run())
    assert client.get(f"/api/interviews/{theirs.id}/code").status_code == 404


def test_deleting_the_interview_deletes_its_code(client, session):
    interview = make_interview(session, round_id="coding", level="mid")
    engine = client.app.state.engine
    code_store.save_draft(engine, interview.id, "two_sum_variants", "python", "x")
    code_store.add_run(engine, interview.id, 0, "x", _run())
    assert client.delete(f"/api/interviews/{interview.id}").status_code == 204
    assert code_store.drafts_of(session, interview.id) == [] and code_store.runs_of(session, interview.id) == []
