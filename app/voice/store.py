"""What the stream writes to the store, each call in a short session off the event loop."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app import repository
from app.models import Interview, InterviewStatus, Speaker, Turn, utcnow


class StreamStore:
    def __init__(self, engine: Engine, interview_id: int) -> None:
        self.engine = engine
        self.interview_id = interview_id

    async def _run(self, fn, *args, **kwargs):
        return await asyncio.to_thread(fn, *args, **kwargs)

    def _last_end_ms(self) -> int:
        with Session(self.engine) as s:
            query = select(func.max(Turn.end_ms)).where(Turn.interview_id == self.interview_id)
            return int(s.exec(query).one() or 0)

    async def last_end_ms(self) -> int:
        """Where this session's stream time starts: after the last stored turn (0 for a new interview)."""
        return await self._run(self._last_end_ms)

    def _update(self, **values: Any) -> None:
        with Session(self.engine) as s:
            interview = s.get(Interview, self.interview_id)
            if interview is None:
                return
            for key, value in values.items():
                setattr(interview, key, value)
            s.add(interview)
            s.commit()

    def _activate(self) -> None:
        with Session(self.engine) as s:
            interview = s.get(Interview, self.interview_id)
            if interview is not None and interview.status == InterviewStatus.created:
                interview.status = InterviewStatus.active
                interview.started_at = interview.started_at or utcnow()
                s.add(interview)
                s.commit()

    async def activate(self) -> None:
        await self._run(self._activate)

    async def save_state(self, state: dict[str, Any]) -> None:
        await self._run(self._update, state=state)

    async def finish(self, state: dict[str, Any]) -> None:
        await self._run(self._update, state=state, status=InterviewStatus.finished, ended_at=utcnow())

    def _add_turn(self, speaker: Speaker, text: str, **kwargs: Any) -> int:
        with Session(self.engine) as s:
            return repository.add_turn(s, self.interview_id, speaker, text, **kwargs).seq

    async def add_turn(self, speaker: Speaker, text: str, **kwargs: Any) -> int:
        """Store a turn; returns its seq."""
        return await self._run(self._add_turn, speaker, text, **kwargs)

    def _set_end(self, seq: int, end_ms: int) -> bool:
        with Session(self.engine) as s:
            query = select(Turn).where(Turn.interview_id == self.interview_id, Turn.seq == seq)
            turn = s.exec(query).first()
            if turn is None or turn.speaker != Speaker.interviewer or end_ms < turn.start_ms:
                return False
            turn.end_ms = end_ms
            s.add(turn)
            s.commit()
            return True

    async def set_interviewer_end(self, seq: int, end_ms: int) -> bool:
        """The client reports when it finished speaking an interviewer turn (playback_done)."""
        return await self._run(self._set_end, seq, end_ms)
