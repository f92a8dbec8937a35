"""Queries on the store, always scoped to the owning user. Routes and the stream use these.

Interview status changes all go through `transition` (below), which checks `TRANSITIONS` inside the
UPDATE itself, so two processes racing on one interview cannot both win. Turns get their `seq` in the
transaction that inserts them, retried on a unique violation (app/turn_writer.py).
"""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import ColumnElement, delete, update
from sqlmodel import Session, col, select

from app.board import store as board_store
from app.models import Interview, InterviewStatus, Scorecard, Speaker, Turn, TurnAudio, User, utcnow
from app.runner.tables import CodeDraft, CodeRun
from app.turn_writer import TakenOver, insert_turn  # noqa: F401  (TakenOver is raised through here)

S = InterviewStatus
# The one place the allowed status changes are written down: from -> the statuses it may move to.
TRANSITIONS: dict[InterviewStatus, frozenset[InterviewStatus]] = {
    S.created: frozenset({S.active}),
    S.active: frozenset({S.paused, S.finished}),
    S.paused: frozenset({S.active, S.abandoned, S.finished}),
    S.abandoned: frozenset({S.scoring}),
    S.finished: frozenset({S.scoring}),
    S.scoring: frozenset({S.scored, S.failed, S.scoring}),  # scoring -> scoring: a stale claim is taken over
    S.scored: frozenset({S.scoring}),  # re-scored on demand
    S.failed: frozenset({S.scoring}),
}
LIVE = (S.created, S.active, S.paused)  # a stream may (re)connect
OVER = tuple(s for s in S if s not in LIVE)


def sources_of(target: InterviewStatus) -> list[InterviewStatus]:
    return [s for s, targets in TRANSITIONS.items() if target in targets]


def transition(session: Session, interview_id: int, to: InterviewStatus, *,
               only_from: tuple[InterviewStatus, ...] | None = None, where: tuple[ColumnElement, ...] = (),
               commit: bool = True, **values: Any) -> bool:
    """Move the interview to status `to` if its current status allows it; True when it moved.

    `only_from` narrows the allowed sources (never widens them); `where` adds conditions (an owner
    token, a stale claim); `values` are set in the same UPDATE.
    """
    sources = [s for s in sources_of(to) if only_from is None or s in only_from]
    stmt = (update(Interview).where(col(Interview.id) == interview_id, col(Interview.status).in_(sources), *where)
            .values(status=to, **values).execution_options(synchronize_session=False))
    moved = session.exec(stmt).rowcount == 1
    if commit:
        session.commit()
    return moved

LOCAL_USER = "local"
MAX_ID = 2**31 - 1  # ids are INTEGER on PostgreSQL; anything outside 1..MAX_ID cannot exist (-> 404, not 500)


def ensure_local_user(session: Session) -> User:
    user = session.exec(select(User).where(User.name == LOCAL_USER)).first()
    if user is None:
        user = User(name=LOCAL_USER)
        session.add(user)
        session.commit()
        session.refresh(user)
    return user


def create_interview(session: Session, user: User, round_id: str, level: str) -> Interview:
    interview = Interview(user_id=user.id, round_id=round_id, level=level)
    session.add(interview)
    session.commit()
    session.refresh(interview)
    return interview


def get_owned_interview(session: Session, user: User, interview_id: int) -> Interview | None:
    if not 0 < interview_id <= MAX_ID:
        return None
    interview = session.get(Interview, interview_id)
    if interview is None or interview.user_id != user.id:
        return None
    return interview


