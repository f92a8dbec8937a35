"""Single behaviours of the offline interviewer: hints, repeats, thinking, silence, wrap-up, time."""

from __future__ import annotations

import pytest

from app.interviewer import phrases as P
from app.interviewer import timekeeping as T
from app.interviewer.planner import NUDGE_S, THINK_S
from tests.interviewer.conftest import VAGUE, opened, say, thorough_answer


async def started(catalog, round_id="system_design", level="senior"):
    return await opened(catalog.get(round_id), level)


async def test_hint_once_then_encourage_then_move_on(catalog):
    iv, clock, _ = await started(catalog, "database")
    q = next(q for q in iv.round.prompt.questions if q.id == iv.state.question_id)
    clock.advance(30)
    text = await say(iv.respond("I don't know, can I get a hint?"))
    assert q.hint in text
    assert iv.last_meta["move"] == "hint" and iv.last_meta["hint_used"] is True
    assert iv.state.hints_used == [q.id]
    text = await say(iv.respond("can I get another hint"))
    assert iv.last_meta["move"] == "encourage" and q.hint not in text
    await say(iv.respond("I really don't know."))
    assert iv.last_meta["move"] == "probe" and iv.state.question_id == q.id  # another angle first
    # stuck on a probe: that probe's own hint, once; stuck again: another angle, then the next question
    for _ in range(2 * len(q.probes)):
        probe = q.probes[int(iv.state.probe_in_play.split(":")[1])] if iv.state.probe_in_play else None
        text = await say(iv.respond("No idea, sorry."))
        if iv.last_meta["move"] == "hint":
            assert probe is not None and probe.hint in text and iv.last_meta["dimension"] == probe.dimension
        if iv.last_meta["move"] == "next_question":
            break
    assert iv.last_meta["move"] == "next_question" and iv.state.question_id != q.id


async def test_repeat_repeats_the_last_question_not_the_acknowledgement(catalog):
    iv, clock, opening = await started(catalog)
    q_text = next(q.text for q in iv.round.prompt.questions if q.id == iv.state.question_id)
    assert (await say(iv.respond("Sorry, could you repeat the question?"))).endswith(q_text)
    assert iv.last_meta["move"] == "repeat"
    clock.advance(60)
    probe = await say(iv.respond(VAGUE))
    again = await say(iv.respond("say that again please"))
    assert again.endswith(iv.state.last_prompt) and iv.state.last_prompt in probe


async def test_think_waits_longer_before_a_nudge(catalog):
    iv, clock, _ = await started(catalog)
    assert await say(iv.respond("Let me think for a second.")) != ""
    assert iv.last_meta["move"] == "think_ack" and iv.state.waiting
    clock.advance(NUDGE_S + 1)
    assert await say(iv.on_silence(NUDGE_S + 1)) == ""
    clock.advance(THINK_S - NUDGE_S)
    assert await say(iv.on_silence(THINK_S + 1)) != ""
    assert iv.last_meta["move"] == "nudge"


@pytest.mark.parametrize("said", [
    "Reads would hit a Redis cache in front of Postgres, with a TTL on each key and a load balancer in front of "
    "stateless app servers. Okay, let me think about the write path.",
    "Let me think about the caching layer.",  # a rubric word in it: still a request for time, not an answer
])
async def test_a_turn_that_ends_announcing_a_pause_gets_the_time(catalog, said):
    iv, clock, _ = await started(catalog)
    progress = iv.state.progress
    clock.advance(20)
    assert await say(iv.respond(said)) in P.THINK_ACKS
    assert iv.last_meta["move"] == "think_ack" and iv.state.waiting
    if len(said.split()) > 10:  # what was said before the pause is heard as an answer
        assert iv.state.coverage and iv.state.progress == progress + 1


