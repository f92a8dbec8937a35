"""The guardrails on the LLM interviewer's words, and the circuit breaker, as plain units."""

from __future__ import annotations

import pytest

from app.interviewer.breaker import CircuitBreaker
from app.interviewer.llm_guard import ReplyGuard, clean
from tests.interviewer.conftest import FakeClock

EARLIER = ["Hi, I'm your interviewer. Design a rate limiter for our API gateway.",
           "Okay. Where do the counters live, and how do you keep the check fast?"]

GOOD = [
    "You mentioned Redis for the counters.",
    "What happens to those counters when a Redis node dies?",
    "You said a token bucket per customer, so how do you refill it across fifty gateways?",
    "I'd like you to walk me through the failure case.",
    "Let's stay with the sliding window you described.",
    "Okay, go on.",
    "Okay.",  # a set phrase may come again
]
BAD = {
    "leak": "The rubric wants estimation here.",
    "markdown": "Consider these:\n- fixed window\n- token bucket",
    "refusal": "I'm sorry, but I cannot answer this question.",
    "as_candidate": "Thank you for the opportunity.",
    "praise": "That's a great approach.",
    "repeat": "Where do the counters live and how do you keep the check fast?",
    "too_long": "So " + "the counters and the buckets " * 14 + "work.",
}


@pytest.mark.parametrize("sentence", GOOD)
def test_an_interviewers_sentence_passes(sentence):
    assert ReplyGuard(EARLIER).check(sentence) is None


@pytest.mark.parametrize("reason", list(BAD))
def test_each_guardrail_names_what_it_caught(reason):
    assert ReplyGuard(EARLIER).check(BAD[reason]) == reason


@pytest.mark.parametrize("sentence", [
    "Good question!", "Excellent, that works.", "Exactly right.", "I like that idea.", "Nice job."])
def test_praise_in_its_forms(sentence):
    assert ReplyGuard([]).check(sentence) == "praise"


@pytest.mark.parametrize("sentence", [
    "I'm excited to work on this project together.", "I would use a token bucket here.",
    "Let me walk you through my design.", "My approach would be to shard by user.", "Candidate: okay"])
def test_speaking_as_the_candidate(sentence):
    assert ReplyGuard([]).check(sentence) in ("as_candidate", "markdown")


def test_one_question_and_a_word_budget_across_sentences():
    guard = ReplyGuard([], max_words=12)
    first = "So the cache sits in front."
    assert guard.check(first) is None
    guard.accept(first)
    assert guard.check("Which key do you use?") is None
    guard.accept("Which key do you use?")
    assert guard.check("And the TTL?") == "second_question"
    assert ReplyGuard([], max_words=12).check("word " * 13) == "too_long"


def test_a_clarification_uses_only_the_numbers_it_was_given():
    guard = ReplyGuard([], facts=["Assume 10,000 requests per second at peak and 50 gateways."])
    assert guard.check("Plan for about 10000 requests per second at peak, across 50 gateways.") is None
    assert guard.check("Assume 20,000 requests per second.") == "invented_number"


def test_a_lead_quotes_the_answers_numbers_as_they_were_said():
    answer = "A few percent over is fine; nobody is hurt if a customer gets 1,020 requests in a minute."
    guard = ReplyGuard([], echo_of=answer)
    assert guard.check("So for you, nobody is hurt if a customer gets 1 request per minute.") == "misquoted_number"
    assert guard.check("So you'd accept 1,020 requests in a minute.") is None
    assert guard.check("So you'd accept a few percent over the limit.") is None


def test_clean_drops_emphasis_and_labels():
    assert clean("Interviewer: **What** is the `key`?") == "What is the key?"


def test_breaker_cycle():
    now = FakeClock()
    breaker = CircuitBreaker(failures=2, cooldown_s=10, clock=now)
    assert breaker.allow() and breaker.state == "closed"
    breaker.failure("TimeoutError")
    assert breaker.state == "closed" and breaker.allow()
    breaker.failure("TimeoutError")
    assert breaker.state == "open" and not breaker.allow()
    assert breaker.status()["retry_in_s"] == 10 and breaker.status()["refused"] == 1
    now.advance(10)
    assert breaker.state == "half-open"
    assert breaker.allow() and not breaker.allow()  # one probe at a time
    breaker.success(420.4)
    status = breaker.status()
    assert status["state"] == "closed" and status["consecutive_failures"] == 0 and status["last_latency_ms"] == 420


def test_a_lost_probe_is_replaced_after_a_cool_down():
    now = FakeClock()
    breaker = CircuitBreaker(failures=1, cooldown_s=10, clock=now)
    breaker.failure("APIConnectionError")
    now.advance(10)
    assert breaker.allow()  # this probe never reports back (the candidate barged in)
    assert not breaker.allow()
    now.advance(10)
    assert breaker.allow()


def test_a_lead_never_opens_with_you_said_and_no_sentence_is_a_cut_clause():
    lead = ReplyGuard([], echo_of="we would keep the counters in redis")
    assert lead.check("You said you'd keep the counters in Redis.") == "stock_opener"
    assert lead.check("So you'd keep the counters in Redis.") is None
    assert ReplyGuard([]).check("So you'd keep the counters in the.") == "fragment"
    assert ReplyGuard([]).check("You mentioned the counters.") is None  # not a lead: a whole turn may say it


def test_a_lead_that_says_back_a_part_near_a_myth_is_rejected():
    answer = ("We keep a counter per API key in Redis. A plain per-minute counter is exact: nobody can ever sneak "
              "more than the limit through.")
    guard = ReplyGuard(EARLIER, echo_of=answer, near=["A plain per-minute counter is exact"])
    assert guard.check("So for you a plain per-minute counter is exact.") == "near_myth"
    assert guard.check("So you'd keep a counter per API key in Redis.") is None
    guard.accept("So you'd keep a counter per API key in Redis.")  # a whole turn's later sentence neither
    assert guard.check("And a plain per-minute counter is exact, you said.") == "near_myth"
