"""The board's versions: each accepted write is one row, with its time in the interview (the stream clock,
the same milliseconds as the turns). The newest version is the board; the older ones are its history
(the review's slider). They belong to the interview and are deleted with it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models import utcnow


class BoardVersion(SQLModel, table=True):
    __tablename__ = "board_version"
    __table_args__ = (UniqueConstraint("interview_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(sa_column=Column(Integer, ForeignKey("interview.id", ondelete="CASCADE"),
                                               nullable=False, index=True))
    version: int  # 1, 2, ... per interview: a write names the version it was made on (if-match)
    at_ms: int = 0  # milliseconds since the interview's stream started, like Turn.start_ms
    graph: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
