"""The offline scorer on the adversarial fixtures (issue 10): it judges the claim, not the vocabulary.

Kinds (tests/scoring/transcripts/<round>_<kind>.txt): strong, medium, weak, wrong (fluent, right terms,
false claims), plain (strong in everyday words), garbled (strong, non-native grammar, misheard terms),
short (a concise senior), stuffed (lists of terms), negated (names techniques only to reject them).
`bench/score_fixtures.py` prints the same table.
"""

from __future__ import annotations

import pytest

from app.hearing.signals import SignalMatcher
from app.scoring.rubric import OfflineScorer
from tests.scoring.conftest import ROUNDS, candidate_text, load_transcript

KINDS = ["strong", "medium", "weak", "wrong", "plain", "garbled", "short", "stuffed", "negated"]
STRONG_LIKE = ["strong", "plain", "garbled", "short"]
CLOSE_TO_STRONG = 0.5  # plain, garbled and short: above medium and within this of strong, in every round

scorer = OfflineScorer()
_cache: dict[tuple[str, str], object] = {}


def scored(catalog, round_id, kind, level="senior"):
    key = (round_id, kind, level)
    if key not in _cache:
        _cache[key] = scorer.score(catalog.get(round_id), level, load_transcript(round_id, kind))
    return _cache[key]


@pytest.mark.parametrize("round_id", ROUNDS)
def test_ranking(catalog, round_id):
    o = {k: scored(catalog, round_id, k).overall for k in KINDS}
    assert o["wrong"] < o["medium"], o
    for kind in ("plain", "garbled", "short"):
        assert o[kind] > o["medium"], (kind, o)
        assert o[kind] >= o["strong"] - CLOSE_TO_STRONG, (kind, o)
    assert o["stuffed"] <= o["medium"], o
    assert o["negated"] < o["medium"], o
    assert o["weak"] < o["medium"] < o["strong"], o


@pytest.mark.parametrize("round_id", ROUNDS)
def test_wrong_answers_show_their_misconceptions_and_only_they(catalog, round_id):
    wrong = scored(catalog, round_id, "wrong")
    assert len(wrong.misconceptions) >= 8, [m.id for m in wrong.misconceptions]
    for kind in STRONG_LIKE + ["medium", "stuffed", "weak"]:
        assert scored(catalog, round_id, kind).misconceptions == [], kind
    by_key = {d.key: d for d in wrong.dimensions}
    for hit in wrong.misconceptions:
        d = by_key[hit.dimension]
        assert d.score <= hit.cap and "misconception" in d.flags
        assert hit.quote in candidate_text(load_transcript(round_id, "wrong"), hit.seq)
        assert all(hit.quote not in ev.quote and ev.quote not in hit.quote for ev in d.evidence if ev.seq == hit.seq)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("round_id", ROUNDS)
def test_quotes_are_verbatim_and_no_evidence_is_a_negation(catalog, round_id, kind):
    turns = load_transcript(round_id, kind)
    doc = scored(catalog, round_id, kind)
    matcher = SignalMatcher(catalog.get(round_id))
    star = {"structure"} if round_id == "behavioral" else set()
    for d in doc.dimensions:
        for ev in d.evidence:
            assert ev.quote in candidate_text(turns, ev.seq)
            if d.key in star:
                continue
            hits = [h for h in matcher.find_all(ev.quote) if h.dimension == d.key]
            assert any(not h.negated for h in hits), (d.key, ev.quote)
    if kind == "negated":
        assert sum(len(d.evidence) for d in doc.dimensions) <= 2, [(d.key, d.evidence) for d in doc.dimensions]


@pytest.mark.parametrize("kind", KINDS)
def test_same_transcript_same_score(catalog, kind):
    for round_id in ROUNDS:
        again = scorer.score(catalog.get(round_id), "senior", load_transcript(round_id, kind))
        assert again.model_dump() == scored(catalog, round_id, kind).model_dump()


