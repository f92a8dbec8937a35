"""Intent detection on speech transcripts, and the vague-answer test."""

from __future__ import annotations

import pytest

from app.interviewer.intents import (
    asks_question,
    detect_intent,
    is_clarifying_question,
    is_no_questions,
    is_vague,
)


@pytest.mark.parametrize("text,intent", [
    ("Could you repeat the question?", "repeat"),
    ("sorry can you say that again", "repeat"),
    ("I didn't catch that.", "repeat"),
    ("Pardon?", "repeat"),
    ("Repeat the question please.", "repeat"),
    ("could you rephrase that", "repeat"),
    ("what was the question again", "repeat"),
    ("Can I get a hint?", "hint"),
    ("I don't know. Can I get a hint?", "hint"),
    ("any pointers on where to start", "hint"),
    ("I don't know.", "dont_know"),
    ("Im not sure", "dont_know"),
    ("Honestly, no idea.", "dont_know"),
    ("I'm drawing a blank here", "dont_know"),
    ("Let me think.", "think"),
    ("give me a second", "think"),
    ("Hmm, one moment please.", "think"),
    ("thats all", "done"),
    ("Yeah, that's it.", "done"),
    ("I think that's it.", "done"),
    ("I'm done.", "done"),
    ("Can we end the interview now?", "end"),
    ("I'd like to stop here", "end"),
])
def test_intents_from_transcripts(text, intent):
    assert detect_intent(text) == intent


@pytest.mark.parametrize("text", [
    "I would shard by user id and put a cache in front of the database.",
    "Let me see, I would use a queue with retries and an idempotency key, and a dead letter queue for "
    "poison messages that keep failing after five attempts.",
    "I'm not sure the cache helps here because the working set is far larger than memory, so I would "
    "rather add read replicas.",
    "we pass the request id through every hop",
    "We repeat the request until it succeeds.",
    "A cache would help me cut the latency.",
    "then we retry one more time",
    "Use hinted handoff while the replica is down.",
    "",
])
def test_answers_are_not_intents(text):
    assert detect_intent(text) is None


@pytest.mark.parametrize("text,expected", [
    ("No, I'm good, thanks.", True), ("nope", True), ("No questions from me.", True),
    ("I don't have any questions.", True), ("What does a typical day look like?", False),
    ("how do you measure success on the team", False), ("Yes, what's the on-call like?", False),
])
def test_no_questions(text, expected):
    assert is_no_questions(text) is expected


def test_asks_question_without_question_mark():
    assert asks_question("what is the team working on right now")
    assert not asks_question("we would use a queue")


@pytest.mark.parametrize("text,vague", [
    ("I'd use a cache.", True),
    ("I guess we would make it scale by adding some more servers and things like that over time", True),
    ("We would shard the table by user id so each shard holds fifty million rows and fits on one box", False),
    ("For example in my last team we moved the batch job to a queue and the on-call load went down", False),
    ("A write-through cache keeps it fresh, but the downside is every write pays the extra hop", False),
])
def test_vague_answers(text, vague):
    assert is_vague(text) is vague


@pytest.mark.parametrize("text,expected", [
    ("Can I assume reads outnumber writes ten to one?", True),
    ("do we need to support custom aliases", True),
    ("Is the input sorted?", True),
    ("So what I would do is put a cache in front of the database.", False),
    ("I would shard by user id.", False),
])
def test_clarifying_questions(text, expected):
    assert is_clarifying_question(text) is expected
