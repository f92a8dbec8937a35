"""The interviewer's reply spoken by the server: sentences synthesized in a bounded pool, in order, each sent
over the session's WebSocket as one binary frame as soon as it is ready (docs/protocol.md, "Server voice").

Frame: a 16-byte header, then PCM16 little-endian mono samples:
    magic b"VVA1" | reply u32 (per connection, from 1) | index u16 (piece of the reply) | flags u16 (0)
    | sample rate u32
A reply's frames all precede its `interviewer_done`; the browser plays them back to back and answers
`playback_done` with the reply's seq when the last one has played.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import queue
import re
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from app.voice.echo_guard import RATE as REFERENCE_RATE
from app.voice.echo_guard import resample
from app.voice.priority import lower_priority
from app.voice.speaker.base import Speaker
from app.voice.speaker.cache import SpeechCache

log = logging.getLogger("viva.voice")

MAGIC = b"VVA1"
HEADER = struct.Struct("<4sIHHI")
SENTENCE_END = re.compile(r"[.!?…:;][\"')\]]?\s+")


def audio_frame(reply: int, index: int, sample_rate: int, pcm: np.ndarray) -> bytes:
    return HEADER.pack(MAGIC, reply, index, 0, sample_rate) + np.asarray(pcm, dtype="<i2").tobytes()


def parse_frame(data: bytes) -> tuple[int, int, int, np.ndarray]:
    """(reply, index, sample rate, samples) of a frame (tests, benches)."""
    magic, reply, index, _flags, rate = HEADER.unpack_from(data)
    if magic != MAGIC:
        raise ValueError("not a voice frame")
    return reply, index, rate, np.frombuffer(data[HEADER.size:], dtype="<i2")


class SentenceSplitter:
    """Streamed text in, whole sentences out (what the browser voice did on its side)."""

    def __init__(self) -> None:
        self.buffer = ""

    def feed(self, text: str) -> list[str]:
        self.buffer += text
        cut = 0
        for match in SENTENCE_END.finditer(self.buffer):
            cut = match.end()
        if not cut:
            return []
        done, self.buffer = self.buffer[:cut], self.buffer[cut:]
        return [s for s in (p.strip() for p in re.split(r"(?<=[.!?…:;])\s+", done)) if s]

    def rest(self) -> str:
        rest, self.buffer = self.buffer.strip(), ""
        return rest


_LEAD = re.compile(r"^((?:\S+\s+){0,2}\S+,)\s+(\S.*)$", re.S)
LEAD_REST_WORDS = 5
LEAD_PLAYS_S = 0.4  # about how long a lead clause plays: when the rest of the sentence is due


def lead_clause(sentence: str) -> tuple[str, str] | None:
    """A reply's first sentence split after a short opening ("Okay,", "Right,", "Got it,") when much follows:
    the opening is synthesized in a fraction of the time (here, loaded: 107 ms against 1,058 ms for the whole
    sentence), so the candidate hears the interviewer begin sooner; the rest is synthesized meanwhile."""
    match = _LEAD.match(sentence.strip())
    if match is None or len(match.group(2).split()) < LEAD_REST_WORDS:
        return None
    return match.group(1), match.group(2)


@dataclass(frozen=True)
class Spoken:
    """A synthesized sentence: what is sent (`pcm`, int16 at `rate`) and the echo guard's copy of it (int16 at
    16 kHz, resampled in the synthesis thread: an FFT over a whole sentence on the event loop held it up to 400 ms
    when 24 replies went out at once)."""

    pcm: np.ndarray
    rate: int
    reference: np.ndarray

    @classmethod
    def of(cls, pcm: np.ndarray, rate: int) -> Spoken:
        at16k = resample(np.asarray(pcm, dtype=np.float32), rate, REFERENCE_RATE)
        reference = np.clip(np.rint(at16k), -32768, 32767).astype(np.int16)
        pcm = np.array(pcm, dtype=np.int16)  # its own copy: every session that says it shares it
        pcm.flags.writeable = reference.flags.writeable = False
        return cls(pcm, rate, reference)

    @property
    def samples(self) -> int:
        return len(self.pcm) + len(self.reference)


class SpeakerPool:
    """Synthesis off the event loop: `workers` threads, at most `max_waiting` sentences waiting, earliest
    deadline first. A reply's first sentence is due at once (the candidate is waiting for the interviewer);
    a later one is due when the audio already sent for its reply has played, so with many sessions speaking
    at once the first sentences go ahead of sentences whose reply is still playing. A sentence said before
    comes from the cache (`cache_s` seconds of audio); one being synthesized for another session is waited
    for, not synthesized twice. The workers run at a lower CPU priority (`nice`) than the event loop and
    transcription: when the cores are short, the interviewer's voice waits, not the candidate's words."""

    def __init__(self, speaker: Speaker, workers: int = 1, max_waiting: int = 32, cache_s: float = 600.0,
                 nice: int = 0) -> None:
        self.speaker = speaker
        self.name = speaker.name
        self.max_waiting = max_waiting
        # what is kept of a second: the audio sent and its 16 kHz reference for the echo guard
        self.cache = SpeechCache(int(cache_s * (speaker.sample_rate + REFERENCE_RATE)))
        self.shared = 0  # sentences another session was already having synthesized
        self._pending: dict[str, _Pending] = {}
        self._jobs: queue.PriorityQueue = queue.PriorityQueue()
        self._claimed: set[int] = set()  # futures a worker has taken (a sentence queued twice is made once)
        self._claim = threading.Lock()
        self._order = itertools.count()
        self._waiting = 0
        self._threads = [threading.Thread(target=self._work, args=(nice,), name=f"speaker-{i}", daemon=True)
                         for i in range(workers)]
        for thread in self._threads:
            thread.start()

    @property
    def sample_rate(self) -> int:
        return self.speaker.sample_rate

    def has_room(self, sentences: int) -> bool:
        return self._waiting + sentences <= self.max_waiting

    def report(self) -> dict:
        kept_s = self.cache.samples / (self.sample_rate + REFERENCE_RATE)
        return {"voice": self.name, "waiting": self._waiting, "shared": self.shared,
                "cache": self.cache.report() | {"audio_s": round(kept_s, 1)}}

    async def synthesize(self, text: str, due: float | None = None) -> Spoken | None:
        """The sentence (read-only arrays); None when the pool is full or synthesis failed (the text is on
        screen). `due`: when it must be ready (time.monotonic()); now when not given."""
        cached = self.cache.get(text)
        if cached is not None:
            return cached
        loop = asyncio.get_running_loop()
        due = time.monotonic() if due is None else due
        pending = self._pending.get(text)
        if pending is not None and pending.done.get_loop() is loop and not pending.done.cancelled():
            self.shared += 1
            if due < pending.due:  # wanted sooner by this reply: queued again at its deadline
                pending.due = due
                self._jobs.put((due, next(self._order), text, loop, pending.done))
        else:
            if self._waiting >= self.max_waiting:
                log.warning("speaker busy: a sentence of %d chars is not voiced", len(text))
                return None
            pending = _Pending(loop.create_future(), due)
            self._pending[text] = pending
            self._waiting += 1
            pending.done.add_done_callback(lambda done: self._finished(text, pending))
            self._jobs.put((due, next(self._order), text, loop, pending.done))
        pending.waiters += 1
        try:
            return await asyncio.shield(pending.done)
        except asyncio.CancelledError:
            pending.waiters -= 1
            if not pending.waiters:  # nobody wants it any more (barge-in): never synthesized
                if self._pending.get(text) is pending:  # a session asking for it next starts afresh
                    del self._pending[text]
                pending.done.cancel()
            raise
        except Exception as exc:  # noqa: BLE001 - one failed sentence must not end the reply
            log.error("speech synthesis failed (%s)", type(exc).__name__)
            return None

    def _finished(self, text: str, pending: _Pending) -> None:
        with self._claim:
            self._claimed.discard(id(pending.done))
        self._waiting -= 1
        if self._pending.get(text) is pending:
            del self._pending[text]
        if not pending.done.cancelled() and pending.done.exception() is None:
            self.cache.put(text, pending.done.result())

    def _work(self, nice: int) -> None:
        lower_priority(nice)
        while (job := self._jobs.get())[2] is not None:
            _, _, text, loop, done = job
            with self._claim:  # cut off (barge-in) while it waited, or taken for an earlier deadline already
                if done.done() or id(done) in self._claimed:
                    continue
                self._claimed.add(id(done))
            try:
                spoken, error = Spoken.of(self.speaker.synthesize(text), self.speaker.sample_rate), None
            except Exception as exc:  # noqa: BLE001 - handed to the waiting reply
                spoken, error = None, exc
            try:
                loop.call_soon_threadsafe(_settle, done, spoken, error)
            except RuntimeError:  # that event loop has closed
                pass

    def close(self) -> None:
        for _ in self._threads:
            self._jobs.put((float("-inf"), next(self._order), None, None, None))


@dataclass
class _Pending:
    done: asyncio.Future
    due: float
    waiters: int = 0


def _settle(done: asyncio.Future, spoken: Spoken | None, error: Exception | None) -> None:
    if done.done():
        return
    if error is not None:
        done.set_exception(error)
    else:
        done.set_result(spoken)


class ReplyVoice:
    """One reply: `feed` the streamed text, `finish` when it is complete (returns when every sentence has
    been sent), `cancel` on barge-in. `on_sent(reference)` sees each piece (int16, 16 kHz) as it leaves (the echo
    guard's reference). `held`: synthesized at once but sent only after `release()` (a reply prepared while
    the candidate may still go on)."""

    def __init__(self, pool: SpeakerPool, send: Callable, reply: int,
                 on_sent: Callable[[np.ndarray], None] | None = None, held: bool = False) -> None:
        self.pool, self.send, self.reply, self.on_sent = pool, send, reply, on_sent
        self._gate = asyncio.Event()
        if not held:
            self._gate.set()
        self.splitter = SentenceSplitter()
        # a sentence to synthesize, or one whose synthesis was started early (the rest after a lead clause)
        self.queue: asyncio.Queue[str | asyncio.Task | None] = asyncio.Queue()
        self._early: list[asyncio.Task] = []
        self._fed = 0
        self.started = time.perf_counter()
        self.first_audio_s: float | None = None
        self.first_audio_at: float | None = None  # time.monotonic() when its first piece left
        self.sent = 0
        self.audio_s = 0.0
        self.stopped = False
        self._task = asyncio.create_task(self._run())

    def feed(self, text: str) -> None:
        for sentence in self.splitter.feed(text):
            self._put(sentence)

    def _put(self, sentence: str) -> None:
        if self.stopped:  # cut off before its last text came: nothing more is synthesized for it
            return
        self._fed += 1
        # the opening voiced on its own only where both pieces get a place in the pool (never "Okay," alone)
        split = lead_clause(sentence) if self._fed == 1 and self.pool.has_room(2) else None
        if split is None:
            self.queue.put_nowait(sentence)
            return
        lead, rest = split
        now = time.monotonic()
        self._early = [asyncio.create_task(self.pool.synthesize(lead, now)),  # both started now: the rest is
                       asyncio.create_task(self.pool.synthesize(rest, now + LEAD_PLAYS_S))]  # due as the lead ends
        for task in self._early:
            self.queue.put_nowait(task)

    def release(self) -> None:
        """The held reply is the one said: its pieces leave as they are ready (the first, usually, at once)."""
        if not self._gate.is_set():
            self.started = time.perf_counter()
            self._gate.set()

    async def finish(self) -> None:
        rest = self.splitter.rest()
        if rest:
            self._put(rest)
        self.queue.put_nowait(None)
        await asyncio.shield(self._task)

    def cancel(self) -> None:
        self.stopped = True
        self._task.cancel()
        for task in self._early:
            task.cancel()

    async def _run(self) -> None:
        while (item := await self.queue.get()) is not None:
            if isinstance(item, asyncio.Task):
                spoken = await item
            else:
                due = time.monotonic() if self.first_audio_at is None else self.first_audio_at + self.audio_s
                spoken = await self.pool.synthesize(item, due)
            if spoken is None or not len(spoken.pcm):
                continue
            await self._gate.wait()
            await self.send(audio_frame(self.reply, self.sent, spoken.rate, spoken.pcm))
            if self.first_audio_s is None:
                self.first_audio_s = time.perf_counter() - self.started
                self.first_audio_at = time.monotonic()
            self.sent += 1
            self.audio_s += len(spoken.pcm) / spoken.rate
            if self.on_sent is not None:
                self.on_sent(spoken.reference)
