"""Reading and writing code drafts and runs (short sessions, called in a worker thread by the desk)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.models import utcnow
from app.runner.results import RunResult
from app.runner.tables import CodeDraft, CodeRun


def save_draft(engine: Engine, interview_id: int, question_id: str, language: str, code: str) -> None:
    with Session(engine) as s:
        row = s.exec(select(CodeDraft).where(CodeDraft.interview_id == interview_id,
                                             CodeDraft.question_id == question_id)).first()
        if row is None:
            row = CodeDraft(interview_id=interview_id, question_id=question_id, language=language, code=code)
        else:
            row.language, row.code, row.updated_at = language, code, utcnow()
        s.add(row)
        s.commit()


def get_draft(engine: Engine, interview_id: int, question_id: str) -> dict[str, Any] | None:
    with Session(engine) as s:
        row = s.exec(select(CodeDraft).where(CodeDraft.interview_id == interview_id,
                                             CodeDraft.question_id == question_id)).first()
        return None if row is None else {"language": row.language, "code": row.code}


def add_run(engine: Engine, interview_id: int, at_ms: int, code: str, result: RunResult) -> int:
    with Session(engine) as s:
        row = CodeRun(interview_id=interview_id, at_ms=at_ms, question_id=result.question_id,
                      language=result.language, mode=result.mode, status=result.status, passed=result.passed,
                      total=result.total, code=code, result=result.model_dump(mode="json"))
        s.add(row)
        s.commit()
        return int(row.id)


def runs_of(session: Session, interview_id: int) -> list[CodeRun]:
    return list(session.exec(select(CodeRun).where(CodeRun.interview_id == interview_id)
                             .order_by(col(CodeRun.at_ms), col(CodeRun.id))).all())


def drafts_of(session: Session, interview_id: int) -> list[CodeDraft]:
    return list(session.exec(select(CodeDraft).where(CodeDraft.interview_id == interview_id)
                             .order_by(col(CodeDraft.id))).all())
