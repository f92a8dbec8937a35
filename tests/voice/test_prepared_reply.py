"""A reply made while a spoken turn is held open (app/voice/conversation.py, `Prepared`): said the moment the
turn ends with the words it was made for, dropped when the candidate goes on; the interview is the same
either way."""

from __future__ import annotations

import json
import logging

import numpy as np

from app.models import Speaker
from app.voice.speaker.stream import SpeakerPool, parse_frame
from tests.voice.fakes import FakeTranscriber, frames, speech_then
from tests.voice.helpers import new_interview, running, send, stored, url

SENTENCE = "We shard the orders by user id."  # a short complete sentence: held 1.1 s with a question in play


class ToneSpeaker:
    name, sample_rate = "tone", 16_000

    def load(self) -> None:
        pass

    def synthesize(self, text: str) -> np.ndarray:
        return np.full(160 * len(text), 1000, dtype=np.int16)


def _receive(ws, until_kind: str, count: int = 1) -> list[dict]:
    """Events (and voice frames, as {"type": "audio", ...}) up to the `count`-th `until_kind`."""
    got: list[dict] = []
    while sum(e["type"] == until_kind for e in got) < count:
        message = ws.receive()
        if message.get("bytes") is not None:
            reply, index, _, pcm = parse_frame(message["bytes"])
            got.append({"type": "audio", "reply": reply, "index": index, "samples": len(pcm)})
        else:
            got.append(json.loads(message["text"]))
        assert len(got) < 500, [e["type"] for e in got]
    return got


def _interview(settings, audio: bytes, prepare: bool, voice: bool = False):
    """One spoken answer after the opening; returns (events after the opening, stored turns, final state)."""
    settings = settings.model_copy(update={"stt_preload": False, "prepare_reply": prepare})
    with running(settings, FakeTranscriber(SENTENCE)) as (app, client):
        if voice:
            app.state.speaker_pool = SpeakerPool(ToneSpeaker())
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as ws:
            _receive(ws, "interviewer_done")  # the opening
            for frame in frames(audio):
                ws.send_bytes(frame)
            got = _receive(ws, "interviewer_done")
            send(ws, type="finish")
            _receive(ws, "finished")
        if voice:
            app.state.speaker_pool.close()
        interview, turns = stored(app, iid)
    return got, turns, interview.state


def _unclocked(state: dict) -> dict:
    """The state without the times it was reached at (the clock runs on wall time here)."""
    return {k: v for k, v in state.items() if not k.endswith("_s")} | {
        "history": [{k: v for k, v in h.items() if not k.endswith("_s")} for h in state["history"]]}


def test_a_held_turn_is_answered_with_the_reply_made_during_its_hold(settings, caplog):
    caplog.set_level(logging.INFO, logger="viva.voice")
    got, turns, state = _interview(settings, speech_then(2500), prepare=True)
    assert any("answered with the reply prepared" in r.getMessage() for r in caplog.records)
    plain_got, plain_turns, plain_state = _interview(settings, speech_then(2500), prepare=False)
    said = [e["text"] for e in got if e["type"] == "interviewer_done"]
    assert said and said == [e["text"] for e in plain_got if e["type"] == "interviewer_done"]
    assert [(t.speaker, t.text) for t in turns] == [(t.speaker, t.text) for t in plain_turns]
    assert _unclocked(state) == _unclocked(plain_state)  # the same interview, reached sooner
    assert state["candidate_turns"] == 1


def test_going_on_during_the_hold_drops_the_prepared_reply_and_the_whole_answer_is_answered(settings, caplog):
    caplog.set_level(logging.INFO, logger="viva.voice")
    # a 0.6 s pause after a complete sentence (its reply is made), then the answer goes on
    got, turns, state = _interview(settings, speech_then(600) + speech_then(2500), prepare=True)
    messages = [r.getMessage() for r in caplog.records]
    assert any("prepared at turn 1 pause 0 is dropped (the candidate went on)" in m for m in messages), messages
    # the reply to the whole answer was made in the second pause's hold
    assert [m for m in messages if "answered with the reply prepared" in m][0].startswith(
        "interview 1: turn 1 answered with the reply prepared at pause 1,")
    spoken = [t for t in turns if t.speaker == Speaker.candidate]
    assert [t.text for t in spoken] == [f"{SENTENCE} {SENTENCE}"]
    assert state["candidate_turns"] == 1  # the dropped reply left nothing in the interviewer's state
    assert [h["speaker"] for h in state["history"]] == ["interviewer", "candidate", "interviewer"]
    assert state["history"][1]["text"] == f"{SENTENCE} {SENTENCE}"


def test_the_prepared_voice_is_sent_only_once_the_turn_has_ended(settings, caplog):
    caplog.set_level(logging.INFO, logger="viva.voice")
    got, _, _ = _interview(settings, speech_then(2500), prepare=True, voice=True)
    assert any("answered with the reply prepared" in r.getMessage() for r in caplog.records)
    kinds = [e["type"] for e in got]
    audio = [e for e in got if e["type"] == "audio"]
    assert audio and {a["reply"] for a in audio} == {2}  # the opening was reply 1
    assert [a["index"] for a in audio] == list(range(len(audio)))
    # nothing of it before the candidate's transcript (the turn might have gone on), all before its done
    assert kinds.index("transcript") < kinds.index("audio") and kinds[-1] == "interviewer_done"
    done = got[-1]
    assert sum(a["samples"] for a in audio) == 160 * sum(len(s) for s in _sentences(done["text"]))


def _sentences(text: str) -> list[str]:
    from app.voice.speaker.stream import SentenceSplitter, lead_clause

    splitter = SentenceSplitter()
    out = splitter.feed(text) + ([rest] if (rest := splitter.rest()) else [])
    lead = lead_clause(out[0]) if out else None
    return [*lead, *out[1:]] if lead else out


def test_an_answer_that_goes_on_after_its_reply_was_withdrawn_gets_a_prepared_reply_to_the_whole(settings, caplog):
    caplog.set_level(logging.INFO, logger="viva.voice")
    # the turn closes after 1.1 s of silence and the candidate goes on 0.2 s later: the reply is withdrawn,
    # and the reply to the whole answer is made in the continuation's hold
    got, turns, state = _interview(settings, speech_then(1300) + speech_then(2500), prepare=True)
    messages = [r.getMessage() for r in caplog.records]
    assert any("reply" in m and "withdrawn" in m for m in messages), messages
    assert any(m.startswith("interview 1: turn 2 answered with the reply prepared at pause 0,") for m in messages)
    spoken = [t for t in turns if t.speaker == Speaker.candidate]
    assert [t.text for t in spoken] == [f"{SENTENCE} {SENTENCE}"]
    assert state["candidate_turns"] == 1
    assert [h["speaker"] for h in state["history"]] == ["interviewer", "candidate", "interviewer"]
