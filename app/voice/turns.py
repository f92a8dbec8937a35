"""From endpointer chunks to final candidate turns: pre-transcription, stitching, partials.

Each chunk of a turn is transcribed as soon as the endpointer hands it over (at a pause, while the
candidate may still be talking). When the turn ends, its chunks are promoted to FINAL priority and
their transcripts are stitched in order: usually all of them are done already, so the final
transcript costs nothing more. Chunk audio spans never overlap, so stitching is concatenation, with
word times moved from chunk-relative seconds to stream milliseconds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.models import Word
from app.voice.endpointing import Chunk, TurnEnd
from app.voice.pool import Job, PoolFull, Priority, TranscriptionPool
from app.voice.stt import Transcript, build_prompt
from app.voice.stt.base import WordTiming

log = logging.getLogger("viva.voice")


@dataclass
class _Piece:
    chunk: Chunk
    task: asyncio.Task | None = None
    job: Job | None = None
    result: Transcript | None = None


@dataclass
class FinalTurn:
    turn: int
    text: str
    start_ms: int  # stream time of this session (the session adds the interview's offset)
    end_ms: int
    words: list[Word]
    reason: str
    decided_ms: int
    lag_ms: float  # end-of-turn decision -> final transcript ready (wall clock)
    failed: bool = False
    meta: dict[str, Any] = field(default_factory=dict)


class TurnAssembler:
    def __init__(self, pool: TranscriptionPool, glossary: str, on_busy: Callable[[], Awaitable[None]],
                 max_pending_s: float = 180.0) -> None:
        self.pool = pool
        self.glossary = glossary
        self.on_busy = on_busy
        self.max_pending_s = max_pending_s
        self._pieces: dict[int, dict[int, _Piece]] = {}  # turn -> chunk index -> piece
        self._room = asyncio.Event()
        self._room.set()
        self._partial: Job | None = None
        self._ended: set[int] = set()  # turns whose chunks are wanted now (FINAL priority)

    # --- chunks --------------------------------------------------------------------------------
    def add_chunk(self, chunk: Chunk, on_done: Callable[[Chunk], None] | None = None) -> None:
        old = self._pieces.setdefault(chunk.turn, {}).get(chunk.index)
        if old is not None:  # a replaced speculative chunk (should have been cancelled already)
            self._cancel(old)
        piece = _Piece(chunk)
        piece.task = asyncio.create_task(self._transcribe(piece))
        if on_done is not None:

            def done(task: asyncio.Task) -> None:
                if not task.cancelled() and task.exception() is None:
                    on_done(chunk)

            piece.task.add_done_callback(done)
        self._pieces[chunk.turn][chunk.index] = piece
        self._update_room()

    def cancel_chunk(self, turn: int, index: int) -> None:
        piece = self._pieces.get(turn, {}).pop(index, None)
        if piece is not None:
            self._cancel(piece)
        self._update_room()

    def text_until(self, turn: int, index: int) -> str | None:
        """The turn's text through chunk `index`, if every chunk up to it is transcribed."""
        results = self._results_until(turn, index)
        return None if results is None else " ".join(r.text for r in results if r.text)

    def end_p(self, turn: int, index: int) -> float | None:
        """The recogniser's P(the sentence ends) where chunk `index` ends (None: not known)."""
        piece = self._pieces.get(turn, {}).get(index)
        return None if piece is None or piece.result is None else piece.result.end_p

    def words_until(self, turn: int, index: int) -> list[WordTiming]:
        """The turn's words through chunk `index` (as many chunks as are transcribed)."""
        return [w for r in self._results_until(turn, index) or [] for w in r.words]

    def _results_until(self, turn: int, index: int) -> list[Transcript] | None:
        pieces = self._pieces.get(turn, {})
        results = []
        for i in range(index + 1):
            piece = pieces.get(i)
            if piece is None or piece.result is None:
                return None
            results.append(piece.result)
        return results

    async def _transcribe(self, piece: _Piece) -> Transcript:
        chunk = piece.chunk
        prompt = lambda: build_prompt(self.glossary, self.text_until(chunk.turn, chunk.index - 1) or "")  # noqa: E731
        priority = Priority.FINAL if chunk.turn in self._ended else Priority.CHUNK
        try:
            piece.job = self.pool.try_submit(chunk.audio, prompt, priority, group=(id(self), chunk.turn))
        except PoolFull:
            await self.on_busy()
            piece.job = await self.pool.submit(chunk.audio, prompt, priority, group=(id(self), chunk.turn))
        try:
            piece.result = await piece.job.future
        finally:
            self._update_room()
        return piece.result

    # --- turns ---------------------------------------------------------------------------------
    async def finish_turn(self, end: TurnEnd, decided_at: float) -> FinalTurn:
        """Wait for the turn's chunks (promoted to FINAL) and stitch them into one transcript."""
        self.promote_turn(end.turn)
        pieces = self._pieces.get(end.turn, {})
        texts, words, failed = [], [], False
        for index in range(end.chunks):
            piece = pieces.get(index)
            if piece is None:
                continue
            try:
                result = await asyncio.shield(piece.task)
            except asyncio.CancelledError:
                if not piece.task.cancelled():
                    raise  # we are being cancelled, not the chunk
                failed = True
                continue
            except Exception as exc:  # noqa: BLE001 - one failed chunk must not lose the others
                log.warning("turn %d chunk %d: transcription failed: %s", end.turn, index, type(exc).__name__)
                failed = True
                continue
            texts.append(result.text)
            words.extend(_stream_words(result, piece.chunk, end))
        lag = (time.perf_counter() - decided_at) * 1000
        self._pieces.pop(end.turn, None)
        self._ended.discard(end.turn)
        self._update_room()
        start = min([end.start_ms] + [w.start_ms for w in words[:1]])
        return FinalTurn(end.turn, " ".join(t for t in texts if t).strip(), start, end.end_ms, words,
                         end.reason, end.decided_ms, lag, failed, {"chunks": end.chunks})

    def promote_turn(self, turn: int) -> None:
        """The turn has ended: its queued chunks go before any pre-transcription and partials."""
        self._ended.add(turn)
        for piece in self._pieces.get(turn, {}).values():
            if piece.job is not None:
                self.pool.promote(piece.job, Priority.FINAL)

    def drop_turn(self, turn: int) -> None:
        for piece in self._pieces.pop(turn, {}).values():
            self._cancel(piece)
        self._ended.discard(turn)
        self._update_room()

    # --- partials ------------------------------------------------------------------------------
    def start_partial(self, audio: np.ndarray, turn: int, index: int) -> Job | None:
        """Provisional words of the open chunk, only when the pool has nothing better to do."""
        if self._partial is not None and not self._partial.future.done():
            return None
        if not self.pool.idle:
            return None
        prompt = build_prompt(self.glossary, self.text_until(turn, index - 1) or "")
        try:
            self._partial = self.pool.try_submit(audio, prompt, Priority.PARTIAL)
        except PoolFull:
            return None
        return self._partial

    # --- backpressure --------------------------------------------------------------------------
    @property
    def pending_s(self) -> float:
        return sum(len(p.chunk.audio) / 16_000 for turn in self._pieces.values() for p in turn.values()
                   if p.result is None)

    async def wait_for_room(self) -> bool:
        """Block while too much audio of this session waits for transcription. True if it waited."""
        if self._room.is_set():
            return False
        await self.on_busy()
        await self._room.wait()
        return True

    def _update_room(self) -> None:
        if self.pending_s > self.max_pending_s:
            self._room.clear()
        else:
            self._room.set()

    def _cancel(self, piece: _Piece) -> None:
        if piece.job is not None:
            self.pool.cancel(piece.job)
        if piece.task is not None:
            piece.task.cancel()

    def close(self) -> None:
        for turn in list(self._pieces):
            self.drop_turn(turn)
        if self._partial is not None:
            self.pool.cancel(self._partial)


def _stream_words(result: Transcript, chunk: Chunk, end: TurnEnd) -> list[Word]:
    """Chunk-relative word times -> stream ms, kept inside the chunk's audio and the turn."""
    lo, hi = chunk.start_ms, max(chunk.start_ms, min(chunk.end_ms, end.end_ms))
    out = []
    for w in result.words:
        start = min(max(chunk.start_ms + round(w.start * 1000), lo), hi)
        stop = min(max(chunk.start_ms + round(w.end * 1000), start), hi)
        out.append(Word(word=w.word, start_ms=start, end_ms=stop,
                        probability=None if w.probability is None else round(w.probability, 3)))
    return out
