"""A spoken turn's kept audio (VIVA_KEEP_AUDIO): which turns have it, and one turn's audio as WAV.
Owner-only, like every interview route."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status

from app import replay
from app.api.deps import OwnedInterview
from app.db import SessionDep

router = APIRouter(prefix="/api/interviews", tags=["replay"])


@router.get("/{interview_id}/audio")
def list_turn_audio(interview: OwnedInterview, session: SessionDep) -> list[dict[str, int]]:
    """Turns whose audio was kept: `seq`, `start_ms`, `end_ms` on the interview's time line (empty when
    audio is not kept)."""
    return replay.listing(session, interview.id)


@router.get("/{interview_id}/turns/{seq}/audio", response_class=Response,
            responses={200: {"content": {"audio/wav": {}}}, 404: {"description": "no audio kept for this turn"}})
def get_turn_audio(interview: OwnedInterview, seq: int, session: SessionDep) -> Response:
    data = replay.wav(session, interview.id, seq)
    if data is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no audio kept for this turn")
    return Response(data, media_type="audio/wav", headers={"Cache-Control": "private, max-age=3600"})
