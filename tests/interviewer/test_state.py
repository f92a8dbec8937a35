"""The interview state survives JSON and a server restart; the clock runs only while connected."""

from __future__ import annotations

import json

import pytest

from app.interviewer import Interviewer, InterviewState, OfflineBrain
from tests.interviewer.conftest import VAGUE, FakeClock, make, opened, say


async def test_snapshot_is_json_and_round_trips(catalog):
    clock = FakeClock()
    iv = make(catalog.get("database"), "staff", clock)
    await say(iv.opening())
    clock.advance(90)
    await say(iv.respond("I don't know."))
    clock.advance(30)
    await say(iv.respond(VAGUE))
    snap = iv.snapshot()
    assert snap["elapsed_s"] == 120.0 and snap["remaining_s"] == 45 * 60 - 120.0
    text = json.dumps(snap)
    restored = InterviewState.model_validate(json.loads(text))
    assert restored == iv.state
    for field in ("round_id", "level", "phase", "elapsed_s", "question_id", "asked_questions", "hints_used",
                  "coverage", "history", "candidate_turns", "finished", "last_meta"):
        assert field in snap


async def test_restart_resumes_clock_and_conversation(catalog):
    rnd = catalog.get("database")
    clock = FakeClock()
    iv = make(rnd, "senior", clock)
    await say(iv.opening())
    clock.advance(200)
    probe = await say(iv.respond(VAGUE))
    snap = json.loads(json.dumps(iv.snapshot()))

    # the server restarts much later: wall time in between does not count
    later = FakeClock(t=99_999.0)
    resumed = Interviewer(rnd, "senior", OfflineBrain(), state=snap, clock=later)
    assert resumed.elapsed_s == 200.0
    resumed.start()
    later.advance(10)
    assert resumed.elapsed_s == 210.0
    text = await say(resumed.opening())
    assert resumed.last_meta["move"] == "resume" and text.endswith(iv.state.last_prompt)
    assert iv.state.last_prompt in probe
    assert resumed.state.asked_questions == iv.state.asked_questions
    # and it goes on without asking the same question again
    later.advance(60)
    await say(resumed.respond("I'm done with that one."))
    assert resumed.last_meta["move"] == "next_question"
    assert resumed.state.question_id not in iv.state.asked_questions


async def test_pause_stops_the_clock(catalog):
    clock = FakeClock()
    iv = make(catalog.get("coding"), "mid", clock)
    clock.advance(50)
    iv.pause()
    clock.advance(1000)
    assert iv.elapsed_s == 50.0
    iv.start()
    clock.advance(5)
    assert iv.elapsed_s == 55.0 and iv.phase()[1] == pytest.approx(45 * 60 - 55)


async def test_state_of_another_round_is_refused(catalog):
    iv = make(catalog.get("coding"), "mid")
    with pytest.raises(ValueError):
        Interviewer(catalog.get("behavioral"), "mid", OfflineBrain(), state=iv.snapshot())


async def test_interrupted_marks_the_turn(catalog):
    iv = make(catalog.get("behavioral"), "mid")
    await say(iv.opening())
    iv.interrupted()
    assert iv.state.interruptions == 1 and iv.state.history[-1].interrupted


async def test_barge_in_keeps_what_was_said(catalog):
    iv = make(catalog.get("behavioral"), "mid")
    chunks = iv.opening()
    first = await chunks.__anext__()
    await chunks.aclose()  # the candidate talked over the interviewer
    assert iv.state.history[-1].text == first.strip()
    assert iv.state.interviewer_turns == 1 and iv.last_meta["move"] == "open"


async def test_a_twin_makes_the_reply_and_is_adopted_only_where_nothing_changed(catalog):
    """A reply prepared while a spoken turn is held is made on a fork (app/voice/conversation.py): the
    interviewer is untouched until it adopts the twin, and refuses one made before its state changed."""
    rnd = catalog.get("database")
    iv, clock, _ = await opened(rnd)
    plain, _, _ = await opened(rnd)
    answer = "I would add a composite index on customer id and created at, the filter first."
    before = iv.snapshot()
    twin = iv.fork()
    said = await say(twin.respond(answer))
    assert iv.snapshot() == before and twin.state.candidate_turns == 1  # made on the twin alone
    assert iv.adopt(twin) and iv.state.candidate_turns == 1
    assert said == await say(plain.respond(answer))
    assert {k: v for k, v in iv.snapshot().items() if k != "history"} == \
        {k: v for k, v in plain.snapshot().items() if k != "history"}
    # the state moved on after the fork (code typed, a reply given, the board redrawn): the twin is refused
    twin = iv.fork()
    iv.code_changed("sql", "SELECT 1;")
    await say(twin.respond(answer))
    assert not iv.adopt(twin) and iv.state.candidate_turns == 1
    twin = iv.fork()
    iv.board = {"nodes": []}
    await say(twin.respond(answer))
    assert not iv.adopt(twin)
    clock.advance(5)  # the clock alone running on is no change
    twin = iv.fork()
    await say(twin.respond(answer))
    clock.advance(1)
    assert iv.adopt(twin) and iv.state.candidate_turns == 2
