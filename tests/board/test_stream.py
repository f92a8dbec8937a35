"""The board over the interview's stream: saved with its time on the timeline, refused with a clear error
over a limit, a stale write (second tab, reconnect) answered with the newest version, never a turn."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.board import store
from app.voice import protocol
from tests.voice.fakes import FakeTranscriber
from tests.voice.helpers import new_interview, of, running, send, stored, until, url


@pytest.fixture
def voice_settings(settings):
    return settings.model_copy(update={"stt_preload": False})


def board_of(app, iid: int) -> store.Snapshot:
    with Session(app.state.engine) as db:
        return store.latest(db, iid)


def test_a_write_is_saved_on_the_timeline_and_is_not_a_turn(voice_settings, design):
    with running(voice_settings, FakeTranscriber()) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as ws:
            until(ws, "interviewer_done")  # the opening
            send(ws, type="board", id="b1", base=0, graph=design)
            saved = of(until(ws, "board_saved"), "board_saved")[0]
            assert saved["version"] == 1 and saved["id"] == "b1" and saved["at_ms"] >= 0
            send(ws, type="ping", t=1)
            events = until(ws, "pong")
            assert not of(events, "interviewer_delta") and not of(events, "transcript")
        _, turns = stored(app, iid)
        assert [t.speaker for t in turns] == ["interviewer"]  # only the opening: drawing is not a turn
        assert board_of(app, iid).graph["nodes"][2]["label"] == "API"
        assert client.get(f"/api/interviews/{iid}/board").json()["version"] == 1


def test_over_a_limit_or_malformed_is_a_clear_error_and_the_session_goes_on(voice_settings, design):
    with running(voice_settings, FakeTranscriber()) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as ws:
            until(ws, "interviewer_done")
            design["nodes"][0]["label"] = "x" * 200
            send(ws, type="board", base=0, graph=design)
            send(ws, type="board", base="latest", graph={})
            send(ws, type="board", base=0)
            errors = of(until(ws, "error", 3), "error")
            assert [e["code"] for e in errors] == [protocol.BOARD_INVALID] * 3
            assert "nodes[0].label" in errors[0]["message"] and "at most 48 characters" in errors[0]["message"]
            assert "'base'" in errors[1]["message"] and "'graph'" in errors[2]["message"]
            send(ws, type="text", text="I'd keep counters in Redis", id="t1")
            until(ws, "interviewer_done")  # still talking
        assert board_of(app, iid).version == 0


def test_two_tabs_the_newest_version_wins_and_the_stale_tab_gets_it(voice_settings, design):
    with running(voice_settings, FakeTranscriber()) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as first:
            until(first, "interviewer_done")
            send(first, type="board", id="a", base=0, graph=design)
            until(first, "board_saved")
            # tab 2 opens the interview (taking the stream over), sees version 1 and draws on it
            with client.websocket_connect(url(iid)) as second:
                ready = second.receive_json()
                assert ready["type"] == "ready"
                board = of(until(second, "board"), "board")[0]
                assert board["version"] == 1 and board["graph"]["nodes"][0]["label"] == "Web app"
                design["nodes"][0]["label"] = "Mobile app"
                send(second, type="board", id="b", base=1, graph=design)
                assert of(until(second, "board_saved"), "board_saved")[0]["version"] == 2
                # a write still on its way from the first tab, drawn on version 1: refused, told the newest
                design["nodes"][0]["label"] = "Stale app"
                send(second, type="board", id="c", base=1, graph=design)
                conflict = of(until(second, "board_conflict"), "board_conflict")[0]
                assert conflict["id"] == "c" and conflict["version"] == 2
                assert conflict["graph"]["nodes"][0]["label"] == "Mobile app"
        assert board_of(app, iid).version == 2


def test_reconnect_gets_the_board_back_and_the_interviewer_reads_it(voice_settings, design):
    with running(voice_settings, FakeTranscriber()) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as ws:
            until(ws, "interviewer_done")
            send(ws, type="board", id="a", base=0, graph=design)
            until(ws, "board_saved")
        with client.websocket_connect(url(iid) + "?last_seq=1") as ws:
            events = until(ws, "board")
            assert of(events, "board")[0]["version"] == 1
            until(ws, "interviewer_done")  # the resume line
            send(ws, type="text", text="Every read checks the cache first: the cache sits in front of the "
                                       "database.", id="t1")
            reply = of(until(ws, "interviewer_done"), "interviewer_done")[0]
        assert "API" in reply["text"] and "Orders DB" in reply["text"]
        _, turns = stored(app, iid)
        assert turns[-1].meta["board"] == "contradiction"
        assert turns[-1].meta["board_refs"] == ["API", "Orders DB"]


def test_a_store_failure_on_a_write_is_told_and_the_session_goes_on(voice_settings, design, monkeypatch):
    from app.board import channel

    def broken(*args, **kwargs):
        raise OSError("disk full")

    with running(voice_settings, FakeTranscriber()) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as ws:
            until(ws, "interviewer_done")
            monkeypatch.setattr(channel.store, "save", broken)
            send(ws, type="board", base=0, graph=design)
            error = of(until(ws, "error"), "error")[0]
            assert error["code"] == protocol.BOARD_FAILED and "disk" not in error["message"]
            monkeypatch.undo()
            send(ws, type="board", base=0, graph=design)  # sent again: stored
            assert of(until(ws, "board_saved"), "board_saved")[0]["version"] == 1
