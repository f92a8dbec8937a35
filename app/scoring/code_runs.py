"""The hidden-test results weigh on the correctness dimensions; the code is quoted with its line numbers.

    doc = apply_runs(doc, rnd, runs)   # after any scorer: the runs are facts, not opinions

For the dimension that judges working, tested code (coding: correctness_testing; database: query_fluency)
and each question whose answer was submitted against the hidden tests, the final submit decides:
  passing + explained (the talk alone scored it 2 or more)   -> at least 3, one level above the talk, up to 4
  passing + unexplained (the talk alone scored it 1)         -> 2
  failing (the final code still fails a hidden test)         -> 1, however fluent the explanation
so a passing solution with a clean explanation always scores above a passing one nobody explained, and
that above a failing one with a fluent explanation. The candidate could run, read the failing input and
fix it during the interview: what is judged is what they left. Questions only run against the examples,
or never run, leave the talk-based score as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.catalog import Round
from app.scoring.scorecard import CodeQuote, CodeWork, ScorecardDoc, hire_signal, weighted_overall

TARGETS = ("correctness_testing", "query_fluency")
QUOTE_LINES = 12
_LINE = re.compile(r"\(line (\d+)\)")


@dataclass(frozen=True)
class RunRecord:
    """One stored run (app/runner/tables.CodeRun), as the scorer reads it."""

    question_id: str
    language: str
    mode: str
    status: str
    passed: int
    total: int
    code: str
    result: dict[str, Any]
    at_ms: int = 0


def work_of(runs: list[RunRecord]) -> list[CodeWork]:
    out: dict[str, CodeWork] = {}
    for r in runs:  # in time order
        w = out.get(r.question_id) or CodeWork(question_id=r.question_id, language=r.language, code=r.code)
        w.language, w.code = r.language, r.code
        if r.mode == "run":
            w.runs += 1
        else:
            w.submits += 1
            w.status, w.passed, w.total = r.status, r.passed, r.total
            bad = next((c for c in r.result.get("cases", ()) if c.get("status") != "passed"), None)
            w.first_failure = None if bad is None else (bad.get("name") if r.language == "sql" else bad.get("input"))
        out[r.question_id] = w
    return list(out.values())


def quote(w: CodeWork, last_submit: RunRecord | None) -> CodeQuote:
    """The lines an error points at (± 2), else the code's first lines."""
    lines = w.code.splitlines() or [""]
    at = None
    if last_submit is not None:
        for case in last_submit.result.get("cases", ()):
            m = _LINE.search(case.get("error") or "")
            if m:
                at = int(m.group(1))
                break
    if at is not None and 1 <= at <= len(lines):
        first = max(1, at - 2)
        chosen = lines[first - 1:at + 2]
        note = f"the error points at line {at}"
    else:
        first, chosen = 1, lines[:QUOTE_LINES]
        note = "final code" + (f" (first {QUOTE_LINES} of {len(lines)} lines)" if len(lines) > QUOTE_LINES else "")
    return CodeQuote(question_id=w.question_id, language=w.language, first_line=first, lines=chosen, note=note)


def adjusted(score: int, assessed: bool, works: list[CodeWork]) -> tuple[int, str]:
    submitted = [w for w in works if w.status is not None]
    talk = score if assessed else 1
    if all(w.status == "passed" for w in submitted):
        total = sum(w.total for w in submitted)
        if talk >= 2:
            return min(4, max(3, talk + 1)), f"The final code passed all {total} hidden tests, and was explained."
        return 2, f"The final code passed all {total} hidden tests, but how it works and how it was tested " \
                  "was not explained."
    failing = [w for w in submitted if w.status != "passed"]
    where = "; ".join(f"{w.passed} of {w.total} hidden tests passed, first failure on {w.first_failure}"
                      for w in failing)
    return 1, f"The final code still fails hidden tests ({where}), whatever the explanation."


def apply_runs(doc: ScorecardDoc, rnd: Round, runs: list[RunRecord]) -> ScorecardDoc:
    if not runs:
        return doc
    works = work_of(runs)
    doc = doc.model_copy(deep=True)
    doc.code = works
    if not any(w.status is not None for w in works):
        return doc
    last_submit = {r.question_id: r for r in runs if r.mode == "submit"}
    for d in doc.dimensions:
        if d.key not in TARGETS:
            continue
        score, sentence = adjusted(d.score, d.assessed, works)
        d.code_evidence = [quote(w, last_submit.get(w.question_id)) for w in works if w.status is not None]
        d.flags = [*d.flags, "hidden-tests-passed" if "passed all" in sentence else "hidden-tests-failed"]
        d.rationale = f"{d.rationale} {sentence}".strip() if d.assessed else sentence
        d.score, d.assessed = score, True
        dim = next((x for x in rnd.rubric.dimensions if x.key == d.key), None)
        if dim is not None:
            d.anchor = dim.anchors[score]
    doc.overall = weighted_overall(doc.dimensions)
    doc.hire_signal = hire_signal(doc.level, doc.overall, [d.score for d in doc.dimensions if d.assessed],
                                  doc.hints_used)
    doc.not_assessed = [d.name for d in doc.dimensions if not d.assessed]
    return doc
