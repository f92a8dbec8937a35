"""Attaching a code desk to a stream session (called by app/api/stream.py): one run pool per process."""

from __future__ import annotations

from typing import Any

from app.runner.desk import CodeDesk
from app.runner.pool import RunPool
from app.runner.sandbox import Limits


def run_pool(app: Any) -> RunPool:
    pool = getattr(app.state, "run_pool", None)
    if pool is None:
        settings = app.state.settings
        pool = app.state.run_pool = RunPool(workers=settings.run_workers)
    return pool


def attach_desk(app: Any, session: Any, iv: Any) -> None:
    settings = app.state.settings
    limits = Limits(wall_s=settings.run_wall_s, cpu_s=max(1, int(settings.run_wall_s) - 1))
    session.desk = CodeDesk(interview_id=session.interview_id, engine=app.state.engine, pool=run_pool(app),
                            prompts_dir=settings.prompts_dir, iv=iv, out=session.out, clock=session.clock,
                            put=session.talk.put, activity=session.talk.activity, limits=limits)
    session.talk.after_reply = session.desk.question_changed
