"""What the stream writes to the store, each call in a short session off the event loop.

Every write carries this connection's owner token (app/lifecycle.py): once another connection has
taken the interview over, writes raise `TakenOver` and nothing is stored.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app import lifecycle
from app.models import Interview, Speaker, Turn
from app.turn_writer import TakenOver, insert_turn, lock_interview

__all__ = ["StreamStore", "TakenOver"]


class StreamStore:
    def __init__(self, engine: Engine, interview_id: int, owner: str) -> None:
        self.engine = engine
        self.interview_id = interview_id
        self.owner = owner

    async def _run(self, fn, *args, **kwargs):
        return await asyncio.to_thread(fn, *args, **kwargs)

    def _in_session(self, fn, *args, **kwargs):
        with Session(self.engine) as s:
            return fn(s, self.interview_id, *args, **kwargs)

    def _last_end_ms(self) -> int:
        with Session(self.engine) as s:
            query = select(func.max(Turn.end_ms)).where(Turn.interview_id == self.interview_id)
            return int(s.exec(query).one() or 0)

    async def last_end_ms(self) -> int:
        """Where this session's stream time starts: after the last stored turn (0 for a new interview)."""
        return await self._run(self._last_end_ms)

    async def keep_audio(self, seq: int, start_ms: int, pcm) -> None:
        """A spoken turn's audio for replay (VIVA_KEEP_AUDIO), beside the stored turn."""
        from app import replay

        await self._run(replay.save, self.engine, self.interview_id, seq, start_ms, pcm)

    async def heartbeat(self) -> bool:
        """False once another connection owns the interview."""
        return await self._run(self._in_session, lifecycle.heartbeat, self.owner)

    async def save_state(self, state: dict[str, Any], state_seq: int) -> None:
        await self._run(self._in_session, lifecycle.save_state, self.owner, state, state_seq)

    async def pause(self, state: dict[str, Any], state_seq: int) -> bool:
        return await self._run(self._in_session, lifecycle.pause, self.owner, state, state_seq)

    async def finish(self, state: dict[str, Any], state_seq: int, reason: str) -> None:
        await self._run(self._in_session, lifecycle.finish, self.owner, state, state_seq, reason)

    def _add_turn(self, values: dict[str, Any], state: dict[str, Any] | None) -> tuple[int, bool]:
        with Session(self.engine) as s:
            turn, created = insert_turn(s, self.interview_id, values, owner=self.owner, state=state)
            return turn.seq, created

    async def add_turn(self, speaker: Speaker, text: str, *, state: dict[str, Any] | None = None,
                       client_id: str | None = None, **kwargs: Any) -> tuple[int, bool]:
        """Store a turn (with the interviewer's state, for interviewer turns); returns (seq, created).

        created is False when a turn with that client message id was already stored."""
        values = {"speaker": speaker, "text": text, "client_id": client_id, **kwargs}
        values.setdefault("words", [])
        values.setdefault("meta", {})
        return await self._run(self._add_turn, values, state)

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

    def _continue(self, reply_seq: int | None, state: dict[str, Any], state_seq: int) -> None:
        with Session(self.engine) as s:
            lock_interview(s, self.interview_id, self.owner)
            reply = s.exec(select(Turn).where(Turn.interview_id == self.interview_id, Turn.seq == reply_seq,
                                              Turn.speaker == Speaker.interviewer)).first()
            if reply is not None:  # kept, marked: seqs never repeat (a client's last_seq stays valid)
                reply.meta = {**reply.meta, "withdrawn": True}
                s.add(reply)
            s.exec(update(Interview).where(col(Interview.id) == self.interview_id)
                   .values(state=state, state_seq=state_seq).execution_options(synchronize_session=False))
            s.commit()

    async def withdraw_reply(self, reply_seq: int | None, state: dict[str, Any], state_seq: int) -> None:
        """The candidate went on: mark the interviewer's reply `reply_seq` withdrawn (no reader shows
        it: repository.list_turns, lifecycle.turns_after) and store the state from before it, in one
        transaction (fenced: a connection that was taken over stores nothing)."""
        await self._run(self._continue, reply_seq, state, state_seq)

    def _extend(self, seq: int, text: str, end_ms: int, words: list[dict[str, Any]], meta: dict[str, Any]) -> None:
        with Session(self.engine) as s:
            lock_interview(s, self.interview_id, self.owner)
            turn = s.exec(select(Turn).where(Turn.interview_id == self.interview_id, Turn.seq == seq)).one()
            turn.text, turn.end_ms, turn.words, turn.meta = text, max(turn.end_ms, end_ms), words, meta
            s.add(turn)
            s.commit()

    async def extend_turn(self, seq: int, text: str, end_ms: int, words: list[dict[str, Any]],
                          meta: dict[str, Any]) -> None:
        """The continuation of a candidate turn joins it: one turn, all its words (nothing stored twice)."""
        await self._run(self._extend, seq, text, end_ms, words, meta)

    def _get(self, seq: int) -> Turn | None:
        with Session(self.engine) as s:
            query = select(Turn).where(Turn.interview_id == self.interview_id, Turn.seq == seq)
            turn = s.exec(query).first()
            if turn is not None:
                s.expunge(turn)
            return turn

    async def get_turn(self, seq: int) -> Turn | None:
        return await self._run(self._get, seq)
