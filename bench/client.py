"""One spoken session against a running Viva: answers streamed at real time, pings, events timed.

Each answer is streamed in 20 ms frames at real time, followed by silence frames (a microphone keeps
sending) until its transcript has arrived and at least `gap_s` has passed. Every event is kept with
its arrival time (perf_counter); pings go out every `ping_every_s` and their pongs are timed.
"""

from __future__ import annotations

import asyncio
import json
import struct
import time
from dataclasses import dataclass, field

import numpy as np
from speech import RATE, speech_end

VOICE_HEADER = struct.Struct("<4sIHHI")  # a server voice frame (docs/protocol.md, "Server voice")
REPLY_WAIT_S = 60.0  # a listening candidate waits this much longer for the reply and its voice
FRAME = RATE * 20 // 1000
FRAME_S = 0.02
HEARD_WITHIN_S = 0.5  # a pause counts as over once the server heard the speech go on, or this long after


@dataclass
class Answer:
    pcm: np.ndarray  # int16
    text: str = ""  # what was said (for WER)
    gap_s: float = 3.0  # silence after it, at least
    pauses: list[tuple[int, int]] = field(default_factory=list)  # pauses inside (sample spans)
    open_loop: bool = False  # the gap runs from the end of speech, whether the transcript came or not
    listen: bool = False  # the gap runs once the interviewer's reply has been heard to its end (server voice)


@dataclass
class AnswerResult:
    answer: Answer
    speech_end_at: float  # perf_counter when the last speech frame was sent
    started_at: float
    transcripts: list[tuple[float, dict]] = field(default_factory=list)
    first_delta_at: float | None = None
    withdrawn: int = 0  # replies taken back because the answer went on (app/voice/conversation.py)
    audio_at: list[float] = field(default_factory=list)  # server voice frames received (perf_counter)
    audio_s: float = 0.0  # seconds of server voice received for this answer's reply
    reply_done_at: float | None = None  # its interviewer_done (perf_counter)
    pauses_at: list[tuple[float, float]] = field(default_factory=list)  # thinking pauses sent (start, end)
    speech_starts_at: list[float] = field(default_factory=list)  # the server's speech_start events (perf_counter)
    arrivals: list[tuple[float, str]] = field(default_factory=list)  # every transcript received (time, words)

    @property
    def first_audio_ms(self) -> float | None:
        """End of speech → the interviewer's first audio (server voice), after the whole answer."""
        after = [t for t in self.audio_at if t >= self.speech_end_at]
        return None if not after else (after[0] - self.speech_end_at) * 1000

    def heard_reply(self, now: float) -> bool:
        """The reply is complete and, played from its first audio, has been heard to its end."""
        if self.reply_done_at is None:
            return False
        start = self.audio_at[0] if self.audio_at else self.reply_done_at
        return now >= start + self.audio_s

    def _pauses_until_heard(self) -> list[tuple[float, float, float]]:
        """(start, end, until) of each thinking pause: until the server said it heard the speech go on (its
        speech_start, ~100 ms after the candidate resumed; at most HEARD_WITHIN_S): a reply that starts in
        that margin starts over a candidate already talking."""
        return [(a, b, min([t for t in self.speech_starts_at if t >= b] + [b + HEARD_WITHIN_S]))
                for a, b in self.pauses_at]

    @property
    def spoke_in_pause(self) -> bool:
        """The interviewer's voice arrived while the candidate was only pausing (before 5 Dec, night: only up
        to the moment they went on)."""
        return any(a <= t <= until for a, _, until in self._pauses_until_heard() for t in self.audio_at)

    @property
    def words_in_pause(self) -> list[tuple[float, str]]:
        """(pause length s, words) of each transcript that arrived inside a thinking pause: what the turn was
        ended on."""
        return [(round(b - a, 1), words) for a, b, until in self._pauses_until_heard()
                for t, words in self.arrivals if a <= t <= until]

    @property
    def speech_to_event_ms(self) -> float | None:
        if not self.transcripts:
            return None
        return (self.transcripts[-1][0] - self.speech_end_at) * 1000

    @property
    def past_hold_ms(self) -> float | None:
        """End of speech -> transcript less the silence the turn was held for (its `timing`): how late the
        words come after the turn was decided, network and any backlog included."""
        if not self.transcripts or "timing" not in self.transcripts[-1][1]:
            return None
        at, event = self.transcripts[-1]
        return (at - self.speech_end_at) * 1000 - (event["timing"]["decided_ms"] - event["end_ms"])

    @property
    def final_lag_ms(self) -> list[float]:
        return [ev["timing"]["final_lag_ms"] for _, ev in self.transcripts if "timing" in ev]

    @property
    def reply_ms(self) -> float | None:
        return None if self.first_delta_at is None else (self.first_delta_at - self.speech_end_at) * 1000

    @property
    def text(self) -> str:
        return " ".join(ev["text"] for _, ev in self.transcripts)


@dataclass
class SessionResult:
    answers: list[AnswerResult] = field(default_factory=list)
    pongs_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    interrupts: int = 0  # barge-ins: the candidate spoke while the interviewer's voice played


