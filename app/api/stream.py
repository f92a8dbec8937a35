"""The interview stream: `/api/interviews/{id}/stream` (WebSocket; protocol in docs/protocol.md)."""

from __future__ import annotations

import logging
import time

from fastapi import APIRouter, WebSocket

from app import repository
from app.auth.deps import StreamUser
from app.db import SessionDep
from app.interviewer import Interviewer
from app.models import InterviewStatus
from app.voice import protocol
from app.voice.session import StreamSession
from app.voice.store import StreamStore

router = APIRouter(tags=["stream"])
log = logging.getLogger("viva.voice")

OVER = (InterviewStatus.finished, InterviewStatus.scoring, InterviewStatus.scored, InterviewStatus.failed)


async def _refuse(ws: WebSocket, code: str, message: str, close_code: int) -> None:
    await ws.send_json(protocol.error(code, message))
    await ws.close(close_code)


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
    if interview.status in OVER:
        return await _refuse(ws, protocol.FINISHED, f"interview {interview_id} is {interview.status.value}",
                             protocol.CLOSE_FINISHED)
    rnd = app.state.catalog.get(interview.round_id)
    if rnd is None:
        message = f"round {interview.round_id} is no longer in the catalog"
        return await _refuse(ws, protocol.NOT_FOUND, message, protocol.CLOSE_NOT_FOUND)
    try:
        iv = Interviewer(rnd, interview.level, app.state.brain, state=interview.state or None,
                         clock=time.monotonic)
    except ValueError as exc:  # stored state that does not fit the round (edited catalog)
        log.error("interview %s: cannot restore interviewer state: %s", interview_id, type(exc).__name__)
        return await _refuse(ws, protocol.INTERNAL, "the interview's saved state cannot be restored", 1011)

    async def finished() -> None:
        try:
            from app.scoring.jobs import schedule_scoring
        except ImportError:  # scoring not installed in this build: the interview stays "finished"
            log.warning("interview %s finished; no scoring module to schedule", interview_id)
            return
        schedule_scoring(app, interview_id)

    info = {"interview_id": interview_id, "round": rnd.id, "level": interview.level,
            "stt": app.state.stt_name, "brain": getattr(app.state, "brain_name", None),
            "resumed": bool(interview.state)}
    session = StreamSession(ws, interview_id=interview_id, rnd=rnd, iv=iv, pool=app.state.stt_pool,
                            store=StreamStore(app.state.engine, interview_id), settings=app.state.settings,
                            info=info, on_finished=finished)
    log.info("interview %s: stream opened (resumed=%s)", interview_id, info["resumed"])
    await session.run()

