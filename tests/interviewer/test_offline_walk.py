"""Walk the offline brain through every real round with scripted candidates and a fake clock."""

from __future__ import annotations

import pytest

from app.interviewer import timekeeping as T
from app.interviewer.phrases import sentences
from app.interviewer.walk import main_phases
from tests.interviewer.conftest import ROUND_IDS, VAGUE, FakeClock, make, opened, say, thorough_answer

SERIES = ["behavioral", "database", "distributed_systems"]
DEEP = ["system_design", "api_design", "coding"]

LEVELS = ["mid", "senior", "staff"]
QUESTION_MOVES = {"open", "next_question", "probe", "specifics"}


async def run_script(rnd, level, script, step_s=60.0, max_turns=200):
    """Drive an interview to the end: `script(iv, i)` gives the i-th candidate turn. Returns the log."""
    clock = FakeClock()
    iv = make(rnd, level, clock)
    log = [("interviewer", await say(iv.opening()), iv.last_meta, iv.elapsed_s)]
    for i in range(max_turns):
        if iv.finished:
            break
        clock.advance(step_s)
        text = script(iv, i)
        reply = await say(iv.respond(text))
        log.append(("candidate", text, {}, iv.elapsed_s))
        log.append(("interviewer", reply, iv.last_meta, iv.elapsed_s))
    return iv, log


def mixed_script(rnd):
    lines = [VAGUE, None, "Could you repeat the question?", None, "I don't know.", None, "let me think",
             "Can I get a hint?", VAGUE, None, "say that again", None]

    def script(iv, i):
        line = lines[i % len(lines)]
        if iv.state.wrap_up == "asked":
            return "What does a typical day look like on the team?" if iv.state.candidate_questions == 0 \
                else "No, that's all, thanks."
        return line or thorough_answer(rnd, iv.state.question_id)
    return script


@pytest.mark.parametrize("round_id", ROUND_IDS)
@pytest.mark.parametrize("level", LEVELS)
async def test_full_round_walk(catalog, round_id, level):
    rnd = catalog.get(round_id)
    iv, log = await run_script(rnd, level, mixed_script(rnd))
    total = T.total_s(rnd)
    assert iv.finished
    said = [(text, meta, at) for who, text, meta, at in log if who == "interviewer"]
    moves = [meta["move"] for _, meta, _ in said]
    # every spoken turn is short and never leaks the rubric
    for text, meta, _ in said:
        assert text, meta
        limit = 3 if meta["move"] != "open" else 1 + max(len(sentences(q.text)) for q in rnd.prompt.questions)
        assert len(sentences(text)) <= max(3, limit), text
        assert "rubric" not in text.lower() and "dimension" not in text.lower()
    # no main question or probe is ever asked twice
    asked = [meta.get("question_id") for _, meta, _ in said if meta["move"] in ("open", "next_question")]
    assert len(asked) == len(set(asked))
    if rnd.deep:  # one problem through every main phase (round_plan.py)
        assert len(asked) == 1
        walked = {meta.get("phase") for _, meta, _ in said if meta.get("question_id") == asked[0]}
        assert {p.key for p in main_phases(rnd)} <= walked
    else:
        assert len(asked) >= 2
    prompts = [iv_text for iv_text, meta, _ in said if meta["move"] in ("probe", "next_question", "open")]
    assert len(prompts) == len(set(prompts))
    assert set(asked) <= {q.id for q in rnd.questions_for(level)}
    # a hint is only ever spoken when asked for
    hints = [q.hint for q in rnd.prompt.questions]
    for text, meta, _ in said:
        if meta["move"] != "hint":
            assert not any(h in text for h in hints), text
    # hints and repeats happened, and the hint used is recorded
    assert "hint" in moves and "repeat" in moves and "think_ack" in moves
    assert iv.state.hints_used or iv.state.probe_hints
    # wrap-up: "any questions?" then an answer, then the close, all within the time limit
    wrap_at = next(at for _, meta, at in said if meta["move"] == "wrap_up_questions")
    assert wrap_at < total
    assert moves[-1] == "close" and said[-1][2] <= total
    assert moves.index("wrap_up_questions") < moves.index("close")
    assert "answer_question" in moves
    # the closing happens once, and nothing is said after it
    assert moves.count("close") == 1
    assert await say(iv.respond("one more thing")) == ""


@pytest.mark.parametrize("round_id", SERIES)
async def test_thorough_candidate_is_moved_on(catalog, round_id):
    rnd = catalog.get(round_id)
    iv, clock, _ = await opened(rnd, "senior")
    seen = [iv.last_meta["question_id"]]
    for _ in range(3):
        clock.advance(120)
        await say(iv.respond(thorough_answer(rnd, iv.state.question_id)))
        assert iv.last_meta["move"] == "next_question", iv.last_meta
        assert iv.last_meta["question_id"] not in seen
        seen.append(iv.last_meta["question_id"])


