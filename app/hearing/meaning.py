"""What an answer establishes by meaning: statements compared with sentence windows by embedding.

A *statement* is one thing a strong answer establishes (a key point, with the plain ways a candidate says
it) or one wrong claim (a myth, with its spoken forms, against its truth). The candidate's text is cut
into *windows*: each sentence, long sentences also clause by clause, and each pair of neighbouring
sentences (a point is often made over two short sentences). A statement's similarity to a window is the
best cosine between the window and any of the statement's wordings.

Embeddings hear topic and content, not polarity ("TCP gives exactly-once" and "TCP does not give
exactly-once" are neighbours), so whether a window asserts or rejects what it is close to is decided by
app.hearing.negation (`polarity()`), never by the vectors.

Thresholds (cosines of all-MiniLM-L6-v2; calibrated on the project's own fixtures and SAF training, see
docs/scoring.md): ESTABLISHED, PARTIAL for key points; MYTH, MYTH_MARGIN for wrong claims; NEAR, PROBE for
what the interviewer does with a claim near a myth.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from app.hearing import depth
from app.hearing.embedder import Embedder
from app.hearing.negation import NEGATORS, reported
from app.hearing.words import tokenize

ESTABLISHED = 0.62  # a window this close to a key point's wording establishes it
PARTIAL = 0.50  # this close: the point is touched, not made
MYTH = 0.72  # a window this close to a myth's wording, and
MYTH_MARGIN = 0.10  # closer to the myth than to its truth by this much, states the myth
# The interviewer's lower bars (never the scorer's): a window asserting something this close to a myth (with
# the same margin over its truth) is never said back (NEAR), and is put to the myth's test question (PROBE).
# Measured on the independent fixtures by bench/myth_recall.py --sweep (docs/scoring.md).
NEAR = 0.50
PROBE = 0.65
# ... and a window asserting something this close to a myth's claim whatever its truth's distance is never said
# back either: MiniLM puts many fresh wrong claims as close to the truth ("we get CAP all three": 0.78 to the
# claim, 0.74 to its truth), and "So you get CAP all three." sounds agreed. Only the echo: never a probe. The
# harness's follow-ups that refer to the last answer (senior): 0.55 -> 76 %, 0.60 -> 81 %, 0.65 -> 84 %; at 0.65
# a plain "the cache sits in front of the database" (0.66 to "a cache in front of the database takes the write
# load off it") was not said back.
UNSAID = 0.70
MYTH_MIN_WORDS = 6  # a shorter window ("Reads go to read replicas") is a topic, not yet a claim
MIN_WORDS = 4  # shorter windows ("Yes.", "Right, so.") establish nothing
_CLAUSE = re.compile(r"[;:]\s+|,\s+(?=(?:but|so|and then|because|which|whereas|while)\b)|\s[-–—]\s")


@dataclass(frozen=True)
class Window:
    start: int  # character span in the text
    end: int
    text: str


def windows(text: str, min_words: int = MIN_WORDS) -> list[Window]:
    """Sentences, clauses of sentences with several, and neighbouring pairs of sentences."""
    spans = [(s, e) for s, e in depth.sentences(text) if not depth.addresses_scorer(text[s:e])]
    out: list[tuple[int, int]] = list(spans)
    for s, e in spans:
        cuts = [m for m in _CLAUSE.finditer(text, s, e)]
        if cuts:
            bounds = [s] + [m.end() for m in cuts]
            ends = [m.start() for m in cuts] + [e]
            out += list(zip(bounds, ends, strict=True))
    out += [(a[0], b[1]) for a, b in zip(spans, spans[1:], strict=False)]
    seen: set[tuple[int, int]] = set()
    result = []
    for s, e in out:
        if (s, e) not in seen and len(text[s:e].split()) >= min_words:
            seen.add((s, e))
            result.append(Window(s, e, text[s:e]))
    return result


def negations(text: str) -> int:
    return sum(t.stem in NEGATORS for t in tokenize(text))


def polarity(window: str, wording: str) -> bool:
    """Whether `window` says what `wording` says rather than denying or reporting it: as many negations, by
    parity ("the column order matters" denies "the column order doesn't matter"), and not reported ("a
    common myth is that ...")."""
    stems = [t.stem for t in tokenize(window)]
    return negations(window) % 2 == negations(wording) % 2 and not any(reported(stems, i) for i in range(len(stems)))


_PARTS = re.compile(r"[,;:]\s+|\s(?:and|but|so|because|which|whereas|while)\s", re.IGNORECASE)


def asserts_part(window: str, wording: str, content: Callable[[str], set[str]]) -> bool:
    """`polarity()` against the parts of a compound wording the window is about: "A fixed-window counter is
    exact and has no burst problem" is asserted by "a plain per-minute counter is exact", whose parity
    differs from the whole claim's, but not by "a fixed-window counter is simple, but it has a burst problem",
    which denies the other part it speaks of. Every part sharing `content` words with the window must hold
    (the whole wording when no part shares any)."""
    mine = content(window)
    parts = [p for p in _PARTS.split(wording) if p.strip() and mine & content(p)] or [wording]
    return all(polarity(window, p) for p in parts)


@dataclass(frozen=True)
class Statement:
    """Something a window may say, in one or more wordings (the first is the canonical one)."""

    id: str
    wordings: tuple[str, ...]
    dimension: str = ""
    weight: float = 1.0


class StatementSet:
    """Statements with their wordings embedded once (at start-up for the catalog's)."""

    def __init__(self, statements: Sequence[Statement], embedder: Embedder):
        self.statements = list(statements)
        texts = [w for s in self.statements for w in s.wordings]
        self.owner = np.array([i for i, s in enumerate(self.statements) for _ in s.wordings], dtype=np.int64)
        self.vectors = embedder.embed(texts) if texts else np.zeros((0, embedder.dim), dtype=np.float32)
        self.texts = texts

    def __len__(self) -> int:
        return len(self.statements)

    def similarity(self, vecs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(windows x statements) best cosine over each statement's wordings, and which wording it was."""
        n = len(self.statements)
        if not len(vecs) or not n:
            return np.zeros((len(vecs), n), dtype=np.float32), np.zeros((len(vecs), n), dtype=np.int64)
        sims = vecs @ self.vectors.T
        best = np.full((len(vecs), n), -1.0, dtype=np.float32)
        which = np.zeros((len(vecs), n), dtype=np.int64)
        for col, owner in enumerate(self.owner):
            better = sims[:, col] > best[:, owner]
            best[better, owner] = sims[better, col]
            which[better, owner] = col
        return best, which
