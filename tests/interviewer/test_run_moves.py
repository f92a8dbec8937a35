"""The interviewer's reaction to a code or SQL run (app/interviewer/run_moves.py), both brains."""

from __future__ import annotations

from app.interviewer import OfflineBrain
from app.interviewer.run_moves import CHECK_INS
from tests.interviewer.conftest import FakeClock, make, say
from tests.interviewer.test_llm import llm, server  # noqa: F401  (fixtures)

CODE = "def two_sum(nums, target):\n    seen = {}\n    return None\n"


def run(status="failed", mode="submit", cases=None, language="python", message=""):
    cases = cases if cases is not None else [
        {"index": 0, "name": "the same value twice", "hidden": True, "status": "passed", "input": "[3, 3], 6"},
        {"index": 1, "name": "negative numbers", "hidden": True, "status": "failed", "input": "[-4, 10, 7, -1], 3"},
    ]
    passed = sum(c["status"] == "passed" for c in cases)
    return {"question_id": "two_sum_variants", "language": language, "mode": mode, "status": status,
            "passed": passed, "total": len(cases), "message": message, "cases": cases}


PASSING = [{"index": i, "name": "", "hidden": True, "status": "passed", "input": "x"} for i in range(5)]


async def opened(catalog, brain=None, round_id="coding", level="mid"):
    iv = make(catalog.get(round_id), level, FakeClock(), brain=brain or OfflineBrain())
    await say(iv.opening())
    return iv


async def test_a_failing_run_is_named_by_its_input_not_its_line(catalog):
    iv = await opened(catalog)
    text = await say(iv.on_run(run(), CODE))
    assert "[-4, 10, 7, -1], 3" in text and "line" not in text
    meta = iv.last_meta
    assert meta["move"] == "run_result" and meta["failing_input"] == "[-4, 10, 7, -1], 3"
    assert meta["dimension"] == "correctness_testing" and iv.state.code == CODE


async def test_a_timeout_and_an_error_say_what_happened_on_which_input(catalog):
    iv = await opened(catalog)
    cases = [{"index": 0, "status": "timeout", "input": "[1, 2], 3", "error": "time limit"}]
    assert "runs out of time on the input [1, 2], 3" in await say(iv.on_run(run(cases=cases)))
    cases = [{"index": 0, "status": "error", "input": "[], 0", "error": "IndexError: list index out of range (line 3)"}]
    text = await say(iv.on_run(run(cases=cases)))
    assert "raises IndexError on the input [], 0" in text and "line" not in text


async def test_passing_submits_ask_complexity_once_then_how_they_tested_once(catalog):
    iv = await opened(catalog)
    first = await say(iv.on_run(run("passed", cases=PASSING)))
    assert "5 of 5" in first and "time and space complexity" in first
    second = await say(iv.on_run(run("passed", cases=PASSING)))
    assert "How did you test it" in second and "complexity" not in second
    third = await say(iv.on_run(run("passed", cases=PASSING)))
    assert "complexity" not in third and "test" not in third.split("pass")[-1]


async def test_passing_examples_invite_more_cases_before_submitting(catalog):
    iv = await opened(catalog)
    text = await say(iv.on_run(run("passed", mode="run", cases=PASSING[:2])))
    assert "examples pass" in text and "hidden tests" in text


async def test_code_that_does_not_load_is_said_and_a_refused_run_says_nothing(catalog):
    iv = await opened(catalog)
    text = await say(iv.on_run(run("error", cases=[], message="SyntaxError: '(' was never closed (line 2)")))
    assert text.startswith("It didn't load: SyntaxError") and "line" not in text
    assert await say(iv.on_run(run("refused", cases=[], message="busy"))) == ""


async def test_a_failing_query_names_its_dataset(catalog):
    iv = await opened(catalog, round_id="database")
    cases = [{"index": 0, "name": "employee 7 is the CEO", "hidden": True, "status": "failed",
              "input": "employee 7 is the CEO", "error": "wrong result: 1 rows where 0 were expected"}]
    text = await say(iv.on_run(run(cases=cases, language="sql")))
    assert "on the dataset with employee 7 is the CEO" in text and "1 rows where 0 were expected" in text
    assert iv.last_meta["dimension"] == "query_fluency"


async def test_the_llm_sees_the_code_and_the_result_then_the_planned_words_follow(catalog, llm, server):  # noqa: F811
    from tests.fake_llm import Reply

    iv = await opened(catalog, brain=llm)
    server.script = [Reply("Okay, let's look at that run.")]
    text = await say(iv.on_run(run(), CODE))
    assert text.startswith("Okay, let's look at that run.") and "[-4, 10, 7, -1], 3" in text
    prompt = server.requests[-1]["messages"][-1]["content"]
    assert "1: def two_sum(nums, target):" in prompt and "first failure on input [-4, 10, 7, -1], 3" in prompt
    assert iv.last_meta["fallback"] is False


async def test_a_quiet_spell_without_typing_gets_a_check_in_but_a_short_one_does_not(catalog):
    """The session resets the silence clock on every `code` message (CodeDesk.on_code -> activity), so
    while the candidate types the planner only ever sees short silences."""
    clock = FakeClock()
    iv = make(catalog.get("coding"), "mid", clock, brain=OfflineBrain())
    await say(iv.opening())
    clock.advance(30)
    assert await say(iv.on_silence(5.0)) == ""  # 5 s since the last keystroke: nothing said
    assert await say(iv.on_silence(25.0)) != ""  # a quiet spell with no typing: a check-in


async def test_a_check_in_after_a_quiet_spell_asks_about_the_code_once_there_is_code(catalog):
    clock = FakeClock()
    iv = make(catalog.get("coding"), "mid", clock, brain=OfflineBrain())
    await say(iv.opening())
    clock.advance(30)
    generic = await say(iv.on_silence(25.0))
    assert "code" not in generic
    iv.code_changed("python", "def two_sum(nums, target):\n    pass\n")
    clock.advance(30)
    assert await say(iv.on_silence(25.0)) in CHECK_INS  # the second nudge of the spell: the second wording
