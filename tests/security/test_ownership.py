"""Ownership everywhere: every route that takes an id (read from the app's route table, so a new route
is covered automatically) and the WebSocket answer user B exactly as for a missing id when given user A's
ids; and A's lists do not change when B adds rows.
"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute, APIWebSocketRoute
from sqlmodel import Session
from starlette.websockets import WebSocketDisconnect

from app.api.routes import effective_routes
from app.models import Interview, InterviewStatus, TurnAudio
from tests.factories import add_turns

MISSING = 987_654
# Query parameters a list route may require, with a value to call it with.
SAMPLE_QUERY = {"round": "system_design"}
LINES = [("interviewer", "How would you design a URL shortener?"),
         ("candidate", "I would shard the database by key and add a Redis cache with a TTL."),
         ("interviewer", "What about consistency?"),
         ("candidate", "Writes go to the primary; reads can be eventually consistent.")]


def _scored_interview(client, app) -> int:
    """A finished, scored system-design interview of the client's user, made through the API."""
    iid = client.post("/api/interviews", json={"round": "system_design", "level": "senior"}).json()["id"]
    with Session(app.state.engine) as db:
        interview = db.get(Interview, iid)
        add_turns(db, interview, LINES)
        interview.status = InterviewStatus.finished
        db.add(interview)
        db.commit()
    assert client.post(f"/api/interviews/{iid}/score?wait=true").status_code == 200
    return iid


def _owned_rows(client, app) -> dict[str, int]:
    iid = _scored_interview(client, app)
    with Session(app.state.engine) as db:  # a kept answer (VIVA_KEEP_AUDIO) for the replay routes: turn 4
        db.add(TurnAudio(interview_id=iid, seq=4, start_ms=0, pcm=b"\0\0" * 160))
        db.commit()
    return {"interview_id": iid, "token_id": client.post("/api/auth/tokens", json={"name": "script"}).json()["id"],
            "seq": 4}


def _id_routes(app) -> list[tuple[str, str, list[str]]]:
    routes = []
    for path, route in effective_routes(app):
        if isinstance(route, APIRoute | APIWebSocketRoute):
            params = re.findall(r"{(\w+)}", path)
            ids = [p for p in params if p.endswith("_id")]
            if not ids or params == ["round_id"]:
                continue  # rounds are public catalog entries, not anyone's rows
            for method in getattr(route, "methods", None) or {"WEBSOCKET"}:
                routes.append((method, path, ids))
    return routes


def _call(client, method: str, path: str):
    return client.request(method, path, json={} if method in ("POST", "PUT", "PATCH") else None)


def _ws_refusal(client, path: str) -> tuple[dict, int]:
    with client.websocket_connect(path) as ws:
        first = ws.receive_json()
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    return first, closed.value.code


def test_user_b_gets_404_for_each_of_user_as_ids_on_every_route(two_users):
    a, b = two_users
    app = a.app
    rows = _owned_rows(a, app)
    routes = _id_routes(app)
    assert {p for _, p, _ in routes} >= {"/api/interviews/{interview_id}", "/api/interviews/{interview_id}/stream",
                                         "/api/interviews/{interview_id}/scorecard", "/api/auth/tokens/{token_id}"}
    for method, path, ids in routes:
        unknown = [p for p in ids if p not in rows]
        assert not unknown, f"{method} {path}: add a row of kind {unknown} to _owned_rows"
        theirs = path.format(**rows)
        missing = path.format(**{k: MISSING for k in rows})
        if method == "WEBSOCKET":
            got, expected = _ws_refusal(b, theirs), _ws_refusal(b, missing)
            assert got[1] == 4404 and got[0]["code"] == "not_found"
            assert got[0]["message"].replace(str(rows["interview_id"]), "N") == \
                expected[0]["message"].replace(str(MISSING), "N")
            continue
        got, expected = _call(b, method, theirs), _call(b, method, missing)
        assert got.status_code == 404, f"{method} {theirs} as B: {got.status_code}"
        assert expected.status_code == 404
        norm = {str(v): "N" for v in rows.values()}
        body = got.text
        for raw, n in norm.items():
            body = body.replace(raw, n)
        assert body == expected.text.replace(str(MISSING), "N"), f"{method} {path}: B can tell theirs from missing"
    # and the owner can use every one of them (the ids are real): deletes last
    for method, path, _ids in sorted(routes, key=lambda r: r[0] == "DELETE"):
        if method == "WEBSOCKET":
            with a.websocket_connect(path.format(**rows)) as ws:
                first = ws.receive_json()
            assert first["type"] == "error" and first["code"] == "finished"  # A's, found: it is over
            continue
        res = _call(a, method, path.format(**rows))
        assert res.status_code < 400, f"{method} {path} as the owner: {res.status_code} {res.text[:200]}"


def _list_routes(app) -> list[tuple[str, APIRoute]]:
    return [(p, r) for p, r in effective_routes(app) if isinstance(r, APIRoute) and "GET" in r.methods
            and p.startswith("/api/") and "{" not in p and p not in ("/api/health", "/api/rounds", "/api/auth/me")]


def _query(path: str, route: APIRoute) -> dict[str, str]:
    required = [p.name for p in route.dependant.query_params if p.field_info.is_required()]
    unknown = [q for q in required if q not in SAMPLE_QUERY]
    assert not unknown, f"{path}: add a sample value for {unknown} to SAMPLE_QUERY"
    return {q: SAMPLE_QUERY[q] for q in required}


def test_lists_show_only_the_callers_rows(two_users):
    a, b = two_users
    app = a.app
    _owned_rows(a, app)
    lists = _list_routes(app)
    assert {p for p, _ in lists} >= {"/api/interviews", "/api/progress", "/api/auth/tokens"}
    before = {p: a.get(p, params=_query(p, r)).json() for p, r in lists}
    theirs = _owned_rows(b, app)
    b.post("/api/interviews", json={"round": "coding", "level": "mid"})
    for p, r in lists:
        assert a.get(p, params=_query(p, r)).json() == before[p], f"{p} shows B's rows to A"
    # B sees their own rows, and not A's
    assert [i["id"] for i in b.get("/api/interviews").json()["items"]][1] == theirs["interview_id"]
    assert len(b.get("/api/interviews").json()["items"]) == 2
    assert [p["interview_id"] for p in b.get("/api/progress", params=SAMPLE_QUERY).json()["interviews"]] == \
        [theirs["interview_id"]]
