"""Scorecard endpoints and background scoring, through the API with turns from tests/factories.py."""

from __future__ import annotations

import time

import pytest
from sqlmodel import Session, select

from app import repository
from app.models import Interview, InterviewStatus, Scorecard, Speaker
from app.scoring.jobs import schedule_scoring
from tests.factories import add_turns, make_interview, make_user
from tests.scoring.conftest import load_transcript

ID_ENDPOINTS = [
    ("post", "/api/interviews/{id}/score"),
    ("get", "/api/interviews/{id}/scorecard"),
    ("get", "/api/interviews/{id}/report.md"),
    ("get", "/api/interviews/{id}/report.json"),
]


def lines(round_id: str, kind: str) -> list[tuple[str, str]]:
    return [(t.speaker, t.text) for t in load_transcript(round_id, kind)]


def finished_interview(client, round_id="system_design", kind="strong", user=None, words=False) -> int:
    with Session(client.app.state.engine) as session:
        interview = make_interview(session, user=user, round_id=round_id)
        add_turns(session, interview, lines(round_id, kind))
        if words:
            w = [
                {
                    "word": x,
                    "start_ms": 900_000 + i * 400,
                    "end_ms": 900_000 + i * 400 + 350,
                    "probability": 0.9,
                }
                for i, x in enumerate("Um, so I'd add a read replica because reads dominate.".split())
            ]
            repository.add_turn(
                session,
                interview.id,
                Speaker.candidate,
                " ".join(x["word"] for x in w),
                start_ms=900_000,
                end_ms=w[-1]["end_ms"],
                words=w,
                meta={"phase": "deep_dive"},
            )
        interview.status = InterviewStatus.finished
        session.add(interview)
        session.commit()
        return interview.id


def status_of(client, interview_id: int) -> str:
    with Session(client.app.state.engine) as session:
        return session.get(Interview, interview_id).status


def test_a_finished_interview_ends_up_with_a_scorecard_and_both_exports(client):
    iid = finished_interview(client, words=True)
    assert client.get(f"/api/interviews/{iid}/scorecard").status_code == 404

    async def like_the_stream_does():
        return await schedule_scoring(client.app, iid)

    assert client.portal.call(like_the_stream_does) is True
    assert status_of(client, iid) == "scored"

    card = client.get(f"/api/interviews/{iid}/scorecard")
    assert card.status_code == 200
    doc = card.json()
    for key in (
        "overall",
        "hire_signal",
        "dimensions",
        "speech",
        "pacing",
        "summary",
        "strengths",
        "improvements",
        "practice",
        "scorer",
    ):
        assert key in doc
    assert doc["scorer"] == "offline" and doc["interview_id"] == iid and doc["hire_signal"] == "strong hire"
    turns = {t["seq"]: t for t in client.get(f"/api/interviews/{iid}").json()["turns"]}
    for d in doc["dimensions"]:
        assert {"key", "name", "score", "rationale", "evidence", "missing"} <= set(d)
        for ev in d["evidence"]:
            assert set(ev) == {"quote", "seq", "start_ms", "end_ms", "cut_before", "cut_after"}
            assert ev["quote"] in turns[ev["seq"]]["text"] and turns[ev["seq"]]["speaker"] == "candidate"
    assert doc["speech"]["measured"] and doc["speech"]["filler_count"] == 1
    assert doc["pacing"]["measured"]

    listed = client.get("/api/interviews").json()["items"]
    assert next(i for i in listed if i["id"] == iid)["overall"] == doc["overall"]

    md = client.get(f"/api/interviews/{iid}/report.md")
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert f'filename="viva-interview-{iid}-system_design.md"' in md.headers["content-disposition"]
    assert f"**Overall: {doc['overall']:.2f} / 4" in md.text and "## Transcript" in md.text
    first_quote = doc["dimensions"][0]["evidence"][0]["quote"]
    assert " ".join(first_quote.split()) in md.text

    js = client.get(f"/api/interviews/{iid}/report.json")
    assert (
        js.status_code == 200
        and f"viva-interview-{iid}-system_design.json" in js.headers["content-disposition"]
    )
    body = js.json()
    assert body["scorecard"] == doc and body["interview"]["id"] == iid and len(body["turns"]) == len(turns)