@pytest.mark.parametrize("round_id", ["database", "system_design"])
async def test_silence_nudges_then_moves_on(catalog, round_id):
    iv, clock, _ = await started(catalog, round_id)
    first = iv.state.question_id
    clock.advance(3)
    assert await say(iv.on_silence(3)) == ""
    nudges = []
    for k in range(1, 3):
        clock.advance(NUDGE_S)
        nudges.append(await say(iv.on_silence(NUDGE_S * k + 3)))  # a caller that never resets its count
        assert iv.last_meta["move"] == "nudge"
        assert await say(iv.on_silence(NUDGE_S * k + 4)) == ""  # one nudge per quiet spell, not one a second
    assert nudges[0] != nudges[1]
    clock.advance(NUDGE_S)
    await say(iv.on_silence(NUDGE_S))  # a caller that resets its count after each nudge
    if iv.round.deep:  # one problem in depth: another prompt on the same problem
        assert iv.last_meta["move"] == "probe" and iv.state.question_id == first
    else:
        assert iv.last_meta["move"] == "next_question" and iv.state.question_id != first
    # a new answer resets the nudges
    await say(iv.respond(VAGUE))
    assert iv.state.nudges == 0


async def test_stuck_on_a_deep_problem_walks_its_prompts_not_other_problems(catalog):
    iv, clock, _ = await started(catalog, "system_design")
    first = iv.state.question_id
    tags = []
    for _ in range(12):
        clock.advance(30)
        await say(iv.respond("No idea, sorry."))
        if iv.last_meta["move"] == "probe":
            tags.append(iv.state.probe_in_play)
        if iv.state.wrap_up != "none":
            break
        assert iv.state.question_id == first, iv.last_meta
    assert len(tags) >= 3 and len(set(tags)) == len(tags)


async def test_acknowledgements_vary(catalog):
    iv, clock, _ = await started(catalog)
    leads = []
    for _ in range(4):
        clock.advance(30)
        leads.append((await say(iv.respond(VAGUE))).split(".")[0])
    assert all(a != b for a, b in zip(leads, leads[1:], strict=False))


async def test_wrap_up_questions_answer_and_close(catalog):
    iv, clock, _ = await started(catalog)
    rnd = iv.round
    clock.advance(T.total_s(rnd) - T.WRAP_UP_S + 1)
    text = await say(iv.respond("We would add read replicas, but it costs more, for example 3 of them."))
    assert iv.last_meta["move"] == "wrap_up_questions" and text.endswith("?")
    assert iv.phase()[0] == "wrap_up"
    clock.advance(20)
    text = await say(iv.respond("What does the on-call look like for the team"))
    assert iv.last_meta["move"] == "answer_question" and not iv.finished
    assert "teams" in text  # a generic answer, nothing invented about a company
    clock.advance(20)
    await say(iv.respond("No, that's all, thank you."))
    assert iv.last_meta["move"] == "close" and iv.finished
    assert iv.elapsed_s < T.total_s(rnd)
    assert await say(iv.respond("bye")) == "" and await say(iv.on_silence(60)) == ""


async def test_silence_after_any_questions_closes(catalog):
    iv, clock, _ = await started(catalog)
    clock.advance(T.total_s(iv.round) - 100)
    await say(iv.respond("I'd like to end the interview now."))
    assert iv.last_meta["move"] == "wrap_up_questions"
    clock.advance(3)
    assert await say(iv.on_silence(3)) == ""
    clock.advance(12)
    await say(iv.on_silence(15))
    assert iv.last_meta["move"] == "close" and iv.finished


async def test_candidate_can_end_early(catalog):
    iv, clock, _ = await started(catalog)
    clock.advance(120)
    text = await say(iv.respond("Can we stop the interview here?"))
    assert iv.last_meta["move"] == "wrap_up_questions" and text.startswith("Sure")


async def test_out_of_time_closes(catalog):
    iv, clock, _ = await started(catalog)
    clock.advance(T.total_s(iv.round) + 5)
    text = await say(iv.respond("and then we'd add a cache"))
    assert iv.last_meta["move"] == "close" and iv.finished and "out of time" in text
    assert iv.phase() == ("wrap_up", 0.0)


