"""Code runs over the real stream (TestClient WebSocket, real sandbox): the room sees the exercise, the
editor's content is kept, a run's result is stored and sent, and the interviewer names the failing input."""

from __future__ import annotations

import time

import pytest
from sqlmodel import Session

from app.runner import store as code_store
from app.runner.pool import RunPool
from tests.voice.fakes import FakeTranscriber
from tests.voice.helpers import new_interview, of, running, send, until, url

pytestmark = pytest.mark.usefixtures("needs_sandbox")

BUGGY = """def two_sum(nums, target):
    seen = {}
    for i, x in enumerate(nums):
        if x > target:
            continue
        if target - x in seen:
            return [seen[target - x], i]
        seen[x] = i
"""  # passes the examples, fails on negative numbers
FIXED = BUGGY.replace("        if x > target:\n            continue\n", "")


@pytest.fixture
def voice_settings(settings):
    return settings.model_copy(update={"stt_preload": False})


def test_a_failing_submit_is_named_by_its_input_then_the_fix_passes(voice_settings):
    with running(voice_settings, FakeTranscriber("ok")) as (app, client):
        app.state.run_pool = RunPool(workers=2, min_gap_s=0)  # runs back to back, as fast as the test goes
        iid = new_interview(app, round_id="coding", level="mid")
        with client.websocket_connect(url(iid)) as ws:
            shown = of(until(ws, "exercise"), "exercise")[0]
            assert shown["exercise"]["question_id"] == "two_sum_variants"
            assert "tests" not in shown["exercise"] and "reference" not in shown["exercise"]
            send(ws, type="code", language="python", code=BUGGY)
            send(ws, type="run", mode="run", language="python", code=BUGGY)
            ran = of(until(ws, "run_result"), "run_result")[0]["result"]
            assert ran["status"] == "passed" and ran["mode"] == "run"
            until(ws, "interviewer_done")
            send(ws, type="run", mode="submit", language="python", code=BUGGY)
            got = until(ws, "interviewer_done")
            result = of(got, "run_result")[0]["result"]
            assert result["status"] == "failed"
            failing = next(c for c in result["cases"] if c["status"] != "passed")
            assert failing["input"] == "[-4, 10, 7, -1], 3" and failing["hidden"] and failing["expected"] is None
            reply = of(got, "interviewer_done")[0]
            assert reply["move"] == "run_result" and "on the input [-4, 10, 7, -1], 3" in reply["text"]
            assert "line" not in reply["text"]
            send(ws, type="run", mode="submit", language="python", code=FIXED)
            got = until(ws, "interviewer_done")
            assert of(got, "run_result")[0]["result"]["status"] == "passed"
            assert "complexity" in of(got, "interviewer_done")[0]["text"]
            send(ws, type="code", language="python", code="x" * 30_000)
            err = of(until(ws, "error"), "error")[0]
            assert err["code"] == "bad_message" and "limited to" in err["message"]
            send(ws, type="finish")
            until(ws, "finished")
        with Session(app.state.engine) as db:
            runs = code_store.runs_of(db, iid)
            assert [(r.mode, r.status) for r in runs] == [("run", "passed"), ("submit", "failed"),
                                                           ("submit", "passed")]
            assert [d.code for d in code_store.drafts_of(db, iid)] == [BUGGY]


def test_runs_are_limited_to_one_at_a_time_per_session(voice_settings):
    with running(voice_settings, FakeTranscriber("ok")) as (app, client):
        iid = new_interview(app, round_id="coding", level="mid")
        with client.websocket_connect(url(iid)) as ws:
            until(ws, "exercise")
            slow = "def two_sum(nums, target):\n    while True:\n        pass\n"
            send(ws, type="run", mode="run", language="python", code=slow)
            send(ws, type="run", mode="run", language="python", code=slow)
            busy = of(until(ws, "error"), "error")[0]
            assert busy["code"] == "busy"
            result = of(until(ws, "run_result"), "run_result")[0]["result"]
            assert result["cases"][0]["status"] == "timeout"


def test_a_hostile_run_leaves_other_sessions_served(voice_settings):
    """An endless loop in one interview's sandbox: another interview's typed answer is answered meanwhile,
    and the hostile run ends with a clear time limit."""
    # a long wall limit, so that the loop is still running however slowly the other answer is served (a
    # loaded machine, the embedder's first load)
    with running(voice_settings.model_copy(update={"run_wall_s": 12.0}), FakeTranscriber("ok")) as (app, client):
        hostile, other = (new_interview(app, round_id="coding", level="mid") for _ in range(2))
        with client.websocket_connect(url(hostile)) as ws_a, client.websocket_connect(url(other)) as ws_b:
            until(ws_a, "exercise")
            until(ws_b, "interviewer_done")
            send(ws_a, type="run", mode="submit", language="python",
                 code="def two_sum(nums, target):\n    while True:\n        pass\n")
            deadline = time.monotonic() + 10
            while str(hostile) not in app.state.run_pool._running and time.monotonic() < deadline:
                time.sleep(0.02)  # the run has started before the other interview is asked anything
            send(ws_b, type="text", text="I'd use a hash map from value to index, one pass, O(n) time.")
            got = until(ws_b, "interviewer_done")
            assert of(got, "transcript")[0]["typed"] is True and of(got, "interviewer_done")[0]["text"]
            assert str(hostile) in app.state.run_pool._running  # answered while the loop still ran
            result = of(until(ws_a, "run_result"), "run_result")[0]["result"]
            assert result["cases"][0]["status"] == "timeout" and "time limit" in result["cases"][0]["error"]
            assert [c["status"] for c in result["cases"][1:]] == ["not_run"] * (len(result["cases"]) - 1)
