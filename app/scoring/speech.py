"""Speech metrics measured from word timings. Pure functions; reported apart from the content scores.

Nothing here feeds a rubric dimension: accent, pace and fluency never lower a technical score.

Definitions (candidate turns that were spoken, i.e. not typed):
- speaking time of a turn: first word start to last word end; wpm = words / speaking minutes,
  overall (all words over all speaking time) and per turn.
- fillers: um, uh, er, erm, hmm, ah, "basically", "literally", "I mean", and these only when used as
  fillers: "like" at the start of a turn, next to a comma or a pause of 0.5 s, or after "and/so/but/
  was/is/it's/um/uh" and not before "a/the/this/to/how ..." (so "systems like Kafka", "would like to",
  "it's like a queue" are not fillers); "you know" (not "do you know", "you know what/how/that ...");
  "sort of" / "kind of" (not "a kind of", "what sort of").
  Per minute of speaking time, each with its turn seq and start_ms.
- pauses: gaps of more than 1 s between consecutive words of one turn (count, longest, where).
- talk ratio: candidate's share of all spoken turn time (end_ms - start_ms of spoken turns).
- response latency: from an interviewer turn's end_ms to the candidate's first word (or turn start)
  in the next turn; negative (barge-in) counts as 0.
- longest monologue: the longest run of consecutive candidate turns, first start to last end.
"""

from __future__ import annotations

import re
from statistics import median
from typing import Any

from pydantic import BaseModel

from app.scoring.transcript import TranscriptTurn, timed_words

PAUSE_MS = 1000
SIMPLE_FILLERS = {"um", "umm", "uh", "uhh", "uhm", "er", "erm", "hmm", "mm", "ah", "basically", "literally"}
_LIKE_FILLER_AFTER = {"and", "so", "but", "or", "um", "uh", "was", "were", "it's", "is", "like"}
_LIKE_NOT_FILLER_AFTER = {"a", "an", "the", "this", "that", "these", "those", "to", "it", "them", "him",
                          "her", "me", "us", "how", "what", "when", "in", "with", "for"}
_YOU_KNOW_NOT_BEFORE = {"do", "did", "if", "would", "don't", "didn't", "as", "whether", "will"}
_YOU_KNOW_NOT_AFTER = {"what", "how", "that", "the", "if", "whether", "about", "why", "where", "who", "when",
                       "it", "this", "him", "her", "them"}
_KIND_NOT_BEFORE = {"a", "an", "the", "this", "that", "what", "which", "some", "any", "every", "one", "same",
                    "all", "other", "different", "right", "new"}


class Filler(BaseModel):
    word: str
    seq: int
    start_ms: int


class Pause(BaseModel):
    seq: int
    start_ms: int
    duration_ms: int


class TurnPace(BaseModel):
    seq: int
    words: int
    duration_ms: int
    wpm: float | None


class Latency(BaseModel):
    seq: int
    latency_ms: int


class SpeechMetrics(BaseModel):
    measured: bool  # False when no candidate turn has word timings
    words: int = 0
    speaking_ms: int = 0
    wpm: float | None = None
    per_turn: list[TurnPace] = []
    filler_count: int = 0
    fillers_per_minute: float | None = None
    fillers_by_word: dict[str, int] = {}
    fillers: list[Filler] = []
    pause_count: int = 0
    longest_pause_ms: int = 0
    pauses: list[Pause] = []
    candidate_ms: int = 0
    interviewer_ms: int = 0
    candidate_share: float | None = None
    latencies: list[Latency] = []
    median_latency_ms: int | None = None
    mean_latency_ms: int | None = None
    max_latency_ms: int | None = None
    longest_monologue_ms: int = 0
    longest_monologue_seq: list[int] = []  # seqs of the turns in it


def _clean(word: str) -> str:
    return re.sub(r"[^\w']", "", word.lower())


def _comma_next_to(words: list[dict[str, Any]], i: int) -> bool:
    here = str(words[i].get("word", ""))
    before = str(words[i - 1].get("word", "")) if i > 0 else ""
    return here.rstrip().endswith((",", "...", "-")) or before.rstrip().endswith((",", "...", "-"))


def _pause_next_to(words: list[dict[str, Any]], i: int, gap_ms: int = 500) -> bool:
    before = i > 0 and int(words[i]["start_ms"]) - int(words[i - 1]["end_ms"]) >= gap_ms
    after = i + 1 < len(words) and int(words[i + 1]["start_ms"]) - int(words[i]["end_ms"]) >= gap_ms
    return bool(before or after)


