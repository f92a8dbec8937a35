"""The interviewer's reaction to a code or SQL run (the room's Run / Submit), per the coding round's rules:
name the failing input, never the faulty line; once the code works, ask for the complexity (once per
question, unless already covered) and how they tested it (once); otherwise keep out of the way.

The run arrives as `Event(kind="run", run=RunResult.model_dump())`; both brains speak the move planned here
(the LLM brain may phrase it, seeing the code and the result: llm_prompt.build_messages).
"""

from __future__ import annotations

from typing import Any

from app.catalog import Round
from app.interviewer.moves import Move, MoveKind
from app.interviewer.state import InterviewState

COMPLEXITY_DIMS = ("complexity", "indexing_performance")
TESTING_DIMS = ("correctness_testing", "query_fluency")


def _dimension(rnd: Round, options: tuple[str, ...]) -> str | None:
    keys = {d.key for d in rnd.rubric.dimensions}
    return next((d for d in options if d in keys), None)


def _covered(state: InterviewState, dimension: str | None) -> bool:
    return dimension is not None and len(state.question_coverage.get(dimension, ())) >= 2


def failure_line(run: dict[str, Any]) -> str | None:
    """What to say about the first failing case: its input (or dataset), never the line at fault."""
    case = next((c for c in run.get("cases", ()) if c.get("status") != "passed"), None)
    if case is None:
        return None
    sql = run.get("language") == "sql"
    where = (f"on the dataset with {case.get('name')}" if sql else
             f"on the input {case.get('input')}" + (f", that's {case.get('name')}" if case.get("name") else ""))
    status, error = case.get("status"), case.get("error") or ""
    if status == "failed":
        detail = error.removeprefix("wrong result: ") if sql and error else "the result isn't what's expected"
        return f"It fails {where}: {detail}. What does your {'query' if sql else 'code'} do with that?"
    if status == "timeout":
        return f"It runs out of time {where}. Is there a loop that never ends, or a step that's too slow?"
    if status == "memory":
        return f"It runs out of memory {where}. Where does the memory go?"
    if status == "not_allowed":
        return "That uses something that isn't available here; stick to the language's core data structures."
    if status == "not_run":
        return None
    kind = error.split(":", 1)[0] if error else "an error"
    return f"It raises {kind} {where}. Walk me through what happens there."


def on_run(state: InterviewState, rnd: Round, run: dict[str, Any]) -> Move:
    qid = state.question_id
    mode, status = run.get("mode"), run.get("status")
    base = {"run_status": status, "run_mode": mode}
    test_dim = _dimension(rnd, TESTING_DIMS)
    if status == "refused":
        return Move(MoveKind.NONE, "")  # the room shows why (busy, too long...); nothing to discuss
    if status == "error" and not run.get("cases"):
        message = (run.get("message") or "").split(" (line")[0]
        text = f"It didn't load: {message}. Have a look and run it again."
        return Move(MoveKind.RUN_RESULT, text, question_id=qid, dimension=test_dim, extra=base)
    failing = failure_line(run)
    if status == "failed" and failing:
        case = next(c for c in run["cases"] if c.get("status") != "passed")
        extra = {**base, "failing_input": case.get("input"), "failing_name": case.get("name"),
                 "failing_hidden": bool(case.get("hidden"))}
        return Move(MoveKind.RUN_RESULT, failing, prompt=failing, question_id=qid, dimension=test_dim,
                    extra=extra)
    passed = f"{run.get('passed')} of {run.get('total')}"
    if mode == "run":
        text = (f"The examples pass, {passed}. Which other cases would you try before you submit it "
                "against the hidden tests?")
        return Move(MoveKind.RUN_RESULT, text, prompt=text, question_id=qid, dimension=test_dim, extra=base)
    complexity_dim = _dimension(rnd, COMPLEXITY_DIMS)
    lead = f"All the hidden tests pass, {passed}."
    if f"{qid}:complexity" not in state.run_asked and not _covered(state, complexity_dim):
        ask = ("How would this query do on a table with millions of rows, and which index would it use?"
               if run.get("language") == "sql" else "What are the time and space complexity of your solution?")
        return Move(MoveKind.RUN_RESULT, f"{lead} {ask}", lead=lead, prompt=ask, question_id=qid,
                    dimension=complexity_dim, extra={**base, "run_asked": "complexity"})
    if f"{qid}:testing" not in state.run_asked:
        ask = "How did you test it, and which edge cases did you think about?"
        return Move(MoveKind.RUN_RESULT, f"{lead} {ask}", lead=lead, prompt=ask, question_id=qid,
                    dimension=test_dim, extra={**base, "run_asked": "testing"})
    ask = "Is there anything you'd change in it before we move on?"
    return Move(MoveKind.RUN_RESULT, f"{lead} {ask}", lead=lead, prompt=ask, question_id=qid, extra=base)


CHECK_INS = [
    "How is it going? Tell me where you are in the code, and run it whenever you want to check it.",
    "Talk me through what you're writing right now; what's the part you're unsure about?",
]


def check_in(state: InterviewState) -> str | None:
    """After a quiet spell with no typing (typing keeps the silence clock at zero), a candidate who has
    code in the editor hears a check-in about the code rather than a generic nudge."""
    if not state.code.strip():
        return None
    return CHECK_INS[min(state.nudges, len(CHECK_INS) - 1)]
