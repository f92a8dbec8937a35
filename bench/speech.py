"""Speech for the benchmarks: espeak-ng + sox, cached per text, as PCM16 mono 16 kHz numpy arrays."""

from __future__ import annotations

import hashlib
import subprocess
import wave
from pathlib import Path

import numpy as np

RATE = 16_000
LOUD = 300  # PCM16 amplitude above which a sample counts as speech (espeak-ng's silence is 0)


def say(text: str, workdir: Path, wpm: int = 150) -> np.ndarray:
    """espeak-ng speech of `text` (en-us), resampled to 16 kHz mono; cached in `workdir`."""
    workdir.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha1(f"{wpm}:{text}".encode()).hexdigest()[:16]
    out = workdir / f"{key}.wav"
    if not out.exists():
        raw = workdir / f"{key}.raw.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", str(wpm), "-w", str(raw), text], check=True)
        subprocess.run(["sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(out)], check=True)
        raw.unlink()
    return read_wav(out)


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        if (w.getframerate(), w.getnchannels(), w.getsampwidth()) != (RATE, 1, 2):
            raise ValueError(f"{path}: need 16 kHz mono PCM16")
        return np.frombuffer(w.readframes(w.getnframes()), "<i2").copy()


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), dtype=np.int16)


def trim(pcm: np.ndarray) -> np.ndarray:
    """Without leading and trailing silence."""
    loud = np.nonzero(np.abs(pcm.astype(np.int32)) > LOUD)[0]
    return pcm[loud[0] : loud[-1] + 1] if len(loud) else pcm[:0]


def speech_end(pcm: np.ndarray) -> int:
    """Sample index one past the last loud sample."""
    loud = np.nonzero(np.abs(pcm.astype(np.int32)) > LOUD)[0]
    return int(loud[-1]) + 1 if len(loud) else 0


def with_pauses(parts: list[np.ndarray], pauses_s: list[float]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Parts joined by pauses of the given lengths; returns the audio and each pause's (start, end) sample."""
    out, spans, pos = [], [], 0
    for i, part in enumerate(parts):
        part = trim(part)
        out.append(part)
        pos += len(part)
        if i < len(pauses_s):
            gap = silence(pauses_s[i])
            spans.append((pos, pos + len(gap)))
            out.append(gap)
            pos += len(gap)
    return np.concatenate(out), spans
