"""The LLM interviewer's tiers (llm_role.py): `lead` (the model's lead, the planner's question) and `turn`
(the model's whole follow-up, under the same guard and fallback), and `auto` from the judge bench."""

from __future__ import annotations

import pytest

from app.config import Settings
from app.interviewer import build_brain
from app.interviewer.llm_role import role_of
from tests.fake_llm import Reply
from tests.interviewer.conftest import say
from tests.interviewer.test_llm import LEAD, SPECIFIC, opened, server  # noqa: F401 — the fixture
from tests.scoring.conftest import write_measurement

QUESTION = "Where would the counters for each customer live when a Redis node fails?"


def brain(srv, tmp_path, role="turn"):
    srv.script.clear()
    srv.requests.clear()
    srv.default = Reply()
    return build_brain(Settings(_env_file=None, data_dir=tmp_path, brain="llm", llm_base_url=srv.base_url,
                                llm_api_key="test-key", llm_model="fake-model", llm_timeout_s=5.0,
                                llm_max_tokens=120, llm_role=role))


async def test_turn_speaks_the_models_question(catalog, server, tmp_path):  # noqa: F811
    llm = brain(server, tmp_path)
    iv, _ = await opened(catalog, llm)
    server.script = [Reply(f"{LEAD} {QUESTION} And what about the TTL?")]
    text = await say(iv.respond(SPECIFIC))
    meta = iv.last_meta
    assert text == f"{LEAD} {QUESTION}" and meta["fallback"] is False and meta["llm_role"] == "turn"
    assert text.count("?") == 1
    note = server.requests[-1]["messages"][-1]["content"]
    assert "Write the whole follow-up" in note and meta["move"] in note


def test_the_turn_note_names_the_answer_keys_first_point_not_yet_made(catalog):
    from app.interviewer import gaps
    from app.interviewer.llm_prompt import key_gap
    from app.interviewer.state import InterviewState

    rnd = catalog.get("system_design")
    q = rnd.prompt.questions[0]
    first, *rest = gaps.points(rnd, q)
    same = [p for p in rest if p.dimension == first.dimension]
    state = InterviewState(round_id=rnd.id, level="senior")
    assert key_gap(state, rnd, q, first.dimension) == f' Not yet established: "{first.point}"'
    state.question_points = {first.id: gaps.ESTABLISHED}
    assert key_gap(state, rnd, q, first.dimension) == (f' Not yet established: "{same[0].point}"' if same else "")
    assert key_gap(state, rnd, None, first.dimension) == ""


async def test_turn_without_a_question_gets_the_planned_one(catalog, server, tmp_path):  # noqa: F811
    llm = brain(server, tmp_path)
    iv, _ = await opened(catalog, llm)
    server.script = [Reply(LEAD)]
    text = await say(iv.respond(SPECIFIC))
    assert text == f"{LEAD} {iv.state.last_prompt}" and iv.last_meta["appended_prompt"] is True


@pytest.mark.parametrize("reply, reason", [
    ("Let's move on to something else. What about failures?", "no_echo"),
    ("I'd use Redis in front of Postgres for you. Where do counters live?", "as_candidate"),
    (f"- {LEAD}\n- {QUESTION}", "markdown"),
])
async def test_a_turn_that_breaks_the_guard_falls_back_to_the_offline_move(catalog, server, tmp_path,  # noqa: F811
                                                                            reply, reason):
    llm = brain(server, tmp_path)
    iv, _ = await opened(catalog, llm)
    server.script = [Reply(reply)]
    text = await say(iv.respond(SPECIFIC))
    meta = iv.last_meta
    assert meta["fallback"] is True and meta["fallback_reason"] == reason, meta
    assert text.endswith(iv.state.last_prompt) and text.count("?") == iv.state.last_prompt.count("?")


async def test_lead_tier_keeps_the_planned_question(catalog, server, tmp_path):  # noqa: F811
    llm = brain(server, tmp_path, role="lead")
    iv, _ = await opened(catalog, llm)
    server.script = [Reply(f"{LEAD} {QUESTION}")]
    text = await say(iv.respond(SPECIFIC))
    assert text == f"{LEAD} {iv.state.last_prompt}" and iv.last_meta["llm_role"] == "lead"


def test_auto_picks_the_tier_from_the_judge_bench(tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path, brain="llm", llm_base_url="http://a:1/v1",
                        llm_model="qwen")
    assert role_of(settings).role == "lead" and "not been measured" in role_of(settings).reason
    write_measurement(tmp_path, "http://a:1/v1", accuracy=0.80)
    assert role_of(settings).role == "lead"  # limited trust: the planner keeps the question
    write_measurement(tmp_path, "http://a:1/v1", accuracy=0.95)
    role = role_of(settings)
    assert role.role == "turn" and role.reason.startswith("auto:")
    assert role_of(settings.model_copy(update={"llm_role": "lead"})).role == "lead"


def test_health_says_which_tier_and_why(tmp_path, server):  # noqa: F811
    status = brain(server, tmp_path, role="auto").status()
    assert status["role"] == "lead" and "judge bench" in status["role_reason"]


@pytest.mark.parametrize("role", ["lead", "turn"])
async def test_the_candidates_own_question_is_the_models_to_answer_only_in_the_turn_tier(catalog, server, tmp_path,  # noqa: F811
                                                                                        role):
    """The small local model invented how "the team" picks its on-call rotation; in the lead tier the planner's
    honest answer is spoken and the model is not asked."""
    from app.interviewer import timekeeping as T

    llm = brain(server, tmp_path, role=role)
    iv, clock = await opened(catalog, llm)
    clock.advance(T.total_s(iv.round) - T.WRAP_UP_S)
    server.script = [Reply("Fine.")]
    await say(iv.respond("We would add read replicas, but it costs more, for example 3 of them."))
    assert iv.last_meta["move"] == "wrap_up_questions"
    server.script = [Reply("The team rotates on-call weekly, chosen by seniority.")]
    asked = len(server.requests)
    clock.advance(20)
    text = await say(iv.respond("How does the team decide on its on-call rotation?"))
    assert iv.last_meta["move"] == "answer_question"
    if role == "lead":
        assert len(server.requests) == asked and "seniority" not in text and "teams" in text
    else:
        assert "seniority" in text and iv.last_meta["llm"] is True


async def test_a_lead_that_enters_a_phase_keeps_the_phase_announcement(catalog, server, tmp_path):  # noqa: F811
    """The model's lead replaces the planner's acknowledgement, not the announcement of a new phase: the spoken
    example's LLM interviewer moved on to the API without saying so."""
    llm = brain(server, tmp_path, role="lead")
    server.default = Reply(LEAD)
    iv, clock = await opened(catalog, llm)
    for _ in range(12):
        text = await say(iv.respond(SPECIFIC))
        clock.advance(60)
        meta = iv.last_meta
        if meta["move"] == "probe" and meta.get("transition") and meta.get("llm") and not meta["fallback"]:
            break
    else:
        pytest.fail("no phase was entered with a model-written lead")
    assert text.startswith(LEAD) and meta["announce"] in text and text.endswith(iv.state.last_prompt)
