"""A claim near a myth, in words of its own, is never said back as if agreed, and close enough it is put to the
myth's test question, neutrally, once (issue 18 item 6; app/interviewer/near_myths.py, meaning.NEAR and PROBE)."""

from __future__ import annotations

from app.hearing import claims as MC
from app.hearing.hearing import for_round
from app.hearing.meaning import MYTH, NEAR, PROBE, UNSAID
from app.interviewer import near_myths as NM
from app.interviewer.state import Event, NearMyth
from tests.interviewer.conftest import opened, say

# said in a typed system-design interview: no form of the catalog, 0.52 of the fixed-window myth's claim (under
# MYTH and PROBE), and the interviewer said it back: "Okay, so a plain per-minute counter is exact."
PER_MINUTE_EXACT = ("A plain per-minute counter is exact: nobody can ever sneak more than the limit through, even "
                    "right at the boundary.")
# the truth of the same myth, close in topic: neither probed nor kept from being said back
FIXED_WINDOW_TRUTH = "A fixed window lets up to twice the limit through at the boundary, so I'd use a sliding window."
# the truth naming both parts of the compound myth "... is exact and has no burst problem" (it was probed at 0.88)
FIXED_WINDOW_FLAW = ("I'd start with a fixed-window counter per API key in Redis. A fixed-window counter is simple, "
                     "but it has a burst problem at the window edges, so I'd move to a sliding window.")
# fresh wordings of the independent fixtures (tests/scoring/independent/*_wrong.txt), heard only at PROBE
COMMIT_FIRST = ("At-most-once can lose messages and at-least-once can duplicate them. Exactly-once is simply "
                "at-least-once plus an acknowledgement handshake: once both sides have confirmed, the message can't "
                "be redelivered. And a practical trick for getting it is to commit the offset before processing the "
                "message, so the broker never sends it again, which is exactly-once by construction.")
# api_design_wrong.txt, as a recogniser hears it: "idempotent" as "item potent", unsure of both words
POST_IDEMPOTENT_AS_HEARD = ("Strictly we're covered by POST being item potent, but as an extra safety net each API "
                            "server keeps a small in-memory map of recent item potency keys.")


def _misconception(rnd, mid: str):
    return next(m for m in rnd.rubric.misconceptions if m.id == mid)


async def test_a_claim_near_a_myth_is_not_said_back_typed(catalog):
    rnd = catalog.get("system_design")
    assert MC.stated(PER_MINUTE_EXACT, rnd) == []
    near = for_round(rnd).hear(PER_MINUTE_EXACT, []).near
    assert near and all(NEAR <= c.similarity < PROBE for c in near)  # near, not close enough to probe
    iv, clock, _ = await opened(rnd)
    clock.advance(60)
    reply = await say(iv.respond(f"The limiter keeps a counter per API key in Redis. {PER_MINUTE_EXACT}", typed=True))
    assert "exact" not in reply.lower() and "per-minute" not in reply.lower(), reply
    assert "counter per API key in Redis" in reply  # another sentence of the answer is said back instead


async def test_a_near_claim_alone_gets_a_neutral_acknowledgement(catalog):
    iv, clock, _ = await opened(catalog.get("system_design"))
    clock.advance(60)
    reply = await say(iv.respond(PER_MINUTE_EXACT, typed=True))
    assert "exact" not in reply.lower(), reply


async def test_a_fresh_wording_at_the_probe_bar_is_challenged_typed(catalog):
    rnd = catalog.get("distributed_systems")
    assert MC.stated(COMMIT_FIRST, rnd) == []
    heard = for_round(rnd).hear(COMMIT_FIRST, [])
    assert not heard.myths  # the scorer's bar does not hear it
    assert any(c.item.id == "commit_offset_first" and PROBE <= c.similarity < MYTH for c in heard.near)
    iv, clock, _ = await opened(rnd)
    clock.advance(60)
    reply = await say(iv.respond(COMMIT_FIRST, typed=True))
    meta = iv.last_meta
    assert meta["move"] == "challenge" and meta["misconception_id"] == "commit_offset_first", reply
    assert meta["heard"] == "near" and reply.endswith(_misconception(rnd, "commit_offset_first").challenge)
    clock.advance(60)
    await say(iv.respond(COMMIT_FIRST, typed=True))  # said again: probed once
    assert iv.last_meta["move"] != "challenge" and iv.state.challenged == ["commit_offset_first"]


