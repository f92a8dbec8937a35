"""Test doubles and audio helpers for the voice pipeline."""

from __future__ import annotations

import threading
import time
import wave
from pathlib import Path

import numpy as np

from app.voice.stt import Transcript, TranscriptionError, WordTiming

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
RATE = 16_000


def tone(ms: int, amp: float = 0.3, freq: float = 220.0) -> np.ndarray:
    t = np.arange(int(RATE * ms / 1000)) / RATE
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def silence(ms: int) -> np.ndarray:
    return np.zeros(int(RATE * ms / 1000), dtype=np.float32)


def read_wav(name: str) -> bytes:
    with wave.open(str(FIXTURES / name)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (RATE, 1, 2)
        return w.readframes(w.getnframes())


def speech_then(pause_ms: int) -> bytes:
    """one_turn.wav's speech (0.5-3.34 s of the file, from 0.4 s) followed by `pause_ms` of silence."""
    pcm = read_wav("one_turn.wav")
    return pcm[int(0.4 * 16_000) * 2: int(3.34 * 16_000) * 2] + bytes(int(pause_ms * 16) * 2)


def with_gaps(pcm: bytes, gap_s: float, longer_than_s: float = 1.0) -> bytes:
    """The fixture with each silence between its turns (a run of near-zero samples longer than `longer_than_s`,
    not at either end) made `gap_s` long."""
    samples = np.frombuffer(pcm, "<i2")
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > 64)
    out, last = [], int(loud[0])
    out.append(samples[:last])
    jumps = np.flatnonzero(np.diff(loud) > longer_than_s * RATE)
    for j in jumps:
        out += [samples[last : loud[j] + 1], np.zeros(int(gap_s * RATE), "<i2")]
        last = int(loud[j + 1])
    out.append(samples[last:])
    return np.concatenate(out).astype("<i2").tobytes()


def frames(pcm: bytes, ms: int = 20) -> list[bytes]:
    """PCM16 bytes cut into frames of `ms`; the last one zero-padded to a whole frame."""
    size = RATE * ms // 1000 * 2
    out = [pcm[i : i + size] for i in range(0, len(pcm), size)]
    if out and len(out[-1]) < size:
        out[-1] = out[-1] + bytes(size - len(out[-1]))
    return out


class EnergyDetector:
    """A stand-in for Silero on synthetic audio: loud windows are speech."""

    def __init__(self, threshold: float = 0.01) -> None:
        self.threshold = threshold

    def reset(self) -> None:
        pass

    def __call__(self, window: np.ndarray) -> float:
        return 1.0 if float(np.sqrt(np.mean(window**2))) > self.threshold else 0.0


class FakeTranscriber:
    """Knobs: the text it hears, how long it takes, an error to raise. Words spread over the audio."""

    name = "fake"

    def __init__(self, text: str = "we shard by user id", latency_s: float = 0.0,
                 error: Exception | None = None) -> None:
        self.text, self.latency_s, self.error = text, latency_s, error
        self.calls: list[tuple[float, str | None]] = []
        self.gate: threading.Event | None = None  # when set: each call waits for it
        self._lock = threading.Lock()

    def load(self) -> None:
        pass

    def transcribe(self, audio: np.ndarray, prompt: str | None = None) -> Transcript:
        with self._lock:
            self.calls.append((len(audio) / RATE, prompt))
        if self.gate is not None:
            self.gate.wait(10)
        if self.latency_s:
            time.sleep(self.latency_s)
        if self.error is not None:
            raise TranscriptionError(str(self.error))
        words = self.text.split()
        span = max(len(audio) / RATE - 0.2, 0.1) / max(len(words), 1)
        timed = [WordTiming(w, 0.1 + i * span, 0.1 + (i + 0.8) * span, 0.9) for i, w in enumerate(words)]
        return Transcript(self.text, timed)


class BatchingFake(FakeTranscriber):
    """A FakeTranscriber that also takes several clips in one call, and records each call's size."""

    def __init__(self, batch_size: int = 4, **kw) -> None:
        super().__init__(**kw)
        self.batch_size = batch_size
        self.batches: list[list[str | None]] = []

    def batchable(self, audio: np.ndarray) -> bool:
        return len(audio) <= 28 * RATE

    def transcribe_batch(self, audios: list[np.ndarray], prompts: list[str | None]) -> list:
        with self._lock:
            self.batches.append(list(prompts))
        if self.gate is not None:
            self.gate.wait(10)
        return [TranscriptionError("bad clip") if p == "bad" else Transcript(f"{self.text} {p}")
                for p in prompts]
