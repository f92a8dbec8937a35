"""The request guard and input limits, through the app: Host, Origin, body size, WebSocket auth, ids, caps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from starlette.websockets import WebSocketDisconnect

from app.auth.deps import COOKIE
from app.auth.tables import AuthSession
from app.main import create_app
from app.security.hosts import HostPolicy, host_name, origin_of
from tests.security.conftest import signup

STREAM = "/api/interviews/{}/stream"
HUGE_IDS = [0, -1, 2**31, 2**31 - 1, 2**63 - 1, 2**63, 2**64, 10**30]


def refused_before_accept(client: TestClient, path: str, **kw) -> int:
    with pytest.raises(WebSocketDisconnect) as closed, client.websocket_connect(path, **kw) as ws:
        ws.receive_json()
    return closed.value.code


def new_interview(client: TestClient) -> int:
    res = client.post("/api/interviews", json={"round": "coding", "level": "mid"})
    assert res.status_code == 201, res.text
    return res.json()["id"]


# --- pure policy -----------------------------------------------------------------------------------
def test_host_and_origin_parsing(settings):
    assert host_name("[::1]:8000") == "::1" and host_name("LocalHost:1") == "localhost"
    for bad in (None, "", "a b", "evil.com/x", "host:99999", "user@host"):
        assert host_name(bad) is None
    assert origin_of("https://Viva.Example.com:443/x") == "https://viva.example.com:443"
    assert origin_of("null") is None and origin_of("file:///x") is None
    policy = HostPolicy.from_settings(settings.model_copy(update={"host": "0.0.0.0", "allowed_hosts": "",
                                                                  "allowed_origins": "https://app.example.com"}))
    assert policy.host_allowed("localhost:8000") and policy.host_allowed("127.0.0.1")
    assert not policy.host_allowed("0.0.0.0:8000") and not policy.host_allowed("evil.example:8000")
    assert policy.origin_allowed("http://localhost:8000", "localhost:8000")
    assert policy.origin_allowed("https://app.example.com", "localhost:8000")
    assert not policy.origin_allowed("http://localhost:9999", "localhost:8000")
    assert not policy.origin_allowed("null", "localhost:8000")


# --- Host ------------------------------------------------------------------------------------------
def test_a_foreign_host_gets_400_and_a_websocket_1008(client):
    res = client.get("/api/rounds", headers={"Host": "rebind.attacker.example"})
    assert res.status_code == 400 and res.json() == {"detail": "invalid Host header"}
    assert client.get("/api/interviews", headers={"Host": "rebind.attacker.example"}).status_code == 400
    # a proxy's or orchestrator's health probe names the upstream (viva1:8000, a pod IP): served
    assert client.get("/api/health", headers={"Host": "viva1:8000"}).status_code == 200
    assert client.get("/", headers={"Host": "rebind.attacker.example"}).status_code == 400
    iid = new_interview(client)
    assert refused_before_accept(client, STREAM.format(iid), headers={"Host": "rebind.attacker.example"}) == 1008
    assert client.get("/api/health").status_code == 200


# --- Origin ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {"Origin": "null"},
                                     {"Referer": "https://evil.example/page"}, {"Origin": "http://testserver:1"}])
def test_cross_site_state_changes_get_403(client, headers):
    iid = new_interview(client)
    assert client.post("/api/interviews", json={"round": "coding", "level": "mid"}, headers=headers).status_code == 403
    assert client.delete(f"/api/interviews/{iid}", headers=headers).status_code == 403
    assert client.get(f"/api/interviews/{iid}").status_code == 200  # not deleted
    assert client.get("/api/interviews", headers=headers).status_code == 200  # reads are not state changes


def test_same_origin_and_configured_origins_are_allowed(settings):
    app = create_app(settings.model_copy(update={"allowed_origins": "https://viva.example.com"}))
    with TestClient(app) as c:
        for origin in ("http://testserver", "https://testserver", "https://viva.example.com"):
            res = c.post("/api/interviews", json={"round": "coding", "level": "mid"}, headers={"Origin": origin})
            assert res.status_code == 201, origin
        ref = {"Referer": "http://testserver/index.html"}
        assert c.post("/api/interviews", json={"round": "coding", "level": "mid"}, headers=ref).status_code == 201


def test_websocket_from_a_foreign_origin_is_closed_1008_in_local_mode(client):
    iid = new_interview(client)
    assert refused_before_accept(client, STREAM.format(iid), headers={"Origin": "https://evil.example"}) == 1008
    with client.websocket_connect(STREAM.format(iid), headers={"Origin": "http://testserver"}) as ws:
        assert ws.receive_json()["type"] == "ready"


def test_websocket_auth_in_accounts_mode(accounts_settings):
    app = create_app(accounts_settings)
    with TestClient(app) as c:
        signup(c, "ws@example.com")
        iid = new_interview(c)
        path = STREAM.format(iid)
        assert refused_before_accept(c, path, headers={"Origin": "https://evil.example"}) == 1008
        stranger = TestClient(app)
        assert refused_before_accept(stranger, path) == 1008  # no cookie
        stranger.cookies.set(COOKIE, "forged-" + "x" * 40)
        assert refused_before_accept(stranger, path) == 1008  # a cookie nobody issued
        with c.websocket_connect(path, headers={"Origin": "http://testserver"}) as ws:  # logged in: works
            assert ws.receive_json()["type"] == "ready"
        cookie = c.cookies.get(COOKIE)
        with Session(app.state.engine) as db:  # expired (idle)
            row = db.exec(select(AuthSession)).one()
            row.last_seen_at -= timedelta(hours=accounts_settings.session_idle_hours + 1)
            db.add(row)
            db.commit()
        assert refused_before_accept(c, path) == 1008
        signup_again = c.post("/api/auth/login", json={"email": "ws@example.com", "password": "correct horse battery"})
        assert signup_again.status_code == 200 and c.cookies.get(COOKIE) != cookie
        assert c.post("/api/auth/logout").status_code == 204
        c.cookies.set(COOKIE, signup_again.cookies.get(COOKIE))  # the logged-out session's cookie, replayed
        assert refused_before_accept(c, path) == 1008


# --- bodies and validation errors ------------------------------------------------------------------
def test_an_oversized_body_gets_413_with_or_without_content_length(settings):
    with TestClient(create_app(settings.model_copy(update={"max_body_bytes": 1000}))) as c:
        big = b'{"round": "coding", "level": "' + b"x" * 2000 + b'"}'
        assert c.post("/api/interviews", content=big, headers={"Content-Type": "application/json"}).status_code == 413

        def chunks():
            yield big[:600]
            yield big[600:]

        res = c.post("/api/interviews", content=chunks(), headers={"Content-Type": "application/json"})
        assert res.status_code == 413 and "1000" in res.json()["detail"]
        assert c.post("/api/interviews", json={"round": "coding", "level": "mid"}).status_code == 201


def test_validation_errors_echo_only_a_prefix(client):
    huge = "Q" * 200_000
    res = client.post("/api/interviews", json={"round": huge, "level": "mid"})
    assert res.status_code == 422 and len(res.content) < 2000
    (error,) = res.json()["detail"]
    assert error["loc"] == ["body", "round"] and error["input"].startswith("QQQ") and len(error["input"]) <= 81
    res = client.post("/api/interviews", json={"round": "coding", "level": "mid", "x": {huge: 1}})
    assert res.status_code == 201  # unknown fields are ignored, and nothing breaks
    res = client.post("/api/interviews", content=b"{" + huge.encode(), headers={"Content-Type": "application/json"})
    assert res.status_code == 422 and len(res.content) < 2000


def test_our_own_422s_have_fastapis_shape(client):
    for res in (client.post("/api/interviews", json={"round": "astrology", "level": "mid"}),
                client.get("/api/interviews", params={"cursor": "bogus"}),
                client.get("/api/progress", params={"round": "karaoke"})):
        assert res.status_code == 422
        (error,) = res.json()["detail"]
        assert set(error) >= {"loc", "msg", "type"} and isinstance(error["loc"], list)


# --- ids -------------------------------------------------------------------------------------------
def _check_ids(c: TestClient) -> None:
    for bad in HUGE_IDS:
        for method, path in (("GET", f"/api/interviews/{bad}"), ("DELETE", f"/api/interviews/{bad}"),
                             ("GET", f"/api/interviews/{bad}/scorecard"), ("POST", f"/api/interviews/{bad}/score"),
                             ("GET", f"/api/interviews/{bad}/report.md")):
            assert c.request(method, path).status_code in (404, 422), (method, path)
        with c.websocket_connect(STREAM.format(bad)) as ws:
            assert ws.receive_json()["code"] == "not_found"
        cursor = f"{bad}".encode()
        import base64
        token = base64.urlsafe_b64encode(b"i:" + cursor).decode().rstrip("=")
        assert c.get("/api/interviews", params={"cursor": token}).status_code in (200, 422)
    assert c.get("/api/health").status_code == 200


def test_out_of_range_ids_are_404_not_500_on_sqlite(client):
    _check_ids(client)


@pytest.mark.postgres
def test_out_of_range_ids_are_404_not_500_on_postgres(settings, postgres_url):
    with TestClient(create_app(settings.model_copy(update={"database_url": postgres_url, "stt_preload": False}))) as c:
        _check_ids(c)


def test_playback_done_with_a_huge_seq_is_a_bad_message(client):
    iid = new_interview(client)
    with client.websocket_connect(STREAM.format(iid)) as ws:
        assert ws.receive_json()["type"] == "ready"
        ws.send_text('{"type": "playback_done", "seq": 99999999999999999999999}')
        ws.send_text('{"type": "ping", "t": 1}')
        seen = []
        while not seen or seen[-1]["type"] != "pong":
            seen.append(ws.receive_json())
        assert any(e["type"] == "error" and e["code"] == "bad_message" for e in seen)


# --- caps ------------------------------------------------------------------------------------------
def test_live_interviews_are_capped_per_user(settings):
    with TestClient(create_app(settings.model_copy(update={"max_live_interviews": 2}))) as c:
        first, _second = new_interview(c), new_interview(c)
        res = c.post("/api/interviews", json={"round": "coding", "level": "mid"})
        assert res.status_code == 429 and "in progress" in res.json()["detail"]
        assert c.delete(f"/api/interviews/{first}").status_code == 204
        new_interview(c)


def test_interviews_per_day_are_capped_per_user(settings):
    with TestClient(create_app(settings.model_copy(update={"max_interviews_per_day": 3}))) as c:
        for _ in range(3):
            c.delete(f"/api/interviews/{new_interview(c)}")
        res = c.post("/api/interviews", json={"round": "coding", "level": "mid"})
        assert res.status_code == 429 and "per day" in res.json()["detail"]


def test_typed_answers_are_limited_in_characters(settings):
    with TestClient(create_app(settings.model_copy(update={"max_typed_chars": 50, "stt_preload": False}))) as c:
        iid = new_interview(c)
        with c.websocket_connect(STREAM.format(iid)) as ws:
            assert ws.receive_json()["type"] == "ready"
            ws.send_text('{"type": "text", "text": "' + "y" * 51 + '"}')
            event = ws.receive_json()
            while event["type"] != "error":
                event = ws.receive_json()
            assert event["code"] == "bad_message" and "50 characters" in event["message"]


def test_an_oversized_websocket_message_is_closed_1009_by_the_app_too(settings):
    """uvicorn (viva serve) refuses such a message first; this is the app's own check behind any server."""
    with TestClient(create_app(settings.model_copy(update={"ws_max_message_bytes": 1000, "stt_preload": False}))) as c:
        iid = new_interview(c)
        with c.websocket_connect(STREAM.format(iid)) as ws:
            assert ws.receive_json()["type"] == "ready"
            ws.send_text('{"type": "text", "text": "' + "w" * 2000 + '"}')
            with pytest.raises(WebSocketDisconnect) as closed:
                while True:
                    ws.receive_json()
            assert closed.value.code == 1009
        with c.websocket_connect(STREAM.format(iid)) as ws:  # the interview goes on
            assert ws.receive_json()["type"] == "ready"


def test_token_ids_out_of_range_are_404(two_users):
    a, _b = two_users
    for bad in HUGE_IDS:
        assert a.delete(f"/api/auth/tokens/{bad}").status_code in (404, 422)
