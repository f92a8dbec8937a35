"""`viva check`'s exercise check: every exercise file valid, every reference solution passing its own tests
in the sandbox (Python, JavaScript where Node.js is installed, SQL)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from app.runner import exercises, judge, sandbox
from app.runner.exercises import CodeExercise, ExerciseError


async def _failures(items: dict[str, exercises.Exercise]) -> list[str]:
    bad: list[str] = []
    for qid, ex in items.items():
        if isinstance(ex, CodeExercise):
            runs = [(lang, judge.run_code(ex, lang, ex.reference[lang], "submit")) for lang in ex.reference
                    if lang == "python" or sandbox.node_path() is not None]
        else:
            runs = [("sql", judge.run_sql(ex, ex.reference, "submit"))]
        for lang, pending in runs:
            result = await pending
            if result.status != "passed":
                bad.append(f"{qid} ({lang}): {result.summary()}")
    return bad


def check_exercises(prompts_dir: Path) -> tuple[str, bool, str]:
    try:
        items = exercises.load_all(Path(prompts_dir))
    except ExerciseError as exc:
        return ("exercises", False, str(exc))
    why = sandbox.self_test()
    if why is not None:  # the room still works (talk and the text box); Run and Submit say why they are off
        return ("exercises", True, f"{len(items)} exercises valid, but code runs are off here: {why}")
    bad = asyncio.run(_failures(items))
    if bad:
        return ("exercises", False, "reference solutions failing: " + "; ".join(bad))
    js = "" if sandbox.node_path() else " (JavaScript runner unavailable: Node.js not installed)"
    return ("exercises", True, f"{len(items)} runnable questions, every reference solution passes{js}")
