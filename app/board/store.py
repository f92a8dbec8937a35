"""Reading and writing board versions. A write names the version it was made on (`base`, if-match):

- base == the newest version: stored as base + 1 (`Saved`);
- anything else (a second tab, a reconnect with edits made on an older version): nothing is stored and
  the answer is `Conflict` with the newest version, so the client reloads it — nothing is lost silently.

Writes from the live stream carry its owner token and take the interview's write lock
(app/turn_writer.lock_interview), so a connection that was taken over stores nothing (`TakenOver`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.board.graph import BoardError, Graph
from app.board.tables import BoardVersion
from app.turn_writer import lock_interview

MAX_VERSIONS = 3_000  # per interview (a write every two seconds for an hour and a half)


@dataclass(frozen=True)
class Snapshot:
    version: int  # 0: nothing drawn yet
    at_ms: int
    graph: dict[str, Any]

    def dump(self) -> dict[str, Any]:
        return {"version": self.version, "at_ms": self.at_ms, "graph": self.graph}


EMPTY = Snapshot(0, 0, Graph().dump())


@dataclass(frozen=True)
class Saved:
    snapshot: Snapshot


@dataclass(frozen=True)
class Conflict:
    current: Snapshot


def _snap(row: BoardVersion | None) -> Snapshot:
    return EMPTY if row is None else Snapshot(row.version, row.at_ms, row.graph)


def latest(session: Session, interview_id: int) -> Snapshot:
    row = session.exec(select(BoardVersion).where(BoardVersion.interview_id == interview_id)
                       .order_by(col(BoardVersion.version).desc()).limit(1)).first()
    return _snap(row)


def history(session: Session, interview_id: int) -> list[Snapshot]:
    rows = session.exec(select(BoardVersion).where(BoardVersion.interview_id == interview_id)
                        .order_by(col(BoardVersion.version))).all()
    return [_snap(r) for r in rows]


def save(session: Session, interview_id: int, base: int, graph: Graph, at_ms: int,
         owner: str | None = None) -> Saved | Conflict:
    """Store `graph` as version base + 1 if `base` is the newest version; else Conflict (nothing stored)."""
    lock_interview(session, interview_id, owner)  # queues writers of this interview; fences a stale owner
    current = latest(session, interview_id)
    if base != current.version:
        session.rollback()
        return Conflict(current)
    if current.version >= MAX_VERSIONS:
        session.rollback()
        raise BoardError(f"this interview already has {MAX_VERSIONS} board versions; no more are kept")
    at_ms = max(at_ms, current.at_ms)  # the timeline never runs backwards
    row = BoardVersion(interview_id=interview_id, version=base + 1, at_ms=at_ms, graph=graph.dump())
    session.add(row)
    try:
        session.commit()
    except IntegrityError:  # a racing writer took that version first
        session.rollback()
        return Conflict(latest(session, interview_id))
    return Saved(_snap(row))


def delete_all(session: Session, interview_id: int) -> int:
    """Gone with the interview (the foreign key cascades too; this serves databases without it)."""
    result = session.exec(delete(BoardVersion).where(col(BoardVersion.interview_id) == interview_id))
    return result.rowcount or 0


def count(session: Session, interview_id: int) -> int:
    return int(session.exec(select(func.count()).select_from(BoardVersion)
                            .where(BoardVersion.interview_id == interview_id)).one())