def test_score_on_demand_in_the_background(client):
    iid = finished_interview(client, kind="weak")
    r = client.post(f"/api/interviews/{iid}/score")
    assert r.status_code == 202 and r.json()["status"] == "scoring"
    assert r.headers["location"] == f"/api/interviews/{iid}/scorecard"
    deadline = time.monotonic() + 20
    while (card := client.get(r.headers["location"])).status_code == 404:
        assert time.monotonic() < deadline, card.json()
        time.sleep(0.05)
    assert card.json()["hire_signal"] == "strong no hire" and status_of(client, iid) == "scored"


def test_score_and_wait_returns_the_scorecard_and_rescoring_replaces_it(client):
    iid = finished_interview(client)
    first = client.post(f"/api/interviews/{iid}/score", params={"wait": True})
    again = client.post(f"/api/interviews/{iid}/score", params={"wait": True})
    assert first.status_code == again.status_code == 200
    assert first.json()["dimensions"] == again.json()["dimensions"]
    with Session(client.app.state.engine) as session:
        assert len(session.exec(select(Scorecard).where(Scorecard.interview_id == iid)).all()) == 1


def test_no_scorecard_yet_says_the_status(client):
    iid = finished_interview(client)
    r = client.get(f"/api/interviews/{iid}/scorecard")
    assert r.status_code == 404 and "status: finished" in r.json()["detail"]
    assert client.get(f"/api/interviews/{iid}/report.md").status_code == 404


def test_an_interview_in_progress_cannot_be_scored(client):
    with Session(client.app.state.engine) as session:
        interview = make_interview(session)
        interview.status = InterviewStatus.active
        session.add(interview)
        session.commit()
        iid = interview.id
    r = client.post(f"/api/interviews/{iid}/score")
    assert r.status_code == 409 and "status: active" in r.json()["detail"]


class Boom:
    name = "boom"

    def score(self, rnd, level, turns):
        raise RuntimeError("scorer exploded")


def test_a_failing_scorer_marks_the_interview_failed_and_it_can_be_retried(client):
    iid = finished_interview(client)
    client.app.state.scorer = Boom()
    r = client.post(f"/api/interviews/{iid}/score", params={"wait": True})
    assert r.status_code == 500 and status_of(client, iid) == "failed"
    assert "status: failed" in client.get(f"/api/interviews/{iid}/scorecard").json()["detail"]
    del client.app.state.scorer  # the next job builds the scorer from the settings again
    assert client.post(f"/api/interviews/{iid}/score", params={"wait": True}).status_code == 200
    assert status_of(client, iid) == "scored"


def test_scheduling_twice_while_running_returns_the_same_task(client):
    iid = finished_interview(client)

    async def twice():
        a, b = schedule_scoring(client.app, iid), schedule_scoring(client.app, iid)
        return a is b, await a

    assert client.portal.call(twice) == (True, True)


@pytest.mark.parametrize("method,path", ID_ENDPOINTS)
def test_unknown_interview_is_404(client, method, path):
    r = getattr(client, method)(path.format(id=999_999))
    assert r.status_code == 404 and "not found" in r.json()["detail"]


@pytest.mark.parametrize("method,path", ID_ENDPOINTS)
def test_another_users_interview_is_404(client, method, path):
    with Session(client.app.state.engine) as session:
        other = make_user(session)
    iid = finished_interview(client, user=other)
    with Session(client.app.state.engine) as session:
        session.add(
            Scorecard(interview_id=iid, scorer="offline", overall=3.0, hire_signal="lean hire", data={})
        )
        session.commit()
    r = getattr(client, method)(path.format(id=iid))
    assert r.status_code == 404 and "not found" in r.json()["detail"]
    assert status_of(client, iid) == "finished"


