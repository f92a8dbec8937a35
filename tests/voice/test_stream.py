"""The stream route over a real WebSocket (TestClient), with a fake transcriber: fast, no model."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from sqlmodel import Session
from starlette.websockets import WebSocketDisconnect

from app import lifecycle
from app.models import InterviewStatus, Speaker
from app.voice import protocol
from app.voice.frames import MAX_FRAME_BYTES
from tests.factories import make_interview, make_user
from tests.voice.fakes import FakeTranscriber, frames, read_wav, speech_then
from tests.voice.helpers import eventually, new_interview, of, running, send, status_of, stored, until, url


@pytest.fixture
def voice_settings(settings):
    return settings.model_copy(update={"stt_preload": False})


def assert_refused(client, interview_id: int, code: str, close_code: int) -> None:
    with client.websocket_connect(url(interview_id)) as ws:
        assert ws.receive_json()["code"] == code
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == close_code


def test_unknown_interview_gets_an_error_and_close_4404(voice_settings):
    with running(voice_settings) as (_app, client):
        assert_refused(client, 999, protocol.NOT_FOUND, 4404)


def test_someone_elses_interview_is_not_found(voice_settings):
    with running(voice_settings) as (app, client):
        with Session(app.state.engine) as db:
            theirs = make_interview(db, user=make_user(db)).id
        assert_refused(client, theirs, protocol.NOT_FOUND, 4404)


def test_a_finished_interview_is_refused(voice_settings):
    with running(voice_settings) as (app, client):
        iid = new_interview(app)
        with Session(app.state.engine) as db:
            interview = stored(app, iid)[0]
            interview.status = InterviewStatus.scored
            db.add(interview)
            db.commit()
        assert_refused(client, iid, protocol.FINISHED, 4409)


def test_bad_input_gets_errors_and_the_session_keeps_working(voice_settings):
    fake = FakeTranscriber("we shard the orders table")
    with running(voice_settings, fake) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as ws:
            ready = ws.receive_json()
            assert ready["type"] == "ready" and ready["sample_rate"] == 16000 and ready["offset_ms"] == 0
            ws.send_bytes(bytes(641))  # odd length
            ws.send_bytes(b"")  # empty
            ws.send_bytes(bytes(MAX_FRAME_BYTES + 2))  # oversized
            ws.send_bytes(b'{"type": "end_turn", "padding": "' + b"x" * 400 + b'"}')  # text where audio goes
            ws.send_text("{not json")
            ws.send_text('{"type": "sing"}')
            ws.send_text('["type", "ping"]')
            errors = until(ws, "error", 7)
            assert [e["code"] for e in of(errors, "error")] == ["bad_frame"] * 4 + [
                "bad_message", "unknown_type", "bad_message"]
            send(ws, type="ping", t=42)
            assert of(until(ws, "pong"), "pong") == [{"type": "pong", "t": 42}]
            for frame in frames(read_wav("one_turn.wav")):
                ws.send_bytes(frame)
            events = until(ws, "transcript")
            events += until(ws, "interviewer_done")  # the reply to the turn
            (transcript,) = of(events, "transcript")
            assert transcript["text"] == "we shard the orders table" and transcript["final"] is True
            assert of(events, "speech_start") and of(events, "speech_end")
            send(ws, type="finish")
            until(ws, "finished")
        interview, turns = stored(app, iid)
        assert [t.speaker for t in turns] == [Speaker.interviewer, Speaker.candidate, Speaker.interviewer]
        assert turns[1].text == "we shard the orders table" and turns[1].meta["phase"]
        assert interview.status in (InterviewStatus.finished, InterviewStatus.scoring, InterviewStatus.scored)
        assert interview.started_at is not None and interview.ended_at is not None


def test_typed_answer_is_a_turn_and_end_turn_closes_at_once(voice_settings):
    fake = FakeTranscriber("so first")
    with running(voice_settings, fake) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as ws:
            until(ws, "interviewer_done")  # the opening, then the phase
            phase = of(until(ws, "phase"), "phase")[0]
            assert phase["phase"] == "intro" and phase["remaining_s"] > 0
            send(ws, type="text", text="SELECT user_id, count(*) FROM orders GROUP BY 1")
            typed = of(until(ws, "transcript"), "transcript")[0]
            assert typed["typed"] is True and typed["words"] == [] and typed["text"].startswith("SELECT")
            until(ws, "interviewer_done")
            speech = read_wav("one_turn.wav")[: 16000 * 2 * 3]  # 3 s: still talking when end_turn comes
            for frame in frames(speech):
                ws.send_bytes(frame)
            send(ws, type="end_turn")
            spoken = of(until(ws, "transcript"), "transcript")[0]
            assert spoken["timing"]["reason"] == "end_turn" and spoken["typed"] is False
            send(ws, type="interrupt")
            send(ws, type="finish")
            until(ws, "finished")
        interview, turns = stored(app, iid)
        assert [(t.speaker, t.typed) for t in turns if t.speaker == Speaker.candidate] == [
            (Speaker.candidate, True), (Speaker.candidate, False)]
        assert interview.state["interruptions"] == 1


def test_partials_during_long_speech_when_enabled(voice_settings):
    fake = FakeTranscriber("so far so good")
    with running(voice_settings.model_copy(update={"stt_partial_s": 1.0}), fake) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as ws:
            for frame in frames(read_wav("one_turn.wav")[: 16000 * 2 * 3]):  # still talking at the end
                ws.send_bytes(frame)
            partial = of(until(ws, "partial"), "partial")[0]
            assert partial["text"] == "so far so good"
            send(ws, type="end_turn")
            assert of(until(ws, "transcript"), "transcript")[0]["text"] == "so far so good"
        assert any(seconds < 2.5 for seconds, _ in fake.calls)  # the partial saw only part of the turn


def test_long_turn_is_split_and_nothing_is_lost(voice_settings):
    fake = FakeTranscriber("part")
    with running(voice_settings.model_copy(update={"max_turn_s": 1.5}), fake) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as ws:
            for frame in frames(read_wav("one_turn.wav")):
                ws.send_bytes(frame)
            until(ws, "transcript", 2)
            send(ws, type="finish")
            until(ws, "finished")
        _, turns = stored(app, iid)
        spoken = [t for t in turns if t.speaker == Speaker.candidate]
        assert len(spoken) >= 2 and spoken[0].meta["end_reason"] == "max_length"
        assert spoken[0].end_ms <= spoken[1].start_ms
        audio_s = sum(seconds for seconds, _ in fake.calls)
        assert audio_s >= 2.8  # the whole utterance (~3 s of speech) went to the recogniser


@pytest.mark.parametrize(("bound", "pool"), [
    ({}, {"workers": 1, "max_queued": 1}),  # the global queue is full
    ({"stt_max_pending_s": 1.0}, {}),  # this session has too much audio waiting: reading pauses
])
def test_overload_says_busy_and_loses_nothing(voice_settings, bound, pool):
    fake = FakeTranscriber("busy words")
    fake.gate = threading.Event()
    with running(voice_settings.model_copy(update=bound), fake, **pool) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as ws:
            for frame in frames(read_wav("three_turns.wav")):
                ws.send_bytes(frame)
            busy = of(until(ws, "error"), "error")[0]
            assert busy["code"] == protocol.BUSY
            fake.gate.set()
            until(ws, "transcript", 3)
            send(ws, type="finish")
            until(ws, "finished")
        _, turns = stored(app, iid)
        # every word is kept; turns whose words came late may be joined (1.5 s gaps: a pause that goes on)
        said = " ".join(t.text for t in turns if t.speaker == Speaker.candidate)
        assert said.split() == ["busy", "words"] * 3


def test_recognition_failure_is_reported_and_the_session_goes_on(voice_settings):
    fake = FakeTranscriber(error=RuntimeError("no"))
    with running(voice_settings, fake) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as ws:
            for frame in frames(read_wav("one_turn.wav")):
                ws.send_bytes(frame)
            assert of(until(ws, "error"), "error")[0]["code"] == protocol.STT_FAILED
            fake.error = None
            for frame in frames(read_wav("one_turn.wav")):
                ws.send_bytes(frame)
            assert of(until(ws, "transcript"), "transcript")[0]["text"] == fake.text


def test_reconnect_continues_the_time_line(voice_settings):
    fake = FakeTranscriber("That is the first answer.")
    with running(voice_settings, fake) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as ws:
            for frame in frames(read_wav("one_turn.wav")):
                ws.send_bytes(frame)
            until(ws, "transcript")
            until(ws, "interviewer_done")
        eventually(lambda: status_of(app, iid) == InterviewStatus.paused)  # dropped without finish
        interview, turns = stored(app, iid)
        assert interview.state
        last_end = max(t.end_ms for t in turns)
        with client.websocket_connect(url(iid)) as ws:
            ready = ws.receive_json()
            assert ready["resumed"] is True and ready["offset_ms"] == last_end
            resume = of(until(ws, "interviewer_done"), "interviewer_done")[0]
            assert resume["start_ms"] >= last_end


def test_audio_after_finish_and_messages_are_harmless(voice_settings):
    with running(voice_settings, FakeTranscriber()) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as ws:
            send(ws, type="finish")
            events = until(ws, "finished")
            assert of(events, "finished")[0]["reason"] == "client"
        assert stored(app, iid)[0].status != InterviewStatus.active


def test_playback_done_corrects_the_interviewer_turn_end(voice_settings):
    with running(voice_settings, FakeTranscriber()) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as ws:
            opening = of(until(ws, "interviewer_done"), "interviewer_done")[0]
            send(ws, type="playback_done", seq=opening["seq"])
            send(ws, type="playback_done", seq="one")
            assert of(until(ws, "error"), "error")[0]["code"] == protocol.BAD_MESSAGE
        turn = stored(app, iid)[1][0]
        assert turn.seq == opening["seq"] and turn.start_ms <= turn.end_ms < opening["end_ms"]


def test_ping_is_answered_while_audio_waits_for_transcription(voice_settings):
    """The reader keeps reading while this session's audio is held back: control messages get through."""
    fake = FakeTranscriber("These are held words.")  # a sentence: words without an end hold the turn 2 s
    fake.gate = threading.Event()
    with running(voice_settings.model_copy(update={"stt_max_pending_s": 1.0}), fake) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as ws:
            for frame in frames(read_wav("three_turns.wav")):
                ws.send_bytes(frame)
            send(ws, type="ping", t=7)
            events = until(ws, "pong")
            assert of(events, "pong")[0]["t"] == 7
            assert not of(events, "transcript")  # the audio is still waiting: the pong overtook it
            send(ws, type="end_turn")  # ordered after the audio before it
            fake.gate.set()
            until(ws, "transcript", 3)
            send(ws, type="finish")
            until(ws, "finished")
        _, turns = stored(app, iid)
        # no word lost; how the three answers are split into turns depends on when their words came (held back,
        # the turn waits turn_word_wait_ms for them, and a patient hold then outlasts the fixture's 1.5 s gaps)
        said = " ".join(t.text for t in turns if t.speaker == Speaker.candidate)
        assert said.count("These are held words.") == 3, said