async def test_a_fresh_wording_misheard_is_challenged_spoken(catalog):
    """Spoken the way test_challenge's misheard myth is: the meaning pass reads the sound-alikes ("item potent"
    as idempotent), the recogniser's unsure words are never said back."""
    from app.hearing.words import heard_as

    rnd = catalog.get("api_design")
    assert MC.stated(POST_IDEMPOTENT_AS_HEARD, rnd) == []
    assert "POST being idempotent" in heard_as(POST_IDEMPOTENT_AS_HEARD)
    iv, clock, _ = await opened(rnd)
    clock.advance(60)
    reply = await say(iv.respond(POST_IDEMPOTENT_AS_HEARD, typed=False, unsure=["item", "potent", "potency"]))
    assert iv.last_meta["move"] == "challenge", reply
    assert iv.state.challenged == ["post_is_idempotent"] and iv.last_meta["heard"] == "near"


async def test_the_truth_close_in_topic_is_neither_probed_nor_kept_from_being_said_back(catalog):
    rnd = catalog.get("system_design")
    for truth in (FIXED_WINDOW_TRUTH, FIXED_WINDOW_FLAW):
        assert for_round(rnd).hear(truth, []).near == []
        iv, clock, _ = await opened(rnd)
        clock.advance(60)
        reply = await say(iv.respond(truth, typed=True))
        assert iv.last_meta["move"] != "challenge" and iv.state.challenged == []
        said_back = "sliding window" if truth == FIXED_WINDOW_TRUTH else "fixed-window counter"
        assert said_back in reply, reply


def test_sayable_cuts_the_smallest_near_parts_only():
    text = "We keep counters in Redis. A counter is exact. It resets every minute."
    first, second = text.index("A counter"), text.index(" It")
    near = [NearMyth(id="m", start=first, end=second, similarity=0.55),
            NearMyth(id="m", start=0, end=second, similarity=0.52)]  # the pair holds the sentence: left out
    event = Event(kind="answer", text=text, near=near)
    assert NM.sayable(text, event) == "We keep counters in Redis. It resets every minute."
    assert NM.sayable(text, event, keep="m") == text  # the challenge of that myth may say it back
    assert NM.probed(event) == [] and NM.probed(Event(kind="answer", near=[near[0].model_copy(
        update={"similarity": PROBE})])) == ["m"]


def test_a_lead_says_back_a_part_when_most_of_its_words_come_from_it():
    part = "A plain per-minute counter is exact"
    assert NM.says_back("So for you a plain per-minute counter is exact.", [part])
    assert not NM.says_back("So you'd keep the counters in Redis.", [part])
    assert not NM.says_back("So a plain per-minute counter is exact.", [])


async def test_a_claim_closer_to_its_truth_than_to_the_myth_is_not_said_back_either(catalog):
    """A typed candidate: "... so I'd pick that and we get CAP all three." came back as "Okay, so you get CAP all
    three." MiniLM put the claim as close to its truth (0.78 against 0.74), so it was not near; at meaning.UNSAID
    it is not said back, though never probed for it, and its sentence's other clause goes with it."""
    rnd = catalog.get("system_design")
    said = ("Strong consistency and availability are both achievable during a network partition if you use a good "
            "database like Cassandra with quorum reads, so I'd pick that and we get CAP all three.")
    close = [n for n in for_round(rnd).hear(said, []).close]
    assert close and all(c.similarity >= UNSAID for c in close)
    iv, clock, _ = await opened(rnd)
    clock.advance(60)
    reply = await say(iv.respond(said, typed=True))
    assert "CAP" not in reply and "quorum" not in reply, reply
    assert iv.last_meta.get("heard") != "near"  # only unsaid: the probe still needs the margin over the truth
