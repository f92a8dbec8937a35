"""One writer per interview, resume and replay, client message ids (TestClient, fake transcriber)."""

from __future__ import annotations

import pytest
from starlette.websockets import WebSocketDisconnect

from app.models import InterviewStatus, Speaker
from app.voice import protocol
from tests.voice.fakes import FakeTranscriber, frames, read_wav
from tests.voice.helpers import eventually, new_interview, of, running, send, status_of, stored, until, url


@pytest.fixture
def voice_settings(settings):
    return settings.model_copy(update={"stt_preload": False})


def closed_with(ws) -> tuple[list[dict], int]:
    """Events until the server closes the socket, and the close code."""
    events = []
    with pytest.raises(WebSocketDisconnect) as closed:
        while True:
            events.append(ws.receive_json())
    return events, closed.value.code


def test_a_second_connection_takes_over_and_the_first_is_told(voice_settings):
    with running(voice_settings, FakeTranscriber()) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as first:
            until(first, "interviewer_done")
            send(first, type="text", text="I would shard by user id", id="a1")
            acked = of(until(first, "transcript"), "transcript")[0]
            until(first, "interviewer_done")
            with client.websocket_connect(url(iid) + f"?last_seq={acked['seq'] - 1}") as second:
                ready = second.receive_json()
                assert ready["type"] == "ready" and ready["resumed"] is True
                events, code = closed_with(first)
                assert code == protocol.CLOSE_TAKEN_OVER
                assert of(events, "error")[-1]["code"] == protocol.TAKEN_OVER
                replayed = until(second, "interviewer_done")  # the missed answer and reply, replayed
                assert [e["seq"] for e in replayed if e.get("replayed")] == [acked["seq"], acked["seq"] + 1]
                send(second, type="text", text="and cache hot keys", id="b1")
                assert of(until(second, "transcript"), "transcript")[0]["seq"] == acked["seq"] + 3 - 1 + 1
                until(second, "interviewer_done")
                send(second, type="finish")
                until(second, "finished")
        _, turns = stored(app, iid)
        candidate = [t.text for t in turns if t.speaker == Speaker.candidate]
        assert candidate == ["I would shard by user id", "and cache hot keys"]
        assert [t.seq for t in turns] == list(range(1, len(turns) + 1))


def test_a_resent_message_is_stored_and_answered_once(voice_settings):
    with running(voice_settings, FakeTranscriber()) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as ws:
            until(ws, "interviewer_done")
            send(ws, type="text", text="use a write-ahead log", id="m-1")
            first = of(until(ws, "transcript"), "transcript")[0]
            until(ws, "interviewer_done")
        with client.websocket_connect(url(iid)) as ws:  # the client was not sure it arrived: sends again
            ws.receive_json()
            send(ws, type="text", text="use a write-ahead log", id="m-1")
            again = of(until(ws, "transcript"), "transcript")[0]
            assert again["duplicate"] is True and again["seq"] == first["seq"] and again["id"] == "m-1"
            send(ws, type="text", text="x", id="")
            assert of(until(ws, "error"), "error")[0]["code"] == protocol.BAD_MESSAGE
        _, turns = stored(app, iid)
        assert [t.text for t in turns].count("use a write-ahead log") == 1
        answers = [t for t in turns if t.speaker == Speaker.interviewer and t.seq > first["seq"]]
        assert len(answers) == 2  # the first answer's reply, and the resume line: no second reply to it


def test_a_flushed_partial_answer_is_answered_after_the_reconnect(voice_settings):
    fake = FakeTranscriber("we would partition the orders table by customer")
    with running(voice_settings, fake) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as ws:
            until(ws, "interviewer_done")
            for frame in frames(read_wav("one_turn.wav")[: 16000 * 2 * 3]):  # still talking when it drops
                ws.send_bytes(frame)
            until(ws, "speech_start")
        eventually(lambda: status_of(app, iid) == InterviewStatus.paused, tries=600)
        interview, turns = stored(app, iid)
        assert turns[-1].speaker == Speaker.candidate and turns[-1].meta["end_reason"] == "flush"
        assert interview.state_seq < turns[-1].seq  # stored, not yet answered
        with client.websocket_connect(url(iid)) as ws:
            ws.receive_json()
            reply = of(until(ws, "interviewer_done"), "interviewer_done")[0]
            assert reply["move"] != "resume"  # it answers the stored answer instead of a "welcome back"
        eventually(lambda: status_of(app, iid) == InterviewStatus.paused)
        interview, turns = stored(app, iid)
        assert turns[-1].speaker == Speaker.interviewer and interview.state_seq == turns[-1].seq
        assert interview.state["candidate_turns"] == 1
