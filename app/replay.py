"""Replay: a spoken turn's audio kept with the interview (VIVA_KEEP_AUDIO, off by default).

The session collects each turn's chunks as the endpointer cuts them (a speculative chunk is replaced when
re-cut, dropped when cancelled) and hands the turn's audio to the conversation with the turn; it is stored
beside the turn (table `turn_audio`: PCM16 mono 16 kHz, ~32 kB a second) once the turn is, appended to when
the candidate goes on with a turn, deleted with the interview, and served only to its owner
(GET /api/interviews/{id}/turns/{seq}/audio, as WAV).
"""

from __future__ import annotations

import io
import wave

import numpy as np
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models import TurnAudio
from app.voice.endpointing import Chunk, TurnEnd

RATE = 16_000


class TurnAudioCollector:
    """The audio of each open turn, chunk by chunk (session side, on the event loop: no I/O)."""

    def __init__(self) -> None:
        self._chunks: dict[tuple[int, int], Chunk] = {}

    def add(self, chunk: Chunk) -> None:
        self._chunks[(chunk.turn, chunk.index)] = chunk  # a re-cut chunk replaces its speculative self

    def cancel(self, turn: int, index: int) -> None:
        self._chunks.pop((turn, index), None)

    def take(self, end: TurnEnd) -> tuple[int, np.ndarray] | None:
        """(start ms on the stream, PCM16 samples) of the closed turn; forgets it."""
        parts = [self._chunks.pop((end.turn, i), None) for i in range(end.chunks)]
        for key in [k for k in self._chunks if k[0] == end.turn]:
            del self._chunks[key]
        parts = [p for p in parts if p is not None and len(p.audio)]
        if not parts:
            return None
        audio = np.concatenate([p.audio for p in parts])
        return parts[0].start_ms, (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2")


def save(engine: Engine, interview_id: int, seq: int, start_ms: int, pcm: np.ndarray) -> None:
    """Store a turn's audio, or append it to what the turn already has (the candidate went on)."""
    data = np.asarray(pcm, dtype="<i2").tobytes()
    with Session(engine) as s:
        row = s.exec(select(TurnAudio).where(TurnAudio.interview_id == interview_id, TurnAudio.seq == seq)).first()
        if row is None:
            s.add(TurnAudio(interview_id=interview_id, seq=seq, start_ms=start_ms, pcm=data))
        else:
            gap = max(0, (start_ms - row.start_ms) * RATE // 1000 - len(row.pcm) // 2)  # the pause between
            row.pcm = row.pcm + bytes(2 * gap) + data
            s.add(row)
        s.commit()


def listing(session: Session, interview_id: int) -> list[dict[str, int]]:
    rows = session.exec(select(TurnAudio.seq, TurnAudio.start_ms, TurnAudio.pcm)
                        .where(TurnAudio.interview_id == interview_id).order_by(TurnAudio.seq)).all()
    return [{"seq": seq, "start_ms": start, "end_ms": start + len(pcm) * 500 // RATE} for seq, start, pcm in rows]


def wav(session: Session, interview_id: int, seq: int) -> bytes | None:
    row = session.exec(select(TurnAudio).where(TurnAudio.interview_id == interview_id,
                                               TurnAudio.seq == seq)).first()
    if row is None:
        return None
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(row.pcm)
    return buf.getvalue()
