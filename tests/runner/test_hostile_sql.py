"""Hostile queries are refused or cut with a clear message; honest ones get rows and a plan (issue 21)."""

import asyncio
from pathlib import Path

import pytest

from app.runner import exercises, judge
from tests.runner.conftest import FAST

pytestmark = pytest.mark.usefixtures("needs_sandbox")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def org():
    return exercises.load_all(ROOT / "prompts")["org_chart_recursive"]


def run(ex, query, mode="run"):
    return asyncio.run(judge.run_sql(ex, query, mode, FAST))


@pytest.mark.parametrize("query, reason", [
    ("ATTACH DATABASE '/tmp/x.db' AS other", "ATTACH"),
    ("PRAGMA table_info(employees)", "PRAGMA"),
    ("INSERT INTO employees VALUES (99, 'Eve', NULL)", "INSERT"),
    ("UPDATE employees SET name = 'x'", "UPDATE"),
    ("DELETE FROM employees", "DELETE"),
    ("DROP TABLE employees", "not allowed"),
    ("SELECT * FROM employees; DROP TABLE employees", "one statement"),
    ("SELECT load_extension('/tmp/evil')", "loading extensions"),
])
def test_writes_attach_and_pragma_are_refused(org, query, reason):
    result = run(org, query)
    assert result.status == "failed"
    case = result.cases[0]
    assert case.status in ("not_allowed", "error") and reason in case.error, case.error


def test_a_recursive_query_that_never_ends_hits_the_step_limit(org):
    result = run(org, "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n")
    assert result.cases[0].status == "error" and "step limit" in result.cases[0].error


def test_a_recursive_query_streaming_rows_is_cut_at_the_row_cap(org):
    result = run(org, "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x FROM n")
    assert result.cases[0].status == "error" and "rows" in result.cases[0].error


def test_a_cross_join_of_everything_is_cut(org):
    query = "SELECT count(*) FROM employees a, employees b, employees c, employees d, employees e, employees f, " \
            "employees g, employees h, employees i, employees j"
    result = run(org, query)
    assert result.cases[0].status == "error" and "step limit" in result.cases[0].error


def test_the_reference_passes_with_rows_and_a_plan(org):
    result = run(org, org.reference, mode="submit")
    assert result.status == "passed" and result.passed == result.total == 4
    visible = result.cases[0]
    assert visible.columns == ["id", "name"] and visible.rows[0] == [4, "Barbara"] and visible.plan
    assert all(c.rows is None for c in result.cases if c.hidden)  # hidden datasets show no rows


def test_a_wrong_query_names_the_dataset_it_fails_on(org):
    simple = "SELECT m.id, m.name FROM employees e JOIN employees m ON m.id = e.manager_id WHERE e.id = 7"
    result = run(org, simple, mode="submit")
    assert result.status == "failed"
    bad = result.first_failure
    assert bad.name == "a small company" and "rows" in bad.error
    assert bad.expected == [[4, "Barbara"], [2, "Grace"], [1, "Ada"]]  # visible: expected shown


def test_order_matters_only_when_the_question_says_so(org):
    reversed_order = org.reference.strip().replace("ORDER BY depth", "ORDER BY depth DESC")
    result = run(org, reversed_order)
    assert result.cases[0].status == "failed" and "wrong order" in result.cases[0].error
    top = exercises.load_all(ROOT / "prompts")["top_products_per_category"]
    shuffled = top.reference.strip() + " ORDER BY revenue"
    assert asyncio.run(judge.run_sql(top, shuffled, "submit", FAST)).status == "passed"


@pytest.mark.parametrize("query", [
    "SELECT length(randomblob(900000000))",
    "WITH RECURSIVE s(x, n) AS (SELECT 'ab', 1 UNION ALL SELECT x || x, n + 1 FROM s WHERE n < 40) "
    "SELECT length(x) FROM s",
])
def test_a_query_that_builds_too_much_data_hits_the_memory_limit(org, query):
    case = run(org, query).cases[0]
    assert case.status == "memory" and "memory limit" in case.error
