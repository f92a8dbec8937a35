"""A run request in, a RunResult out: the harness runs in the sandbox, the comparison happens here.

Expected values of hidden tests never enter the sandbox; the harness prints each case's value (with a
per-run token so stray output cannot pass for a result) and this module compares them.
"""

from __future__ import annotations

import json
import math
import secrets
from typing import Any

from app.runner import sandbox
from app.runner.exercises import CodeExercise, Compare, SqlExercise
from app.runner.results import MESSAGES, CaseResult, RunResult

MAX_CODE_CHARS = 20_000
INPUT_CHARS = 160
SQL_MAX_ROWS = 1000
SQL_MAX_STEPS = 2_000_000
CASE_MS = 2000  # JavaScript: a time limit per case (vm timeout)


def short(value: Any, limit: int = INPUT_CHARS) -> str:
    text = value if isinstance(value, str) else json.dumps(value, separators=(", ", ": "))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _norm(value: Any, mode: Compare) -> Any:
    if mode == "nested_unordered" and isinstance(value, list):
        value = [sorted(v, key=_key) if isinstance(v, list) else v for v in value]
    if mode in ("unordered", "nested_unordered") and isinstance(value, list):
        value = sorted(value, key=_key)
    return value


def _key(v: Any) -> str:
    return json.dumps(v, sort_keys=True)


def same(got: Any, expected: Any, mode: Compare = "exact", args: list[Any] | None = None) -> bool:
    if mode == "topological":
        return _valid_order(got, expected, args or [])
    return _equal(_norm(got, mode), _norm(expected, mode))


def _valid_order(got: Any, expected: Any, args: list[Any]) -> bool:
    """Any order of 0..n-1 where each pair [a, b] has b before a; [] exactly when none exists."""
    n, pairs = args[0], args[1]
    if expected == []:
        return got == []
    if not isinstance(got, list) or sorted(x for x in got if isinstance(x, int)) != list(range(n)) \
            or len(got) != n:
        return False
    at = {course: i for i, course in enumerate(got)}
    return all(at[b] < at[a] for a, b in pairs)


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return a == b


def _lines(stdout: bytes, token: str) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for raw in stdout.splitlines():
        try:
            rec = json.loads(raw)
        except ValueError:
            continue
        if isinstance(rec, dict) and rec.get("token") == token and isinstance(rec.get("i"), int):
            found.setdefault(rec["i"], rec)
    return found


def _crash_status(outcome: sandbox.Outcome) -> tuple[str, str]:
    err = outcome.stderr.decode(errors="replace")
    if outcome.timed_out or outcome.killed_by == "SIGXCPU":
        return "timeout", MESSAGES["timeout"]
    if "heap out of memory" in err or "MemoryError" in err or "std::bad_alloc" in err:
        return "memory", MESSAGES["memory"]
    if outcome.output_cut:
        return "output", MESSAGES["output"]
    return "error", f"the program stopped ({outcome.killed_by or f'exit {outcome.returncode}'})"


def _finish(result: RunResult) -> RunResult:
    result.total = len(result.cases)
    result.passed = sum(c.status == "passed" for c in result.cases)
    if result.status not in ("refused", "error"):
        result.status = "passed" if result.cases and result.passed == result.total else "failed"
    return result


async def run_code(ex: CodeExercise, language: str, code: str, mode: str,
                   limits: sandbox.Limits = sandbox.DEFAULT_LIMITS) -> RunResult:
    result = RunResult(question_id=ex.question_id, language=language, mode=mode, status="failed")
    if language not in ex.function:
        return _refuse(result, f"{language} is not offered for this question (try {', '.join(ex.function)})")
    if len(code) > MAX_CODE_CHARS:
        return _refuse(result, f"code is limited to {MAX_CODE_CHARS} characters")
    cases = ex.cases(mode)
    token = secrets.token_hex(8)
    request = {"code": code, "function": ex.function[language], "cases": [c.args for c in cases],
               "token": token, "case_ms": CASE_MS, "design": ex.design, "prelude": ex.prelude.get(language, "")}
    if language == "python":
        argv, memory, processes = [sandbox.python_path(), "-I", "-S", "-X", "utf8", "/harness/py_run.py"], None, None
    else:
        node = sandbox.node_path()
        if node is None:
            return _refuse(result, "JavaScript runner unavailable: Node.js is not installed on this server")
        argv = [node, f"--max-old-space-size={limits.node_heap_mb}", "--stack-size=4000", "/harness/js_run.js"]
        memory, processes = limits.node_memory_mb, limits.node_processes
    try:
        outcome = await sandbox.run(argv, json.dumps(request).encode(), limits, memory_mb=memory,
                                    processes=processes)
    except sandbox.SandboxUnavailable as exc:
        return _refuse(result, str(exc))
    result.elapsed_ms = round(outcome.elapsed_ms, 1)
    lines = _lines(outcome.stdout, token)
    if -1 in lines:  # the code did not load: syntax error, a refused import, no such function
        rec = lines[-1]
        result.status, result.message = "error", rec.get("error") or "the code did not load"
        if rec.get("status") in ("not_allowed", "memory"):
            result.cases = [CaseResult(index=i, name=c.name, hidden=mode == "submit", status=rec["status"],
                                       input=_args(c.args), error=result.message) for i, c in enumerate(cases)]
            result.status = "failed"
        return _finish(result)
    stopped = False
    for i, case in enumerate(cases):
        rec = lines.get(i)
        hidden = mode == "submit"
        item = CaseResult(index=i, name=case.name, hidden=hidden, status="not_run", input=_args(case.args))
        if rec is None:
            if not stopped:
                item.status, item.error = _crash_status(outcome)
                stopped = True
            else:
                item.error = MESSAGES["not_run"]
        else:
            item.ms = rec.get("ms")
            status = rec.get("status")
            if status == "ok":
                ok = same(rec.get("value"), case.expected, ex.compare, case.args)
                item.status = "passed" if ok else "failed"
            elif status in ("timeout", "memory", "not_allowed"):
                item.status, item.error = status, rec.get("error") if status == "not_allowed" else MESSAGES[status]
            else:
                item.status, item.error = "error", rec.get("error")
            if not hidden:
                item.got, item.expected, item.out = rec.get("value"), case.expected, rec.get("out", "")
        result.cases.append(item)
    return _finish(result)


