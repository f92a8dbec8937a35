"""The ordered worker on its own: barge-in, silence nudges, finishing (a test double for the Interviewer)."""

from __future__ import annotations

import asyncio

import pytest

from app.models import Speaker
from app.voice.clock import StreamClock
from app.voice.conversation import Answered, Conversation, Finish, Opening, SpokenTurn, TypedTurn, Withdraw


class ScriptedInterviewer:
    """Implements the Interviewer contract of docs/contracts.md with canned lines."""

    def __init__(self, reply: list[str], nudge: str = "Still with me?") -> None:
        self.reply, self.nudge = reply, nudge
        self.interruptions = 0
        self.finished = False
        self.last_meta = {"move": "probe"}
        self.silences: list[float] = []
        self.gate = asyncio.Event()
        self.gate.set()

    def phase(self) -> tuple[str, float]:
        return "design", 600.0

    def snapshot(self) -> dict:
        return {"interruptions": self.interruptions}

    def interrupted(self) -> None:
        self.interruptions += 1

    async def _say(self, parts):
        for i, part in enumerate(parts):
            if i:
                await self.gate.wait()  # a test can hold the reply after its first part
            yield part

    def opening(self):
        return self._say(["Hello. ", "Let's start."])

    def respond(self, text: str, typed: bool = False, unsure: list[str] | None = None):
        return self._say(self.reply)

    def on_silence(self, seconds: float):
        self.silences.append(seconds)
        return self._say([self.nudge] if seconds >= 5 else [])


class MemoryStore:
    interview_id = 1

    def __init__(self) -> None:
        self.turns: list[tuple[Speaker, str, dict]] = []
        self.states: list[dict] = []
        self.finished = False

    async def add_turn(self, speaker, text, state=None, **kwargs) -> tuple[int, bool]:
        self.turns.append((speaker, text, kwargs))
        if state is not None:
            self.states.append(state)
        return len(self.turns), True

    async def save_state(self, state, state_seq) -> None:
        self.states.append(state)

    async def finish(self, state, state_seq, reason) -> None:
        self.finished = True


class ListOutbox:
    def __init__(self) -> None:
        self.events: list[dict] = []

    async def send(self, event) -> None:  # typed events as they go on the wire
        self.events.append(event if isinstance(event, dict) else event.dump())


def conversation(iv, later_ms: int = 0) -> tuple[Conversation, MemoryStore, ListOutbox, list[str]]:
    """A conversation whose stream clock reads `later_ms` after it started."""
    store, out, finished = MemoryStore(), ListOutbox(), []
    reading = [0.0]
    clock = StreamClock(now=lambda: reading[0])
    reading[0] = later_ms / 1000

    async def on_finished() -> None:
        finished.append("scored")

    talk = Conversation(iv, store, out, clock, turns=None, on_finished=on_finished)
    talk.turn.strict = True  # a move the turn-taking table refuses fails the test
    return talk, store, out, finished


async def test_barge_in_stops_the_reply_and_stores_what_was_said():
    iv = ScriptedInterviewer(["First part. ", "Second part. ", "Third part."])
    talk, store, out, _ = conversation(iv)
    iv.gate.clear()
    worker = asyncio.create_task(talk.run())
    await talk.put(TypedTurn("SELECT 1", 0))
    while not any(e["type"] == "interviewer_delta" for e in out.events):
        await asyncio.sleep(0)
    talk.interrupt()  # the interviewer is mid-reply when the candidate talks over it
    iv.gate.set()
    await talk.queue.put(None)
    await worker
    speaker, text, kwargs = store.turns[-1]
    assert speaker == Speaker.interviewer and text == "First part." and kwargs["meta"]["interrupted"] is True
    assert kwargs["meta"]["phase"] == "design" and iv.interruptions == 1
    candidate = store.turns[0]
    assert candidate[0] == Speaker.candidate and candidate[2]["typed"] is True


async def test_silence_reaches_the_interviewer_only_when_nobody_speaks():
    iv = ScriptedInterviewer([])
    talk, store, out, _ = conversation(iv, later_ms=8000)
    talk.candidate_speaking(True)
    ticker = asyncio.create_task(talk.tick())
    await asyncio.sleep(1.1)
    assert talk.queue.empty() and iv.silences == []  # the candidate is talking: no silence
    talk.candidate_speaking(False)
    worker = asyncio.create_task(talk.run())
    while not store.turns:
        await asyncio.sleep(0.05)
    ticker.cancel()
    await talk.queue.put(None)
    await worker
    assert iv.silences and iv.silences[0] >= 5
    assert store.turns[0][1] == "Still with me?"
    assert [e["type"] for e in out.events] == ["phase", "interviewer_delta", "interviewer_done"]


async def test_finish_stores_the_state_and_schedules_scoring():
    iv = ScriptedInterviewer([])
    talk, store, out, finished = conversation(iv)
    worker = asyncio.create_task(talk.run())
    await talk.put(Opening())
    await talk.put(Finish("client"))
    await worker  # the worker ends by itself once the interview is over
    assert store.finished and finished == ["scored"]
    assert [e["type"] for e in out.events][-1] == "finished"
    assert store.turns[0][1] == "Hello. Let's start." and store.turns[0][2]["meta"]["move"] == "probe"


def _answered(seq: int = 2) -> Answered:
    return Answered(seq, "we shard by user id", [], {"end_reason": "silence"}, decided_ms=5000,
                    before={"interruptions": 0}, seen_before=1)


async def test_speech_right_after_a_paused_turn_withdraws_the_reply_not_yet_begun():
    talk, *_ = conversation(ScriptedInterviewer(["Why?"]))
    talk._answered = _answered()
    talk.turn.take_item()
    talk.turn.start_reply()  # its reply is being made: nothing sent yet
    talk.speech_resumed(9000)  # 4 s later, but nothing of the reply was heard: the same answer goes on
    assert isinstance(talk.queue.get_nowait(), Withdraw)


async def test_a_later_turn_already_closed_is_not_rewound_by_the_speech_after_it():
    """Audio ahead of the worker (a fast client, a slow reply): turn 2 closed and waits while the reply to
    turn 1 is still being made; speech starting now goes on from turn 2, so turn 1's reply must stay (a
    withdrawal would rewind the interviewer past turn 2 and join turn 3 to turn 1)."""
    talk, *_ = conversation(ScriptedInterviewer(["Why?"]))
    talk._answered = _answered()
    talk.turn.take_item()
    talk.turn.start_reply()
    await talk.put(SpokenTurn(end=None, decided_at=0.0))  # turn 2, closed and queued
    talk.speech_resumed(9000)
    assert talk.queue.qsize() == 1 and isinstance(talk.queue.get_nowait(), SpokenTurn)


async def test_an_item_outside_the_union_is_not_passed_over():
    talk, *_ = conversation(ScriptedInterviewer([]))
    with pytest.raises(AssertionError):  # assert_never: not handled as if nothing came
        await talk._handle(object())  # type: ignore[arg-type]