@contextmanager
def after_one_answer(voice_settings, pause_ms: int):
    """A stream past its opening, with one spoken answer sent (one_turn.wav's speech, then `pause_ms` of
    silence); finished on the way out. Yields (app, interview id, socket)."""
    with running(voice_settings, FakeTranscriber("we shard by user id")) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as ws:
            until(ws, "interviewer_done")  # the opening
            for frame in frames(speech_then(pause_ms)):
                ws.send_bytes(frame)
            yield app, iid, ws
            send(ws, type="finish")
            until(ws, "finished")


def test_going_on_right_after_the_turn_closed_withdraws_the_reply_and_joins_the_turn(voice_settings):
    """A pause long enough to close the turn (hold 700 ms) but speech again ~0.3 s later: the interviewer's
    reply is taken back (`reply_withdrawn`, out of the transcript), the continuation joins the candidate's
    turn (one turn, its seq kept, all the words), and the whole answer gets one reply."""
    with after_one_answer(voice_settings, 1000) as (app, iid, ws):
        first = of(until(ws, "transcript"), "transcript")[0]
        reply = of(until(ws, "interviewer_done"), "interviewer_done")[0]
        for frame in frames(speech_then(2500)):  # goes on ~0.3 s (audio time) after the turn closed
            ws.send_bytes(frame)
        got = until(ws, "interviewer_done")
    withdrawn, joined = of(got, "reply_withdrawn"), of(got, "transcript")
    assert withdrawn == [{"type": "reply_withdrawn", "seq": reply["seq"], "turn_seq": first["seq"]}]
    assert [t["seq"] for t in joined] == [first["seq"]]
    assert joined[0]["text"] == "we shard by user id we shard by user id"
    assert len(joined[0]["words"]) == 10 and joined[0]["end_ms"] > first["end_ms"]
    interview, turns = stored(app, iid)
    assert interview.state["candidate_turns"] == 1  # the interviewer took in one answer, not two
    spoken = [t for t in turns if t.speaker == Speaker.candidate]
    assert [t.text for t in spoken] == ["we shard by user id we shard by user id"]
    assert spoken[0].meta["continued"] == 1 and len(spoken[0].words) == 10
    assert reply["seq"] not in [t.seq for t in turns]  # the withdrawn reply is not in the transcript
    with Session(app.state.engine) as db:  # ... nor replayed to a client that reconnects
        assert reply["seq"] not in [t.seq for t in lifecycle.turns_after(db, iid, 0)]
    replies = [t for t in turns if t.speaker == Speaker.interviewer]
    assert len(replies) == 2 and replies[-1].seq > reply["seq"]  # the opening, and the one reply (new seq)