def test_progress_per_dimension_oldest_first_for_the_caller_only(client):
    weak, strong = finished_interview(client, kind="weak"), finished_interview(client, kind="strong")
    with Session(client.app.state.engine) as session:
        theirs = finished_interview(client, user=make_user(session))
    other_round = finished_interview(client, round_id="coding")
    for iid in (weak, strong, other_round):
        assert client.post(f"/api/interviews/{iid}/score", params={"wait": True}).status_code == 200

    async def score_theirs():
        return await schedule_scoring(client.app, theirs)

    assert client.portal.call(score_theirs) and status_of(client, theirs) == "scored"
    unscored = finished_interview(client)

    r = client.get("/api/progress", params={"round": "system_design"})
    assert r.status_code == 200
    body = r.json()
    assert body["round"] == "system_design"
    assert [i["interview_id"] for i in body["interviews"]] == [weak, strong]
    assert unscored not in [i["interview_id"] for i in body["interviews"]]
    keys = [d.key for d in client.app.state.catalog.get("system_design").rubric.dimensions]
    assert [d["key"] for d in body["dimensions"]] == keys
    for d in body["dimensions"]:
        assert [p["interview_id"] for p in d["scores"]] == [weak, strong]
        assert d["scores"][0]["score"] < d["scores"][1]["score"]
    assert body["interviews"][0]["overall"] < body["interviews"][1]["overall"]


def test_progress_needs_a_known_round(client):
    assert client.get("/api/progress").status_code == 422
    r = client.get("/api/progress", params={"round": "karaoke"})
    assert r.status_code == 422 and "system_design" in r.json()["detail"][0]["msg"]
    assert client.get("/api/progress", params={"round": "behavioral"}).json()["interviews"] == []


def test_progress_overview_opens_on_the_round_practised_last(client):
    assert client.get("/api/progress/overview").json() == {"latest_round": None, "rounds": []}
    sd = finished_interview(client, kind="weak")
    assert client.post(f"/api/interviews/{sd}/score", params={"wait": True}).status_code == 200
    sd2 = finished_interview(client, kind="strong")
    assert client.post(f"/api/interviews/{sd2}/score", params={"wait": True}).status_code == 200
    coding = finished_interview(client, round_id="coding")  # newest, not scored yet
    with Session(client.app.state.engine) as session:
        finished_interview(client, round_id="database", user=make_user(session))  # someone else's
    body = client.get("/api/progress/overview").json()
    assert body["latest_round"] == "coding"
    assert [r["round"] for r in body["rounds"]] == ["coding", "system_design"]
    code, design = body["rounds"]
    assert (code["sessions"], code["scored"], code["latest_overall"]) == (1, 0, None)
    assert (design["sessions"], design["scored"]) == (2, 2)
    strong_overall = client.get(f"/api/interviews/{sd2}/scorecard").json()["overall"]
    assert design["latest_overall"] == design["best_overall"] == strong_overall
    assert coding


def test_interviews_left_unscored_by_a_crash_are_scored_at_start_up(settings):
    """A process that stopped between `finished` and `scored` loses nothing: the next start scores it."""
    from fastapi.testclient import TestClient

    from app.main import create_app

    with TestClient(create_app(settings)) as first:
        iid = finished_interview(first)
        with Session(first.app.state.engine) as session:  # as if killed mid-scoring
            interview = session.get(Interview, iid)
            interview.status = InterviewStatus.scoring
            session.add(interview)
            session.commit()
    with TestClient(create_app(settings)) as second:
        deadline = time.monotonic() + 30
        while status_of(second, iid) != "scored" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert status_of(second, iid) == "scored"
        assert second.get(f"/api/interviews/{iid}/scorecard").json()["overall"] > 1
