"""Both brains read the board: the LLM brain (the real openai client against the fake OpenAI-compatible
server) gets the board as text and speaks the planner's board question after its own lead."""

from __future__ import annotations

import pytest

from app.config import Settings
from app.interviewer import build_brain
from tests.fake_llm import FakeLLMServer, Reply
from tests.interviewer.conftest import FakeClock, make, say


@pytest.fixture(scope="module")
def server():
    srv = FakeLLMServer().start()
    yield srv
    srv.stop()


async def test_the_llm_brain_raises_the_contradiction_with_drawn_labels(catalog, server, tmp_path, design):
    settings = Settings(_env_file=None, data_dir=tmp_path, brain="llm", llm_base_url=server.base_url,
                        llm_api_key="test-key", llm_model="fake-model", llm_timeout_s=5.0, llm_max_tokens=120)
    brain = build_brain(settings)
    clock = FakeClock()
    iv = make(catalog.get("system_design"), "senior", clock, brain=brain)
    await say(iv.opening())
    clock.advance(60)
    iv.board = design
    server.script = [Reply("So reads go to Redis first.")]
    reply = await say(iv.respond("Every read checks Redis first: the cache sits in front of the database."))
    meta = iv.last_meta
    assert meta["board"] == "contradiction" and meta["board_refs"] == ["API", "Orders DB"]
    assert "API goes straight to Orders DB" in reply  # the planner's question, whatever the lead
    prompt = server.requests[-1]["messages"][-1]["content"]
    assert "Their whiteboard:" in prompt and "Redis (cache)" in prompt and "API → Orders DB (writes)" in prompt
