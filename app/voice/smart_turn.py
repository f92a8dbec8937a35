"""Turn detection from the sound of the voice: Pipecat's smart-turn v3.2 model, used only to answer sooner.

The model (`smart-turn-v3.2-cpu.onnx`, 8.7 MB, BSD-2-Clause, Daily) ships inside the `pipecat-ai` 1.14.0
wheel (`pipecat/audio/turn/smart_turn/data/`). Viva installs that wheel with `--no-deps` (make, CI, Docker)
and only reads the file: the framework is never imported. The file is checked against a pinned sha256.

Input: the last 8 s of 16 kHz audio of the turn (zero-padded in front when shorter), as Whisper log-mel
features (80 mel bands x 800 frames: 25 ms Hann window, 10 ms hop, log10, clamped 8 decades below the peak,
scaled to about [-1, 1]) of the zero-mean, unit-variance waveform. Output: P(the turn is complete).

Measured on real read speech it is often wrong (mid-sentence cuts scoring > 0.9), so the endpointer only
uses a high score, together with words that do not dangle, to end a turn at the first short pause
(app/voice/endpointing.py); a low score never makes it wait longer, and no score ends a turn alone.
Inference runs on one thread, in one worker thread shared by every session, never on the event loop;
when that worker is behind, a pause is simply not scored (the turn ends on silence and words as before).
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import logging
import threading
import time
from pathlib import Path
from typing import Protocol

import numpy as np

from app.voice.priority import niced_executor

log = logging.getLogger("viva.voice")

RATE = 16_000
WINDOW_S = 8
MODEL_FILE = "smart-turn-v3.2-cpu.onnx"
MODEL_SHA256 = "2bb026316b14a660486a75b1733cd3fbab8c2fd0314dc9af7be49f8cca967e4f"
PACKAGE = "pipecat-ai==1.14.0 (installed with --no-deps)"

N_FFT, HOP, N_MELS = 400, 160, 80


class TurnModelMissing(Exception):
    pass


def model_path() -> Path:
    """The model file inside the installed pipecat package, without importing it; sha256-verified."""
    spec = importlib.util.find_spec("pipecat")
    if spec is None or not spec.submodule_search_locations:
        raise TurnModelMissing(f"the turn model needs {PACKAGE}")
    path = Path(list(spec.submodule_search_locations)[0]) / "audio/turn/smart_turn/data" / MODEL_FILE
    if not path.is_file():
        raise TurnModelMissing(f"{path} is missing: install {PACKAGE}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != MODEL_SHA256:
        raise TurnModelMissing(f"{path}: sha256 {digest[:12]}… is not the pinned {MODEL_SHA256[:12]}…")
    return path


def _mel_filters() -> np.ndarray:
    """Slaney-scale triangular filters, area-normalised (as librosa and Whisper): shape (201, 80)."""
    def to_mel(hz: np.ndarray) -> np.ndarray:
        hz = np.asarray(hz, dtype=np.float64)
        linear = 3.0 * hz / 200.0
        return np.where(hz >= 1000.0, 15.0 + np.log(np.maximum(hz, 1e-9) / 1000.0) * 27.0 / np.log(6.4), linear)

    def to_hz(mel: np.ndarray) -> np.ndarray:
        linear = 200.0 * mel / 3.0
        return np.where(mel >= 15.0, 1000.0 * np.exp((mel - 15.0) * np.log(6.4) / 27.0), linear)

    edges = to_hz(np.linspace(to_mel(0.0), to_mel(RATE / 2), N_MELS + 2))
    bins = np.linspace(0, RATE // 2, N_FFT // 2 + 1)
    rising = (bins[:, None] - edges[None, :-2]) / np.diff(edges)[None, :-1]
    falling = (edges[None, 2:] - bins[:, None]) / np.diff(edges)[None, 1:]
    filters = np.maximum(0.0, np.minimum(rising, falling))
    return filters * (2.0 / (edges[2:] - edges[:-2]))[None, :]


_FILTERS = _mel_filters()
_HANN = np.hanning(N_FFT + 1)[:-1]  # periodic


def last_window(audio: np.ndarray) -> np.ndarray:
    """The last 8 s of `audio` (float32, 16 kHz), zero-padded in front when shorter."""
    n = WINDOW_S * RATE
    audio = np.asarray(audio, dtype=np.float32)[-n:]
    return np.pad(audio, (n - len(audio), 0)) if len(audio) < n else audio


def log_mel(window: np.ndarray) -> np.ndarray:
    """Whisper log-mel features of exactly 8 s of audio: float32 (80, 800)."""
    x = np.asarray(window, dtype=np.float32)
    x = (x - x.mean()) / np.sqrt(x.var() + 1e-7)
    padded = np.pad(x.astype(np.float64), N_FFT // 2, mode="reflect")
    frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP]
    power = np.abs(np.fft.rfft(frames * _HANN, axis=-1)) ** 2  # (frames, 201)
    mel = np.log10(np.maximum(power @ _FILTERS, 1e-10)).T[:, :-1]  # (80, 800): the last frame dropped
    mel = np.maximum(mel, mel.max() - 8.0)
    return ((mel + 4.0) / 4.0).astype(np.float32)


class TurnModel(Protocol):
    """P(the speaker has finished their turn) from the turn's audio (float32, 16 kHz). Blocking."""

    def complete(self, audio: np.ndarray) -> float: ...


