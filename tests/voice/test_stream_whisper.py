"""Speech fixtures through the whole pipeline with the real tiny.en model and the offline interviewer:
faster than real time (TestClient) and at real-time pace (uvicorn + the websockets client)."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn
import websockets

from app.main import create_app
from app.models import Speaker
from tests.voice.fakes import frames, read_wav, with_gaps
from tests.voice.helpers import new_interview, of, running, send, stored, until, url

pytestmark = pytest.mark.slow

# What tiny.en hears of each espeak sentence varies ("Redis cache" may come out "redish cash"):
# each turn is checked for any of a few robust words.
KEYWORDS = [("database", "front"), ("kafka", "workers", "events"), ("customer", "table", "orders")]
# The fixture's three answers 3 s apart: espeak's flat voice ends a sentence in a way tiny.en often hears as
# cut off (P(sentence end) < 0.85), and a pause after such words is held 1.6 s as a thinking pause
# (app/voice/endpointing.py): the 1.5 s of the fixture would rightly join them into one answer.
GAP_S = 3.0
THREE_TURNS = with_gaps(read_wav("three_turns.wav"), GAP_S)


def check_turns(transcripts: list[dict], app, interview_id: int) -> None:
    assert len(transcripts) == 3
    for event, words in zip(transcripts, KEYWORDS, strict=True):
        text = event["text"].lower()
        assert any(w in text for w in words), f"none of {words} in turn {event['seq']}"
        assert event["final"] is True and event["words"]
        for w in event["words"]:
            assert event["start_ms"] <= w["start_ms"] <= w["end_ms"] <= event["end_ms"]
    for before, after in zip(transcripts, transcripts[1:], strict=False):
        gap = after["start_ms"] - before["end_ms"]
        assert 900 <= gap <= GAP_S * 1000 + 800, f"turns should split at the {GAP_S} s pauses, gap {gap} ms"
    _, turns = stored(app, interview_id)
    spoken = [t for t in turns if t.speaker == Speaker.candidate]
    assert [t.seq for t in spoken] == [e["seq"] for e in transcripts]  # stored in order, before the event
    assert [t.text for t in spoken] == [e["text"] for e in transcripts]
    assert all(t.words and t.meta["phase"] for t in spoken)
    interviewer = [t for t in turns if t.speaker == Speaker.interviewer]
    assert len(interviewer) >= 4 and all(t.end_ms > t.start_ms and t.meta["phase"] for t in interviewer)


def test_three_turns_faster_than_real_time(settings):
    with running(settings) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as ws:
            for frame in frames(THREE_TURNS, ms=40):
                ws.send_bytes(frame)
            events = until(ws, "transcript", 3)
            events += until(ws, "interviewer_done")
            send(ws, type="finish")
            events += until(ws, "finished")
        assert len(of(events, "speech_start")) == 3 and len(of(events, "speech_end")) == 3
        # Audio 25x faster than real time: the next answer often starts (in stream time) before the reply to the
        # last one has begun, which is that answer going on (Conversation.speech_resumed): it joins, and its
        # transcript comes again under the same seq, longer. Each seq's last transcript is the turn stored.
        final = list({e["seq"]: e for e in of(events, "transcript")}.values())
        said = " ".join(e["text"].lower() for e in final)
        where = [min(said.find(w) for w in words if w in said) for words in KEYWORDS if any(w in said for w in words)]
        assert len(where) == 3 and where == sorted(where), said
        for event in final:
            assert event["final"] is True and all(event["start_ms"] <= w["start_ms"] <= w["end_ms"] <= event["end_ms"]
                                                  for w in event["words"])
        _, turns = stored(app, iid)
        assert [(t.seq, t.text) for t in turns if t.speaker == Speaker.candidate] == [(e["seq"], e["text"])
                                                                                     for e in final]


@contextmanager
def serve(app) -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(15)


async def test_three_turns_at_real_time_pace(settings):
    app = create_app(settings)
    with serve(app) as port:
        iid = new_interview(app)
        events: list[dict] = []
        async with websockets.connect(f"ws://127.0.0.1:{port}{url(iid)}") as ws:

            async def read(until_type: str, count: int) -> None:
                while sum(e["type"] == until_type for e in events) < count:
                    events.append(json.loads(await ws.recv()))

            reader = asyncio.create_task(read("transcript", 3))
            loop = asyncio.get_running_loop()
            start = loop.time()
            audio = frames(THREE_TURNS, ms=20)
            quiet = bytes(len(audio[0]))  # the microphone goes on after the last word, as a real one does
            for i in range(len(audio) + 250):
                if i >= len(audio) and reader.done():
                    break
                await ws.send(audio[i] if i < len(audio) else quiet)
                await asyncio.sleep(max(0.0, start + (i + 1) * 0.02 - loop.time()))
            await asyncio.wait_for(reader, 120)
            await ws.send(json.dumps({"type": "finish"}))
            await asyncio.wait_for(read("finished", 1), 60)
        transcripts = of(events, "transcript")
        check_turns(transcripts, app, iid)
        assert all(t["timing"]["reason"] == "silence" for t in transcripts)
        assert of(events, "ready")[0]["stt"].startswith("faster-whisper")
