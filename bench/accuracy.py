"""Word error rate: the live pipeline (what the server's transcript events said, after chunking at
pauses and the cut encoder window) against one offline faster-whisper call on the whole recording
(30 s window, the same model, greedy), both against the text that was spoken."""

from __future__ import annotations

import re

import numpy as np

_WORD = re.compile(r"[a-z0-9']+")
SPELLED = {"mr": "mister", "mrs": "missus", "dr": "doctor"}  # the LibriVox transcripts spell titles out
NUMBERS = {"10,000": "ten thousand", "1": "one", "2": "two", "200": "two hundred", "99": "ninety nine"}


def words(text: str) -> list[str]:
    text = text.lower().replace("-", " ")
    for digits, spoken in NUMBERS.items():
        text = re.sub(rf"\b{re.escape(digits)}\b", spoken, text)
    return [SPELLED.get(w, w) for w in _WORD.findall(text)]


def edits(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i in range(1, len(ref) + 1):
        prev, row[0] = row[0], i
        for j in range(1, len(hyp) + 1):
            cur = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (ref[i - 1] != hyp[j - 1]))
            prev = cur
    return row[len(hyp)]


def wer(refs: list[str], hyps: list[str]) -> float | None:
    n = sum(len(words(r)) for r in refs)
    if not n:
        return None
    return round(100 * sum(edits(words(r), words(h)) for r, h in zip(refs, hyps, strict=True)) / n, 1)


def offline(model_path: str, clips: list[np.ndarray]) -> list[str]:
    """One plain faster-whisper call per recording: the reference the live pipeline is held to."""
    from faster_whisper import WhisperModel

    model = WhisperModel(model_path, device="cpu", compute_type="int8", cpu_threads=2)
    out = []
    for pcm in clips:
        segments, _ = model.transcribe(pcm.astype(np.float32) / 32768, language="en", beam_size=1,
                                       condition_on_previous_text=False, vad_filter=False)
        out.append(" ".join(s.text.strip() for s in segments))
    return out