async def run_session(ws_url: str, interview_id: int, answers: list[Answer], *, start_delay_s: float = 0.0,
                      ping_every_s: float = 0.1, wait_s: float = 20.0, pace: float = 1.0,
                      barge_in: bool = True) -> SessionResult:
    """One candidate. `barge_in`: as the room does (frontend/js/room.js), the server's `speech_start` while the
    interviewer's voice is still playing stops it and sends `interrupt` (the server then stops its echo guard's
    reference); without it a candidate who talks over the reply is heard through the guard the whole time."""
    import websockets

    out = SessionResult()
    current: list[AnswerResult] = []
    pings: dict[int, float] = {}
    await asyncio.sleep(start_delay_s)
    finished = asyncio.Event()
    try:
        async with websockets.connect(f"{ws_url}/api/interviews/{interview_id}/stream", max_size=2**22,
                                      open_timeout=60) as ws:
            await _converse(ws, answers, out, current, pings, finished, ping_every_s, wait_s, pace, barge_in)
    except (OSError, TimeoutError, websockets.ConnectionClosed) as exc:
        out.errors.append(f"connection:{type(exc).__name__}")
    return out


async def _converse(ws, answers, out, current, pings, finished, ping_every_s, wait_s, pace, barge_in) -> None:
    playing_until = 0.0  # when the voice received so far has been played, back to back (perf_counter)

    async def reader() -> None:
        nonlocal playing_until
        async for message in ws:
            now = time.perf_counter()
            if isinstance(message, bytes):  # the server's voice (docs/protocol.md, "Server voice")
                _, _, _, _, rate = VOICE_HEADER.unpack_from(message)
                seconds = (len(message) - VOICE_HEADER.size) / 2 / max(rate, 1)
                playing_until = max(playing_until, now) + seconds
                if current:
                    current[-1].audio_at.append(now)
                    current[-1].audio_s += seconds
                continue
            ev = json.loads(message)
            kind = ev.get("type")
            if kind == "speech_start" and current:
                current[-1].speech_starts_at.append(now)
            if kind == "speech_start" and barge_in and now < playing_until:
                playing_until = now  # the room stops the voice and says so
                out.interrupts += 1
                await ws.send(json.dumps({"type": "interrupt"}))
            elif kind == "pong" and ev.get("t") in pings:
                out.pongs_ms.append((now - pings.pop(ev["t"])) * 1000)
            elif kind == "transcript" and current and not ev.get("typed"):
                got = current[-1].transcripts  # a continued turn comes again with its seq: it replaces
                got[:] = [(at, old) for at, old in got if old.get("seq") != ev.get("seq")] + [(now, ev)]
                current[-1].arrivals.append((now, ev.get("text", "")))
            elif kind == "reply_withdrawn" and current:  # the answer went on: its reply is the next one
                playing_until = now  # the room stops the withdrawn reply's voice
                current[-1].first_delta_at = None
                current[-1].withdrawn += 1
            elif kind == "interviewer_done" and current and current[-1].transcripts:
                current[-1].reply_done_at = now
                if current[-1].answer.listen:  # the reply has been played (the room says so too)
                    await ws.send(json.dumps({"type": "playback_done", "seq": ev.get("seq")}))
            elif kind == "interviewer_delta" and current and current[-1].transcripts:
                if current[-1].first_delta_at is None:
                    current[-1].first_delta_at = now
            elif kind == "error":
                out.errors.append(ev.get("code", "?"))
            elif kind == "finished":  # the interviewer closed the interview: stop talking
                finished.set()

    async def pinger() -> None:
        n = 0
        while True:
            await asyncio.sleep(ping_every_s)
            n += 1
            pings[n] = time.perf_counter()
            await ws.send(json.dumps({"type": "ping", "t": n}))

    tasks = [asyncio.create_task(reader()), asyncio.create_task(pinger())]
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    sent = 0  # frames sent so far: real-time pacing over the whole session
    quiet = bytes(FRAME * 2)

    async def send(frame: bytes) -> None:
        nonlocal sent
        await ws.send(frame)
        sent += 1
        await asyncio.sleep(max(0.0, t0 + sent * FRAME_S / pace - loop.time()))

    try:
        for answer in answers:
            if finished.is_set():
                break
            pcm = answer.pcm
            end_frame = (speech_end(pcm) - 1) // FRAME
            result = AnswerResult(answer, 0.0, time.perf_counter())
            current.append(result)
            marks = {a // FRAME: ("start", k) for k, (a, _) in enumerate(answer.pauses)}
            marks.update({b // FRAME: ("end", k) for k, (_, b) in enumerate(answer.pauses)})
            opened: dict[int, float] = {}
            for i in range(0, (len(pcm) + FRAME - 1) // FRAME):
                frame = pcm[i * FRAME : (i + 1) * FRAME]
                await send(frame.tobytes() + bytes((FRAME - len(frame)) * 2))
                if i in marks:
                    kind, k = marks[i]
                    if kind == "start":
                        opened[k] = time.perf_counter()
                    elif k in opened:
                        result.pauses_at.append((opened.pop(k), time.perf_counter()))
                if i == end_frame:
                    result.speech_end_at = time.perf_counter()
            quiet_from = silent_from = time.perf_counter()
            while True:  # silence until the transcript is in (and the gap is over)
                now = time.perf_counter()
                waited = now - quiet_from
                heard = result.transcripts or answer.open_loop
                if now - silent_from >= wait_s + (REPLY_WAIT_S if answer.listen else 0) or finished.is_set():
                    break
                if answer.listen and heard and not result.heard_reply(now):
                    quiet_from = now  # the gap starts once the reply has been heard
                elif heard and waited >= answer.gap_s:
                    break
                await send(quiet)
            if not result.transcripts and not answer.open_loop:
                out.errors.append("no_transcript")
            out.answers.append(result)
        if not finished.is_set():
            await ws.send(json.dumps({"type": "finish"}))
            await asyncio.sleep(0.3)
    finally:
        for task in tasks:
            task.cancel()
