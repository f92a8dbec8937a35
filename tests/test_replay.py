"""Replay (VIVA_KEEP_AUDIO): a spoken turn's audio is kept with the interview, served to its owner only,
appended to when the candidate goes on, and deleted with the interview; nothing is kept by default."""

from __future__ import annotations

import io
import wave

import numpy as np
from sqlmodel import Session, select

from app import replay
from app.models import TurnAudio
from app.voice.endpointing import Chunk, TurnEnd
from tests.factories import make_interview, make_user
from tests.voice.fakes import FakeTranscriber, frames, read_wav
from tests.voice.helpers import new_interview, of, running, send, until, url

SPEECH = read_wav("one_turn.wav")[int(0.4 * 16_000) * 2 : int(3.34 * 16_000) * 2]  # ~2.9 s of speech


def _one_answer(settings):
    """Runs a session with one spoken answer; returns (app, client context, interview id, transcript)."""
    ctx = running(settings.model_copy(update={"stt_preload": False}), FakeTranscriber("we shard by user id"))
    app, client = ctx.__enter__()
    iid = new_interview(app)
    with client.websocket_connect(url(iid)) as ws:
        until(ws, "interviewer_done")
        for frame in frames(SPEECH + bytes(2000 * 32)):
            ws.send_bytes(frame)
        transcript = of(until(ws, "transcript"), "transcript")[0]
        send(ws, type="finish")
        until(ws, "finished")
    return ctx, app, client, iid, transcript


def test_a_spoken_turn_is_kept_and_served_to_its_owner_as_wav(settings):
    ctx, app, client, iid, transcript = _one_answer(settings.model_copy(update={"keep_audio": True}))
    try:
        listed = client.get(f"/api/interviews/{iid}/audio").json()
        assert [row["seq"] for row in listed] == [transcript["seq"]]
        row = listed[0]
        assert row["start_ms"] <= transcript["start_ms"] + 50 and row["end_ms"] >= transcript["end_ms"] - 50
        got = client.get(f"/api/interviews/{iid}/turns/{transcript['seq']}/audio")
        assert got.status_code == 200 and got.headers["content-type"] == "audio/wav"
        with wave.open(io.BytesIO(got.content)) as w:
            assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (16_000, 1, 2)
            pcm = np.frombuffer(w.readframes(w.getnframes()), "<i2")
        assert 2.8 < len(pcm) / 16_000 < 4.0  # the speech, its pre-roll and the pause that ended it
        assert np.abs(pcm.astype(np.int32)).max() > 1000  # the voice itself, not silence
        assert client.get(f"/api/interviews/{iid}/turns/1/audio").status_code == 404  # the opening: no audio
        with Session(app.state.engine) as db:
            theirs = make_interview(db, user=make_user(db)).id
            db.add(TurnAudio(interview_id=theirs, seq=1, start_ms=0, pcm=b"\0\0" * 160))
            db.commit()
        assert client.get(f"/api/interviews/{theirs}/turns/1/audio").status_code == 404  # not yours
        assert client.get(f"/api/interviews/{theirs}/audio").status_code == 404
        assert client.delete(f"/api/interviews/{iid}").status_code == 204
        with Session(app.state.engine) as db:
            assert db.exec(select(TurnAudio).where(TurnAudio.interview_id == iid)).all() == []
    finally:
        ctx.__exit__(None, None, None)


def test_nothing_is_kept_by_default(settings):
    ctx, app, client, iid, _ = _one_answer(settings)
    try:
        assert client.get(f"/api/interviews/{iid}/audio").json() == []
    finally:
        ctx.__exit__(None, None, None)


def test_the_collector_follows_recut_and_cancelled_chunks():
    collect = replay.TurnAudioCollector()
    audio = np.full(16_000, 0.5, dtype=np.float32)
    collect.add(Chunk(1, 0, 0, 1000, audio[:8000], speculative=True))
    collect.cancel(1, 0)  # too short: the next chunk takes it in again
    collect.add(Chunk(1, 0, 0, 1000, audio, speculative=True))
    collect.add(Chunk(1, 1, 1000, 1500, audio[:8000], speculative=False))
    start, pcm = collect.take(TurnEnd(1, 300, 1500, 2, "silence", 2000))
    assert start == 0 and len(pcm) == 24_000 and pcm.dtype == np.dtype("<i2") and pcm[0] == 16_383
    assert collect.take(TurnEnd(1, 300, 1500, 2, "silence", 2000)) is None


def test_a_continued_turn_appends_after_the_pause(settings, tmp_path):
    from app.db import make_engine
    from app.schema import upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    upgrade(engine)
    with Session(engine) as db:
        iid = make_interview(db).id
    replay.save(engine, iid, 2, 1000, np.ones(16_000, dtype=np.int16))  # 1.0-2.0 s
    replay.save(engine, iid, 2, 2500, np.ones(8_000, dtype=np.int16))  # 2.5-3.0 s, after a 0.5 s pause
    with Session(engine) as db:
        assert replay.listing(db, iid) == [{"seq": 2, "start_ms": 1000, "end_ms": 3000}]
        pcm = np.frombuffer(replay.wav(db, iid, 2)[44:], "<i2")
    assert len(pcm) == 32_000 and not pcm[16_000:24_000].any()
