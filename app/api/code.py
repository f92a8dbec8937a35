"""Code written and run in an interview's room (app/runner): the editor's last content per question and
every run with its result, in time order.

GET /api/interviews/{id}/code   {"drafts": [CodeDraftPublic], "runs": [CodeRunPublic]}
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from app.api.deps import OwnedInterview
from app.db import SessionDep
from app.runner.store import drafts_of, runs_of

router = APIRouter(tags=["code"])


class CodeDraftPublic(BaseModel):
    question_id: str
    language: str
    code: str
    updated_at: datetime


class CodeRunPublic(BaseModel):
    id: int
    at_ms: int
    question_id: str
    language: str
    mode: str
    status: str
    passed: int
    total: int
    code: str
    result: dict[str, Any]


class InterviewCode(BaseModel):
    drafts: list[CodeDraftPublic]
    runs: list[CodeRunPublic]


@router.get("/api/interviews/{interview_id}/code")
def interview_code(interview: OwnedInterview, session: SessionDep) -> InterviewCode:
    return InterviewCode(
        drafts=[CodeDraftPublic.model_validate(d, from_attributes=True) for d in drafts_of(session, interview.id)],
        runs=[CodeRunPublic.model_validate(r, from_attributes=True) for r in runs_of(session, interview.id)],
    )
