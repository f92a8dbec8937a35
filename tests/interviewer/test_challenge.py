"""A confident wrong claim is challenged with its neutral test question (MoveKind.CHALLENGE), once."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from app.catalog import Misconception
from app.hearing import claims as MC
from app.interviewer import phrases as P
from app.interviewer.answers import MAX_CHALLENGES_PER_QUESTION
from tests.interviewer.conftest import ROUND_IDS, make, opened, say

TWO_PC = "I'd use two-phase commit for everything because it never blocks, so node failures are not a problem."

WRONG_CLAIMS = [
    ("distributed_systems", TWO_PC, "two_phase_commit_availability"),
    ("system_design", "If it gets slow we just add more servers behind the load balancer.", "just_add_servers"),
    ("database", "Read committed prevents lost updates, so two orders can't both take the last item.",
     "read_committed_prevents_lost_update"),
    ("api_design", "TCP guarantees exactly once delivery, so a payment request can never arrive twice.",
     "tcp_exactly_once"),
    ("behavioral", "The outage was entirely the platform team's fault, they pushed the bad config.",
     "blames_another_team"),
]
_JUDGEMENT = re.compile(r"\b(wrong|incorrect|mistaken|false|myth|great|good|nice|excellent|exactly right)\b", re.I)


def _misconception(rnd, mid: str) -> Misconception:
    return next(m for m in rnd.rubric.misconceptions if m.id == mid)


@pytest.mark.parametrize(("round_id", "answer", "mid"), WRONG_CLAIMS)
async def test_a_wrong_claim_gets_its_challenge(catalog, round_id, answer, mid):
    rnd = catalog.get(round_id)
    iv, clock, _ = await opened(rnd)
    question = iv.state.question_id
    clock.advance(60)
    reply = await say(iv.respond(answer))
    meta, m = iv.last_meta, _misconception(rnd, mid)
    assert meta["move"] == "challenge" and meta["misconception_id"] == mid
    assert meta["dimension"] == m.dimension and meta["question_id"] == question
    lead = next(line for line in P.CHALLENGE_LEADS if reply.startswith(line))
    assert reply == f"{lead} {m.challenge}" and reply.count("?") == 1
    assert m.correction not in reply
    assert iv.state.challenged == [mid] and m.dimension in iv.state.probed  # counts as a probe (coverage)
    assert iv.state.question_id == question  # still on the same main question


async def test_the_question_two_phase_commit_gets(catalog):
    iv, clock, _ = await opened(catalog.get("distributed_systems"))
    clock.advance(60)
    reply = await say(iv.respond(TWO_PC))
    assert reply.endswith("What happens to a prepared transaction if the coordinator crashes before it sends commit?")


@pytest.mark.parametrize("answer", [
    "2PC does not keep us available when the coordinator dies, so I'd avoid it across services.",
    "A common myth is that two phase commit makes the system more available, it really blocks.",
])
async def test_a_denied_or_reported_claim_is_not_challenged(catalog, answer):
    rnd = catalog.get("distributed_systems")
    assert MC.stated(answer, rnd) == []
    iv, clock, _ = await opened(rnd)
    clock.advance(60)
    await say(iv.respond(answer))
    assert iv.last_meta["move"] != "challenge" and iv.state.challenged == []


async def test_the_same_claim_as_an_assertion_is_challenged(catalog):
    rnd = catalog.get("distributed_systems")
    said = "2PC keeps us available when the coordinator dies, so I'd use it across services."
    assert [m.id for m in MC.stated(said, rnd)] == ["two_phase_commit_availability"]


async def test_the_same_claim_twice_is_challenged_once(catalog):
    iv, clock, _ = await opened(catalog.get("distributed_systems"))
    clock.advance(60)
    await say(iv.respond(TWO_PC))
    assert iv.last_meta["move"] == "challenge"
    clock.advance(60)
    again = "Honestly 2PC never blocks, the coordinator just commits and the leader replicates."
    assert [m.id for m in MC.stated(again, iv.round)] == ["two_phase_commit_availability"]
    await say(iv.respond(again))
    assert iv.last_meta["move"] != "challenge"
    assert iv.state.challenged == ["two_phase_commit_availability"]


async def test_repeat_after_a_challenge_repeats_the_challenge(catalog):
    rnd = catalog.get("distributed_systems")
    iv, clock, _ = await opened(rnd)
    clock.advance(60)
    await say(iv.respond(TWO_PC))
    challenge = _misconception(rnd, "two_phase_commit_availability").challenge
    assert iv.state.last_prompt == challenge
    clock.advance(10)
    reply = await say(iv.respond("Sorry, can you repeat that?"))
    assert iv.last_meta["move"] == "repeat" and reply.endswith(challenge)


async def test_i_dont_know_after_a_repeated_challenge_moves_on(catalog):
    """A repeated challenge is still the challenge in play: "I don't know" then gets no hint (the probe's
    hint, given before, answered a question nobody was asking)."""
    rnd = catalog.get("distributed_systems")
    iv, clock, _ = await opened(rnd)
    clock.advance(60)
    await say(iv.respond(TWO_PC))
    await say(iv.respond("Sorry, can you repeat that?"))
    clock.advance(30)
    await say(iv.respond("I don't know."))
    assert iv.last_meta["move"] != "hint"


async def test_at_most_two_challenges_per_question(catalog):
    rnd = catalog.get("system_design")
    iv, clock, _ = await opened(rnd)
    iv.state.question_id = question = "url_shortener"  # the claims' problem (to another one they are redirected)
    claims = ["If it gets slow we just add more servers behind the load balancer.",
              "The cache is write through, so the cache can never be stale for a redirect.",
              "Replication is asynchronous, and with async replication we never lose a link on failover."]
    assert all(MC.stated(answer, rnd) for answer in claims)  # each a wrong claim of its own
    moves = []
    for answer in claims:
        clock.advance(60)
        await say(iv.respond(answer))
        moves.append(iv.last_meta["move"])
    assert moves[:MAX_CHALLENGES_PER_QUESTION] == ["challenge"] * MAX_CHALLENGES_PER_QUESTION
    assert moves[2] != "challenge" and len(iv.state.challenged) == MAX_CHALLENGES_PER_QUESTION
    assert iv.state.question_id == question


async def test_a_clarifying_question_is_answered_not_challenged(catalog):
    iv, clock, _ = await opened(catalog.get("system_design"))
    clock.advance(30)
    await say(iv.respond("How many users should I assume, or can we just add more servers?"))
    assert iv.last_meta["move"] == "clarify" and iv.state.challenged == []


async def test_a_state_saved_before_challenges_still_loads(catalog):
    rnd = catalog.get("distributed_systems")
    iv, clock, _ = await opened(rnd)
    snap = iv.snapshot()
    for field in ("challenged", "question_challenges"):
        snap.pop(field)
    restored = make(rnd, state=snap, clock=clock)
    assert restored.state.challenged == [] and restored.state.question_challenges == 0
    clock.advance(60)
    await say(restored.respond(TWO_PC))
    assert restored.last_meta["move"] == "challenge"


@pytest.mark.parametrize("round_id", ROUND_IDS)
def test_every_misconception_has_a_neutral_spoken_challenge(catalog, round_id):
    for m in catalog.get(round_id).rubric.misconceptions:
        text = m.challenge
        assert text.count("?") == 1 and text.endswith("?"), m.id
        assert len(text.split()) <= 25, m.id
        assert not _JUDGEMENT.search(text), m.id
        assert m.correction not in text and m.claim not in text, m.id


def test_the_catalog_rejects_a_challenge_that_is_not_one_question():
    base = {"id": "x_claim", "dimension": "consistency", "claim": "A claim that is wrong.",
            "forms": ["two words"], "correction": "A correction of twenty characters or more.",
            "truth": "What is actually true, in a sentence."}
    assert Misconception(**base, challenge="What happens when the node dies?").challenge
    for bad in ("", "What happens? And then?", "Tell me what happens when the node dies."):
        with pytest.raises(ValidationError):
            Misconception(**base, challenge=bad)
    with pytest.raises(ValidationError):
        Misconception(**base)


async def test_i_dont_know_after_a_challenge_moves_on_without_a_hint(catalog):
    iv, clock, _ = await opened(catalog.get("distributed_systems"))
    await say(iv.respond(TWO_PC))
    assert iv.last_meta["move"] == "challenge"
    clock.advance(60)
    await say(iv.respond("I don't know."))
    assert iv.last_meta["move"] != "hint" and not iv.last_meta.get("hint_used")


FLOAT_IN_OWN_WORDS = "I keep prices as floats, the rounding errors are so small that nobody will notice them."


async def test_a_myth_in_words_not_in_the_catalog_is_challenged_typed(catalog):
    """The hearing layer hears the myth by meaning (no form of the catalog matches these words)."""
    rnd = catalog.get("database")
    assert MC.stated(FLOAT_IN_OWN_WORDS, rnd) == []
    iv, clock, _ = await opened(rnd)
    clock.advance(60)
    reply = await say(iv.respond(FLOAT_IN_OWN_WORDS, typed=True))
    assert iv.last_meta["move"] == "challenge", iv.state.question_id
    assert iv.state.challenged == ["float_money"]
    assert reply.endswith(next(m.challenge for m in rnd.rubric.misconceptions if m.id == "float_money"))



# What Whisper made of a spoken answer in the spoken example (docs/examples): "fixed" heard as "fix", "a counter"
# as "accountor", and the claim spread over two sentences, so no form of the catalog matches.
FIX_WINDOW_AS_HEARD = ("A request hits the gateway. Which calls the limiter with the API key, the limiter increments "
                       "accountor for the current minute and answers allow or deny. Honestly, a fix window is fine "
                       "here. It's exact and there's no burst problem with it.")


async def test_a_misheard_myth_is_heard_through_the_sound_alikes_and_challenged(catalog):
    """The meaning pass embeds the answer as the sound-alike tables read it ("fix window" -> "fixed window"):
    without that the window sat at 0.69 of the claim, under the threshold, and the myth was said back."""
    from app.hearing.words import heard_as

    rnd = catalog.get("system_design")
    assert MC.stated(FIX_WINDOW_AS_HEARD, rnd) == []
    assert "a fixed window is fine" in heard_as(FIX_WINDOW_AS_HEARD)
    iv, clock, _ = await opened(rnd)
    clock.advance(60)
    reply = await say(iv.respond(FIX_WINDOW_AS_HEARD, typed=False))
    assert iv.last_meta["move"] == "challenge", reply
    assert iv.state.challenged == ["fixed_window_no_bursts"]