@pytest.mark.parametrize("round_id", ROUNDS)
def test_stuffed_lists_earn_no_evidence(catalog, round_id):
    doc = scored(catalog, round_id, "stuffed")
    assert all(d.score <= 2 for d in doc.dimensions), [(d.key, d.score) for d in doc.dimensions]
    assert any("list-like" in d.flags for d in doc.dimensions)


def test_full_ranking_holds_in_every_round(catalog):
    """The Done-when of issue 10 as one table: every check in all six rounds (bench/score_fixtures.py)."""
    from bench.score_fixtures import ranking_checks

    table = {(r, k): scored(catalog, r, k).overall for r in ROUNDS for k in KINDS}
    assert ranking_checks(table) == dict.fromkeys(ranking_checks(table), len(ROUNDS))


_CLAUSE_MARKS = tuple(",;:-–—")  # a tuple: "" is in every string


def _before(text: str, i: int) -> str:
    """The character before position i, skipping spaces and closing quotes ("" at the start)."""
    rest = text[:i].rstrip().rstrip("\"')]")
    return rest[-1:]


def _after(text: str, i: int) -> str:
    return text[i:].lstrip()[:1]


def assert_clause_bounded(text: str, q) -> None:
    at = text.find(q.quote)
    assert at >= 0, q.quote  # verbatim: an ellipsis is a flag beside the quote, never inside it
    end = at + len(q.quote)
    assert len(q.quote.split()) <= 40, q.quote
    # starts at the turn's start, after a sentence end, or after a clause mark (never mid-phrase)
    assert _before(text, at) in ("", ".", "!", "?", *_CLAUSE_MARKS), (text[max(0, at - 20):at], q.quote)
    assert q.cut_before == (_before(text, at) in _CLAUSE_MARKS), q
    # ends at a sentence end, the turn's end, or just before a clause mark
    ends_sentence = q.quote.rstrip("\"')]")[-1:] in ".!?" or _after(text, end) == "" or "\n" in text[end:end + 2]
    assert ends_sentence or text[end:end + 1] in _CLAUSE_MARKS or _after(text, end) in _CLAUSE_MARKS, \
        (q.quote, text[end:end + 20])
    assert q.cut_after == (not ends_sentence), q


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("round_id", ROUNDS)
def test_quotes_start_and_end_at_sentence_or_clause_boundaries(catalog, round_id, kind):
    turns = load_transcript(round_id, kind)
    doc = scored(catalog, round_id, kind)
    quotes = [ev for d in doc.dimensions for ev in d.evidence] + list(doc.misconceptions)
    for q in quotes:
        assert_clause_bounded(candidate_text(turns, q.seq), q)


def test_a_long_sentence_is_quoted_in_whole_clauses_around_the_hit():
    from app.hearing import depth

    text = ("We looked at the numbers first, and since most traffic is reads of recent items from a small set of "
            "very active users who refresh their feeds all day long, I'd put a write-through cache in front of the "
            "database with a short expiry, because a stale feed for a few seconds is fine, while the follower "
            "counts are recomputed in a nightly batch job that nobody waits for.")
    a = text.index("write-through cache")
    lo, hi, cut_before, cut_after = depth.clause_window(text, 0, len(text), a, a + len("write-through cache"))
    quote = text[lo:hi]
    assert "write-through cache" in quote and len(quote.split()) <= depth.QUOTE_MAX_WORDS
    # 69 words: the clause of the hit and the clauses after it, from just after a comma to the full stop
    assert quote.startswith("I'd put a write-through cache") and text[lo - 2] == "," and hi == len(text), quote
    assert cut_before and not cut_after
    b = text.index("numbers")
    lo, hi, cut_before, cut_after = depth.clause_window(text, 0, len(text), b, b + 7)
    assert lo == 0 and text[hi] == "," and not cut_before and cut_after, text[lo:hi]
    assert depth.clause_window("Short and sweet.", 0, 16, 0, 5) == (0, 16, False, False)
