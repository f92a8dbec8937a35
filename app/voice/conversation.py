"""The ordered half of a stream session: turns in, stored, answered by the interviewer, in order.

One worker task takes items from a bounded queue (a full queue slows the reader: backpressure) and
for each: waits for the final transcript, stores the turn, sends `transcript`, lets the interviewer
answer (`interviewer_delta`... `interviewer_done`), stores that turn and the interviewer's state.
A ticker sends `phase` events and calls `on_silence` about once a second while nobody speaks.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any

from app.models import Speaker, Word
from app.voice import events, protocol
from app.voice.clock import Outbox, StreamClock
from app.voice.endpointing import TurnEnd
from app.voice.store import StreamStore, TakenOver
from app.voice.turns import TurnAssembler

log = logging.getLogger("viva.voice")

WORDS_PER_MINUTE = 150
PHASE_EVERY_S = 5.0


@dataclass(frozen=True)
class SpokenTurn:
    end: TurnEnd
    decided_at: float  # perf_counter() when the endpointer closed the turn


@dataclass(frozen=True)
class TypedTurn:
    text: str
    at_ms: int
    client_id: str | None = None  # the message's id: a resent message is stored (and answered) once


@dataclass(frozen=True)
class Unanswered:
    """Candidate turns already stored but not yet answered (e.g. flushed when the stream dropped)."""

    text: str
    typed: bool
    seq: int


@dataclass(frozen=True)
class Opening:
    pass


@dataclass(frozen=True)
class Silence:
    seconds: float


@dataclass(frozen=True)
class Finish:
    reason: str


class Conversation:
    def __init__(self, iv: Any, store: StreamStore, out: Outbox, clock: StreamClock, turns: TurnAssembler,
                 on_finished: Callable[[], Awaitable[None]], max_queue: int = 8) -> None:
        self.iv, self.store, self.out, self.clock, self.turns = iv, store, out, clock, turns
        self.on_finished = on_finished
        self.queue: asyncio.Queue = asyncio.Queue(max_queue)
        self.replying = False
        self.working = False  # the worker is on an item
        self.respond = True  # False once the interview is finishing or the client has gone
        self.finished = False
        self.candidate_active = False  # a spoken turn is open (the session reports it)
        self.last_activity_ms = 0
        self.seen_seq = 0  # the highest stored turn the interviewer has taken in (saved with its state)
        self.taken_over = False  # another connection owns the interview now: stop, store nothing more
        self._interrupt = False
        self._phase: tuple[str, float] | None = None
        self._phase_sent = 0.0

    async def put(self, item: object) -> None:
        if self.queue.full():
            await self.out.send(protocol.error(protocol.BUSY, "the interviewer is behind; audio is kept"))
        await self.queue.put(item)

    def interrupt(self) -> None:
        self.iv.interrupted()
        self._interrupt = self.replying

    def activity(self, at_ms: int) -> None:
        self.last_activity_ms = max(self.last_activity_ms, at_ms)

    # the session reports what it sees; the conversation owns its state
    def candidate_speaking(self, active: bool) -> None:
        self.candidate_active = active

    def stop_responding(self) -> None:
        """The interview is finishing or the client has gone: store what comes, say nothing more."""
        self.respond = False

    def mark_taken_over(self) -> None:
        self.taken_over, self.respond = True, False

    # --- the worker ----------------------------------------------------------------------------
    async def run(self) -> None:
        while True:
            item = await self.queue.get()
            if item is None:
                return
            self.working = True
            try:
                await self._handle(item)
            except TakenOver:
                log.info("interview %s: taken over by another connection", self.store.interview_id)
                self.taken_over, self.respond = True, False
                return
            except Exception:  # noqa: BLE001 - one failed turn must not end the interview
                log.exception("interview %s: %s failed", self.store.interview_id, type(item).__name__)
                await self.out.send(protocol.error(protocol.INTERNAL, "that turn could not be handled"))
            finally:
                self.working = False
            if self.finished:
                return

    async def _handle(self, item: object) -> None:
        if isinstance(item, Opening):
            await self._speak(self.iv.opening())
        elif isinstance(item, SpokenTurn):
            await self._spoken(item)
        elif isinstance(item, TypedTurn):
            await self._candidate(item.text, item.at_ms, item.at_ms, [], typed=True, meta={},
                                  client_id=item.client_id)
        elif isinstance(item, Unanswered):
            self.seen_seq = max(self.seen_seq, item.seq)
            await self._speak(self.iv.respond(item.text, typed=item.typed))
        elif isinstance(item, Silence):
            if self.respond and self.queue.empty() and not self.candidate_active:
                await self._speak(self.iv.on_silence(item.seconds))
        elif isinstance(item, Finish):
            await self._finish(item.reason)

    async def _spoken(self, item: SpokenTurn) -> None:
        final = await self.turns.finish_turn(item.end, item.decided_at)
        if final.failed:
            length = final.end_ms - final.start_ms
            await self.out.send(protocol.error(protocol.STT_FAILED,
                                               f"a turn of {length} ms could not be (fully) transcribed"))
        if not final.text:
            log.info("interview %s: turn %d had no words (%d ms)", self.store.interview_id, final.turn,
                     final.end_ms - final.start_ms)
            return
        off = self.clock.audio_origin_ms
        words = [w.model_copy(update={"start_ms": w.start_ms + off, "end_ms": w.end_ms + off}) for w in final.words]
        timing = {"reason": final.reason, "decided_ms": final.decided_ms + off,
                  "final_lag_ms": round(final.lag_ms, 1)}
        log.info("interview %s: turn %d final: %d ms audio, %d words, %d chunks, reason %s, lag %.0f ms",
                 self.store.interview_id, final.turn, final.end_ms - final.start_ms, len(words),
                 final.meta["chunks"], final.reason, final.lag_ms)
        await self._candidate(final.text, final.start_ms + off, final.end_ms + off, words, typed=False,
                              meta={**final.meta, "end_reason": final.reason}, timing=timing)

    async def _candidate(self, text: str, start_ms: int, end_ms: int, words: list[Word], typed: bool,
                         meta: dict, timing: dict | None = None, client_id: str | None = None) -> None:
        phase = self.iv.phase()[0]
        seq, created = await self.store.add_turn(Speaker.candidate, text, start_ms=start_ms, end_ms=end_ms,
                                                 words=[w.model_dump() for w in words], typed=typed,
                                                 meta={**meta, "phase": phase}, client_id=client_id)
        event = events.Transcript(text, seq, start_ms, end_ms, words, typed, timing or None).dump()
        if client_id is not None:
            event["id"] = client_id
        if not created:  # a resent message: acknowledged again, stored and answered once
            stored = await self.store.get_turn(seq)
            await self.out.send(event | {"duplicate": True, "text": stored.text, "start_ms": stored.start_ms,
                                         "end_ms": stored.end_ms, "words": stored.words})
            return
        await self.out.send(event)
        self.activity(end_ms)
        if self.respond:
            self.seen_seq = max(self.seen_seq, seq)
            await self._speak(self.iv.respond(text, typed=typed))

    async def _speak(self, chunks: AsyncIterator[str]) -> None:
        """Stream one interviewer reply to the client, then store it (even if cut short by barge-in)."""
        start_ms = self.clock.now_ms()
        said: list[str] = []
        self.replying, self._interrupt = True, False
        try:
            async with aclosing(chunks) as stream:
                async for chunk in stream:
                    if self._interrupt:  # barged in while this chunk was being made: not said
                        break
                    said.append(chunk)
                    await self.out.send(events.InterviewerDelta(chunk))
                    if self._interrupt:
                        break
        finally:
            self.replying = False
        self.working = False  # the worker is on an item
        text = "".join(said).strip()
        if text:
            end_ms = start_ms + round(len(text.split()) * 60_000 / WORDS_PER_MINUTE)
            meta = {**self.iv.last_meta, "phase": self.iv.phase()[0]}
            if self._interrupt:
                meta["interrupted"] = True
            # The state is stored with each spoken reply, in the same transaction (and on disconnect).
            seq, _ = await self.store.add_turn(Speaker.interviewer, text, start_ms=start_ms, end_ms=end_ms,
                                               meta=meta, state=self.iv.snapshot())
            self.seen_seq = max(self.seen_seq, seq)
            await self.out.send(events.InterviewerDone(text, seq, start_ms, end_ms, meta.get("move")))
            self.activity(end_ms)
        await self.send_phase(force=False)
        if self.iv.finished and self.respond:
            await self._finish("interviewer")

    async def _finish(self, reason: str) -> None:
        if self.finished:
            return
        self.finished, self.respond = True, False
        await self.store.finish(self.iv.snapshot(), self.seen_seq, reason)
        log.info("interview %s finished (%s)", self.store.interview_id, reason)
        await self.on_finished()
        await self.out.send(events.Finished(reason))

    # --- the ticker ----------------------------------------------------------------------------
    async def send_phase(self, force: bool) -> None:
        phase = self.iv.phase()
        now = time.monotonic()
        changed = self._phase is None or phase[0] != self._phase[0]
        if force or changed or now - self._phase_sent >= PHASE_EVERY_S:
            self._phase, self._phase_sent = phase, now
            await self.out.send(events.Phase(phase[0], phase[1]))

    async def tick(self) -> None:
        """Once a second: phase events, and silence for the interviewer when nobody is speaking."""
        while not self.finished:
            await asyncio.sleep(1.0)
            await self.send_phase(force=False)
            if self.respond and not self.working and not self.candidate_active and self.queue.empty():
                silence_s = (self.clock.now_ms() - self.last_activity_ms) / 1000
                if silence_s >= 1.0:
                    self.queue.put_nowait(Silence(round(silence_s, 1)))
