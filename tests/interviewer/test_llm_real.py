"""The LLM interviewer on a real model (CI: Qwen2.5-Coder-1.5B on llama-cpp-python's server, `make llm`).

Skips without VIVA_TEST_LLM_URL; mandatory under VIVA_TEST_REQUIRE_LLM=1 (tests/real_llm.py). A small slice:
one short typed interview in each of two rounds — a vague answer, an off-topic story, a clarifying question,
a confident false claim, a solid answer — and the guardrails asserted on what the candidate would hear: the
model writes the leads of follow-ups, each picking up the candidate's words. The rates and
latencies are measured by bench/llm_interviewer.py, not here.
"""

from __future__ import annotations

import re

import pytest

from app.config import Settings
from app.interviewer import Interviewer
from app.interviewer.evaluation import evaluate, format_table
from app.interviewer.llm import LLMBrain
from app.interviewer.words import stems
from tests.interviewer.conftest import FakeClock
from tests.real_llm import MODEL, real_llm_base_url

pytestmark = pytest.mark.llm

ANSWERS = [
    "Hmm, I guess it depends, we would just make it work somehow.",
    "Honestly the thing I'm proudest of is moving my team from Java to Go last year, the build times dropped "
    "a lot and everyone was happier with the tooling.",
    "Before I start, how many users and requests per second should I plan for?",
    "I would just use two-phase commit for everything, because it is fast and it never blocks, so node "
    "failures are not really a problem for it.",
    "I'd keep the hot data in Redis with a five minute TTL in front of a Postgres primary with two replicas, "
    "and shard by customer id once we pass ten thousand writes per second.",
]
CANDIDATE_VOICE = re.compile(r"thank you for (the|this) opportunity|i'?m (excited|thrilled) to|"
                             r"i'?m sorry,? but i can", re.IGNORECASE)


def norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", text.lower()))


@pytest.fixture(scope="module")
def brain() -> LLMBrain:
    base = real_llm_base_url()
    return LLMBrain(Settings(_env_file=None, brain="llm", llm_base_url=base, llm_api_key=None, llm_model=MODEL,
                             llm_reply_timeout_s=30, llm_timeout_s=45,
                             llm_temperature=0))  # greedy: the same run every time, not a roll of the dice


@pytest.mark.parametrize(("round_id", "level"), [("system_design", "senior"), ("behavioral", "mid")])
async def test_a_short_typed_interview_on_a_real_model(brain, catalog, round_id, level):
    rnd = catalog.get(round_id)
    clock = FakeClock()
    iv = Interviewer(rnd, level, brain, clock=clock)
    iv.start()
    opening = "".join([c async for c in iv.opening()])
    problem = next(q.text for q in rnd.prompt.questions if q.id == iv.state.question_id)
    assert problem in opening  # the opening always states the problem
    said = [(opening, dict(iv.last_meta))]
    for answer in ANSWERS:
        await brain.idle()  # a speaking candidate gives the warm-up this time
        clock.advance(60)
        reply = "".join([c async for c in iv.respond(answer, typed=True)])
        said.append((reply, dict(iv.last_meta, answer=answer)))

    written = [(text, meta) for text, meta in said if meta.get("llm") and not meta["fallback"]]
    eligible = [meta for _, meta in said if meta.get("llm")]
    # the model really wrote turns (a brain that always falls back would pass everything else). How many of
    # them pass the guard is a rate for bench/llm_interviewer.py, not a test: greedy decoding differs between
    # CPUs, and these answers (one script for both rounds) make the 1.5B model echo whole clauses, which the
    # guard rightly rejects as too long in a behavioral round.
    assert eligible and written, [m.get("fallback_reason") for m in eligible]
    assert brain.status()["state"] == "closed" and brain.token_param == "max_tokens"
    seen: list[str] = []
    for text, meta in said:
        assert text.strip(), meta
        assert not re.search(r"[*#`]|^\s*([-\u2022]|\d+[.)])\s", text, re.MULTILINE), text  # spoken, not markdown
        assert not CANDIDATE_VOICE.search(text), text  # the interviewer never speaks as the candidate
        assert norm(text) not in seen, text  # never the same turn twice
        seen.append(norm(text))
    for text, meta in written:
        assert text.count("?") <= 1, text  # one question per turn
        assert len(text.split()) <= 75, text
        lead = meta.get("llm_lead")
        if lead:  # a follow-up's lead picks up the candidate's own words
            assert stems(lead, generic=False) & stems(meta["answer"], generic=False), (lead, meta["answer"])
    for text, meta in said[1:]:
        if meta["move"] != "redirect":  # a redirect after an off-topic answer may restate the problem
            assert problem not in text  # otherwise the problem statement is not asked again


async def test_the_harness_slice_on_a_real_model(brain, catalog):
    """The harness (app/interviewer/evaluation.py) with the LLM brain: one round, four personas, typed.
    The full table is `viva eval --brain llm` (README)."""
    report = await evaluate(catalog, brain, answers=12, rounds=["system_design"], levels=("senior",),
                            personas=("thorough", "vague", "off_topic", "clarifier"), modes=(True,))
    print(format_table({"llm": report}))
    assert report.sessions == 4
    assert report.clarify_fact.rate >= 0.9, report.failures
    assert report.off_topic_redirected.rate >= 0.9, report.failures
    assert report.vague_followed_up.rate == 1.0, report.failures
    assert report.repeated_questions == 0 and report.markdown.hits == 0
    assert (report.multi_question.rate or 0) <= 0.05
    assert report.refers_to_answer.total and report.refers_to_answer.rate >= 0.5  # the model picks up their words


async def test_the_turn_tier_on_a_real_model(catalog):
    """Plumbing, not quality: the model writes a whole follow-up, which passes the guard or falls back."""
    brain = LLMBrain(Settings(_env_file=None, brain="llm", llm_base_url=real_llm_base_url(), llm_api_key=None,
                              llm_model=MODEL, llm_reply_timeout_s=30, llm_timeout_s=45, llm_temperature=0,
                              llm_role="turn"))
    assert brain.status()["role"] == "turn"
    clock = FakeClock()
    iv = Interviewer(catalog.get("system_design"), "senior", brain, clock=clock)
    iv.start()
    "".join([c async for c in iv.opening()])
    await brain.idle()
    clock.advance(60)
    reply = "".join([c async for c in iv.respond(ANSWERS[-1], typed=True)])
    meta = iv.last_meta
    assert meta["llm"] is True and meta["llm_role"] == "turn", meta  # the model was asked for the whole turn
    assert reply.strip() and reply.count("?") == 1, reply  # exactly one question, whoever wrote it
    assert not CANDIDATE_VOICE.search(reply), reply
    if meta["fallback"]:  # a clean fallback: the planner's move, its question last
        assert meta["fallback_reason"] and reply.rstrip().endswith(iv.state.last_prompt), meta
    else:
        assert meta["llm_lead"] and reply.startswith(meta["llm_lead"]), meta
