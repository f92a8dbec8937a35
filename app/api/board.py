"""The whiteboard of an interview (writes come through the live stream, app/board/channel.py):

GET /api/interviews/{id}/board            the newest version {version, at_ms, graph} (version 0: empty)
GET /api/interviews/{id}/board/versions   every version in order (the review's slider)
GET /api/interviews/{id}/board.svg        a version as SVG (?version=N, default the newest)
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response, status

from app.api.deps import OwnedInterview
from app.board import store
from app.board.svg import render_svg
from app.db import SessionDep

router = APIRouter(prefix="/api/interviews", tags=["board"])


@router.get("/{interview_id}/board")
def get_board(interview: OwnedInterview, session: SessionDep) -> dict[str, Any]:
    return store.latest(session, interview.id).dump()


@router.get("/{interview_id}/board/versions")
def board_versions(interview: OwnedInterview, session: SessionDep) -> dict[str, Any]:
    return {"versions": [s.dump() for s in store.history(session, interview.id)]}


@router.get("/{interview_id}/board.svg", response_class=Response,
            responses={200: {"content": {"image/svg+xml": {}}}})
def board_svg(interview: OwnedInterview, session: SessionDep,
              version: Annotated[int | None, Query(ge=0, le=2**31 - 1)] = None) -> Response:
    snaps = store.history(session, interview.id) if version is not None else [store.latest(session, interview.id)]
    snap = next((s for s in snaps if version is None or s.version == version), None)
    if snap is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"board version {version} not found")
    return Response(render_svg(snap.graph, f"Whiteboard of interview {interview.id}, version {snap.version}"),
                    media_type="image/svg+xml", headers={"Content-Security-Policy": "default-src 'none'"})
