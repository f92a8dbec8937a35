"""A question about the team or the role asked mid-interview waits for the wrap-up; the problem goes on."""

from __future__ import annotations

import pytest

from app.interviewer import phrases as P
from tests.interviewer.conftest import ROUND_IDS, opened, say


@pytest.mark.parametrize("round_id", ROUND_IDS)
@pytest.mark.parametrize("text", ["What does the team work on?", "Is this role remote?",
                                  "What are the next steps after this interview?"])
async def test_a_question_about_the_job_is_kept_for_the_end(catalog, round_id, text):
    iv, clock, _ = await opened(catalog.get(round_id))
    prompt = iv.state.last_prompt
    reply = await say(iv.respond(text))
    assert reply.startswith(P.FOR_THE_END) and prompt in reply
    assert iv.last_meta["move"] == "clarify" and not iv.last_meta.get("fact_ids")