async def test_time_up_during_silence_closes(catalog):
    iv, clock, _ = await started(catalog)
    clock.advance(T.total_s(iv.round))
    assert await say(iv.on_silence(2)) != ""
    assert iv.finished


async def test_phase_change_is_announced(catalog):
    iv, clock, _ = await started(catalog, "system_design")
    phases = iv.round.rubric.phases
    clock.advance(phases[0].minutes * 60 + 10)  # into requirements: no announcement when leaving the intro
    await say(iv.respond(thorough_answer(iv.round, iv.state.question_id)))
    assert iv.last_meta["transition"] is None and iv.last_meta["phase"] == phases[1].key
    clock.advance(phases[1].minutes * 60)  # into estimation
    text = await say(iv.respond(thorough_answer(iv.round, iv.state.question_id)))
    assert iv.last_meta["transition"] == phases[2].key and "let's turn to" in text.lower()
    assert iv.last_meta["dimension"] in T.phase_dimensions(iv.round)[phases[2].key]


async def test_a_deep_round_never_skips_a_phase_when_the_clock_runs_ahead(catalog):
    iv, clock, _ = await started(catalog, "system_design")
    phases = [p.key for p in iv.round.rubric.phases]
    clock.advance(25 * 60)  # the clock is in the deep dive already
    seen = []
    for _ in range(4):
        await say(iv.respond(thorough_answer(iv.round, iv.state.question_id)))
        seen.append(iv.last_meta["phase"])
    assert seen == phases[1:5]  # requirements, estimation, high level, deep dive: one answer each


async def test_typed_and_spoken_answers_get_the_same_reply(catalog):
    # issue 9: the typed path used to skip the "be specific" follow-up, so that probe was lost for good
    replies = []
    for typed in (True, False):
        iv, clock, _ = await started(catalog, "coding")
        clock.advance(120)
        replies.append((await say(iv.respond("def f(xs):\n    return sorted(set(xs))", typed=typed)),
                        iv.last_meta["move"]))
    assert replies[0] == replies[1] and replies[0][1] == "specifics"
    assert any(line in replies[0][0] for lines in catalog.get("coding").prompt.specifics.values() for line in lines)


async def test_empty_turn_gets_no_reply(catalog):
    iv, clock, _ = await started(catalog)
    assert await say(iv.respond("   ")) == ""
    assert iv.state.candidate_turns == 0


async def test_clarifying_question_is_answered_without_a_new_question(catalog):
    iv, clock, _ = await started(catalog)
    q = next(q for q in iv.round.prompt.questions if q.id == iv.state.question_id)
    asked = list(iv.state.asked_questions)
    clock.advance(40)
    text = await say(iv.respond("Can I assume reads outnumber writes about a hundred to one?"))
    fact = next(f for f in iv.round.facts_for(q) if f.id == "workload")
    assert iv.last_meta["move"] == "clarify" and iv.last_meta["fact_id"] == "workload" and fact.answer in text
    # nothing in the facts about it: the candidate's call, with the headline numbers
    text = await say(iv.respond("Can I assume the gateways run on Kubernetes?"))
    assert iv.last_meta["move"] == "clarify" and iv.last_meta["fact_id"] is None
    assert any(line in text for line in P.YOUR_CALL) and iv.round.facts_for(q)[0].answer[1:] in text
    # asked again: the same fact, said as already said
    text = await say(iv.respond("sorry, is it read heavy or write heavy?"))
    assert iv.last_meta["fact_id"] == "workload" and any(text.startswith(a) for a in P.AS_SAID)
    assert iv.state.asked_questions == asked and iv.state.last_prompt in iv.state.history[0].text


async def test_i_dont_know_to_any_questions_closes(catalog):
    iv, clock, _ = await started(catalog)
    clock.advance(T.total_s(iv.round) - 120)
    await say(iv.respond("and that is how the cache gets invalidated, for example on writes"))
    assert iv.last_meta["move"] == "wrap_up_questions"
    await say(iv.respond("Hmm, I don't know."))
    assert iv.finished