class SmartTurn:
    """The ONNX model on one CPU thread. Loaded on first use (or `load()`), once."""

    name = "smart-turn-v3.2"

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._session = None
        self._lock = threading.Lock()

    def load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime as ort

            options = ort.SessionOptions()
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            self._session = ort.InferenceSession(str(self._path or model_path()), sess_options=options,
                                                 providers=["CPUExecutionProvider"])

    def complete(self, audio: np.ndarray) -> float:
        self.load()
        features = log_mel(last_window(audio))[None]
        out = self._session.run(None, {"input_features": features})[0]
        return float(np.asarray(out).reshape(-1)[0])


class TurnScorer:
    """Scores pauses in one worker thread shared by all sessions (at `nice`: below the event loop and
    transcription when the cores are short); at most `max_waiting` wait at once
    (beyond that a pause goes unscored: the turn ends as it would without the model)."""

    def __init__(self, model: TurnModel, max_waiting: int = 8, nice: int = 0) -> None:
        self.model = model
        self.name = getattr(model, "name", type(model).__name__)
        self.max_waiting = max_waiting
        self._executor = niced_executor(nice, "smart-turn", 1)
        self._waiting = 0
        self.skipped = 0

    def submit(self, audio: np.ndarray) -> asyncio.Future | None:
        """Score `audio` off the event loop; None when the worker is too far behind."""
        if self._waiting >= self.max_waiting:
            self.skipped += 1
            return None
        self._waiting += 1
        future = asyncio.get_running_loop().run_in_executor(self._executor, self.model.complete, audio)
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: asyncio.Future) -> None:
        self._waiting -= 1

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class RecentAudio:
    """The last `seconds` of a stream in a ring, addressed by absolute sample index (what a pause is scored
    on). Appending a frame copies only the frame."""

    def __init__(self, seconds: float = WINDOW_S) -> None:
        self._data = np.zeros(int(seconds * RATE), dtype=np.float32)
        self.end = 0  # stream index one past the last sample

    def append(self, samples: np.ndarray) -> None:
        size, total = len(self._data), len(samples)
        tail = samples[-size:]
        at = (self.end + total - len(tail)) % size
        first = min(len(tail), size - at)
        self._data[at:at + first] = tail[:first]
        self._data[:len(tail) - first] = tail[first:]
        self.end += total

    def since(self, start: int) -> np.ndarray:
        """Samples from stream index `start` (or as far back as kept) to the end, in order."""
        size = len(self._data)
        keep = min(size, max(0, self.end - start), self.end)
        at = (self.end - keep) % size
        if at + keep <= size:
            return self._data[at:at + keep].copy()
        return np.concatenate([self._data[at:], self._data[:at + keep - size]])


class PauseScoring:
    """One session's side: the last 8 s of its stream, each pause's audio (the open turn's, up to the
    pause) scored by the shared TurnScorer, the score handed to the endpointer and logged (never words)."""

    def __init__(self, scorer: TurnScorer, endpointer, interview_id: int) -> None:
        self.scorer, self.endpointer, self.interview_id = scorer, endpointer, interview_id
        self.recent = RecentAudio()

    def hear(self, samples: np.ndarray) -> None:
        self.recent.append(samples)

    def score(self, chunk) -> None:
        """`chunk`: the endpointer's speculative chunk of a pause (app/voice/endpointing.py)."""
        start = self.endpointer.turn_start
        if start is None:
            return
        audio = self.recent.since(start)
        audio = audio[: max(0, len(audio) - (self.recent.end - chunk.end_ms * RATE // 1000))]
        future = self.scorer.submit(audio)
        if future is None:
            log.info("interview %s: turn %d pause %d not scored (turn model busy)", self.interview_id,
                     chunk.turn, chunk.index)
            return
        asked = time.perf_counter()

        def done(f: asyncio.Future) -> None:
            if f.cancelled() or f.exception() is not None:
                log.warning("interview %s: turn model failed (%s)", self.interview_id,
                            "cancelled" if f.cancelled() else type(f.exception()).__name__)
                return
            score = f.result()
            log.info("interview %s: turn %d pause %d: P(complete) %.2f (%.0f ms)", self.interview_id, chunk.turn,
                     chunk.index, score, (time.perf_counter() - asked) * 1000)
            self.endpointer.set_turn_score(chunk.turn, chunk.index, score)

        future.add_done_callback(done)
