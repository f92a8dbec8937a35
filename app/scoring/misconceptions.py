"""Wrong claims in a transcript, and the caps they put on scores.

The hearing layer (app.hearing.claims, app.hearing.meaning) decides which myths a candidate sentence
asserts; `find()` turns them into scorecard hits with verbatim quotes and times. `apply_caps()` lowers
the claim's own dimension, and no other, to 2 (to 1 when two or more different claims hit that
dimension), drops any evidence quoting the offending sentence, and says so in the rationale. Both
scorers use them: the offline scorer directly, the LLM scorer after the model has answered (the caps are
the same whoever scored).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from app.catalog import Round
from app.hearing import depth
from app.hearing.claims import Claim, sentence_claims
from app.scoring.scorecard import DimensionScore, MisconceptionHit
from app.scoring.transcript import TranscriptTurn, span_times

# claims heard in one candidate turn beyond the lexical forms (the meaning pass), given the ids already seen
ExtraClaims = Callable[[TranscriptTurn, set[str]], Iterable[Claim]]


def find(turns: list[TranscriptTurn], rnd: Round, extra: ExtraClaims | None = None) -> list[MisconceptionHit]:
    """Every misconception of the round claimed in a candidate sentence, in transcript order; one hit per
    misconception (its first claim). `extra` adds the claims another pass heard (by meaning)."""
    if not rnd.rubric.misconceptions:
        return []
    hits: list[MisconceptionHit] = []
    seen: set[str] = set()
    for turn in turns:
        if not turn.is_candidate:
            continue
        claims = list(sentence_claims(turn.text, rnd, seen))
        if extra is not None:
            claims += list(extra(turn, seen))
        for c in sorted(claims, key=lambda c: c.span_start):
            a, b, cut_before, cut_after = depth.clause_window(turn.text, c.start, c.end, c.span_start, c.span_end)
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