def find_fillers(words: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """(index of the first word, filler) for every filler in a turn's word list."""
    clean = [_clean(str(w.get("word", ""))) for w in words]
    out: list[tuple[int, str]] = []
    skip = -1
    for i, w in enumerate(clean):
        if i <= skip:
            continue
        prev = clean[i - 1] if i > 0 else ""
        nxt = clean[i + 1] if i + 1 < len(clean) else ""
        if w in SIMPLE_FILLERS:
            out.append((i, w))
        elif w == "like":
            if i == 0 or _comma_next_to(words, i) or _pause_next_to(words, i) or (
                prev in _LIKE_FILLER_AFTER and nxt not in _LIKE_NOT_FILLER_AFTER
            ):
                out.append((i, "like"))
        elif w == "i" and nxt == "mean":
            out.append((i, "i mean"))
            skip = i + 1
        elif w == "you" and nxt == "know":
            after = clean[i + 2] if i + 2 < len(clean) else ""
            if prev not in _YOU_KNOW_NOT_BEFORE and after not in _YOU_KNOW_NOT_AFTER:
                out.append((i, "you know"))
                skip = i + 1
        elif w in ("sort", "kind") and nxt == "of" and prev not in _KIND_NOT_BEFORE:
            out.append((i, f"{w} of"))
            skip = i + 1
    return out


def _spoken_ms(t: TranscriptTurn) -> int:
    return max(0, t.end_ms - t.start_ms)


def speech_metrics(turns: list[TranscriptTurn]) -> SpeechMetrics:
    spoken = [t for t in turns if not t.typed]
    cand = [t for t in spoken if t.is_candidate]
    timed = [t for t in cand if timed_words(t)]
    m = SpeechMetrics(measured=bool(timed))
    for t in timed:
        words = timed_words(t)
        duration = int(words[-1]["end_ms"]) - int(words[0]["start_ms"])
        m.words += len(words)
        m.speaking_ms += max(0, duration)
        m.per_turn.append(TurnPace(seq=t.seq, words=len(words), duration_ms=duration,
                                   wpm=round(len(words) * 60000 / duration, 1) if duration > 0 else None))
        for i, filler in find_fillers(words):
            m.fillers.append(Filler(word=filler, seq=t.seq, start_ms=int(words[i]["start_ms"])))
        for a, b in zip(words, words[1:], strict=False):
            gap = int(b["start_ms"]) - int(a["end_ms"])
            if gap > PAUSE_MS:
                m.pauses.append(Pause(seq=t.seq, start_ms=int(a["end_ms"]), duration_ms=gap))
    minutes = m.speaking_ms / 60000
    if minutes > 0:
        m.wpm = round(m.words / minutes, 1)
        m.fillers_per_minute = round(len(m.fillers) / minutes, 2)
    m.filler_count = len(m.fillers)
    for f in m.fillers:
        m.fillers_by_word[f.word] = m.fillers_by_word.get(f.word, 0) + 1
    m.pause_count = len(m.pauses)
    m.longest_pause_ms = max((p.duration_ms for p in m.pauses), default=0)

    m.candidate_ms = sum(_spoken_ms(t) for t in cand)
    m.interviewer_ms = sum(_spoken_ms(t) for t in spoken if not t.is_candidate)
    total = m.candidate_ms + m.interviewer_ms
    m.candidate_share = round(m.candidate_ms / total, 3) if total else None

    for prev, t in zip(turns, turns[1:], strict=False):
        if t.is_candidate and not t.typed and not prev.is_candidate and prev.end_ms:
            first = min((int(w["start_ms"]) for w in timed_words(t)), default=t.start_ms)
            m.latencies.append(Latency(seq=t.seq, latency_ms=max(0, first - prev.end_ms)))
    if m.latencies:
        values = [lat.latency_ms for lat in m.latencies]
        m.median_latency_ms = int(median(values))
        m.mean_latency_ms = round(sum(values) / len(values))
        m.max_latency_ms = max(values)

    run: list[TranscriptTurn] = []
    for t in turns + [None]:  # type: ignore[list-item]
        if t is not None and t.is_candidate and not t.typed:
            run.append(t)
            continue
        if run:
            length = run[-1].end_ms - run[0].start_ms
            if length > m.longest_monologue_ms:
                m.longest_monologue_ms, m.longest_monologue_seq = length, [r.seq for r in run]
            run = []
    return m
