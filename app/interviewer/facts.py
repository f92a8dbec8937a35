"""Clarifying questions answered from the round's facts (prompts/rounds/*.yaml, `facts`).

    best = match(text, rnd.facts_for(question))        # [(fact, score)], best first, at most two

A fact matches when one of its `asks` appears in the question: a phrase counts when all its content
words are there (in any order, crude stems, so "how many users" matches "how many people are users"
only if the words are there), weighted by its length; single keywords count 1. The question is split
into its parts ("How many users, and is it read heavy?") so two facts can answer one turn.
"""

from __future__ import annotations

import re

from app.catalog import Fact
from app.interviewer.words import content_words, stems

MIN_SCORE = 0.5
CONFUSED_MIN_SCORE = 2.0  # "do you mean my team or another team?": a phrase match, not one shared word
WEAK = {"many", "much", "big", "large", "how", "lot"}  # "how many?" alone points at the headline (scale) fact
MAX_FACTS_PER_TURN = 2
_SPLIT = re.compile(r"\?|;|\b(?:and also|also|and|or what|plus)\b(?=\s+(?:is|are|do|does|what|how|should|can|"
                    r"will|would|any|where|which|who|when))", re.IGNORECASE)


def _ask_score(ask: str, words: set[str]) -> float:
    need = set(content_words(ask))
    if not need or not need <= words:
        return 0.0
    return sum(0.6 if w in WEAK else 1.0 for w in need)


def score(fact: Fact, words: set[str]) -> float:
    """How well a fact's `asks` are met by these stems (0 = not at all)."""
    hits = sorted((_ask_score(a, words) for a in fact.asks), reverse=True)
    return hits[0] + 0.25 * sum(h > 0 for h in hits[1:]) if hits and hits[0] else 0.0


def _best(words: set[str], facts: list[Fact]) -> tuple[Fact, float] | None:
    scored = [(f, score(f, words)) for f in facts]
    scored = [x for x in scored if x[1] >= MIN_SCORE]
    if not scored:
        return None
    return max(scored, key=lambda x: x[1])  # max keeps the first of equals: data order breaks ties


def match(text: str, facts: list[Fact]) -> list[tuple[Fact, float]]:
    """The facts a clarifying question asks about, best first (at most MAX_FACTS_PER_TURN)."""
    parts = [p for p in _SPLIT.split(text) if p and p.strip()]
    found: list[tuple[Fact, float]] = []
    for part in parts if len(parts) > 1 else [text]:
        best = _best(stems(part), facts)
        if best and all(best[0].id != f.id for f, _ in found):
            found.append(best)
    if not found and len(parts) > 1:
        best = _best(stems(text), facts)
        found = [best] if best else []
    found.sort(key=lambda x: -x[1])
    return found[:MAX_FACTS_PER_TURN]
