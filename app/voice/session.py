"""One stream connection: audio and messages in, events out (docs/protocol.md).

    frames -> Endpointer (VAD, pauses, turns) -> TurnAssembler (pre-transcription in the shared pool)
           -> Conversation (ordered: store turn, transcript event, interviewer reply, store, events)

The reader never waits on transcription or the interviewer, except for backpressure: when this
session has too much audio waiting for transcription, or too many ended turns queued, it stops
reading (the client's socket buffer fills; nothing is dropped) and tells the client `busy`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, runtime_checkable

from starlette.websockets import WebSocketDisconnect

from app.board.channel import BoardChannel
from app.config import Settings
from app.interviewer.moves import MoveKind
from app.replay import TurnAudioCollector
from app.voice import events, protocol
from app.voice.clock import Outbox, StreamClock
from app.voice.conversation import Conversation, Finish, Opening, SpokenTurn, TypedTurn, Unanswered, unsure
from app.voice.echo_guard import EchoGuard
from app.voice.endpointing import (
    Chunk,
    ChunkCancelled,
    EndpointConfig,
    Endpointer,
    Event,
    SpeechEnd,
    SpeechStart,
    TurnEnd,
    finished,
)
from app.voice.frames import ms_to_samples, samples_to_ms
from app.voice.inbox import AudioInbox
from app.voice.pool import TranscriptionPool
from app.voice.smart_turn import PauseScoring, TurnScorer
from app.voice.speaker.stream import SpeakerPool
from app.voice.store import StreamStore
from app.voice.stt import vocabulary_prompt
from app.voice.turns import TurnAssembler
from app.voice.vad import SileroVad, SpeechDetector

log = logging.getLogger("viva.voice")

BUSY_EVERY_S = 2.0  # at most one busy event per this many seconds
DRAIN_TIMEOUT_S = 120.0  # after a disconnect, how long ended turns may take to be stored
# Interviewer moves after which the candidate is not expected to give a long, thought-through answer.
SHORT_ANSWER_MOVES = frozenset(kind for kind in MoveKind if kind.short_answer)
INBOX_MAX_S = 60.0  # audio read from the socket and waiting for the endpointer, before reading stops


@runtime_checkable
class TurnReports(Protocol):
    """What the session reports to the conversation, the one owner of the turn-taking state
    (app/voice/conversation.py, app/voice/turn_state.py); the session reads that state, never sets it."""

    def candidate_speaking(self, active: bool) -> None: ...  # a spoken turn is open (or no longer)

    def speech_resumed(self, at_ms: int) -> None: ...  # speech started (stream ms): maybe the last answer goes on

    def activity(self, at_ms: int) -> None: ...  # something happened (session ms): the silence clock restarts

    def interrupt(self) -> None: ...  # the client barged in on the interviewer

    def stop_responding(self) -> None: ...  # the client asked to finish, or has gone

    def mark_taken_over(self) -> None: ...  # another connection owns the interview


class StreamSession:
    def __init__(self, ws: Any, *, interview_id: int, rnd: Any, iv: Any, pool: TranscriptionPool,
                 store: StreamStore, settings: Settings, info: dict[str, Any],
                 on_finished: Callable[[], Awaitable[None]], detector: SpeechDetector | None = None,
                 replay: list[dict[str, Any]] | None = None, unanswered: Unanswered | None = None,
                 state_seq: int = 0, turn_scorer: TurnScorer | None = None,
                 voice: SpeakerPool | None = None) -> None:
        self.ws = ws
        self.interview_id = interview_id
        self.iv = iv
        self.info = info
        self.settings = settings
        self.out = Outbox(ws)
        self.clock = StreamClock()
        self.endpointer = Endpointer(detector or SileroVad(), EndpointConfig(
            turn_silence_ms=settings.turn_silence_ms, max_turn_s=settings.max_turn_s,
            pause_ms=settings.stt_pause_ms, word_wait_ms=settings.turn_word_wait_ms,
            complete_at=settings.turn_complete_at))
        # the turn model hears each pause (app/voice/smart_turn.py); it may end the turn sooner
        self.pauses = PauseScoring(turn_scorer, self.endpointer, interview_id) if turn_scorer else None
        self.turns = TurnAssembler(pool, vocabulary_prompt(rnd.vocabulary), self._busy,
                                   settings.stt_max_pending_s)
        self.talk = Conversation(iv, store, self.out, self.clock, self.turns, on_finished)
        self.report: TurnReports = self.talk
        self.talk.voice = voice
        self.talk.prepare_replies = settings.prepare_reply
        self.kept = TurnAudioCollector() if settings.keep_audio else None  # VIVA_KEEP_AUDIO: for replay
        if self.kept is not None:
            self.talk.keep_audio = store.keep_audio
        self.echo = EchoGuard() if voice is not None and settings.echo_guard else None
        if self.echo is not None:
            self.talk.on_voice_sent = self.echo.add_played
            self.talk.on_voice_stopped = self.echo.stop
        self.store = store
        self.replay = replay or []  # stored events the client missed (it reconnected with last_seq)
        self.unanswered = unanswered
        self.talk.seen_seq = state_seq
        # Two facts of the connection, not of turn-taking (the conversation's stage says where that is):
        # the client was told of the take-over and the socket closed (once; the conversation may learn of the
        # take-over first, from a fenced write, and the client must still be told) ...
        self._taken = False
        self._busy_sent = 0.0
        # ... and the client said `finish`: its later audio and messages are refused, also once the
        # conversation has moved on to FINISHED (which the interviewer can reach without the client asking).
        self._finishing = False
        self._partial_from = 0  # sample index from which the next partial is due
        self.inbox = AudioInbox(self._feed_audio, INBOX_MAX_S)
        self.desk: Any = None  # the code desk (app/runner/desk.py), attached by app/api/stream.py
        self.board = BoardChannel(store.engine, interview_id, store.owner, self.out, self.clock.now_ms,
                                  self._board_changed)

    async def run(self) -> None:
        """The connection has claimed the interview (app/api/stream.py); talk until it ends or is taken over."""
        self.clock.offset_ms = await self.store.last_end_ms()
        self.iv.start()
        phase, remaining = self.iv.phase()
        await self.out.send(events.Ready(self.info, self.clock.offset_ms, phase, remaining))
        for event in self.replay:
            await self.out.send(event)
        if self.desk is not None:
            await self.desk.start()
        await self.board.start()
        worker = asyncio.create_task(self.talk.run())
        ticker = asyncio.create_task(self.talk.tick())
        heart = asyncio.create_task(self._heartbeat())
        # A stored answer nobody answered yet (the stream dropped right after it) is answered now.
        await self.talk.put(self.unanswered or Opening())
        feeder = asyncio.create_task(self.inbox.run())
        reader = asyncio.create_task(self._read())
        try:
            await asyncio.wait({reader, worker, heart}, return_when=asyncio.FIRST_COMPLETED)
            if reader.done() and reader.exception() is not None:
                log.error("interview %s: reader failed", self.interview_id, exc_info=reader.exception())
            if self.talk.taken_over:  # a write was fenced: another connection owns the interview
                await self.take_over()
        finally:
            reader.cancel()
            ticker.cancel()
            heart.cancel()
            # Shielded: even when this task is cancelled (server shutdown, a test client leaving), what
            # was said is stored and the interview paused.
            self._drain_task = asyncio.ensure_future(self._drain_all(feeder, worker))
            await asyncio.shield(self._drain_task)

    async def _drain_all(self, feeder: asyncio.Task, worker: asyncio.Task) -> None:
        await self._drain_inbox(feeder)
        await self._drain(worker)

    async def take_over(self) -> None:
        """A newer connection owns this interview: tell this client, close with 4410, store nothing more."""
        if self._taken:
            return
        self._taken = True
        self.report.mark_taken_over()
        log.info("interview %s: connection taken over", self.interview_id)
        await self.out.send(protocol.error(protocol.TAKEN_OVER, "this interview was opened in another tab or "
                                           "window; this connection is closed (only one can be live)"))
        await self.out.close(protocol.CLOSE_TAKEN_OVER)

    async def confirm_owner(self) -> None:
        """Another connection claimed this interview: close this one unless it still owns it."""
        try:
            alive = await self.store.heartbeat()
        except Exception as exc:  # noqa: BLE001 - the periodic heartbeat will tell
            log.warning("interview %s: ownership check failed (%s)", self.interview_id, type(exc).__name__)
            return
        if not alive:
            await self.take_over()

    async def _heartbeat(self) -> None:
        """Keep the ownership fresh; stop when another connection (maybe in another process) took over."""
        every = self.settings.stream_lease_s / 6
        while True:
            await asyncio.sleep(every)
            try:
                alive = await self.store.heartbeat()
            except Exception as exc:  # noqa: BLE001 - the database is away: keep trying, the lease says the rest
                log.warning("interview %s: heartbeat failed (%s)", self.interview_id, type(exc).__name__)
                continue
            if not alive:
                await self.take_over()
                return

    async def _read(self) -> None:
        while not self.talk.finished:
            try:
                message = await self.ws.receive()
            except (WebSocketDisconnect, RuntimeError):  # gone, or closed under us
                return
            if message["type"] == "websocket.disconnect":
                return
            if message.get("bytes") is not None:
                await self._on_audio(message["bytes"])
            elif message.get("text") is not None:
                await self._on_text(message["text"])

    async def _drain_inbox(self, feeder: asyncio.Task) -> None:
        """Feed the audio (and end_turn/finish) read before the connection ended; then stop the feeder."""
        try:
            await asyncio.wait_for(self.inbox.drained(), DRAIN_TIMEOUT_S)
        except TimeoutError:
            log.warning("interview %s: %.1f s of audio not fed at close", self.interview_id, self.inbox.waiting_s)
        self.inbox.close()
        feeder.cancel()

    async def _drain(self, worker: asyncio.Task) -> None:
        """Connection over: store what was said (no more replies), save state, stop the tasks."""
        self.report.stop_responding()
        if self._taken:
            worker.cancel()
        elif not worker.done():  # (once the interview has finished, nothing more is stored)
            await self._handle(self.endpointer.force_end("flush"))
            await self.talk.queue.put(None)
            try:
                await asyncio.wait_for(worker, DRAIN_TIMEOUT_S)
            except (TimeoutError, asyncio.CancelledError):
                worker.cancel()
        self.turns.close()
        if self.desk is not None:
            self.desk.close()
        if not self.talk.finished and not self.talk.taken_over:
            self.iv.pause()  # dropped without `finish`: paused, to be resumed (or abandoned after the grace)
            try:
                await self.store.pause(self.iv.snapshot(), self.talk.seen_seq)
            except Exception as exc:  # noqa: BLE001 - the sweep pauses it once the heartbeat is stale
                log.error("interview %s: could not pause (%s)", self.interview_id, type(exc).__name__)
        await self.out.close(1000)
        log.info("interview %s: stream closed after %d ms of audio", self.interview_id, self.clock.audio_ms)

    # --- input ---------------------------------------------------------------------------------
    async def _on_audio(self, data: bytes) -> None:
        try:
            samples = protocol.check_binary(data)
        except protocol.ProtocolError as exc:
            await self.out.send(protocol.error(exc.code, exc.message))
            return
        if self._finishing:
            return  # after "finish" the turn is closed; late frames have nowhere to go
        await self.inbox.put(samples)  # the reader goes back to the socket: control messages flow

    async def _feed_audio(self, samples) -> None:
        """One frame from the inbox, in order: wait for transcription room, then the endpointer."""
        if self._finishing and self.talk.finished:
            return
        await self.turns.wait_for_room()
        self.clock.audio_started()
        self.clock.audio_ms += samples_to_ms(len(samples))
        if self.echo is not None:
            samples = self.echo.clean(samples)
        if self.pauses is not None:
            self.pauses.hear(samples)
        await self._handle(self.endpointer.feed(samples))
        self._maybe_partial()

    async def _on_text(self, raw: str) -> None:
        try:
            msg = protocol.parse_client_text(raw, self.settings.max_typed_chars)
        except protocol.ProtocolError as exc:
            await self.out.send(protocol.error(exc.code, exc.message))
            return
        if msg.type == "ping":
            await self.out.send(events.Pong(msg.data.get("t")))
        elif self._finishing:
            await self.out.send(protocol.error(protocol.FINISHED, "the interview is finishing"))
        elif msg.type == "board":  # not a turn: stored on the timeline, read by the next reply
            await self.board.handle(msg.data)
            if self.board.taken_over:
                await self.take_over()
        elif msg.type == "text":
            text, client_id = msg.data["text"].strip(), msg.data.get("id")
            await self.inbox.mark(lambda: self.talk.put(TypedTurn(text, self.clock.now_ms(), client_id)))
        elif msg.type == "end_turn":  # after the audio read before it (no backlog: at once)
            await self.inbox.mark(lambda: self._handle(self.endpointer.force_end("end_turn")))
        elif msg.type in ("code", "run"):
            if self.desk is None:
                await self.out.send(protocol.error(protocol.BAD_MESSAGE, "code runs are not available here"))
            elif msg.type == "code":
                await self.desk.on_code(msg.data)
            else:
                await self.desk.on_run(msg.data)
        elif msg.type == "interrupt":
            self.report.interrupt()
        elif msg.type == "playback_done":
            await self._playback_done(msg.data.get("seq"))
        elif msg.type == "finish":
            self._finishing = True
            self.report.stop_responding()

            async def finish() -> None:
                await self._handle(self.endpointer.force_end("flush"))
                await self.talk.put(Finish("client"))

            await self.inbox.mark(finish)

    def _board_changed(self, graph: dict[str, Any], at_ms: int) -> None:
        self.iv.board = graph
        self.report.activity(at_ms)

    async def _playback_done(self, seq: Any) -> None:
        if not isinstance(seq, int) or isinstance(seq, bool):
            await self.out.send(protocol.error(protocol.BAD_MESSAGE, "playback_done needs an integer 'seq'"))
        elif await self.store.set_interviewer_end(seq, self.clock.now_ms()):
            self.report.activity(self.clock.now_ms())

    # --- endpointer events ---------------------------------------------------------------------
    async def _handle(self, happened: list[Event]) -> None:
        for ev in happened:
            if isinstance(ev, SpeechStart):
                self.endpointer.set_context(patient=self._patient())
                self.report.candidate_speaking(True)
                self.report.speech_resumed(ev.at_ms)
                self._partial_from = ms_to_samples(ev.at_ms)
                await self.out.send(events.SpeechStarted(self._ms(ev.at_ms)))
            elif isinstance(ev, SpeechEnd):
                self.report.activity(self._ms(ev.at_ms))
                await self.out.send(events.SpeechEnded(self._ms(ev.at_ms)))
            elif isinstance(ev, Chunk):
                self.turns.add_chunk(ev, on_done=self._chunk_done)
                if self.kept is not None:
                    self.kept.add(ev)
                if ev.speculative and self.pauses is not None:
                    self.pauses.score(ev)
            elif isinstance(ev, ChunkCancelled):
                self.turns.cancel_chunk(ev.turn, ev.index)
                if self.kept is not None:
                    self.kept.cancel(ev.turn, ev.index)
            elif isinstance(ev, TurnEnd):
                self.report.candidate_speaking(self.endpointer.turn is not None)
                self.turns.promote_turn(ev.turn)
                audio = self.kept.take(ev) if self.kept is not None else None
                await self.talk.put(SpokenTurn(ev, time.perf_counter(), audio))

    def _patient(self) -> bool:
        """An open question is in play (a design question invites long answers with pauses)."""
        meta = getattr(self.iv, "last_meta", None) or {}
        return str(meta.get("move") or MoveKind.OPEN) not in SHORT_ANSWER_MOVES

    def _ms(self, stream_ms: int) -> int:
        return (self.clock.audio_origin_ms or 0) + stream_ms

    def _chunk_done(self, chunk: Chunk) -> None:
        """A chunk is transcribed: adapt the turn's hold time to its words; show them as a partial."""
        text = self.turns.text_until(chunk.turn, chunk.index)
        if text is None or self.endpointer.turn != chunk.turn:
            return
        end_p = self.turns.end_p(chunk.turn, chunk.index)
        if chunk.speculative and self.endpointer.set_hint(chunk.turn, chunk.index, text, end_p):
            # chunk.end_ms is pause_ms (VIVA_STT_PAUSE_MS) after the speech ended
            log.info("interview %s: turn %d pause %d: words in %d ms after the pause began, P(sentence end) %s, "
                     "hold %s ms", self.interview_id, chunk.turn, chunk.index, self.endpointer.now_ms - chunk.end_ms,
                     "-" if end_p is None else f"{end_p:.2f}", self.endpointer.hold)
            if finished(text) or self.endpointer.words_end:  # the turn may well end here: its reply is made now
                self.talk.prepare(chunk.turn, chunk.index, text,
                                  unsure(self.turns.words_until(chunk.turn, chunk.index)))
        if text:
            self.out.send_soon(events.Partial(text, chunk.turn))

    def _maybe_partial(self) -> None:
        """Provisional words during a long stretch of speech without pauses, only on an idle pool."""
        every = ms_to_samples(self.settings.stt_partial_s * 1000)
        opened = self.endpointer.open_chunk()
        if every <= 0 or opened is None or self.endpointer.buffer.end - self._partial_from < every:
            return
        turn, index, start = opened
        audio = self.endpointer.buffer.slice(start, self.endpointer.buffer.end)
        job = self.turns.start_partial(audio, turn, index)
        if job is None:
            return
        self._partial_from = self.endpointer.buffer.end

        def done(future: asyncio.Future) -> None:
            if future.cancelled() or future.exception() is not None or self.endpointer.turn != turn:
                return
            before = self.turns.text_until(turn, index - 1) or ""
            text = f"{before} {future.result().text}".strip()
            if text:
                self.out.send_soon(events.Partial(text, turn))

        job.future.add_done_callback(done)

    async def _busy(self) -> None:
        now = time.monotonic()
        if now - self._busy_sent >= BUSY_EVERY_S:
            self._busy_sent = now
            log.warning("interview %s: transcription backlog, client told busy", self.interview_id)
            await self.out.send(protocol.error(protocol.BUSY, "the server is busy; your audio is kept and "
                                               "will be transcribed shortly"))
