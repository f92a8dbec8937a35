"""Audio frames from the browser: PCM16 little-endian mono 16 kHz, 10-200 ms each.

Every binary frame is checked before it reaches the endpointer; a bad one raises `FrameError` (the
session turns it into an `error` event and drops that frame only).
"""

from __future__ import annotations

import numpy as np

SAMPLE_RATE = 16_000
BYTES_PER_SAMPLE = 2
MIN_FRAME_MS = 10
MAX_FRAME_MS = 200
MIN_FRAME_BYTES = SAMPLE_RATE * MIN_FRAME_MS // 1000 * BYTES_PER_SAMPLE  # 320
MAX_FRAME_BYTES = SAMPLE_RATE * MAX_FRAME_MS // 1000 * BYTES_PER_SAMPLE  # 6400


class FrameError(ValueError):
    """A binary frame that is not PCM16 mono 16 kHz audio of an allowed size."""

    code = "bad_frame"


def decode_frame(data: bytes) -> np.ndarray:
    """PCM16 LE bytes -> float32 samples in [-1, 1). Raises FrameError for a bad frame."""
    size = len(data)
    if size == 0:
        raise FrameError("empty audio frame")
    if size % BYTES_PER_SAMPLE:
        raise FrameError(f"audio frame of {size} bytes: PCM16 needs an even byte count")
    if size < MIN_FRAME_BYTES or size > MAX_FRAME_BYTES:
        raise FrameError(
            f"audio frame of {size} bytes ({samples_to_ms(size // 2)} ms): "
            f"frames must be {MIN_FRAME_MS}-{MAX_FRAME_MS} ms ({MIN_FRAME_BYTES}-{MAX_FRAME_BYTES} bytes)"
        )
    return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0


def encode_pcm16(samples: np.ndarray) -> bytes:
    """float32 samples in [-1, 1] -> PCM16 LE bytes (for tests, the bench and remote STT)."""
    clipped = np.clip(samples, -1.0, 32767 / 32768)
    return (clipped * 32768.0).astype("<i2").tobytes()


def samples_to_ms(samples: int) -> int:
    return samples * 1000 // SAMPLE_RATE


def ms_to_samples(ms: float) -> int:
    return int(ms * SAMPLE_RATE / 1000)