async def run_sql(ex: SqlExercise, query: str, mode: str,
                  limits: sandbox.Limits = sandbox.DEFAULT_LIMITS) -> RunResult:
    result = RunResult(question_id=ex.question_id, language="sql", mode=mode, status="failed")
    if not query.strip():
        return _refuse(result, "the query is empty")
    if len(query) > MAX_CODE_CHARS:
        return _refuse(result, f"queries are limited to {MAX_CODE_CHARS} characters")
    datasets = ex.cases(mode)
    token = secrets.token_hex(8)
    request = {"schema": ex.schema_sql, "datasets": [d.seed for d in datasets], "query": query,
               "reference": ex.reference, "token": token, "max_rows": SQL_MAX_ROWS, "max_steps": SQL_MAX_STEPS}
    argv = [sandbox.python_path(), "-I", "-S", "-X", "utf8", "/harness/sql_run.py"]
    try:
        outcome = await sandbox.run(argv, json.dumps(request).encode(), limits)
    except sandbox.SandboxUnavailable as exc:
        return _refuse(result, str(exc))
    result.elapsed_ms = round(outcome.elapsed_ms, 1)
    lines = _lines(outcome.stdout, token)
    stopped = False
    for i, d in enumerate(datasets):
        rec = lines.get(i)
        item = CaseResult(index=i, name=d.name, hidden=d.hidden, status="not_run", input=d.name)
        if rec is None:
            if not stopped:
                item.status, item.error = _crash_status(outcome)
                stopped = True
            else:
                item.error = MESSAGES["not_run"]
        else:
            item.ms = rec.get("ms")
            status = rec.get("status")
            if status == "ok":
                got, expected = rec.get("rows"), rec.get("expected")
                ok = expected is not None and _rows_match(got, expected, ex.ordered)
                item.status = "passed" if ok else "failed"
                if not ok and expected is not None:
                    item.error = _row_diff(got, expected, ex.ordered)
            elif status in ("not_allowed", "memory"):
                item.status, item.error = status, rec.get("error")
            else:
                item.status, item.error = "error", rec.get("error")
            if not d.hidden:
                item.columns, item.rows, item.plan = rec.get("columns"), rec.get("rows"), rec.get("plan")
                item.expected = rec.get("expected") if item.status == "failed" else None
        result.cases.append(item)
    if result.cases and all(c.status == "not_allowed" for c in result.cases):
        result.message = result.cases[0].error or ""
    return _finish(result)


def _rows_match(got: list, expected: list, ordered: bool) -> bool:
    if ordered:
        return _equal(got, expected)
    return _equal(sorted(got, key=_key), sorted(expected, key=_key))


def _row_diff(got: list, expected: list, ordered: bool) -> str:
    if len(got) != len(expected):
        return f"wrong result: {len(got)} rows where {len(expected)} were expected"
    if got and expected and len(got[0]) != len(expected[0]):
        return f"wrong result: {len(got[0])} columns where {len(expected[0])} were expected"
    if ordered and _rows_match(got, expected, False):
        return "wrong result: the right rows in the wrong order"
    return "wrong result: some rows differ"


def _args(args: list[Any]) -> str:
    return short(", ".join(short(a, INPUT_CHARS) for a in args))


def _refuse(result: RunResult, message: str) -> RunResult:
    result.status, result.message = "refused", message
    return result