def test_a_longer_pause_is_a_new_turn(voice_settings):
    with after_one_answer(voice_settings, 2000) as (app, iid, ws):
        until(ws, "interviewer_done")  # the reply to it: then, 1.3 s after the close, more speech
        for frame in frames(speech_then(2500)):
            ws.send_bytes(frame)
        got = until(ws, "interviewer_done")
    assert not of(got, "reply_withdrawn")
    _, turns = stored(app, iid)
    assert len([t for t in turns if t.speaker == Speaker.candidate]) == 2


def test_a_typed_answer_instead_of_the_continuation_gets_the_turn_answered_first(voice_settings):
    with after_one_answer(voice_settings, 1000) as (app, iid, ws):
        until(ws, "interviewer_done")
        for frame in frames(read_wav("one_turn.wav")[int(0.4 * 16_000) * 2: int(1.4 * 16_000) * 2]):
            ws.send_bytes(frame)  # speech again ~0.4 s after the close, still open: the reply is withdrawn
        until(ws, "reply_withdrawn")
        send(ws, type="text", text="SELECT 1;")
        got = until(ws, "interviewer_done", 2)
    assert len(of(got, "interviewer_done")) == 2  # the spoken turn answered, then the typed one
    _, turns = stored(app, iid)
    said = [(t.speaker, t.typed) for t in turns]
    assert said[1:5] == [(Speaker.candidate, False), (Speaker.interviewer, False), (Speaker.candidate, True),
                         (Speaker.interviewer, False)], said  # (then the open speech, flushed at finish)
