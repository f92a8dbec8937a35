"""Store tables (SQLModel) and the API shapes built from them.

Every interview belongs to a user; turns and the scorecard belong to an interview and go with it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Speaker(StrEnum):
    interviewer = "interviewer"
    candidate = "candidate"


class InterviewStatus(StrEnum):
    """The allowed moves between these are written down once: app/lifecycle.py (TRANSITIONS)."""

    created = "created"  # made, nobody has connected yet
    active = "active"  # a stream is connected (its owner keeps a heartbeat)
    paused = "paused"  # the stream dropped without `finish`; the candidate may resume
    abandoned = "abandoned"  # paused for longer than the grace period; scored on what exists
    finished = "finished"  # the conversation is over, scoring not started
    scoring = "scoring"
    scored = "scored"
    failed = "failed"  # scoring failed; can be retried on demand


def _fk(target: str) -> Column:
    return Column(Integer, ForeignKey(target, ondelete="CASCADE"), nullable=False, index=True)


# --- users ----------------------------------------------------------------------------------------
class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    created_at: datetime = Field(default_factory=utcnow)


# --- interviews -----------------------------------------------------------------------------------
class InterviewCreate(SQLModel):
    round: str = Field(max_length=64)
    level: str = Field(max_length=16)


class Interview(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_fk("user.id"))
    round_id: str = Field(max_length=64, index=True)
    level: str = Field(max_length=16)
    status: InterviewStatus = Field(default=InterviewStatus.created)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    started_at: datetime | None = None
    ended_at: datetime | None = None
    # The interviewer's state (phase, question in play, coverage...), so a restarted server can go on.
    state: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The highest turn seq the saved state has taken in (later candidate turns still need an answer).
    state_seq: int = 0
    # One writer per interview (app/lifecycle.py): the live connection's token and its last heartbeat.
    owner: str | None = Field(default=None, max_length=64)
    owner_seen_at: datetime | None = None
    paused_at: datetime | None = None
    end_reason: str | None = Field(default=None, max_length=16)  # client, interviewer, abandoned
    # Background scoring claim (app/scoring/jobs.py): exactly one process scores an interview.
    scoring_owner: str | None = Field(default=None, max_length=64)
    scoring_claimed_at: datetime | None = None


class InterviewPublic(SQLModel):
    id: int
    round: str
    level: str
    status: InterviewStatus
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    end_reason: str | None = None
    overall: float | None = None

    @classmethod
    def of(cls, interview: Interview, overall: float | None = None) -> InterviewPublic:
        return cls(
            id=interview.id,
            round=interview.round_id,
            level=interview.level,
            status=interview.status,
            created_at=interview.created_at,
            started_at=interview.started_at,
            ended_at=interview.ended_at,
            end_reason=interview.end_reason,
            overall=overall,
        )


# --- turns ----------------------------------------------------------------------------------------
class Word(SQLModel):
    word: str
    start_ms: int
    end_ms: int
    probability: float | None = None


class Turn(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("interview_id", "seq"),
                      Index("uq_turn_client_id", "interview_id", "client_id", unique=True))

    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(sa_column=_fk("interview.id"))
    seq: int
    speaker: Speaker
    text: str
    start_ms: int = 0  # milliseconds since the interview's stream started
    end_ms: int = 0
    typed: bool = False  # typed in the text box (code, SQL), not spoken
    words: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Extra facts about the turn: e.g. {"move": "probe", "dimension": "caching", "fallback": true}.
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The id the client gave the message this turn came from (typed answers): a resent message is stored once.
    client_id: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class TurnAudio(SQLModel, table=True):
    """A spoken candidate turn's audio, kept only with VIVA_KEEP_AUDIO (app/replay.py): PCM16 mono 16 kHz,
    starting at `start_ms` on the interview's stream time line (like the turn's words)."""

    __tablename__ = "turn_audio"
    __table_args__ = (UniqueConstraint("interview_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(sa_column=_fk("interview.id"))
    seq: int
    start_ms: int
    pcm: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class TurnPublic(SQLModel):
    seq: int
    speaker: Speaker
    text: str
    start_ms: int
    end_ms: int
    typed: bool
    words: list[Word]
    meta: dict[str, Any]


class InterviewDetail(InterviewPublic):
    turns: list[TurnPublic]


class InterviewPage(SQLModel):
    items: list[InterviewPublic]
    next_cursor: str | None


# --- scorecards -----------------------------------------------------------------------------------
class Scorecard(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(sa_column=Column(Integer, ForeignKey("interview.id", ondelete="CASCADE"),
                                               nullable=False, unique=True))
    scorer: str = Field(max_length=32)  # "offline", "llm", "offline-fallback"
    overall: float
    hire_signal: str = Field(max_length=32)
    # The whole scorecard document: dimensions with scores, rationale and evidence, speech, pacing...
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
