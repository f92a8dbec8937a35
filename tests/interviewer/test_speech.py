"""The speech checker (app/interviewer/speech.py): lines a person would not say are flagged."""

from __future__ import annotations

import pytest

from app.interviewer.speech import fragments, opener, split_sentences


@pytest.mark.parametrize("line", [  # issue 19's echoes, cut from the candidate's words
    "You said seven characters of base62 gives 3.",
    "You said your ledger from PostgreSQL to a document store to speed.",
    "You said within your tier you can replicate hot keys across several.",
    "So you keep the counters in.",
    "Okay, so the leader writes to the.",
    "So you'd put a cache in front because.",
])
def test_cut_clauses_are_fragments(line):
    assert fragments(line) == split_sentences(line)


@pytest.mark.parametrize("line", [
    "So you'd keep the counters in Redis. What happens when Redis goes down?",
    "Okay. Let's turn to capacity estimation. How many writes per second is that?",
    "What do clients see, and what do they do?",  # a question may end on an auxiliary
    "What's it for?",
    "Over to you.",
    "Got it.",
    "Can you put some rough numbers on that?",
    "The wallet database slows down and the consumer falls hours behind.",
    "Tell me what guarantees you rely on.",
    "Seven characters of base62 give about 3.5 trillion keys.",  # a decimal point is not a sentence end
])
def test_whole_sentences_pass(line):
    assert fragments(line) == []


def test_stock_openers_are_recognised():
    assert opener("You said you'd shard by user.") == "you said"
    assert opener("You mentioned a lease.") == "you mentioned"
    assert opener("So you'd shard by user.") is None
