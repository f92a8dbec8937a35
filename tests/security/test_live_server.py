"""Against a real `viva serve` (uvicorn) subprocess: limits the test client bypasses, and clean logs."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import sqlite3
import subprocess
import sys

import httpx
import pytest
import websockets

from tests.security.conftest import PASSWORD, server_env, viva_serve

CANARY = "Zebracanary7731"


def raw_http(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        return data


def test_limits_against_real_uvicorn(tmp_path):
    with viva_serve(tmp_path, max_body_bytes="10000", ws_max_message_bytes="20000") as srv:
        made = httpx.post(f"{srv.url}/api/interviews", json={"round": "coding", "level": "mid"})
        assert made.status_code == 201
        iid = made.json()["id"]
        # 413 by Content-Length, before the body is read
        big = b'{"round": "coding", "level": "' + b"x" * 50_000 + b'"}'
        res = httpx.post(f"{srv.url}/api/interviews", content=big, headers={"Content-Type": "application/json"})
        assert res.status_code == 413
        # 413 for a chunked body with no Content-Length
        head = (b"POST /api/interviews HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        parts = [big[i:i + 4096] for i in range(0, len(big), 4096)]
        body = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in parts)
        reply = raw_http(srv.port, head + body + b"0\r\n\r\n")
        assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
        # a foreign Host -> 400
        assert raw_http(srv.port, b"GET /api/rounds HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
                        ).startswith(b"HTTP/1.1 400")

        async def oversized_message() -> tuple[int, int]:
            async with websockets.connect(f"ws://127.0.0.1:{srv.port}/api/interviews/{iid}/stream",
                                          max_size=None) as ws:
                ready = json.loads(await ws.recv())
                assert ready["type"] == "ready"
                await ws.send(json.dumps({"type": "text", "text": "z" * 30_000}))
                with pytest.raises(websockets.ConnectionClosed):
                    while True:
                        await ws.recv()
                return ws.close_code, ws.protocol.close_rcvd.code if ws.protocol.close_rcvd else 0

        async def foreign_origin() -> int:
            with pytest.raises(websockets.InvalidStatus) as refused:
                async with websockets.connect(f"ws://127.0.0.1:{srv.port}/api/interviews/{iid}/stream",
                                              origin="https://evil.example"):
                    pass
            return refused.value.response.status_code

        code, received = asyncio.run(oversized_message())
        assert received == 1009 or code == 1009
        assert asyncio.run(foreign_origin()) == 403  # closed (1008) before accept = HTTP 403 at the handshake
        # still healthy, and the interview still works
        assert httpx.get(f"{srv.url}/api/health").json()["status"] == "ok"
        assert httpx.get(f"{srv.url}/api/interviews/{iid}").status_code == 200


def test_local_mode_is_refused_on_a_network_address(tmp_path):
    env = server_env(tmp_path)
    res = subprocess.run([sys.executable, "-m", "app.cli", "serve", "--host", "0.0.0.0", "--port", "9"],
                         env=env, capture_output=True, text=True, timeout=60)
    assert res.returncode == 2 and "VIVA_AUTH=accounts" in res.stderr and "0.0.0.0" in res.stderr


def _force_failed_inserts(db_path) -> None:
    """A trigger that makes the store refuse any turn containing the canary: a real failed INSERT."""
    con = sqlite3.connect(db_path)
    con.execute(f"CREATE TRIGGER refuse_canary BEFORE INSERT ON turn WHEN NEW.text LIKE '%{CANARY}%' "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
    con.commit()
    con.close()


def test_a_canary_appears_in_no_log(tmp_path):
    """Typed into an interview, used as a password, forced into a failed insert: never in the server's logs."""
    with viva_serve(tmp_path, auth="accounts", log_level="debug") as srv:
        web = httpx.Client(base_url=srv.url)
        email = f"{CANARY.lower()}@example.com"
        assert web.post("/api/auth/signup", json={"email": email, "password": CANARY + PASSWORD}).status_code == 201
        assert web.post("/api/auth/login", json={"email": email, "password": CANARY}).status_code == 401
        assert web.post("/api/auth/login", json={"email": email, "password": CANARY + PASSWORD}).status_code == 200
        cookie = web.cookies.get("viva_session")
        token = web.post("/api/auth/tokens", json={"name": CANARY}).json()["token"]
        web.get("/api/interviews", params={"round": CANARY, "cursor": CANARY})
        web.post("/api/interviews", json={"round": CANARY, "level": "mid"})
        iid = web.post("/api/interviews", json={"round": "coding", "level": "mid"}).json()["id"]
        _force_failed_inserts(srv.data / "viva.db")

        async def type_canary() -> list[dict]:
            events = []
            async with websockets.connect(f"ws://127.0.0.1:{srv.port}/api/interviews/{iid}/stream",
                                          additional_headers={"Cookie": f"viva_session={cookie}"}) as ws:
                events.append(json.loads(await ws.recv()))
                await ws.send(json.dumps({"type": "text", "text": f"my answer is {CANARY} with a cache"}))
                await ws.send(json.dumps({"type": "ping", "t": 1}))
                try:
                    while events[-1].get("type") != "pong":
                        events.append(json.loads(await asyncio.wait_for(ws.recv(), 30)))
                    await asyncio.sleep(1.0)  # let the failed insert be logged
                except (websockets.ConnectionClosed, TimeoutError):
                    pass
            return events

        events = asyncio.run(type_canary())
        assert events[0]["type"] == "ready"
        bearer = httpx.get(f"{srv.url}/api/interviews", headers={"Authorization": f"Bearer {token}"})
        assert bearer.status_code == 200
        web.post("/api/auth/logout")
        log = srv.log_text()
    assert re.search(r"ERROR viva\.voice: interview \d+", log), "the forced insert's failure was not logged"
    with sqlite3.connect(srv.data / "viva.db") as con:  # it really failed: nothing with the canary was stored
        assert con.execute("SELECT count(*) FROM turn WHERE text LIKE ?", (f"%{CANARY}%",)).fetchone() == (0,)
    assert "[parameters:" not in log
    for secret in (CANARY, CANARY.lower(), cookie, token):
        assert secret not in log, f"{secret[:12]}… leaked into the log"
