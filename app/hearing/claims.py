"""Common wrong claims (a rubric's `misconceptions`), heard in what the candidate said: the lexical pass.

Each rubric carries `misconceptions` (app.catalog.Misconception): a claim such as "TCP gives us
exactly-once delivery", the spoken `forms` it takes (matcher patterns with "..." gaps), the dimension it
caps, a one-sentence correction and the truth. `sentence_claims()` looks for the forms sentence by sentence;
a form mentioned to deny it ("TCP does *not* give exactly-once", "a common myth is that ...") is no claim.
The meaning pass (app.hearing.meaning) finds the same myths said in other words; both passes leave the
decision "asserted or rejected" to app.hearing.negation. The scorer turns claims into caps
(app.scoring.misconceptions), the interviewer into a challenge.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.catalog import Misconception, Round
from app.hearing import depth
from app.hearing.negation import NEGATORS, is_negated, reported
from app.hearing.words import Pattern, Token, clause_breaks, compile_phrase, match_at, tokenize

GAP_MAX = 8  # words a gap in a misconception form may span


@dataclass(frozen=True)
class _Compiled:
    item: Misconception
    patterns: tuple[Pattern, ...]


@dataclass(frozen=True)
class Claim:
    """A myth claimed in one sentence of a text: the sentence's span, the claimed words' span (both in the
    text), and which pass heard it ("lexical" or "meaning")."""

    item: Misconception
    start: int  # the sentence
    end: int
    span_start: int  # the words that make the claim
    span_end: int
    by: str = "lexical"
    similarity: float = 1.0  # by meaning: the window's cosine to the claim


_CACHE: dict[int, tuple[_Compiled, ...]] = {}


def _compiled(rnd: Round) -> tuple[_Compiled, ...]:
    key = id(rnd.rubric.misconceptions)
    cached = _CACHE.get(key)
    if cached is None or (cached and cached[0].item is not rnd.rubric.misconceptions[0]):
        cached = tuple(_Compiled(m, tuple(compile_phrase(f) for f in m.forms)) for m in rnd.rubric.misconceptions)
        _CACHE[key] = cached
    return cached


@dataclass(frozen=True)
class _Sentence:
    """A sentence read once for every misconception's forms (tokenizing it per form was ~80 % of the offline
    interviewer's reply, on the event loop)."""

    tokens: list[Token]
    stems: list[str]
    breaks: list[bool]

    @classmethod
    def read(cls, text: str) -> _Sentence:
        tokens = tokenize(text)
        return cls(tokens, [t.stem for t in tokens], clause_breaks(text, tokens))


def _claims(sentence: _Sentence, patterns: tuple[Pattern, ...]) -> tuple[int, int] | None:
    """The span of the first form asserted (not denied) in the sentence."""
    tokens, stems, breaks = sentence.tokens, sentence.stems, sentence.breaks
    open_ = [False] * len(stems)  # a claim's gaps may cross commas ("..., so that's 40,000 writes a second")
    for pattern in patterns:
        own = sum(p in NEGATORS for p in pattern)
        for i, first in enumerate(stems):
            if first != pattern[0] or (j := match_at(pattern, stems, open_, i, GAP_MAX)) is None:
                continue
            denied = (is_negated(tokens, breaks, i, j)
                      or sum(s in NEGATORS for s in stems[i:j]) > own  # "TCP does not give exactly once"
                      or reported(stems, i))
            if not denied:
                return tokens[i].start, tokens[j - 1].end
    return None


def sentence_claims(text: str, rnd: Round, seen: set[str] | None = None) -> Iterator[Claim]:
    """Each misconception of the round first claimed (by its forms) in a sentence of `text`, in sentence
    order (sentences that address the scorer are no answer); ids in `seen` are skipped and the ones found
    are added to it."""
    seen = set() if seen is None else seen
    compiled = _compiled(rnd)
    for s, e in depth.sentences(text):
        sentence = text[s:e]
        if depth.addresses_scorer(sentence):
            continue
        read = _Sentence.read(sentence)
        for c in compiled:
            if c.item.id in seen or (span := _claims(read, c.patterns)) is None:
                continue
            seen.add(c.item.id)
            yield Claim(c.item, s, e, s + span[0], s + span[1])


def stated(text: str, rnd: Round) -> list[Misconception]:
    """The round's misconceptions claimed by their forms in one piece of candidate text (one answer), in
    the order they are said, each once (a form denied or reported is no claim)."""
    return [c.item for c in sorted(sentence_claims(text, rnd), key=lambda c: c.span_start)]
