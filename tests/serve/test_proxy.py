"""The compose deployment's shape without Docker: Caddy (Debian's `caddy`) in front of two `viva serve`
processes on one PostgreSQL. An interview runs through the proxy over the WebSocket; the process serving
it is killed; the browser-like client reconnects through the proxy, lands on the other process, gets
what it missed and carries on. Skipped without `caddy`; `.ci/run` installs it and sets
VIVA_TEST_REQUIRE_PROXY=1."""

from __future__ import annotations

import os
import shutil
import subprocess

import httpx
import pytest

from tests.serve.harness import Client, Server, answer, free_port, serving, stored_turns, wait_for


@pytest.fixture
def caddy():
    exe = shutil.which("caddy")
    if exe is None:
        if os.environ.get("VIVA_TEST_REQUIRE_PROXY"):
            pytest.fail("caddy is required here (VIVA_TEST_REQUIRE_PROXY) but not installed")
        pytest.skip("caddy not installed (apt-get install caddy); .ci/run installs it")
    return exe


def test_an_interview_survives_its_process_behind_the_proxy(tmp_path, postgres_url, caddy):
    env = {"VIVA_DATA_DIR": str(tmp_path), "VIVA_DATABASE_URL": postgres_url, "VIVA_STT_PRELOAD": "false"}
    with serving(env, tmp_path / "a.log") as a, serving(env, tmp_path / "b.log") as b:
        port = free_port()
        config = tmp_path / "Caddyfile"
        config.write_text(f"""{{
\tadmin off
}}
http://127.0.0.1:{port} {{
\tbind 127.0.0.1
\treverse_proxy 127.0.0.1:{a.port} 127.0.0.1:{b.port} {{
\t\tlb_policy first
\t\tlb_try_duration 10s
\t\tfail_duration 30s
\t}}
}}
""")
        proxy = subprocess.Popen([caddy, "run", "--config", str(config), "--adapter", "caddyfile"],
                                 stdout=(tmp_path / "caddy.log").open("wb"), stderr=subprocess.STDOUT,
                                 env={**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)})
        try:
            front = Server(port, tmp_path / "caddy.log")
            wait_for(lambda: _up(front))
            interview_id = front.new_interview()
            client = Client(front.ws_url(interview_id))
            client.until("interviewer_done")
            acked = [answer(client, "I would put a queue in front of the writes", "p1")]
            assert "stream opened" in a.log_text()  # `first`: the proxy sent it to A
            a.kill()
            client.close()
            last_seq = max(e["seq"] for e in client.events if "seq" in e)
            again = Client(front.ws_url(interview_id, last_seq=last_seq))  # through the proxy, onto B
            assert again.recv()["resumed"] is True
            again.until("interviewer_done")
            acked.append(answer(again, "and replicate the queue across zones", "p2"))
            again.send(type="finish")
            assert again.until("finished") is not None
            again.close()
            assert f"interview {interview_id}: stream opened" in b.log_text()
            turns = stored_turns(front, interview_id)
        finally:
            proxy.terminate()
            proxy.wait(30)
    assert [t["seq"] for t in turns] == list(range(1, len(turns) + 1))
    candidate = [(t["seq"], t["text"]) for t in turns if t["speaker"] == "candidate"]
    assert candidate == [(e["seq"], e["text"]) for e in acked]


def _up(server: Server) -> bool:
    try:
        return server.get("/api/health").status_code == 200
    except httpx.HTTPError:
        return False
