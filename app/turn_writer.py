"""Appending a turn safely: `seq` is allocated in the transaction that inserts the turn.

Each insert first takes a write lock on the interview's row (an UPDATE: a row lock on PostgreSQL,
the database write lock on SQLite), so concurrent writers of one interview queue up instead of
reading the same `max(seq)`. With an `owner` token that UPDATE is also the fence of the one-writer
rule: it matches no row once another connection has taken the interview over, and `TakenOver` is
raised before anything is stored. A unique violation (seq, or a client message id stored by a racing
writer) rolls back and retries, so an insert either stores exactly one turn or raises.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models import Interview, Turn, utcnow

MAX_ATTEMPTS = 10


class TakenOver(Exception):
    """Another connection owns this interview's stream now; this writer must stop."""

    def __init__(self, interview_id: int) -> None:
        super().__init__(f"interview {interview_id} was taken over by another connection")
        self.interview_id = interview_id


def lock_interview(session: Session, interview_id: int, owner: str | None) -> None:
    """Take the interview's write lock for this transaction; fenced by `owner` when given."""
    stmt = update(Interview).where(col(Interview.id) == interview_id)
    if owner is not None:
        stmt = stmt.where(col(Interview.owner) == owner).values(owner_seen_at=utcnow())
    else:
        stmt = stmt.values(id=Interview.id)  # a no-op write: only the lock
    if session.exec(stmt.execution_options(synchronize_session=False)).rowcount != 1:
        session.rollback()
        if owner is not None:
            raise TakenOver(interview_id)
        raise LookupError(f"interview {interview_id} does not exist")


def insert_turn(session: Session, interview_id: int, values: dict[str, Any], owner: str | None = None,
                state: dict[str, Any] | None = None) -> tuple[Turn, bool]:
    """Store one turn; returns (turn, created). created is False for a client id already stored.

    With `state`, the interviewer's state is saved in the same transaction (`state_seq` = this turn's
    seq): an interviewer turn and the state that produced it are stored together or not at all.
    """
    client_id = values.get("client_id")
    for _ in range(MAX_ATTEMPTS):
        try:
            lock_interview(session, interview_id, owner)
            if client_id:
                query = select(Turn).where(Turn.interview_id == interview_id, Turn.client_id == client_id)
                existing = session.exec(query).first()
                if existing is not None:
                    session.commit()
                    session.refresh(existing)
                    return existing, False
            last = session.exec(select(func.max(Turn.seq)).where(Turn.interview_id == interview_id)).one()
            turn = Turn(interview_id=interview_id, seq=(last or 0) + 1, **values)
            session.add(turn)
            if state is not None:
                session.exec(update(Interview).where(col(Interview.id) == interview_id)
                             .values(state=state, state_seq=turn.seq).execution_options(synchronize_session=False))
            session.commit()
        except IntegrityError:
            session.rollback()
            continue
        session.refresh(turn)
        return turn, True
    raise RuntimeError(f"interview {interview_id}: no free seq after {MAX_ATTEMPTS} attempts")
