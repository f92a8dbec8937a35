"""What the last sentence says about the floor (app/voice/handover.py, app/interviewer/intents.py)."""

from __future__ import annotations

import pytest

from app.interviewer.intents import announces_pause, last_sentence
from app.voice.handover import hands_over


@pytest.mark.parametrize("text", [
    "That's it.", "That's all I've got.", "I think that's about it.", "Done.", "I'm done.",
    "So that's my overall design.", "I think that covers the main points.", "That's my answer for the rate limiter.",
    "I'll stop there.",
    "Does that make sense?", "Does that answer your question?", "What do you think?",
    "Should I go ahead and code it up?", "Can I assume the input fits in memory?", "Or should I just pick one?",
    "Just to clarify, are we assuming a single region?", "Is there a particular part you'd like me to dig into.",
    "We can dive into whichever component you're most interested in.", "Do you want me to write the query?",
    "Reads go to the replicas. Writes go to the primary. That's it.",
])
def test_closings_and_questions_to_the_interviewer_hand_the_floor_over(text):
    assert hands_over(text)


@pytest.mark.parametrize("text", [
    "That's it for the write path.", "That covers the happy path.",  # one part closed: the next may follow
    "That's my design for the rate limiter, F-", "So that's about it...",  # a word cut off, trailing off
    "What happens if the leader dies?",  # rhetorical: the candidate answers it
    "How do you handle failover?",  # a generic "you"
    "Why does that matter?",
    "We shard by user id.",
    "Done, I think the latency budget is around two hundred milliseconds at the ninety ninth percentile.",
    "Does that make sense for the hot keys? Because the celebrity accounts get most of the traffic, we'd "
    "replicate their rows to every shard and read them from the nearest one.",  # the last sentence is an answer
    "",
])
def test_answers_and_rhetorical_questions_do_not(text):
    assert not hands_over(text)


@pytest.mark.parametrize(("text", "announced"), [
    ("Let me think.", True), ("Okay, let me think about the edge cases.", True), ("Hold on.", True),
    ("Give me a second to think about it.", True), ("Let me see.", True),
    ("Let me see, I would shard by user.", False),  # the thought followed in the same sentence
    ("Let me think about how to shard it, we could use the user id.", False),
    ("I need to think about the write path more carefully before I commit to a partitioning scheme here.", False),
    ("We thought about it for a long time.", False),
])
def test_an_announced_pause(text, announced):
    assert announces_pause(text) is announced


def test_the_last_sentence():
    assert last_sentence("We use Redis. Does that make sense?") == "Does that make sense?"
    assert last_sentence("  no punctuation at all ") == "no punctuation at all"
