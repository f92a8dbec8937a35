"""The interview stream: `/api/interviews/{id}/stream` (WebSocket; protocol in docs/protocol.md).

One writer per interview: the connection claims the interview in the database (app/lifecycle.py);
a newer connection wins and the older one is closed with 4410 `taken_over` (at once when it is in
this process, at its next heartbeat or write when it is in another). `?last_seq=N` replays the
stored turns after N; stored answers the interviewer has not answered yet are answered first.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid

from fastapi import APIRouter, WebSocket
from sqlmodel import Session

from app import lifecycle, repository
from app.auth.deps import StreamUser
from app.db import SessionDep
from app.interviewer import Interviewer
from app.models import Interview, Speaker, Turn
from app.runner.wiring import attach_desk
from app.voice import protocol
from app.voice.conversation import Unanswered
from app.voice.session import StreamSession
from app.voice.store import StreamStore

router = APIRouter(tags=["stream"])
log = logging.getLogger("viva.voice")


async def _refuse(ws: WebSocket, code: str, message: str, close_code: int) -> None:
    await ws.send_json(protocol.error(code, message))
    await ws.close(close_code)


def replay_event(turn: Turn) -> dict:
    """A stored turn as the event the client would have got live, marked `replayed`."""
    if turn.speaker == Speaker.candidate:
        return {"type": "transcript", "final": True, "text": turn.text, "seq": turn.seq, "start_ms": turn.start_ms,
                "end_ms": turn.end_ms, "words": turn.words, "typed": turn.typed, "replayed": True}
    return {"type": "interviewer_done", "text": turn.text, "seq": turn.seq, "start_ms": turn.start_ms,
            "end_ms": turn.end_ms, "move": turn.meta.get("move"), "replayed": True}


def _claim(engine, interview_id: int, token: str, last_seq: int | None):
    """Claim the interview; (interview, replay events, unanswered) read after the claim, or None."""
    with Session(engine) as db:
        interview = lifecycle.claim_stream(db, interview_id, token)
        if interview is None:
            return None
        replay = [replay_event(t) for t in lifecycle.turns_after(db, interview_id, last_seq)] if last_seq is not None \
            else []
        pending = lifecycle.unanswered_turns(db, interview)
        unanswered = Unanswered(" ".join(t.text for t in pending), any(t.typed for t in pending),
                                pending[-1].seq) if pending else None
        db.expunge(interview)
        return interview, replay, unanswered


def _last_seq(ws: WebSocket) -> int | None:
    raw = ws.query_params.get("last_seq")
    if raw is None or not raw.isdigit() or len(raw) > 12:  # a seq beyond any id: no replay, not an overflow
        return None
    return min(int(raw), repository.MAX_ID)


@router.websocket("/api/interviews/{interview_id}/stream")
async def interview_stream(ws: WebSocket, interview_id: int, db: SessionDep, user: StreamUser) -> None:
    interview = repository.get_owned_interview(db, user, interview_id)
    if interview is not None:
        db.expunge(interview)
    db.close()  # give the connection back: the stream may last an hour and writes in short sessions
    await ws.accept()
    app = ws.app
    if interview is None:
        return await _refuse(ws, protocol.NOT_FOUND, f"interview {interview_id} not found",
                             protocol.CLOSE_NOT_FOUND)
    if interview.status in repository.OVER:
        return await _refuse(ws, protocol.FINISHED, f"interview {interview_id} is {interview.status.value}",
                             protocol.CLOSE_FINISHED)
    rnd = app.state.catalog.get(interview.round_id)
    if rnd is None:
        message = f"round {interview.round_id} is no longer in the catalog"
        return await _refuse(ws, protocol.NOT_FOUND, message, protocol.CLOSE_NOT_FOUND)
    token = uuid.uuid4().hex
    claimed = await _run(_claim, app.state.engine, interview_id, token, _last_seq(ws))
    if claimed is None:  # it ended between the check and the claim
        return await _refuse(ws, protocol.FINISHED, f"interview {interview_id} is over", protocol.CLOSE_FINISHED)
    interview, replay, unanswered = claimed
    streams = _streams(app)
    previous = streams.get(interview_id)
    if previous is not None:  # an older connection in this process: closed at once if it lost the claim
        await previous.confirm_owner()  # (two claims can commit in either order: the database decides)
    session = _session(ws, app, interview, rnd, token, replay, unanswered)
    if session is None:
        return await _refuse(ws, protocol.INTERNAL, "the interview's saved state cannot be restored", 1011)
    streams[interview_id] = session
    log.info("interview %s: stream opened (resumed=%s, replayed=%d, unanswered=%s)", interview_id,
             session.info["resumed"], len(replay), unanswered is not None)
    try:
        await session.run()
    finally:
        if streams.get(interview_id) is session:
            del streams[interview_id]


async def _run(fn, *args):
    return await asyncio.to_thread(fn, *args)


def _streams(app) -> dict[int, StreamSession]:
    streams = getattr(app.state, "streams", None)
    if streams is None:
        streams = app.state.streams = {}
    return streams


def _session(ws: WebSocket, app, interview: Interview, rnd, token: str, replay: list[dict],
             unanswered: Unanswered | None) -> StreamSession | None:
    interview_id = interview.id
    try:
        iv = Interviewer(rnd, interview.level, app.state.brain, state=interview.state or None,
                         clock=time.monotonic)
    except ValueError as exc:  # stored state that does not fit the round (edited catalog)
        log.error("interview %s: cannot restore interviewer state: %s", interview_id, type(exc).__name__)
        return None

    async def finished() -> None:
        from app.scoring.jobs import schedule_scoring

        schedule_scoring(app, interview_id)

    info = {"interview_id": interview_id, "round": rnd.id, "level": interview.level,
            "stt": app.state.stt_name, "brain": getattr(app.state, "brain_name", None),
            "resumed": bool(interview.state),
            "voice": pool.name if (pool := getattr(app.state, "speaker_pool", None)) else "browser"}
    session = StreamSession(ws, interview_id=interview_id, rnd=rnd, iv=iv, pool=app.state.stt_pool,
                            store=StreamStore(app.state.engine, interview_id, token), settings=app.state.settings,
                            info=info, on_finished=finished, replay=replay, unanswered=unanswered,
                            state_seq=interview.state_seq,
                            turn_scorer=getattr(app.state, "turn_scorer", None),
                            voice=getattr(app.state, "speaker_pool", None))
    attach_desk(app, session, iv)
    return session
