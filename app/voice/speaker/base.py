"""What a server-side voice is: text in, PCM16 mono out (blocking, run in the synthesis pool)."""

from __future__ import annotations

from typing import Protocol

import numpy as np


class SpeakerUnavailable(Exception):
    """The voice cannot be loaded (not installed, a model file that is not the pinned one)."""


class Speaker(Protocol):
    name: str  # e.g. "piper:en_US-joe-medium"
    sample_rate: int  # of the audio `synthesize` returns

    def load(self) -> None:
        """Load the model (idempotent). Raises SpeakerUnavailable."""

    def synthesize(self, text: str) -> np.ndarray:
        """One sentence (or a few) as int16 mono samples at `sample_rate`. Blocking."""
