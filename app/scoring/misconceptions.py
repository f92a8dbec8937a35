"""Common wrong claims, heard in what the candidate said, and the caps they put on scores.

Each rubric carries `misconceptions` (app.catalog.Misconception): a claim such as "TCP gives us
exactly-once delivery", the spoken `forms` it takes (matcher patterns with "..." gaps), the dimension it
caps and a one-sentence correction. `find()` looks for them sentence by sentence in the candidate's
turns, `stated()` in one answer (for the interviewer's challenge); a form mentioned to deny it ("TCP
does *not* give exactly-once", "a common myth is that ...") is no claim. `apply_caps()` lowers the
claim's own dimension, and no other, to 2 (to 1 when two or more different claims hit that dimension),
drops any evidence quoting the offending sentence, and says so in the rationale. Both scorers use them:
the offline scorer directly, the LLM scorer after the model has answered (the caps are the same whoever
scored).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.catalog import Misconception, Round
from app.rubric_signals import Pattern, clause_breaks, compile_phrase, is_negated, match_at, stem, tokenize
from app.scoring import depth
from app.scoring.scorecard import DimensionScore, MisconceptionHit
from app.scoring.transcript import TranscriptTurn, span_times

# words that report a claim in order to reject it: "a common myth is that TCP gives exactly once"
_REPORTED = {stem(w) for w in ("myth", "misconception", "mistake", "wrong", "false", "incorrect", "fallacy")}
_REPORTED_PAIRS = {(stem(a), stem(b)) for a, b in (("people", "think"), ("people", "say"), ("people", "believe"),
                                                   ("some", "say"), ("many", "think"), ("often", "hear"))}
_REPORTED_WINDOW = 6
GAP_MAX = 8  # words a gap in a misconception form may span


@dataclass(frozen=True)
class _Compiled:
    item: Misconception
    patterns: tuple[Pattern, ...]


_CACHE: dict[int, tuple[Misconception, ...] | tuple[_Compiled, ...]] = {}


def _compiled(rnd: Round) -> tuple[_Compiled, ...]:
    key = id(rnd.rubric.misconceptions)
    cached = _CACHE.get(key)
    if cached is None or (cached and cached[0].item is not rnd.rubric.misconceptions[0]):
        cached = tuple(_Compiled(m, tuple(compile_phrase(f) for f in m.forms)) for m in rnd.rubric.misconceptions)
        _CACHE[key] = cached
    return cached


def _reported(stems: list[str], i: int) -> bool:
    """"a common myth is that ...", "people think ...": the claim is reported, not made."""
    before = stems[max(0, i - _REPORTED_WINDOW):i]
    pairs = zip(before, before[1:], strict=False)
    return any(s in _REPORTED for s in before) or any(p in _REPORTED_PAIRS for p in pairs)


def _claims(text: str, patterns: tuple[Pattern, ...]) -> tuple[int, int] | None:
    """The span of the first form asserted (not denied) in `text`."""
    tokens = tokenize(text)
    stems = [t.stem for t in tokens]
    breaks = clause_breaks(text, tokens)
    open_ = [False] * len(stems)  # a claim's gaps may cross commas ("..., so that's 40,000 writes a second")
    for pattern in patterns:
        own = sum(p in _NEGATORS for p in pattern)
        for i, first in enumerate(stems):
            if first != pattern[0] or (j := match_at(pattern, stems, open_, i, GAP_MAX)) is None:
                continue
            denied = (is_negated(tokens, breaks, i, j)
                      or sum(s in _NEGATORS for s in stems[i:j]) > own  # "TCP does not give exactly once"
                      or _reported(stems, i))
            if not denied:
                return tokens[i].start, tokens[j - 1].end
    return None


_NEGATORS = {stem(w) for w in ("not", "never", "no", "don't", "doesn't", "didn't", "isn't", "aren't", "won't",
                               "wouldn't", "can't", "cannot", "without")}


def _sentence_claims(text: str, compiled: tuple[_Compiled, ...],
                     seen: set[str]) -> Iterator[tuple[int, int, _Compiled, tuple[int, int]]]:
    """(sentence start, end, misconception, span in the sentence) for each misconception first claimed in
    a sentence of `text` (sentences that address the scorer are no answer); adds the ids to `seen`."""
    for s, e in depth.sentences(text):
        sentence = text[s:e]
        if depth.addresses_scorer(sentence):
            continue
        for c in compiled:
            if c.item.id in seen or (span := _claims(sentence, c.patterns)) is None:
                continue
            seen.add(c.item.id)
            yield s, e, c, span


def stated(text: str, rnd: Round) -> list[Misconception]:
    """The round's misconceptions claimed in one piece of candidate text (one answer), in the order they
    are said, each once: the same matching as find() (a form denied or reported is no claim). The
    interviewer uses it to challenge a wrong claim as it is made."""
    found = [(s + span[0], c.item) for s, _, c, span in _sentence_claims(text, _compiled(rnd), set())]
    return [item for _, item in sorted(found, key=lambda f: f[0])]


def find(turns: list[TranscriptTurn], rnd: Round) -> list[MisconceptionHit]:
    """Every misconception of the round claimed in a candidate sentence, in transcript order; one hit per
    misconception (its first claim)."""
    compiled = _compiled(rnd)
    if not compiled:
        return []
    hits: list[MisconceptionHit] = []
    seen: set[str] = set()
    for turn in turns:
        if not turn.is_candidate:
            continue
        for s, e, c, span in _sentence_claims(turn.text, compiled, seen):
            a, b, cut_before, cut_after = depth.clause_window(turn.text, s, e, s + span[0], s + span[1])
            start_ms, end_ms = span_times(turn, a, b)
            hits.append(MisconceptionHit(
                id=c.item.id, dimension=c.item.dimension, quote=turn.text[a:b], seq=turn.seq,
                start_ms=start_ms, end_ms=end_ms, correction=c.item.correction, cap=c.item.cap,
                cut_before=cut_before, cut_after=cut_after))
    return hits


def _overlaps(quote: str, seq: int, hit: MisconceptionHit) -> bool:
    return seq == hit.seq and (quote in hit.quote or hit.quote in quote)


def dimension_cap(hits: list[MisconceptionHit]) -> int:
    """The cap the wrong claims about one dimension put on it: 2 for one claim (issue 10: "caps that
    dimension (at most 2)"), 1 for two or more different ones - like hints, where one caps at 3 and two
    at 2: a candidate who gets the dimension wrong twice does not hold it, whatever else they said."""
    distinct = {h.id for h in hits}
    return max(1, min(h.cap for h in hits) - (1 if len(distinct) >= REPEATED else 0))


REPEATED = 2  # different wrong claims on one dimension that lower its cap by one more


def apply_caps(dimensions: list[DimensionScore], hits: list[MisconceptionHit],
               rnd: Round | None = None) -> list[DimensionScore]:
    """The dimensions with the misconceptions' caps applied, each on its own dimension only: score at
    most dimension_cap(), no evidence quoting the offending sentence, the correction named in the
    rationale. Dimensions without a wrong claim are returned as they are. With `rnd`, the anchor follows
    the new score."""
    out = []
    for d in dimensions:
        mine = [h for h in hits if h.dimension == d.key]
        if not mine:
            out.append(d)
            continue
        cap = dimension_cap(mine)
        score = min(d.score, cap)
        evidence = [ev for ev in d.evidence if not any(_overlaps(ev.quote, ev.seq, h) for h in mine)]
        said = "; ".join(f"\"{h.quote}\" (turn {h.seq}) - {h.correction}" for h in mine)
        rationale = (d.rationale + f" A wrong claim caps this dimension at {cap}: {said}").strip()
        update = {"score": score, "evidence": evidence, "rationale": rationale, "assessed": True,
                  "flags": list(dict.fromkeys([*d.flags, "misconception"]))}
        if rnd is not None:
            update["anchor"] = rnd.dimension(d.key).anchors[score]
        out.append(d.model_copy(update=update))
    return out
