"""A follow-up restates what the candidate said (anchor.echo_lead): the offline brain's lead, and the LLM
brain's fallback when the model's own lead is rejected."""

from __future__ import annotations

import pytest

from app.interviewer.anchor import echo_lead, said_back
from app.interviewer.speech import fragments, opener
from tests.interviewer.conftest import opened, say


@pytest.mark.parametrize(("phrase", "back"), [
    ("I'd use a lease from etcd", "you'd use a lease from etcd"),
    ("we keep our counters in Redis", "you keep your counters in Redis"),
    ("I am not sure we shard by user", "you are not sure you shard by user"),
    ("I was on call for my team", "you were on call for your team"),
    ("you pick consistency", "you pick consistency"),
])
def test_first_person_is_said_back_in_the_second(phrase, back):
    assert said_back(phrase) == back


@pytest.mark.parametrize(("answer", "seed", "lead"), [
    ("I'd use a lease from etcd with a fencing token that the storage checks.", 0,
     "So you'd use a lease from etcd with a fencing token that the storage checks."),
    ("I'd use a lease from etcd with a fencing token that the storage checks.", 1,
     "Okay, so you'd use a lease from etcd with a fencing token that the storage checks."),
    ("I'd put a limiter in the gateway, with counters in Redis keyed by API key.", 2,
     "Right, you'd put a limiter in the gateway."),
    ("For example at about 10,000 requests per second I'd put app servers behind a load balancer.", 3,
     "You'd put app servers behind a load balancer."),
    ("The trade-off is latency on each write, but correctness holds.", 0, "So the trade-off is latency on each write."),
    ("We sign webhooks with HMAC over the timestamp and body, and rotate secrets yearly.", 0,
     "So you sign webhooks with HMAC over the timestamp and body."),
    ("Redis.", 1, "Okay, so you'd use Redis."),
    ("Probably a cache.", 0, "So you'd use a cache."),
])
def test_the_lead_restates_a_complete_idea(answer, seed, lead):
    assert echo_lead(answer, "How would you elect a leader?", seed) == lead


@pytest.mark.parametrize("answer", [
    "During a partition you pick consistency or availability.",  # no clause of the candidate's own to say back
    "Seven characters of base62 gives 3.5 trillion keys, so we're fine.",  # never cut at a decimal point
    "Within each tier you can replicate hot keys across several nodes.",
    "It kind of depends on the situation really.",
    "No idea, honestly.",
])
def test_no_clean_restatement_no_echo(answer):
    lead = echo_lead(answer, "How would you elect a leader?", 0)
    assert lead is None or not fragments(lead), lead


def test_no_echo_is_a_fragment_or_opens_with_you_said():
    from app.interviewer.personas import THOROUGH
    for answers in THOROUGH.values():
        for seed, answer in enumerate(answers):
            lead = echo_lead(answer, "", seed)
            if lead is not None:
                assert not fragments(lead) and opener(lead) is None, lead


@pytest.mark.parametrize("answer", ["Yes.", "Something like that, yeah, it should be fine.", "I guess so."])
def test_nothing_specific_no_lead(answer):
    assert echo_lead(answer, "How would you elect a leader?", 0) is None


def test_what_the_question_or_an_earlier_turn_said_is_not_restated():
    answer = "We keep the counters in Redis with a one minute expiry."
    assert "Redis" in echo_lead(answer, "", 0)
    assert echo_lead(answer, "Where do the counters in Redis with a one minute expiry live?", 0) is None


async def test_an_offline_probe_starts_from_the_answer(catalog):
    rnd = catalog.get("database")
    iv, clock, _ = await opened(rnd)
    clock.advance(60)
    answer = ("I'd shard the counters across a Redis cluster by API key, so a check costs about 2 ms.")
    reply = await say(iv.respond(answer))
    assert iv.last_meta["move"] == "probe"
    assert "you'd shard the counters across a Redis cluster by API key." in reply, reply
    clock.advance(60)
    again = await say(iv.respond(answer))  # the same answer again: not echoed twice
    assert "Redis cluster by API key" not in again


def test_words_the_recogniser_was_unsure_of_are_never_said_back():
    """Spoken, tiny.en heard "We keep the counters in Redis" as "in-readies" (probability 0.34): the lead
    picks up what was heard clearly, or nothing."""
    heard = "We keep the counters in-readies with a 1-minute expiry."
    assert "readies" in (echo_lead(heard, "", 0) or "")
    assert echo_lead(heard, "", 0, unsure=["-readies,"]) is None  # no clause without it: no echo
    assert echo_lead("Redis.", "", 0, 1, unsure=["Redis."]) is None


def test_a_particle_stays_with_its_verb():
    assert echo_lead("If Redis goes down, we fail over to the replica in the other zone.", "", 0) == \
        "So you fail over to the replica in the other zone."


def test_what_follows_a_misheard_word_is_not_said_back_without_its_subject():
    lead = echo_lead("If Redis goes down, we just add more servers.", "", 0, 1, unsure=["Redis"])
    assert lead == "So you just add more servers."


def test_an_echo_of_a_clause_that_starts_with_it_is_not_capitalised_mid_sentence():
    answer = "It handled five times the traffic after one fix."
    leads = {echo_lead(answer, "How did it turn out?", seed) for seed in range(4)}
    assert "So it handled five times the traffic after one fix." in leads
    assert not any(" It " in lead for lead in leads), leads
