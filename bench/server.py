"""A real `viva serve` on loopback, in its own process, on a free port, with a temporary data dir.

The process's CPU time and resident memory are read from /proc, so the figures are the server's own.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class VivaServer:
    def __init__(self, data_dir: Path, settings: dict[str, str] | None = None, source: Path = ROOT) -> None:
        self.data_dir = data_dir
        self.settings = settings or {}
        self.source = source  # the checkout to run (bench of an older revision: its path)
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def __enter__(self) -> VivaServer:
        env = {k: v for k, v in os.environ.items() if not k.startswith("VIVA_")}
        env.update({"VIVA_DATA_DIR": str(self.data_dir), "VIVA_BRAIN": "offline", "VIVA_SCORER": "offline",
                    "VIVA_LOG_LEVEL": "warning", "PYTHONPATH": str(self.source),
                    # one bench user opens many sessions: lift the per-user caps on interviews
                    "VIVA_MAX_LIVE_INTERVIEWS": "100000", "VIVA_MAX_INTERVIEWS_PER_DAY": "100000"})
        if os.environ.get("VIVA_LLM_BASE_URL"):
            for key in ("VIVA_LLM_BASE_URL", "VIVA_LLM_MODEL", "VIVA_LLM_API_KEY"):
                if key in os.environ:
                    env[key] = os.environ[key]
        env.update({f"VIVA_{k.upper()}": str(v) for k, v in self.settings.items()})
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log = open(self.data_dir / "server.log", "wb")  # noqa: SIM115 - closed in __exit__
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from app.cli import main; main()", "serve", "--host", "127.0.0.1",
             "--port", str(self.port)], env=env, cwd=self.source, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 240  # a loaded machine starts slowly
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"viva serve exited with {self.proc.returncode}; see {self.data_dir}/server.log")
            try:
                self.health = httpx.get(f"{self.url}/api/health", timeout=2).json()
                return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("viva serve did not answer within 240 s")

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()
        keep = ROOT / "test-artifacts" / "bench"
        keep.mkdir(parents=True, exist_ok=True)
        (keep / f"server-{self.data_dir.name}.log").write_bytes((self.data_dir / "server.log").read_bytes())

    def new_interview(self, round_id: str = "system_design", level: str = "senior") -> int:
        r = httpx.post(f"{self.url}/api/interviews", json={"round": round_id, "level": level}, timeout=10)
        r.raise_for_status()
        return r.json()["id"]

    def cpu_s(self) -> float:
        """User + system CPU seconds of the server process so far."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def rss_mib(self) -> float:
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except OSError:  # the server has gone (the run reports it)
            pass
        return 0.0

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None
