"""Sentences already synthesized, kept by their text (least recently used out first, bounded by audio length).

Most of what the interviewer says is the round's own text: problem statements, phase questions, clarification
facts, hints, the closing. Every candidate of a problem hears the same sentences, so each is synthesized once
per process; what is unique to a candidate (a lead that says their words back) falls out of the cache as
newer sentences come in. A hit hands back the same read-only arrays; nothing is written to disk.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol

import numpy as np


class Audio(Protocol):
    """What is kept: its arrays, and how many samples they hold together."""

    samples: int
    pcm: np.ndarray
    reference: np.ndarray


class SpeechCache:
    def __init__(self, max_samples: int) -> None:
        self.max_samples = max(0, max_samples)
        self._items: OrderedDict[str, Audio] = OrderedDict()
        self.samples = 0
        self.hits = 0
        self.misses = 0

    def get(self, text: str) -> Audio | None:
        audio = self._items.get(text)
        if audio is None:
            self.misses += 1
            return None
        self._items.move_to_end(text)
        self.hits += 1
        return audio

    def put(self, text: str, audio: Audio) -> None:
        if audio.samples > self.max_samples or text in self._items:
            return
        self._items[text] = audio
        self.samples += audio.samples
        while self.samples > self.max_samples:
            _, old = self._items.popitem(last=False)
            self.samples -= old.samples

    def report(self) -> dict:
        return {"hits": self.hits, "misses": self.misses, "sentences": len(self._items), "samples": self.samples}