def encode_cursor(interview_id: int) -> str:
    return base64.urlsafe_b64encode(f"i:{interview_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """Raises ValueError for a cursor this service did not make."""
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    kind, _, value = raw.partition(":")
    if kind != "i" or not value.isdigit() or len(value) > 10 or int(value) > MAX_ID:
        raise ValueError("bad cursor")
    return int(value)


def list_interviews(
    session: Session, user: User, limit: int, cursor: str | None = None, round_id: str | None = None
) -> tuple[list[Interview], str | None]:
    """The user's interviews, newest first (ids only grow), with a cursor for the next page."""
    query = select(Interview).where(Interview.user_id == user.id)
    if round_id:
        query = query.where(Interview.round_id == round_id)
    if cursor:
        query = query.where(col(Interview.id) < decode_cursor(cursor))
    rows = list(session.exec(query.order_by(col(Interview.id).desc()).limit(limit + 1)))
    next_cursor = encode_cursor(rows[limit - 1].id) if len(rows) > limit else None
    return rows[:limit], next_cursor


def list_turns(session: Session, interview_id: int) -> list[Turn]:
    """The transcript: every turn in order, but interviewer replies withdrawn when the candidate went on."""
    query = select(Turn).where(Turn.interview_id == interview_id).order_by(col(Turn.seq))
    return [t for t in session.exec(query) if not is_withdrawn(t)]


def is_withdrawn(turn: Turn) -> bool:
    return bool(turn.meta.get("withdrawn"))


def add_turn(
    session: Session,
    interview_id: int,
    speaker: Speaker,
    text: str,
    *,
    start_ms: int = 0,
    end_ms: int = 0,
    words: list[dict[str, Any]] | None = None,
    typed: bool = False,
    meta: dict[str, Any] | None = None,
    client_id: str | None = None,
    owner: str | None = None,
    state: dict[str, Any] | None = None,
) -> Turn:
    """Append a turn with the next sequence number and commit it (see app/turn_writer.py).

    With `owner`, the write is fenced: it raises `TakenOver` unless that token still owns the stream.
    With `client_id`, a turn already stored for that id is returned instead of a second one.
    """
    values = dict(speaker=speaker, text=text, start_ms=start_ms, end_ms=end_ms, words=words or [],
                  typed=typed, meta=meta or {}, client_id=client_id)
    return insert_turn(session, interview_id, values, owner=owner, state=state)[0]


def get_scorecard(session: Session, interview_id: int) -> Scorecard | None:
    return session.exec(select(Scorecard).where(Scorecard.interview_id == interview_id)).first()


def save_scorecard(session: Session, interview_id: int, *, scorer: str, overall: float, hire_signal: str,
                   data: dict[str, Any]) -> Scorecard:
    """Insert or replace the interview's scorecard (one per interview) and commit."""
    card = get_scorecard(session, interview_id) or Scorecard(interview_id=interview_id, scorer=scorer,
                                                             overall=overall, hire_signal=hire_signal)
    card.scorer, card.overall, card.hire_signal, card.data = scorer, overall, hire_signal, data
    card.created_at = utcnow()
    session.add(card)
    session.commit()
    session.refresh(card)
    return card


def scored_interviews(session: Session, user: User, round_id: str) -> list[tuple[Interview, Scorecard]]:
    """The user's interviews of a round that have a scorecard, oldest first."""
    query = (select(Interview, Scorecard).join(Scorecard, col(Scorecard.interview_id) == col(Interview.id))
             .where(Interview.user_id == user.id, Interview.round_id == round_id)
             .order_by(col(Interview.id)))
    return [(i, c) for i, c in session.exec(query).all()]


def interviews_with_scorecards(session: Session, user: User) -> list[tuple[Interview, Scorecard | None]]:
    """All the user's interviews, newest first, each with its scorecard if it has one."""
    query = (select(Interview, Scorecard)
             .join(Scorecard, col(Scorecard.interview_id) == col(Interview.id), isouter=True)
             .where(Interview.user_id == user.id)
             .order_by(col(Interview.created_at).desc(), col(Interview.id).desc()))
    return [(i, c) for i, c in session.exec(query).all()]


def overall_scores(session: Session, interview_ids: list[int]) -> dict[int, float]:
    if not interview_ids:
        return {}
    query = select(Scorecard.interview_id, Scorecard.overall).where(
        col(Scorecard.interview_id).in_(interview_ids)
    )
    return dict(session.exec(query).all())


def delete_interview(session: Session, interview: Interview) -> None:
    """Delete an interview with its turns and scorecard (explicitly, whatever the backend's FK support)."""
    session.exec(delete(TurnAudio).where(col(TurnAudio.interview_id) == interview.id))
    session.exec(delete(Turn).where(col(Turn.interview_id) == interview.id))
    session.exec(delete(Scorecard).where(col(Scorecard.interview_id) == interview.id))
    for table in (CodeDraft, CodeRun):
        session.exec(delete(table).where(col(table.interview_id) == interview.id))
    board_store.delete_all(session, interview.id)
    session.delete(interview)
    session.commit()
