"""Real `viva serve` processes for the durability tests: free ports, their own logs, kill -9 on demand,
and a small synchronous WebSocket client (the `websockets` package) that records what was acknowledged."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import httpx
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.voice.helpers import eventually

ROOT = Path(__file__).resolve().parents[2]
START_TRIES = 2400  # polls of /api/health, 0.1 s apart (start-up embeds every catalog: a loaded machine is slow)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    port: int
    log: Path
    proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ws_url(self, interview_id: int, last_seq: int | None = None) -> str:
        query = f"?last_seq={last_seq}" if last_seq is not None else ""
        return f"ws://127.0.0.1:{self.port}/api/interviews/{interview_id}/stream{query}"

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.base + path, timeout=30)

    def post(self, path: str, body: dict | None = None) -> httpx.Response:
        return httpx.post(self.base + path, json=body, timeout=30)

    def new_interview(self, round_id: str = "system_design") -> int:
        resp = self.post("/api/interviews", {"round": round_id, "level": "senior"})
        assert resp.status_code == 201, resp.text
        return resp.json()["id"]

    def kill(self) -> None:
        """SIGKILL: no shutdown, no drain, no goodbye (a crash, a power cut of the process)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(30)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def start(env: dict[str, str], log: Path, port: int | None = None) -> Server:
    server = Server(port or free_port(), log)
    # These clients never play the server's voice (the speaker has its own tests): the browser voice, or the
    # echo guard would take the start of a candidate speaking right after a reply for the reply's echo.
    full = {**os.environ, "VIVA_BRAIN": "offline", "VIVA_SCORER": "offline", "VIVA_LOG_LEVEL": "info",
            "VIVA_TTS": "browser", **env}
    for key in ("VIVA_LLM_BASE_URL", "VIVA_LLM_API_KEY"):
        full.pop(key, None)
    out = log.open("ab")
    server.proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port",
                                    str(server.port)], cwd=ROOT, env=full, stdout=out, stderr=subprocess.STDOUT)
    for _ in range(START_TRIES):
        if server.proc.poll() is not None:
            raise RuntimeError(f"viva serve exited {server.proc.returncode}:\n{server.log_text()[-3000:]}")
        try:
            if httpx.get(server.base + "/api/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"viva serve did not come up:\n{server.log_text()[-3000:]}")


@contextmanager
def serving(env: dict[str, str], log: Path, port: int | None = None) -> Iterator[Server]:
    server = start(env, log, port)
    try:
        yield server
    finally:
        if server.proc and server.proc.poll() is None:
            server.proc.send_signal(signal.SIGTERM)
            try:
                server.proc.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()


@dataclass
class Client:
    """One WebSocket on an interview; `events` is everything the server sent, `close_code` how it ended."""

    url: str
    events: list[dict] = field(default_factory=list)
    close_code: int | None = None

    def __post_init__(self) -> None:
        self._stack = ExitStack()
        self.ws = self._stack.enter_context(connect(self.url, open_timeout=60, close_timeout=5, max_size=2**22))

    def recv(self, timeout: float = 120) -> dict | None:
        """The next JSON event, or None once the server has closed (close_code is then set)."""
        while True:
            try:
                raw = self.ws.recv(timeout=timeout)
            except ConnectionClosed as closed:
                self.close_code = closed.rcvd.code if closed.rcvd else 1006
                return None
            if isinstance(raw, str):
                event = json.loads(raw)
                self.events.append(event)
                return event

    def until(self, kind: str, pred=lambda e: True, timeout: float = 120) -> dict | None:
        while True:
            event = self.recv(timeout)
            if event is None or (event["type"] == kind and pred(event)):
                return event

    def send(self, **message) -> None:
        self.ws.send(json.dumps(message))

    def acknowledged(self) -> list[dict]:
        """Candidate turns the server said it stored (live, not replayed)."""
        return [e for e in self.events if e["type"] == "transcript" and not e.get("replayed")]

    def close(self) -> None:
        self._stack.close()

    def drop(self) -> None:
        """An abnormal close: the TCP connection goes away without a close frame."""
        self.ws.socket.shutdown(socket.SHUT_RDWR)
        self.ws.socket.close()


def stored_turns(server: Server, interview_id: int) -> list[dict]:
    resp = server.get(f"/api/interviews/{interview_id}")
    assert resp.status_code == 200, resp.text
    return resp.json()["turns"]


def answer(client: Client, text: str, msg_id: str) -> dict:
    """Send a typed answer; its acknowledgement, after the interviewer's reply to it came too."""
    client.send(type="text", text=text, id=msg_id)
    ack = client.until("transcript", lambda e: e.get("id") == msg_id)
    assert ack is not None, client.events
    assert client.until("interviewer_done") is not None
    return ack


wait_for = partial(eventually, tries=600, every_s=0.1)  # a process's drain and sweep: bounded polls