@pytest.mark.parametrize("round_id", ROUND_IDS)
async def test_vague_candidate_is_probed_on_missing_dimensions(catalog, round_id):
    rnd = catalog.get(round_id)
    iv, clock, _ = await opened(rnd, "mid")
    question = next(q for q in rnd.prompt.questions if q.id == iv.state.question_id)
    probe_dims, probes, specifics = [], [], 0
    for _ in range(6):
        clock.advance(45)
        reply = await say(iv.respond(VAGUE))
        meta = iv.last_meta
        if meta["question_id"] != question.id:  # pacing by progress (issue 9): a new story phase, say
            assert meta["move"] == "next_question" and iv.state.question_answers == 0 and len(probes) >= 2
            break
        assert meta["question_id"] == question.id  # a vague candidate stays on the question
        if meta["move"] == "specifics":
            specifics += 1
        else:
            assert meta["move"] == "probe", meta
            assert reply.endswith(next(p.text for p in question.probes if p.dimension == meta["dimension"]
                                       and p.text in reply))
            probe_dims.append(meta["dimension"])
            probes.append(reply)
    assert specifics >= 1
    assert len(probes) >= 2 and len(set(probes)) == len(probes)
    assert set(probe_dims) <= {p.dimension for p in question.probes}


async def test_probe_targets_an_uncovered_dimension(catalog):
    rnd = catalog.get("database")
    iv, clock, _ = await opened(rnd, "senior")
    question = next(q for q in rnd.prompt.questions if q.id == iv.state.question_id)
    dims = list(dict.fromkeys(p.dimension for p in question.probes))
    covered = dims[:-1]
    phrases = [s.phrases[0] for d in covered for s in rnd.dimension(d).signals[:2]]
    answer = "For example with 5000 requests per second, " + ", ".join(phrases) + ", but it costs more."
    clock.advance(60)
    await say(iv.respond(answer))
    assert iv.last_meta["move"] == "probe"
    assert iv.last_meta["dimension"] == dims[-1]


async def test_question_time_budget_moves_on(catalog):
    rnd = catalog.get("behavioral")
    iv, clock, _ = await opened(rnd, "senior")
    first = iv.state.question_id
    clock.advance(T.question_budget_s(rnd) + 1)
    await say(iv.respond("We talked about it with the team for a while, but the main point is that it worked "
                         "out in the end and for example the deploys went from weekly to daily."))
    assert iv.last_meta["move"] == "next_question" and iv.state.question_id != first


@pytest.mark.parametrize("level", LEVELS)
async def test_opening_introduces_and_asks_a_level_question(catalog, level):
    for rnd in catalog:
        iv = make(rnd, level)
        text = await say(iv.opening())
        q = next(q for q in rnd.prompt.questions if q.id == iv.last_meta["question_id"])
        assert level in q.levels
        assert text.startswith("Hi") and text.endswith(q.text)
        assert iv.phase()[0] == "intro"


async def test_same_inputs_same_interview(catalog):
    rnd = catalog.get("coding")
    _, a = await run_script(rnd, "senior", mixed_script(rnd))
    _, b = await run_script(rnd, "senior", mixed_script(rnd))
    assert [x[1] for x in a] == [x[1] for x in b]


@pytest.mark.parametrize("round_id", ["behavioral", "system_design"])
async def test_a_vague_answer_to_a_follow_up_gets_that_follow_up_asked_concretely(catalog, round_id):
    """Not a request for specifics on another subject ("what numbers can you share?" after "who did you
    involve?"): the follow-up in play again, once, with a lead asking for the concrete answer."""
    rnd = catalog.get(round_id)
    iv, clock, _ = await opened(rnd, "mid")
    answer = {"behavioral": "I chose to ship the smaller fix first, because the launch date could not move.",
              "system_design": "I'd keep a counter per customer in Redis and check it on every request."}[round_id]
    for _ in range(4):  # answer until a follow-up (not the question itself) is in play
        if iv.state.probe_in_play:
            break
        clock.advance(60)
        await say(iv.respond(answer))
    asked = iv.state.last_prompt
    assert iv.state.probe_in_play and asked
    clock.advance(30)
    reply = await say(iv.respond(VAGUE))
    assert iv.last_meta["move"] == "specifics"
    assert reply.endswith(asked) and reply != asked  # the same follow-up, after a lead that presses
    clock.advance(30)
    await say(iv.respond(VAGUE))
    assert iv.last_meta["move"] != "specifics"  # pressed once: then the interview moves on


async def test_a_design_without_numbers_is_asked_for_specifics_but_not_called_vague(catalog):
    """A real answer with no number, example or trade-off is `unspecific`: the interviewer asks for what it lacks
    (never the same follow-up again, as for an answer with no substance), and the scorecard's account of what
    happened does not list it as a vague answer."""
    from app.scoring.feedback import moments
    from app.scoring.transcript import TranscriptTurn

    rnd = catalog.get("system_design")
    iv, clock, opening = await opened(rnd, "senior")
    design = ("A request hits the gateway, which calls the limiter with the API key; the limiter increments a "
              "counter for the current minute in Redis and answers allow or deny.")
    clock.advance(60)
    reply = await say(iv.respond(design))
    meta = dict(iv.last_meta)
    assert meta["answer_kind"] == "unspecific" and meta["move"] == "specifics", (reply, meta)
    clock.advance(30)
    await say(iv.respond(VAGUE))
    assert iv.last_meta["answer_kind"] == "vague"
    turns = [TranscriptTurn(seq=i + 1, speaker=who, text=text, meta=m) for i, (who, text, m) in enumerate(
        [("interviewer", opening, {}), ("candidate", design, {}), ("interviewer", reply, meta),
         ("candidate", VAGUE, {}), ("interviewer", "Okay.", dict(iv.last_meta))])]
    assert [(m.kind, m.seq) for m in moments(turns, []) if m.kind == "vague"] == [("vague", 4)]
