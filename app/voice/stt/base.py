"""What every speech-to-text provider returns, the Protocol they share, and the words Whisper is primed with.

`transcribe()` is blocking and runs in the worker threads of `TranscriptionPool` (app/voice/pool.py),
never on the event loop. Times in a `Transcript` are seconds from the start of the audio given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

PROMPT_BUDGET_CHARS = 480  # whisper keeps ~224 prompt tokens; stay well inside (about 4 chars a token)


class TranscriptionError(Exception):
    """The recogniser failed on this audio (the session reports it; other turns go on)."""


@dataclass(frozen=True)
class WordTiming:
    word: str
    start: float
    end: float
    probability: float | None = None


@dataclass(frozen=True)
class Transcript:
    text: str
    words: list[WordTiming] = field(default_factory=list)
    # The recogniser's P(the sentence ends where the audio does) (app/voice/stt/sentence_end.py); None: not
    # known (another provider, or the words were cut after decoding).
    end_p: float | None = None


LOOP_MIN_WORDS, LOOP_MAX_WORDS, LOOP_REPEATS = 2, 40, 3
LOOP_LONG_WORDS = 6  # a phrase this long is a loop already when heard twice running


def _norm(word: str) -> str:
    return "".join(c for c in word.lower() if c.isalnum())


def _sentence_twice(words: list[WordTiming], i: int, n: int) -> bool:
    """Words i..i+n-1 are a sentence of at least 3 words, and so are the n after them."""
    ends = [i + n - 1, i + 2 * n - 1]
    return n >= 3 and ends[1] < len(words) and all(words[k].word.endswith((".", "?", "!")) for k in ends)


def without_loops(transcript: Transcript) -> Transcript:
    """Whisper's repetition loop cut back to one occurrence: a phrase of 2-5 words said three or more
    times in a row ("before I start, before I start, before I start, ..." from a short clip decoded with
    its context prompt), or of 6-40 words said twice, or a sentence of 3-5 words said twice (a sentence
    decoded again from the silence after it: "So that's my overall design. So that's my overall design."),
    is kept once. People do not say a whole sentence twice running; a single word ("no, no, no") is left
    alone. The text is rebuilt from the words when anything was cut."""
    words = list(transcript.words)
    keys = [_norm(w.word) for w in words]
    i, cut = 0, False
    while i < len(words):
        for n in range(LOOP_MIN_WORDS, LOOP_MAX_WORDS + 1):
            reps = 1
            while keys[i + reps * n:i + (reps + 1) * n] == keys[i:i + n] and i + (reps + 1) * n <= len(keys):
                reps += 1
            if reps >= (2 if n >= LOOP_LONG_WORDS or _sentence_twice(words, i, n) else LOOP_REPEATS):
                end = i + reps * n
                while end < len(keys) and end - i - reps * n < n and keys[end] == keys[i + (end - i) % n]:
                    end += 1  # and the loop's last, unfinished pass
                del words[i + n:end], keys[i + n:end]
                cut = True
                break
        i += 1
    if not cut:
        return transcript
    return Transcript(" ".join(w.word for w in words), words)


PHANTOM_S = 0.01  # a word aligned to no audio at all
PHANTOM_GAP_S = 0.1  # ... and placed this far past the last word that had some


def without_phantom_tail(transcript: Transcript) -> Transcript:
    """Words Whisper decoded from the silence a clip ends in (a pause's chunk ends in 200 ms of it, and the
    encoder sees padding), often the context prompt's words again ("... two out of three replicas, C-M of two
    out of three replicas,"; "... to two followers. D -B, -"), come aligned to no audio: zero length, after a
    gap, at the clip's end. Such a tail is cut: it is not what was said. The comma before it stays: where the
    candidate only paused mid-sentence it is the sign they are going on, and the words cannot tell which. A
    transcript of nothing but such words is left alone."""
    words = list(transcript.words)
    n = len(words)
    while n > 1 and words[n - 1].end - words[n - 1].start < PHANTOM_S:
        n -= 1
    if n == len(words) or words[n].start - words[n - 1].end < PHANTOM_GAP_S \
            or words[n - 1].end - words[n - 1].start < PHANTOM_S:
        return transcript
    kept = words[:n]
    return Transcript(" ".join(w.word for w in kept), kept)


ECHO_MIN_WORDS = 3
ECHO_LAST_S = 0.1  # the copy's last word may be given a sliver of the clip's end


def without_echoed_tail(transcript: Transcript) -> Transcript:
    """The clip's last words said again right after themselves with no audio for them ("A request hits the
    gateway. A request hits the gateway.", "Before I start... Before I start... Before": tiny.en decoding its
    prompt again from the silence a clip ends in): a run of at least three words at the end, each aligned to no
    time (the last to under 0.1 s), all but one in four of them words of the words just before it. It is cut. A phrase
    people really say twice takes its time the second time too."""
    words = list(transcript.words)
    n = len(words)
    if n and words[-1].end - words[-1].start < ECHO_LAST_S:
        n -= 1
        while n > 0 and words[n - 1].end - words[n - 1].start < PHANTOM_S:
            n -= 1
    tail = len(words) - n
    if tail < ECHO_MIN_WORDS or n == 0:
        return transcript
    before = {_norm(w.word) for w in words[max(0, n - tail):n]}
    if sum(_norm(w.word) not in before for w in words[n:]) > tail // 4:  # "API" heard as "ABI" the second time
        return transcript
    kept = words[:n]
    return Transcript(" ".join(w.word for w in kept), kept)


def cleaned(transcript: Transcript) -> Transcript:
    """What a recogniser's output keeps of what was said: no phantom tail, no echoed tail, no repetition
    loop."""
    return without_loops(without_echoed_tail(without_phantom_tail(transcript)))


class Transcriber(Protocol):
    name: str

    def load(self) -> None:
        """Make the first transcribe() fast (load and warm the model); idempotent."""
        ...

    def transcribe(self, audio: np.ndarray, prompt: str | None = None) -> Transcript:
        """Blocking. `audio`: float32 mono 16 kHz. `prompt`: words that bias recognition."""
        ...


# How the recogniser should spell terms that rubrics list in lower case (names, acronyms, jargon).
SPELLINGS = {t.lower(): t for t in """Redis Kafka Postgres PostgreSQL MySQL NoSQL Cassandra DynamoDB MongoDB
    Memcached RabbitMQ SQS SNS S3 CDN gRPC REST GraphQL JSON UUID UTC TTL LRU QPS DAU MVP SLA SLO SLI RPC API
    WebSocket Kubernetes Docker Raft Paxos CRDT PACELC TrueTime NTP 2PC ACID BASE CAP CTE SQL ETag OAuth JWT
    HTTP HTTPS TCP UDP p99 BFS DFS Dijkstra idempotency idempotent sharding""".split()}


def vocabulary_prompt(terms: list[str], budget: int = PROMPT_BUDGET_CHARS // 2) -> str:
    """A short glossary line from a round's vocabulary, within `budget` characters.

    Whisper gains most from names and jargon it would otherwise misspell: known spellings first
    (Redis, Kafka, gRPC), then long single words (idempotency, denormalize), then short phrases.
    Numbers and everyday phrases are left out: they need no help and would crowd the prompt.
    """
    ranked: dict[str, tuple[int, int, str]] = {}
    for term in terms:
        key = " ".join(term.lower().split())
        if not key or any(c.isdigit() for c in key) or key in ranked:
            continue
        words = key.split()
        if key in SPELLINGS:
            ranked[key] = (0, 0, SPELLINGS[key])
        elif len(words) == 1 and len(key) >= 7:
            ranked[key] = (1, -len(key), term.strip())
        elif len(words) == 2 and all(w in SPELLINGS or len(w) >= 6 for w in words):
            ranked[key] = (2, len(key), " ".join(SPELLINGS.get(w, w) for w in words))
    picked: list[str] = []
    size = 0
    for _, _, term in sorted(ranked.values(), key=lambda r: r[:2]):
        if size + len(term) + 2 <= budget:
            picked.append(term)
            size += len(term) + 2
    return ", ".join(picked) + "." if picked else ""


_TRAILING_DOTS = re.compile(r"(\s*(\.\.\.|…))+\s*$")


def build_prompt(glossary: str, previous_text: str = "") -> str | None:
    """Glossary plus the end of what was said just before (context across chunks of one turn).

    A trailing "..." (how Whisper ends a clip cut mid-thought: "For consistency, I would use a... ...") is left
    out: primed with it, tiny.en decoded the next chunk as "... ..." and lost its words (8 Piper answers cut
    at a pause, continued after 0.4, 1.0 and 1.3 s: words lost in 3 of 24, a leading "..." in 3 more; none
    without the dots)."""
    previous_text = _TRAILING_DOTS.sub("", previous_text)
    room = PROMPT_BUDGET_CHARS - len(glossary) - 1
    tail = previous_text[-room:].split(" ", 1)[-1] if len(previous_text) > room else previous_text
    prompt = f"{glossary} {tail}".strip()
    return prompt or None


