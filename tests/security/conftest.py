"""Accounts-mode apps and clients, and a real `viva serve` subprocess for limits that only uvicorn applies."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"


@pytest.fixture
def accounts_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"auth": "accounts", "stt_preload": False})


def signup(client: TestClient, email: str, password: str = PASSWORD) -> int:
    res = client.post("/api/auth/signup", json={"email": email, "password": password})
    assert res.status_code == 201, res.text
    return res.json()["id"]


@pytest.fixture
def two_users(accounts_settings) -> Iterator[tuple[TestClient, TestClient]]:
    """Two logged-in clients (A and B) of one accounts-mode app; each keeps its own cookie."""
    app = create_app(accounts_settings)
    with TestClient(app) as a:
        b = TestClient(app)
        signup(a, "a@example.com")
        signup(b, "b@example.com")
        yield a, b


# --- a real server ---------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Served:
    url: str
    port: int
    log: Path
    data: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def server_env(data: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIVA_")}
    env.update({"VIVA_DATA_DIR": str(data), "VIVA_BRAIN": "offline", "VIVA_SCORER": "offline",
                "VIVA_STT_PRELOAD": "false", "VIVA_LOG_LEVEL": "info"})
    env.update({f"VIVA_{k.upper()}": v for k, v in settings.items()})
    return env


@contextmanager
def viva_serve(tmp_path: Path, **settings: str) -> Iterator[Served]:
    """`viva serve` on a free 127.0.0.1 port, all its output in a log file; stopped afterwards."""
    port = free_port()
    log = tmp_path / f"server-{port}.log"
    data = tmp_path / f"data-{port}"
    data.mkdir()
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                cwd=tmp_path, env=server_env(data, **settings), stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240  # start-up embeds every round's catalog: slow on a loaded machine
        while True:
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"viva serve did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield Served(url=url, port=port, log=log, data=data)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
