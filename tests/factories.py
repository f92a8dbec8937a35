"""Factories for tests: users, interviews and turns straight into the store."""

from __future__ import annotations

from sqlmodel import Session

from app import repository
from app.models import Interview, Speaker, Turn, User


def make_user(session: Session, name: str = "someone-else") -> User:
    user = User(name=name)
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def make_interview(session: Session, user: User | None = None, round_id: str = "system_design",
                   level: str = "senior") -> Interview:
    user = user or repository.ensure_local_user(session)
    return repository.create_interview(session, user, round_id, level)


def add_turns(session: Session, interview: Interview, lines: list[tuple[str, str]],
              seconds_per_turn: float = 10.0) -> list[Turn]:
    """Add (speaker, text) turns back to back, `seconds_per_turn` each."""
    turns = []
    for i, (speaker, text) in enumerate(lines):
        start = int(i * seconds_per_turn * 1000)
        turns.append(repository.add_turn(session, interview.id, Speaker(speaker), text, start_ms=start,
                                         end_ms=start + int(seconds_per_turn * 1000) - 500))
    return turns
