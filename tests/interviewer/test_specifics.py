"""Asking for specifics speaks the round's language: complexity in coding, rough numbers in design."""

from __future__ import annotations

from app.interviewer import Interviewer, OfflineBrain
from app.interviewer.phrases import SPECIFICS
from tests.interviewer.conftest import say


async def _vague_reply(catalog, clock, round_id: str) -> tuple[str, dict]:
    iv = Interviewer(catalog.get(round_id), "senior", OfflineBrain(), clock=clock)
    iv.start()
    await say(iv.opening())
    clock.advance(60)
    reply = await say(iv.respond("I would just use a loop I think."))
    return reply, iv.last_meta


async def test_coding_asks_for_complexity_not_rough_numbers(catalog, clock):
    reply, meta = await _vague_reply(catalog, clock, "coding")
    assert meta["move"] == "specifics"
    lines = [line for lines in catalog.get("coding").prompt.specifics.values() for line in lines]
    assert any(line in reply for line in lines)
    assert not any(line in reply for line in SPECIFICS["numbers"])


async def test_rounds_without_their_own_lines_use_the_generic_ones(catalog, clock):
    assert not catalog.get("system_design").prompt.specifics
    reply, meta = await _vague_reply(catalog, clock, "system_design")
    assert meta["move"] == "specifics"
    assert any(line in reply for lines in SPECIFICS.values() for line in lines)
