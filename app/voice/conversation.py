"""The ordered half of a stream session: turns in, stored, answered by the interviewer, in order.

One worker task takes items from a bounded queue (a full queue slows the reader: backpressure) and
for each: waits for the final transcript, stores the turn, sends `transcript`, lets the interviewer
answer (`interviewer_delta`... `interviewer_done`), stores that turn and the interviewer's state.
A ticker sends `phase` events and calls `on_silence` about once a second while nobody speaks.
Where the conversation is in turn-taking (the worker's floor, the interview's stage, whether the candidate
speaks) is kept by one object, `self.turn` (app/voice/turn_state.py), and moved only here; the session
reports what it sees through the methods of `TurnReports` (app/voice/session.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any, Protocol, assert_never, runtime_checkable

import numpy as np

from app.models import Speaker, Word
from app.voice import events, protocol
from app.voice.clock import Outbox, StreamClock
from app.voice.endpointing import TurnEnd
from app.voice.speaker.stream import ReplyVoice, SpeakerPool
from app.voice.store import StreamStore, TakenOver
from app.voice.stt.base import WordTiming
from app.voice.turn_state import TurnTaking
from app.voice.turns import TurnAssembler

log = logging.getLogger("viva.voice")

WORDS_PER_MINUTE = 150
PHASE_EVERY_S = 5.0
# Speech that starts this soon after a turn was closed (or before any of the reply was sent) goes on with
# that turn: the candidate only paused, and has heard at most a word or two of the reply. The reply is
# withdrawn and the whole answer answered. Later speech is a new turn (a pause of hold + this, e.g. 1.4 s).
CONTINUE_WITHIN_MS = 700
UNSURE_BELOW = 0.4  # a word the recogniser heard with less confidence is never said back to the candidate


def unsure(words: Iterable[Word | WordTiming]) -> list[str]:
    """Words of a spoken turn heard with low confidence (tiny.en's "in-readies" for "in Redis": 0.34)."""
    return [w.word for w in words if w.probability is not None and w.probability < UNSURE_BELOW]


@dataclass(frozen=True)
class SpokenTurn:
    end: TurnEnd
    decided_at: float  # perf_counter() when the endpointer closed the turn
    audio: tuple[int, np.ndarray] | None = None  # (start ms on the stream, PCM16) when audio is kept


@dataclass(frozen=True)
class TypedTurn:
    text: str
    at_ms: int
    client_id: str | None = None  # the message's id: a resent message is stored (and answered) once


@dataclass(frozen=True)
class Reply:
    """Something other than a turn the interviewer answers, in order with the turns (a code run's result)."""

    make: Callable[[], AsyncIterator[str]]


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


@dataclass
class Answered:
    """The last spoken answer and the reply to it, while the candidate may still go on with it."""

    seq: int
    text: str
    words: list[Word]
    meta: dict[str, Any]
    decided_ms: int  # stream time of the end-of-turn decision (session clock, like SpeechStart.at_ms)
    before: dict[str, Any]  # the interviewer's state before the reply
    seen_before: int
    reply_seq: int | None = None

    @property
    def paused(self) -> bool:
        """Closed by silence, so it may go on: not split at the length cap, not ended by "I'm done"."""
        return self.meta.get("end_reason") == "silence"


@dataclass(frozen=True)
class Withdraw:
    answered: Answered


@dataclass
class Prepared:
    """A reply made while the candidate's turn is still held open: the words of a pause are in and the hold
    runs on (about a second), so the reply is made then, on a twin of the interviewer, and its first sentence
    synthesized. It is said the moment the turn ends with exactly those words, and dropped when the candidate
    goes on, other words come, or anything else reaches the interviewer first (LiveKit calls this preemptive
    generation)."""

    turn: int
    index: int  # the pause's chunk: the turn must end with index + 1 chunks
    text: str
    twin: Interviewer  # Interviewer.fork(): the reply is made on its own state, adopted only if it is used
    voice: ReplyVoice | None
    made_at: float  # perf_counter() when it was begun
    chunks: asyncio.Queue = field(default_factory=asyncio.Queue)  # the reply's text as it is made; None ends it
    task: asyncio.Task | None = None
    error: Exception | None = None  # making it failed (raised where it is said, as a reply made then would)


# What the worker takes from the queue: a closed union, dispatched exhaustively in Conversation._handle.
Item = SpokenTurn | TypedTurn | Reply | Unanswered | Opening | Silence | Finish | Withdraw


@runtime_checkable
class Interviewer(Protocol):
    """What the conversation needs of the interviewer (app/interviewer/interviewer.py, docs/contracts.md)."""

    @property
    def finished(self) -> bool: ...

    @property
    def last_meta(self) -> dict[str, Any]: ...

    def phase(self) -> tuple[str, float]: ...

    def snapshot(self) -> dict[str, Any]: ...

    def rewind(self, snapshot: dict[str, Any]) -> None: ...

    def interrupted(self) -> None: ...

    def fork(self) -> Interviewer: ...  # a twin with its own copy of the state (a reply prepared on it)

    def adopt(self, twin: Interviewer) -> bool: ...  # take the twin's state, if this one has not changed

    # each reply is streamed: the conversation iterates it (and closes it when the candidate barges in)
    def opening(self) -> AsyncIterator[str]: ...

    def respond(self, text: str, typed: bool = False, unsure: list[str] | None = None) -> AsyncIterator[str]: ...

    def on_silence(self, silence_s: float) -> AsyncIterator[str]: ...


class Conversation:
    def __init__(self, iv: Interviewer, store: StreamStore, out: Outbox, clock: StreamClock, turns: TurnAssembler,
                 on_finished: Callable[[], Awaitable[None]], max_queue: int = 8) -> None:
        self.iv, self.store, self.out, self.clock, self.turns = iv, store, out, clock, turns
        self.on_finished = on_finished
        self.queue: asyncio.Queue[Item | None] = asyncio.Queue(max_queue)  # None: stop once the rest is done
        self.turn = TurnTaking()  # the one owner of the turn-taking state (app/voice/turn_state.py)
        self.last_activity_ms = 0
        self.seen_seq = 0  # the highest stored turn the interviewer has taken in (saved with its state)
        self._answered: Answered | None = None  # may still be continued (CONTINUE_WITHIN_MS)
        self._continuing: Answered | None = None  # its reply withdrawn: the next spoken turn joins it
        self._resumed_ms: int | None = None  # when the candidate last started speaking (session stream ms)
        self._closed = 0  # spoken turns closed by the session and not yet taken up by the worker
        self._sent = 0  # chunks of the reply being spoken sent so far (data of that reply, not turn-taking)
        self._phase: tuple[str, float] | None = None
        self._phase_sent = 0.0
        self.voice: SpeakerPool | None = None  # the server's voice (None: the browser speaks the text)
        self.on_voice_sent: Callable[[np.ndarray], None] | None = None  # what leaves to be played (16 kHz)
        self.on_voice_stopped: Callable[[], None] | None = None  # the client stopped playing it
        self.keep_audio: Callable[[int, int, np.ndarray], Awaitable[None]] | None = None  # (seq, start ms, pcm)
        self._replies = 0
        self._voice: ReplyVoice | None = None  # the last reply's audio while it is still being synthesized
        self._voicing: asyncio.Task | None = None  # sends it, then its interviewer_done
        self._audio: tuple[int, np.ndarray] | None = None  # the spoken turn in hand's audio, to keep
        self.after_reply: Callable[[], Awaitable[None]] | None = None  # e.g. the code desk: question changed?
        self.prepare_replies = False  # VIVA_PREPARE_REPLY: make the reply while a paused turn is held
        self._prepared: Prepared | None = None

    # the turn-taking state, read by the session (and the ticker); moved only through self.turn
    @property
    def respond(self) -> bool:
        """False once the interview is finishing or the client has gone (and once finished or taken over)."""
        return self.turn.respond

    @property
    def finished(self) -> bool:
        return self.turn.finished

    @property
    def taken_over(self) -> bool:
        return self.turn.taken_over

    async def put(self, item: Item) -> None:
        if isinstance(item, SpokenTurn):
            self._closed += 1
        if self.queue.full():
            await self.out.send(protocol.error(protocol.BUSY, "the interviewer is behind; audio is kept"))
        await self.queue.put(item)

    def interrupt(self) -> None:
        self._drop_prepared("barge-in")
        self.iv.interrupted()
        self.turn.barge_in()
        self._stop_voice()
        if self.on_voice_stopped is not None:
            self.on_voice_stopped()

    def activity(self, at_ms: int) -> None:
        self.last_activity_ms = max(self.last_activity_ms, at_ms)

    # the session reports what it sees; the conversation owns its state
    def candidate_speaking(self, active: bool) -> None:
        self.turn.candidate_speaking = active

    def stop_responding(self) -> None:
        """The interview is finishing or the client has gone: store what comes, say nothing more."""
        self._drop_prepared("stopped")
        self.turn.stop_responding()

    def mark_taken_over(self) -> None:
        self._drop_prepared("taken over")
        self.turn.take_over()

    def speech_resumed(self, at_ms: int) -> None:
        """The candidate started speaking (session stream ms). Right after their turn was closed, that is
        the same answer going on: the reply is stopped and withdrawn, and the next turn joins theirs."""
        self._resumed_ms = at_ms
        self._drop_prepared("the candidate went on")
        answered, self._answered = self._answered, None
        if answered is None or not self.respond or self.finished or self.iv.finished or not answered.paused:
            return
        if self._closed:  # another turn of theirs closed since (audio ahead of the worker): this is not its sequel
            return
        silent = self.turn.replying and not self._sent  # the reply has not begun: nothing was heard yet
        if (at_ms - answered.decided_ms > CONTINUE_WITHIN_MS and not silent) or self.queue.full():
            return
        self.turn.barge_in()
        self.queue.put_nowait(Withdraw(answered))

    # --- a reply prepared while the turn is held ------------------------------------------------
    def prepare(self, turn: int, index: int, text: str, doubtful: list[str]) -> None:
        """The words of a pause of an open turn are in (`doubtful`: those heard with low confidence): make the
        reply to them now, in case the turn ends with them. Only while the worker is idle with nothing queued:
        otherwise the interviewer will have moved on by then, and the reply would not be used."""
        self._drop_prepared("a later pause")
        if not (self.prepare_replies and text and self.respond and not self.iv.finished and self.queue.empty()
                and not self._closed and not self.turn.awaited and not self.turn.replying):
            return
        if self._continuing is not None:  # this turn goes on with an answer whose reply was withdrawn
            text, doubtful = f"{self._continuing.text} {text}", [*unsure(self._continuing.words), *doubtful]
        twin = self.iv.fork()
        voice = None
        if self.voice is not None:
            self._replies += 1
            voice = ReplyVoice(self.voice, self.out.send_bytes, self._replies, self.on_voice_sent, held=True)
        p = Prepared(turn, index, text, twin, voice, time.perf_counter())
        p.task = asyncio.create_task(self._make(p, doubtful))
        self._prepared = p

    async def _make(self, p: Prepared, doubtful: list[str]) -> None:
        try:
            async with aclosing(p.twin.respond(p.text, unsure=doubtful)) as stream:
                async for chunk in stream:
                    p.chunks.put_nowait(chunk)
                    if p.voice is not None:
                        p.voice.feed(chunk)
        except Exception as exc:  # noqa: BLE001 - not taken: made again when the turn ends; taken: raised there
            p.error = exc
        finally:
            p.chunks.put_nowait(None)

    def _drop_prepared(self, why: str) -> None:
        p, self._prepared = self._prepared, None
        if p is None:
            return
        if p.task is not None:
            p.task.cancel()
        if p.voice is not None:
            p.voice.cancel()
        log.info("interview %s: the reply prepared at turn %d pause %d is dropped (%s)", self.store.interview_id,
                 p.turn, p.index, why)

    def _take_prepared(self, pauses: tuple[int, int] | None, text: str) -> Prepared | None:
        """The reply prepared for exactly this turn (`pauses`: its number and chunks) and these words (with
        those of the answer it goes on, for a joined turn), its state now the interviewer's (None: there is
        none, or it answered something else: the reply is made now)."""
        p = self._prepared
        if p is None:
            return None
        if p.error is not None:
            self._drop_prepared(f"it failed: {type(p.error).__name__}")
            return None
        if pauses is None or (p.turn, p.index + 1, p.text.strip()) != (*pauses, text.strip()):
            self._drop_prepared("other words")
            return None
        if not self.iv.adopt(p.twin):
            self._drop_prepared("the interviewer moved on")
            return None
        self._prepared = None
        if p.voice is not None:
            p.voice.release()
        log.info("interview %s: turn %d answered with the reply prepared at pause %d, %.0f ms before",
                 self.store.interview_id, p.turn, p.index, (time.perf_counter() - p.made_at) * 1000)
        return p

    @staticmethod
    async def _prepared_text(p: Prepared) -> AsyncIterator[str]:
        """The prepared reply's text, as it was made and as it is still being made; closing this (barge-in)
        stops the making (the state's history then holds what was made of it, a little more than was said)."""
        try:
            while (chunk := await p.chunks.get()) is not None:
                yield chunk
            if p.error is not None:
                raise p.error
        finally:
            if p.task is not None:
                if not p.task.done():
                    p.task.cancel()
                await asyncio.gather(p.task, return_exceptions=True)

    # --- the worker ----------------------------------------------------------------------------
    async def run(self) -> None:
        while True:
            item = await self.queue.get()
            if item is None:
                return
            self.turn.take_item()
            try:
                await self._handle(item)
            except TakenOver:
                log.info("interview %s: taken over by another connection", self.store.interview_id)
                self.turn.take_over()
                return
            except Exception:  # noqa: BLE001 - one failed turn must not end the interview
                log.exception("interview %s: %s failed", self.store.interview_id, type(item).__name__)
                await self.out.send(protocol.error(protocol.INTERNAL, "that turn could not be handled"))
            finally:
                self.turn.item_done()
            if self.finished:
                return

    async def _handle(self, item: Item) -> None:
        if not isinstance(item, SpokenTurn):
            self._drop_prepared(f"{type(item).__name__} first")
        if self._continuing is not None and not isinstance(item, SpokenTurn | Withdraw):
            await self._answer_alone()  # something else came instead of the continuation
        match item:
            case Withdraw(answered):
                await self._withdraw(answered)
            case Opening():
                await self._speak(self.iv.opening())
            case SpokenTurn():
                self._closed -= 1
                await self._spoken(item)
            case TypedTurn(text, at_ms, client_id):
                await self._candidate(text, at_ms, at_ms, [], typed=True, meta={}, client_id=client_id)
            case Unanswered(text, typed, seq):
                self.seen_seq = max(self.seen_seq, seq)
                await self._speak(self.iv.respond(text, typed=typed))
            case Silence(seconds):
                if self.respond and self.queue.empty() and not self.turn.candidate_speaking:
                    await self._speak(self.iv.on_silence(seconds))
            case Finish(reason):
                await self._finish(reason)
            case Reply(make):
                if self.respond:
                    await self._speak(make())
            case _:
                assert_never(item)

    async def _withdraw(self, answered: Answered) -> None:
        self.iv.rewind(answered.before)
        self.seen_seq = answered.seen_before
        await self.store.withdraw_reply(answered.reply_seq, self.iv.snapshot(), self.seen_seq)
        self._continuing = answered
        self._stop_voice()
        await self._voiced()  # its interviewer_done goes out before it is withdrawn
        if self.on_voice_stopped is not None:
            self.on_voice_stopped()  # the client stops playing the withdrawn reply
        if answered.reply_seq is not None:
            await self.out.send(events.ReplyWithdrawn(answered.reply_seq, answered.seq))
        log.info("interview %s: turn %d goes on: reply %s withdrawn", self.store.interview_id, answered.seq,
                 answered.reply_seq)

    async def _answer_alone(self) -> None:
        """The continuation never came (no words, or a typed message instead): answer the turn as it was."""
        answered, self._continuing = self._continuing, None
        if answered is not None and self.respond:
            self.seen_seq = max(self.seen_seq, answered.seq)
            await self._speak(self.iv.respond(answered.text, unsure=unsure(answered.words)))

    async def _spoken(self, item: SpokenTurn) -> None:
        final = await self.turns.finish_turn(item.end, item.decided_at)
        if final.failed:
            length = final.end_ms - final.start_ms
            await self.out.send(protocol.error(protocol.STT_FAILED,
                                               f"a turn of {length} ms could not be (fully) transcribed"))
        if not final.text:
            self._drop_prepared("no words")
            log.info("interview %s: turn %d had no words (%d ms)", self.store.interview_id, final.turn,
                     final.end_ms - final.start_ms)
            await self._answer_alone()
            return
        off = self.clock.audio_origin_ms
        words = [w.model_copy(update={"start_ms": w.start_ms + off, "end_ms": w.end_ms + off}) for w in final.words]
        timing = {"reason": final.reason, "decided_ms": final.decided_ms + off,
                  "final_lag_ms": round(final.lag_ms, 1)}
        log.info("interview %s: turn %d final: %d ms audio, %d words, %d chunks, reason %s, lag %.0f ms",
                 self.store.interview_id, final.turn, final.end_ms - final.start_ms, len(words),
                 final.meta["chunks"], final.reason, final.lag_ms)
        meta = {**final.meta, "end_reason": final.reason}
        self._audio = (item.audio[0] + off, item.audio[1]) if item.audio is not None else None
        try:
            if self._continuing is not None:
                await self._join(self._continuing, final.text, final.end_ms + off, words, meta, timing,
                                 final.decided_ms, (final.turn, final.meta["chunks"]))
                return
            await self._candidate(final.text, final.start_ms + off, final.end_ms + off, words, typed=False,
                                  meta=meta, timing=timing, decided_ms=final.decided_ms,
                                  pauses=(final.turn, final.meta["chunks"]))
        finally:
            self._audio = None

    async def _join(self, answered: Answered, text: str, end_ms: int, words: list[Word], meta: dict,
                    timing: dict, decided_ms: int, pauses: tuple[int, int]) -> None:
        """The continuation joins the stored turn: one turn with all its words, answered whole."""
        self._continuing = None
        await self._keep(answered.seq)
        text, words = f"{answered.text} {text}", [*answered.words, *words]
        meta = {**answered.meta, **meta, "chunks": answered.meta.get("chunks", 0) + meta.get("chunks", 0),
                "continued": answered.meta.get("continued", 0) + 1}
        await self.store.extend_turn(answered.seq, text, end_ms, [w.model_dump() for w in words], meta)
        start_ms = words[0].start_ms if words else end_ms
        await self.out.send(events.Transcript(text, answered.seq, start_ms, end_ms, words, False, timing))
        self.activity(end_ms)
        if self.respond:
            await self._reply_to_spoken(answered.seq, text, words, meta, decided_ms, pauses)

    async def _candidate(self, text: str, start_ms: int, end_ms: int, words: list[Word], typed: bool,
                         meta: dict, timing: dict | None = None, client_id: str | None = None,
                         decided_ms: int | None = None, pauses: tuple[int, int] | None = None) -> None:
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
        await self._keep(seq)
        if not self.respond:
            return
        if typed or decided_ms is None:
            self._answered = None
            self.seen_seq = max(self.seen_seq, seq)
            await self._speak(self.iv.respond(text, typed=typed))
        else:
            await self._reply_to_spoken(seq, text, words, {**meta, "phase": phase}, decided_ms, pauses)

    async def _reply_to_spoken(self, seq: int, text: str, words: list[Word], meta: dict,
                               decided_ms: int, pauses: tuple[int, int] | None = None) -> None:
        """Answer a spoken turn, keeping what is needed to take the reply back if the candidate goes on.
        `pauses`: (turn, chunks) of the endpointer's turn (the last, for a joined one), to find the reply prepared
        for it."""
        answered = Answered(seq, text, words, meta, decided_ms, self.iv.snapshot(), self.seen_seq)
        resumed = self._resumed_ms
        if answered.paused and self.turn.candidate_speaking and resumed is not None \
                and 0 <= resumed - decided_ms <= CONTINUE_WITHIN_MS:
            self._continuing = answered  # they went on before the reply began: nothing to withdraw
            return
        self.seen_seq = max(self.seen_seq, seq)
        self._answered = answered
        await self._voiced()  # the last reply's audio is out before a prepared one is let go
        prepared = self._take_prepared(pauses, text)
        if prepared is not None:
            answered.reply_seq = await self._speak(self._prepared_text(prepared), prepared.voice)
        else:
            answered.reply_seq = await self._speak(self.iv.respond(text, unsure=unsure(words)))

    async def _keep(self, seq: int) -> None:
        """The spoken turn being handled keeps its audio (VIVA_KEEP_AUDIO), once it has its seq."""
        audio, self._audio = self._audio, None
        if audio is None or self.keep_audio is None:
            return
        try:
            await self.keep_audio(seq, *audio)
        except Exception as exc:  # noqa: BLE001 - the transcript is what matters; the replay is a bonus
            log.error("interview %s: turn %d audio not kept (%s)", self.store.interview_id, seq, type(exc).__name__)

    async def _speak(self, chunks: AsyncIterator[str], voiced: ReplyVoice | None = None) -> int | None:
        """Stream one interviewer reply to the client, then store it (even if cut short by barge-in);
        returns its seq (None: nothing was said). `voiced`: the reply's audio, already fed (a prepared reply)."""
        await self._voiced()  # the previous reply's audio and interviewer_done go out first
        start_ms = self.clock.now_ms()
        said: list[str] = []
        self.turn.start_reply()
        self._sent = 0
        cut = False
        voice = voiced
        # the server's voice for a reply made now: begun with its first words (a silence tick usually says none)
        speaks = voice is None and self.voice is not None and self.respond
        try:
            async with aclosing(chunks) as stream:
                async for chunk in stream:
                    if self.turn.cut:  # barged in while this chunk was being made: not said
                        break
                    said.append(chunk)
                    self._sent += 1
                    await self.out.send(events.InterviewerDelta(chunk))
                    if speaks and voice is None:
                        self._replies += 1
                        voice = ReplyVoice(self.voice, self.out.send_bytes, self._replies, self.on_voice_sent)
                    if voice is not None and voice is not voiced:
                        voice.feed(chunk)
                    if self.turn.cut:
                        break
            if voice is not None and not self.turn.cut:
                self._voice, voice = voice, None  # still synthesizing: finished by _voice_then (no waiting here)
        finally:
            cut = self.turn.cut
            self.turn.end_reply()
            if voice is not None:
                voice.cancel()  # barged in (or failed): nothing more of it is sent
        self.turn.replied()  # the item has its reply: silence counts again while it is stored
        text = "".join(said).strip()
        if text:
            end_ms = start_ms + round(len(text.split()) * 60_000 / WORDS_PER_MINUTE)
            meta = {**self.iv.last_meta, "phase": self.iv.phase()[0]}
            if cut:
                meta["interrupted"] = True
            # The state is stored with each spoken reply, in the same transaction (and on disconnect).
            seq, _ = await self.store.add_turn(Speaker.interviewer, text, start_ms=start_ms, end_ms=end_ms,
                                               meta=meta, state=self.iv.snapshot())
            self.seen_seq = max(self.seen_seq, seq)
            done = events.InterviewerDone(text, seq, start_ms, end_ms, meta.get("move"))
            if self._voice is not None:  # after the last of its audio, which the worker does not wait for
                self._voicing = asyncio.create_task(self._voice_then(self._voice, done))
            else:
                await self.out.send(done)
            self.activity(end_ms)
        await self.send_phase(force=False)
        if text and self.after_reply is not None:
            await self.after_reply()
        if self.iv.finished and self.respond:
            await self._finish("interviewer")
        return seq if text else None

    async def _voice_then(self, voice: ReplyVoice, done: events.InterviewerDone) -> None:
        """Every sentence's audio of a reply precedes its interviewer_done (docs/protocol.md)."""
        try:
            await voice.finish()
            log.info("interview %s: reply %d voiced: first audio %.0f ms, %d pieces, %.1f s",
                     self.store.interview_id, voice.reply, (voice.first_audio_s or 0) * 1000, voice.sent,
                     voice.audio_s)
        except asyncio.CancelledError:
            if not voice.stopped:  # this task itself was cancelled (shutdown), not the audio
                raise
        finally:
            if self._voice is voice:
                self._voice = None
        await self.out.send(done)

    async def _voiced(self) -> None:
        """Wait until the reply being voiced has been sent whole (or stopped)."""
        if self._voicing is not None:
            task, self._voicing = self._voicing, None
            await task

    def _stop_voice(self) -> None:
        """The client stopped playing: what is still being synthesized of the last reply is not sent."""
        if self._voice is not None:
            self._voice.cancel()

    async def _finish(self, reason: str) -> None:
        if self.finished:
            return
        await self._voiced()
        self.turn.finish()
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
            if self.respond and not self.turn.awaited and not self.turn.candidate_speaking and self.queue.empty():
                silence_s = (self.clock.now_ms() - self.last_activity_ms) / 1000
                if silence_s >= 1.0:
                    self.queue.put_nowait(Silence(round(silence_s, 1)))
