"""Browser tests: a real uvicorn server, Debian Chromium driven by Playwright, a fake microphone.

These tests run where /usr/bin/chromium and playwright are installed and skip elsewhere, saying why.
With VIVA_TEST_BROWSER=1 (CI sets it) they are mandatory: a missing browser fails them instead.
Screenshots go to test-artifacts/browser/ (gitignored).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.config import Settings
from app.main import create_app

CHROMIUM = Path(os.environ.get("VIVA_CHROMIUM", "/usr/bin/chromium"))
REQUIRED = os.environ.get("VIVA_TEST_BROWSER") == "1"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
]
FAKE_MIC_ARGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}
SPOKEN_ANSWER = "I would shard the database and add a Redis cache"


def _missing() -> list[str]:
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright is not installed (pip install playwright)")
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} is missing (apt-get install chromium)")
    return missing


def require_browser() -> None:
    """Skip (or, with VIVA_TEST_BROWSER=1, fail) when playwright or Chromium is missing."""
    missing = _missing()
    if missing:
        reason = "browser tests need " + "; ".join(missing)
        if REQUIRED:
            pytest.fail(f"{reason} (VIVA_TEST_BROWSER=1 makes them mandatory)")
        pytest.skip(f"{reason}; set VIVA_TEST_BROWSER=1 to make this a failure")


@pytest.fixture(autouse=True)
def _require_browser(request) -> None:
    if request.node.get_closest_marker("browser") is not None:
        require_browser()


# --- the server ------------------------------------------------------------------------------------
@dataclass
class LiveServer:
    url: str
    app: Any

    @property
    def engine(self):
        return self.app.state.engine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def browser_settings(data: Path, **overrides: Any) -> Settings:
    # One server serves the whole browser package, whose tests together start more interviews than one
    # user may keep in progress (tests/security covers those caps).
    # The browser's speechSynthesis speaks unless a test asks for the server voice (test_server_voice.py).
    caps = {"max_live_interviews": 1000, "max_interviews_per_day": 1000, "tts": "browser"}
    return Settings(_env_file=None, data_dir=data, database_url=None, brain="offline", scorer="offline",
                    llm_base_url=None, llm_api_key=None, stt_base_url=None, **{**caps, **overrides})


@contextmanager
def serve(settings: Settings) -> Iterator[LiveServer]:
    """The real app under uvicorn on a free 127.0.0.1 port, in a thread; stopped afterwards."""
    import uvicorn

    app = create_app(settings)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           ws_ping_interval=None))
    thread = threading.Thread(target=server.run, name="viva-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 240  # start-up embeds every round's catalog: slow on a loaded 2-core machine
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", app=app)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="package")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The app in local mode, data in a temporary dir (one per package)."""
    require_browser()
    with serve(browser_settings(tmp_path_factory.mktemp("viva-browser"))) as server:
        yield server


# --- the browser -----------------------------------------------------------------------------------
@pytest.fixture(scope="package")
def playwright_instance():
    """Package-scoped on purpose: Playwright's sync API keeps an event loop running in this thread
    while it is open, which would break every asyncio test that runs after the browser tests."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture
def launch(playwright_instance) -> Iterator[Callable[..., Any]]:
    """launch(audio=None, fake_mic=True) -> Browser; closed after the test."""
    browsers = []

    def _launch(audio: Path | None = None, fake_mic: bool = True):
        args = list(CHROMIUM_ARGS)
        if fake_mic:
            args += FAKE_MIC_ARGS
        if audio is not None:
            args.append(f"--use-file-for-fake-audio-capture={audio}")
        browser = playwright_instance.chromium.launch(executable_path=str(CHROMIUM), args=args)
        browsers.append(browser)
        return browser

    yield _launch
    for b in browsers:
        b.close()


@pytest.fixture
def shot() -> Callable[[Any, str], Path]:
    """shot(page, name): a full-page screenshot in test-artifacts/browser/NAME.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def _shot(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    _shot.dir = ARTIFACTS
    return _shot


@pytest.fixture
def console_guard() -> Callable[[Any], list[str]]:
    """Collects a page's console output and uncaught errors, to assert on after the test's steps."""

    def _attach(page) -> list[str]:
        lines: list[str] = []
        page.on("console", lambda m: lines.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: lines.append(f"pageerror: {e}"))
        return lines

    return _attach


# --- speech for the fake microphone ----------------------------------------------------------------
@pytest.fixture(scope="session")
def speech_wav(tmp_path_factory) -> Path:
    """espeak-ng speaking SPOKEN_ANSWER, then 5 s of silence (Chromium loops the file)."""
    espeak, sox = shutil.which("espeak-ng"), shutil.which("sox")
    if not espeak or not sox:
        if REQUIRED:
            pytest.fail("espeak-ng and sox are needed for the fake microphone")
        pytest.skip("espeak-ng and sox are needed for the fake microphone")
    out = tmp_path_factory.mktemp("speech")
    raw, wav = out / "raw.wav", out / "answer.wav"
    subprocess.run([espeak, "-v", "en-us", "-s", "140", "-w", str(raw), SPOKEN_ANSWER], check=True)
    subprocess.run([sox, str(raw), "-r", "48000", "-c", "1", "-b", "16", str(wav), "pad", "0.5", "5"],
                   check=True)
    return wav
