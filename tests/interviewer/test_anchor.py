"""A follow-up restates what the candidate said (anchor.echo_lead): the offline brain's lead, and the LLM
brain's fallback when the model's own lead is rejected."""

from __future__ import annotations

import pytest

from app.interviewer.anchor import echo_lead, said_back
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
     "So you'd use a lease from etcd with a fencing token."),
    ("I'd use a lease from etcd with a fencing token that the storage checks.", 1,
     "Okay, so you'd use a lease from etcd with a fencing token."),
    ("I'd put a limiter in the gateway, with counters in Redis keyed by API key.", 0,
     "You mentioned counters in Redis keyed by API key."),
    ("During a partition you pick consistency or availability.", 0,
     "You said during a partition you pick consistency or availability."),
])
def test_the_lead_restates_the_most_specific_clause(answer, seed, lead):
    assert echo_lead(answer, "How would you elect a leader?", seed) == lead


@pytest.mark.parametrize("answer", ["Yes.", "Something like that, yeah, it should be fine.", "I guess so."])
def test_nothing_specific_no_lead(answer):
    assert echo_lead(answer, "How would you elect a leader?", 0) is None


def test_what_the_question_or_an_earlier_turn_said_is_not_restated():
    answer = "We keep the counters in Redis with a one minute expiry."
    assert "Redis" in echo_lead(answer, "", 0)
    assert echo_lead(answer, "Where do the counters in Redis with a one minute expiry live?", 0) is None


async def test_an_offline_probe_starts_from_the_answer(catalog):
    rnd = catalog.get("system_design")
    iv, clock, _ = await opened(rnd)
    clock.advance(60)
    answer = ("I'd put the limiter in the gateway and shard the counters across a Redis cluster by API key, "
              "so a check costs about 2 ms.")
    reply = await say(iv.respond(answer))
    assert iv.last_meta["move"] == "probe"
    assert "Redis cluster by API key" in reply.split("?")[0].split(".")[0], reply
    clock.advance(60)
    again = await say(iv.respond(answer))  # the same answer again: not echoed twice
    assert "Redis cluster by API key" not in again


def test_words_the_recogniser_was_unsure_of_are_never_said_back():
    """Spoken, tiny.en heard "We keep the counters in Redis" as "in-readies" (probability 0.34): the lead
    picks up what was heard clearly, or nothing."""
    heard = "We keep the counters in-readies, with a 1-minute expiry, sharded by API key."
    assert "readies" in (echo_lead(heard, "", 0) or "")
    lead = echo_lead(heard, "", 0, unsure=["-readies,"])
    assert lead is not None and "readies" not in lead  # "So you keep the counters."
    assert echo_lead("Redis.", "", 0, 1, unsure=["Redis."]) is None


def test_a_particle_stays_with_its_verb():
    assert echo_lead("If Redis goes down.", "", 0) == "You said if Redis goes down."


def test_what_follows_a_misheard_word_is_not_said_back_without_its_subject():
    lead = echo_lead("If Redis goes down, we just add more servers.", "", 0, 1, unsure=["Redis"])
    assert lead is not None and "goes down" not in lead  # "You said you just add more servers."
