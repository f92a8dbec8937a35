"""REST routes: ok, not found, invalid input, not yours."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app import repository
from tests.factories import add_turns, make_interview, make_user


@pytest.fixture
def session(client):
    with Session(client.app.state.engine) as s:
        yield s


def test_health(client):
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["rounds"] == 6 and body["database"] == "sqlite"
    assert body["brain"] == "offline" and body["scorer"] == "offline"
    assert body["stt"].startswith("faster-whisper")


def test_openapi_docs_are_served(client):
    assert client.get("/docs").status_code == 200
    assert "/api/interviews" in client.get("/openapi.json").json()["paths"]


def test_list_rounds(client):
    rounds = client.get("/api/rounds").json()
    assert {r["id"] for r in rounds} == {"system_design", "behavioral", "coding", "api_design", "database",
                                         "distributed_systems"}
    for r in rounds:
        assert r["duration_minutes"] > 0 and r["phases"] and 4 <= len(r["dimensions"]) <= 6
        assert set(r["levels"]) == {"mid", "senior", "staff"}
        assert "questions" not in r


def test_get_round(client):
    body = client.get("/api/rounds/database").json()
    assert body["id"] == "database"
    assert set(body["dimensions"][0]["anchors"]) == {"1", "2", "3", "4"}


def test_get_unknown_round_is_404(client):
    res = client.get("/api/rounds/astrology")
    assert res.status_code == 404 and "astrology" in res.json()["detail"]


def test_create_interview(client):
    res = client.post("/api/interviews", json={"round": "system_design", "level": "senior"})
    assert res.status_code == 201
    body = res.json()
    assert body["id"] > 0 and body["round"] == "system_design" and body["status"] == "created"


@pytest.mark.parametrize("payload,needle", [
    ({"round": "astrology", "level": "senior"}, "unknown round"),
    ({"round": "coding", "level": "principal"}, "unknown level"),
    ({"round": "coding"}, "level"),
    ({}, "round"),
])
def test_create_interview_rejects_bad_input(client, payload, needle):
    res = client.post("/api/interviews", json=payload)
    assert res.status_code == 422
    assert needle in str(res.json()["detail"])


def test_get_interview_with_turns(client, session):
    interview = make_interview(session, round_id="coding")
    add_turns(session, interview, [("interviewer", "Tell me about BFS."), ("candidate", "A queue.")])
    body = client.get(f"/api/interviews/{interview.id}").json()
    assert [(t["seq"], t["speaker"], t["text"]) for t in body["turns"]] == [
        (1, "interviewer", "Tell me about BFS."), (2, "candidate", "A queue.")]
    assert {"start_ms", "end_ms", "words"} <= set(body["turns"][0])


def test_get_interview_not_found(client):
    assert client.get("/api/interviews/9999").status_code == 404


def test_get_interview_not_yours(client, session):
    theirs = make_interview(session, make_user(session))
    assert client.get(f"/api/interviews/{theirs.id}").status_code == 404
    assert client.delete(f"/api/interviews/{theirs.id}").status_code == 404
    assert client.get("/api/interviews").json()["items"] == []


def test_list_interviews_newest_first_with_cursor(client):
    ids = [client.post("/api/interviews", json={"round": "behavioral", "level": "mid"}).json()["id"]
           for _ in range(5)]
    first = client.get("/api/interviews", params={"limit": 2}).json()
    assert [i["id"] for i in first["items"]] == ids[::-1][:2]
    seen = [i["id"] for i in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = client.get("/api/interviews", params={"limit": 2, "cursor": cursor}).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
    assert seen == ids[::-1]


def test_list_interviews_rejects_bad_cursor_and_limit(client):
    assert client.get("/api/interviews", params={"cursor": "!!nope"}).status_code == 422
    assert client.get("/api/interviews", params={"limit": 0}).status_code == 422


def test_delete_interview_removes_turns(client, session):
    interview = make_interview(session)
    add_turns(session, interview, [("candidate", "hello")])
    assert client.delete(f"/api/interviews/{interview.id}").status_code == 204
    assert client.get(f"/api/interviews/{interview.id}").status_code == 404
    assert repository.list_turns(session, interview.id) == []
    assert client.delete(f"/api/interviews/{interview.id}").status_code == 404
