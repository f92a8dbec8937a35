"""An interview's life as streams connect and drop (status moves go through repository.transition).

One writer per interview: a connection *claims* the interview with a fresh token (the newer connection
wins; the one before it is fenced out and told `taken_over`). The owner writes with its token
(app/turn_writer.py fences every write) and keeps a heartbeat (`owner_seen_at`). A dropped stream
leaves the interview `paused`; the sweep (app/sweeper.py) pauses interviews whose owner stopped
heartbeating (its process died) and abandons those paused for longer than the grace period.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from app import repository
from app.models import Interview, Turn, utcnow
from app.models import InterviewStatus as S
from app.turn_writer import TakenOver


def claim_stream(session: Session, interview_id: int, token: str) -> Interview | None:
    """Make `token` the interview's only writer; the interview as it now is, or None if it is over."""
    now = utcnow()
    moved = repository.transition(session, interview_id, S.active, only_from=(S.created, S.paused), commit=False,
                                  owner=token, owner_seen_at=now, paused_at=None)
    if not moved:  # already active: take it over from the connection that has it
        stmt = (update(Interview).where(col(Interview.id) == interview_id, col(Interview.status) == S.active)
                .values(owner=token, owner_seen_at=now).execution_options(synchronize_session=False))
        if session.exec(stmt).rowcount != 1:
            session.rollback()
            return None
    session.exec(update(Interview).where(col(Interview.id) == interview_id, col(Interview.started_at).is_(None))
                 .values(started_at=now).execution_options(synchronize_session=False))
    session.commit()
    session.expire_all()
    return session.get(Interview, interview_id)


def heartbeat(session: Session, interview_id: int, token: str) -> bool:
    """False once another connection owns the interview (or it is no longer active)."""
    stmt = (update(Interview).where(col(Interview.id) == interview_id, col(Interview.owner) == token,
                                    col(Interview.status) == S.active)
            .values(owner_seen_at=utcnow()).execution_options(synchronize_session=False))
    alive = session.exec(stmt).rowcount == 1
    session.commit()
    return alive


def save_state(session: Session, interview_id: int, token: str, state: dict[str, Any], state_seq: int) -> None:
    stmt = (update(Interview).where(col(Interview.id) == interview_id, col(Interview.owner) == token)
            .values(state=state, state_seq=state_seq).execution_options(synchronize_session=False))
    if session.exec(stmt).rowcount != 1:
        session.rollback()
        raise TakenOver(interview_id)
    session.commit()


def pause(session: Session, interview_id: int, token: str, state: dict[str, Any], state_seq: int) -> bool:
    """The owner's stream dropped without `finish`: save the state, leave the interview `paused`."""
    return repository.transition(session, interview_id, S.paused, only_from=(S.active,),
                                 where=(col(Interview.owner) == token,), state=state, state_seq=state_seq,
                                 owner=None, paused_at=utcnow())


def finish(session: Session, interview_id: int, token: str, state: dict[str, Any], state_seq: int,
           reason: str) -> None:
    if not repository.transition(session, interview_id, S.finished, only_from=(S.active,),
                                 where=(col(Interview.owner) == token,), state=state, state_seq=state_seq,
                                 owner=None, ended_at=utcnow(), end_reason=reason):
        raise TakenOver(interview_id)


def unanswered_turns(session: Session, interview: Interview) -> list[Turn]:
    """Candidate turns stored after the saved state (e.g. flushed when the stream dropped): to be answered."""
    query = (select(Turn).where(Turn.interview_id == interview.id, col(Turn.seq) > interview.state_seq,
                                Turn.speaker == "candidate").order_by(col(Turn.seq)))
    return list(session.exec(query))


def turns_after(session: Session, interview_id: int, seq: int) -> list[Turn]:
    query = select(Turn).where(Turn.interview_id == interview_id, col(Turn.seq) > seq).order_by(col(Turn.seq))
    return [t for t in session.exec(query) if not repository.is_withdrawn(t)]


# --- the sweep ------------------------------------------------------------------------------------
def pause_orphans(session: Session, stale_before: datetime) -> list[int]:
    """Active interviews whose owner has not heartbeaten since `stale_before` (its process died)."""
    # (no heartbeat at all: left active by a Viva from before heartbeats existed)
    stale = or_(col(Interview.owner_seen_at) < stale_before, col(Interview.owner_seen_at).is_(None))
    query = select(Interview.id).where(col(Interview.status) == S.active, stale)
    paused = []
    for interview_id in list(session.exec(query)):
        if repository.transition(session, interview_id, S.paused, only_from=(S.active,), where=(stale,),
                                 owner=None, paused_at=utcnow()):
            paused.append(interview_id)
    return paused


def abandon_expired(session: Session, paused_before: datetime) -> list[int]:
    """Paused interviews nobody resumed since `paused_before`: `abandoned` (then scored on what exists)."""
    query = select(Interview.id).where(col(Interview.status) == S.paused, col(Interview.paused_at) < paused_before)
    abandoned = []
    for interview_id in list(session.exec(query)):
        if repository.transition(session, interview_id, S.abandoned, where=(col(Interview.paused_at) < paused_before,),
                                 ended_at=utcnow(), end_reason="abandoned"):
            abandoned.append(interview_id)
    return abandoned


def cutoff(seconds: float, now: datetime | None = None) -> datetime:
    return (now or utcnow()) - timedelta(seconds=seconds)
