"""Code kept with the interview: the editor's latest content per question, and every run with its result.

Both belong to an interview and go with it (FK cascade, and repository.delete_interview deletes them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models import _fk, utcnow


class CodeDraft(SQLModel, table=True):
    __tablename__ = "code_draft"
    __table_args__ = (UniqueConstraint("interview_id", "question_id"),)

    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(sa_column=_fk("interview.id"))
    question_id: str = Field(max_length=64)
    language: str = Field(max_length=16)
    code: str
    updated_at: datetime = Field(default_factory=utcnow)


class CodeRun(SQLModel, table=True):
    __tablename__ = "code_run"

    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(sa_column=_fk("interview.id"))
    at_ms: int = 0  # on the interview's time line, like turns
    question_id: str = Field(max_length=64)
    language: str = Field(max_length=16)
    mode: str = Field(max_length=8)  # run (examples) | submit (hidden tests)
    status: str = Field(max_length=16)
    passed: int = 0
    total: int = 0
    code: str
    result: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


__all__ = ["CodeDraft", "CodeRun"]
