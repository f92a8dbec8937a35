"""The transcript a scorer reads: turns from the store, or from a file (`viva score FILE`).

A file is either JSON (a list of turns, or an object with "turns", such as a report.json export) or
plain text with `Interviewer:` / `Candidate:` lines. In plain text, a line `# phase: KEY` sets the phase
of the turns after it, other `#` lines are comments, and lines without a speaker continue the turn
before. Plain text has no timings, so turns get times as if spoken at 150 words per minute with a one
second gap between turns; they carry no word timings (speech metrics are then "not measured").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.models import Turn

INTERVIEWER, CANDIDATE = "interviewer", "candidate"
_SPEAKER_LINE = re.compile(r"^\s*(interviewer|candidate)\s*:\s?(.*)$", re.IGNORECASE)
_PHASE_LINE = re.compile(r"^\s*#\s*phase\s*:\s*([a-z][a-z0-9_]*)\s*$", re.IGNORECASE)
_WORD = re.compile(r"\S+")
MS_PER_WORD = 400  # 150 words per minute
GAP_MS = 1000


class TranscriptError(ValueError):
    """A transcript file that cannot be read as turns."""


@dataclass(frozen=True)
class TranscriptTurn:
    seq: int
    speaker: str  # "interviewer" | "candidate"
    text: str
    start_ms: int = 0
    end_ms: int = 0
    words: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    typed: bool = False

    @property
    def is_candidate(self) -> bool:
        return self.speaker == CANDIDATE

    @property
    def phase(self) -> str | None:
        return self.meta.get("phase")


def from_rows(rows: Iterable[Turn]) -> list[TranscriptTurn]:
    """Turns as stored (app.models.Turn), in seq order."""
    return sorted(
        (TranscriptTurn(seq=t.seq, speaker=str(t.speaker),
                        text=t.text or "", start_ms=t.start_ms or 0, end_ms=t.end_ms or 0,
                        words=list(t.words or []), meta=dict(t.meta or {}), typed=bool(t.typed))
         for t in rows),
        key=lambda t: t.seq,
    )


def _from_dicts(items: list[Any]) -> list[TranscriptTurn]:
    turns = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise TranscriptError(f"turn {i}: expected an object with 'speaker' and 'text'")
        speaker = str(item.get("speaker", "")).lower()
        if speaker not in (INTERVIEWER, CANDIDATE):
            raise TranscriptError(f"turn {i}: speaker must be 'interviewer' or 'candidate'")
        turns.append(TranscriptTurn(
            seq=int(item.get("seq", i + 1)), speaker=speaker, text=item["text"],
            start_ms=int(item.get("start_ms", 0)), end_ms=int(item.get("end_ms", 0)),
            words=list(item.get("words") or []), meta=dict(item.get("meta") or {}),
            typed=bool(item.get("typed", False)),
        ))
    if not any(t.end_ms for t in turns):
        turns = _with_estimated_times(turns)
    return sorted(turns, key=lambda t: t.seq)


def _with_estimated_times(turns: list[TranscriptTurn]) -> list[TranscriptTurn]:
    out, clock = [], 0
    for t in turns:
        duration = max(1000, len(_WORD.findall(t.text)) * MS_PER_WORD)
        out.append(TranscriptTurn(t.seq, t.speaker, t.text, clock, clock + duration, t.words, t.meta,
                                  t.typed))
        clock += duration + GAP_MS
    return out


def _from_text(text: str) -> list[TranscriptTurn]:
    lines: list[tuple[str, list[str], str | None]] = []  # (speaker, text lines, phase)
    phase: str | None = None
    for raw in text.splitlines():
        if m := _PHASE_LINE.match(raw):
            phase = m.group(1).lower()
        elif raw.lstrip().startswith("#"):
            continue
        elif m := _SPEAKER_LINE.match(raw):
            lines.append((m.group(1).lower(), [m.group(2).strip()], phase))
        elif raw.strip() and lines:
            lines[-1][1].append(raw.strip())
        elif raw.strip():
            raise TranscriptError("the first line must start with 'Interviewer:' or 'Candidate:'")
    turns = [
        TranscriptTurn(seq=i + 1, speaker=speaker, text=" ".join(parts).strip(),
                       meta={"phase": ph} if ph else {})
        for i, (speaker, parts, ph) in enumerate(lines)
    ]
    return _with_estimated_times(turns)


def parse_transcript(text: str) -> list[TranscriptTurn]:
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise TranscriptError(f"not valid JSON: {exc}") from exc
        if isinstance(data, dict):
            data = data.get("turns", data.get("transcript"))
        if not isinstance(data, list):
            raise TranscriptError("JSON must be a list of turns or an object with 'turns'")
        turns = _from_dicts(data)
    else:
        turns = _from_text(text)
    if not turns:
        raise TranscriptError("no turns found")
    return turns


# --- word timings -----------------------------------------------------------------------------------
def timed_words(turn: TranscriptTurn) -> list[dict[str, Any]]:
    """The turn's words that carry both times, in time order (malformed entries are skipped)."""
    out = []
    for w in turn.words:
        if isinstance(w, dict) and isinstance(w.get("start_ms"), int | float) \
                and isinstance(w.get("end_ms"), int | float):
            out.append(w)
    return sorted(out, key=lambda w: w["start_ms"])


def _norm_word(word: str) -> str:
    return re.sub(r"[^\w']", "", word.lower())


def word_spans(turn: TranscriptTurn) -> list[tuple[int, int, dict[str, Any]]]:
    """Character spans in turn.text of the words with timings (words that cannot be aligned are left out)."""
    spans: list[tuple[int, int, dict[str, Any]]] = []
    lowered, pos = turn.text.lower(), 0
    for w in timed_words(turn):
        token = str(w.get("word", "")).strip().lower()
        if not token:
            continue
        at = lowered.find(token, pos)
        if at < 0:  # punctuation may differ between the word list and the text: try the bare word
            bare = _norm_word(token)
            at = lowered.find(bare, pos) if bare else -1
            token = bare
        if at < 0 or at - pos > 200:
            continue
        spans.append((at, at + len(token), w))
        pos = at + len(token)
    return spans


def span_times(turn: TranscriptTurn, start: int, end: int) -> tuple[int, int]:
    """When the characters [start, end) of the turn were spoken: from word timings, else the turn's times."""
    inside = [w for s, e, w in word_spans(turn) if e > start and s < end]
    if inside:
        return int(inside[0]["start_ms"]), int(inside[-1]["end_ms"])
    return turn.start_ms, turn.end_ms
