"""Every exercise file is valid and its reference solutions pass their own tests in the sandbox."""

import asyncio
from pathlib import Path

import pytest
import yaml

from app.catalog import load_catalog
from app.runner import exercises, judge
from app.runner.exercises import CodeExercise, ExerciseError

ROOT = Path(__file__).resolve().parents[2]
ALL = exercises.load_all(ROOT / "prompts")


def test_every_exercise_belongs_to_a_question_of_the_catalog():
    catalog = load_catalog(ROOT / "rubrics", ROOT / "prompts")
    questions = {q.id for rnd in catalog for q in rnd.prompt.questions}
    assert ALL and set(ALL) <= questions


@pytest.mark.usefixtures("needs_sandbox")
@pytest.mark.parametrize("qid", sorted(ALL))
def test_the_reference_solutions_pass_every_case(qid):
    ex = ALL[qid]
    if isinstance(ex, CodeExercise):
        for language in ex.reference:
            for mode in ("run", "submit"):
                result = asyncio.run(judge.run_code(ex, language, ex.reference[language], mode))
                assert result.status == "passed", (language, mode, result.summary())
    else:
        for mode in ("run", "submit"):
            result = asyncio.run(judge.run_sql(ex, ex.reference, mode))
            assert result.status == "passed", (mode, result.summary())


def test_the_public_view_holds_no_hidden_test_and_no_reference():
    for ex in ALL.values():
        public = ex.public()
        assert not {"tests", "reference", "datasets"} & set(public)
        if isinstance(ex, CodeExercise):
            assert public["examples"] == [c.model_dump() for c in ex.examples]
        else:
            hidden = [d.seed for d in ex.datasets if d.hidden]
            assert not any(seed in yaml.safe_dump(public) for seed in hidden)


def test_a_bad_file_is_refused_with_file_and_field(tmp_path):
    path = tmp_path / "two_sum_variants.yaml"
    path.write_text("question_id: two_sum_variants\nfunction: {python: f}\nsignature: {}\nreference: {}\n"
                    "examples: [{args: [1], expected: 1}]\ntests: []\n")
    with pytest.raises(ExerciseError, match="two_sum_variants.yaml"):
        exercises.parse(path)


@pytest.mark.parametrize("got, expected, mode, same", [
    ([1, 0], [0, 1], "unordered", True),
    ([1, 0], [0, 1], "exact", False),
    ([["b", "a"], ["c"]], [["c"], ["a", "b"]], "nested_unordered", True),
    (0.30000000000000004, 0.3, "exact", True),
    (True, 1, "exact", False),
    (None, [0, 1], "unordered", False),
])
def test_results_compare_as_the_exercise_says(got, expected, mode, same):
    assert judge.same(got, expected, mode) is same


@pytest.mark.parametrize("got, expected, same", [
    ([1, 2, 0], [2, 0, 1], True),  # another valid order
    ([0, 1, 2], [2, 0, 1], False),  # breaks "2 before 0"
    ([2, 0], [2, 0, 1], False),  # a course missing
    ([2, 0, 0, 1], [2, 0, 1], False),
    ([], [], True),
    ([0, 1, 2], [], False),  # an order where none exists
])
def test_any_valid_order_passes_a_topological_case(got, expected, same):
    assert judge.same(got, expected, "topological", [3, [[0, 2]]]) is same


@pytest.mark.usefixtures("needs_sandbox")
def test_viva_check_runs_every_reference_and_names_a_failing_one(tmp_path):
    from app.runner.check import check_exercises

    name, ok, says = check_exercises(ROOT / "prompts")
    assert ok and f"{len(ALL)} runnable questions" in says
    (tmp_path / "exercises").mkdir()
    text = (ROOT / "prompts" / "exercises" / "two_sum_variants.yaml").read_text()
    broken = text.replace("return [seen[target - x], i]", "return [i, i]", 1)
    (tmp_path / "exercises" / "two_sum_variants.yaml").write_text(broken)
    name, ok, says = check_exercises(tmp_path)
    assert not ok and "two_sum_variants (python)" in says
