"""The room's code desk for one stream session: the editor's content in, runs out, the interviewer told.

    desk = CodeDesk(...); talk.after_reply = desk.question_changed
    await desk.start()              # the exercise in play (or none: talk only) and the saved draft
    await desk.on_code(msg.data)    # debounced editor content: stored, shown to the LLM, counts as activity
    await desk.on_run(msg.data)     # Run / Submit: a sandboxed run in the shared pool, off the reader;
                                    # its result is stored, sent (`run_result`) and answered in order
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from app.runner import exercises, judge
from app.runner import store as code_store
from app.runner.exercises import CodeExercise
from app.runner.pool import RunPool, RunRefused
from app.runner.results import RunResult
from app.runner.sandbox import DEFAULT_LIMITS, Limits
from app.voice import events, protocol
from app.voice.clock import Outbox, StreamClock
from app.voice.conversation import Reply

log = logging.getLogger("viva.runner")


class CodeDesk:
    def __init__(self, *, interview_id: int, engine: Engine, pool: RunPool, prompts_dir: Path, iv: Any,
                 out: Outbox, clock: StreamClock, put: Callable[[object], Awaitable[None]],
                 activity: Callable[[int], None], limits: Limits = DEFAULT_LIMITS) -> None:
        self.interview_id, self.engine, self.pool, self.prompts_dir = interview_id, engine, pool, prompts_dir
        self.iv, self.out, self.clock, self.put, self.activity, self.limits = iv, out, clock, put, activity, limits
        self.shown: str | None = None  # the question in play when the room was last told
        self.showing = False  # the room shows an exercise
        self.tasks: set[asyncio.Task] = set()

    @property
    def question_id(self) -> str | None:
        return self.iv.state.question_id

    def exercise(self) -> exercises.Exercise | None:
        return exercises.find(self.prompts_dir, self.question_id)

    async def start(self) -> None:
        self.shown, self.showing = None, False
        await self.question_changed()

    async def question_changed(self) -> None:
        """After each interviewer reply: a new question in play gets its exercise (or none) in the room."""
        qid = self.question_id
        if qid == self.shown or qid is None:
            return
        self.shown = qid
        ex = self.exercise()
        if ex is None and not self.showing:
            return  # talk only, and the room shows no editor: nothing to say
        self.showing = ex is not None
        draft = await asyncio.to_thread(code_store.get_draft, self.engine, self.interview_id, qid) if ex else None
        await self.out.send(events.ExerciseShown(ex.public() if ex else None, draft))

    async def on_code(self, data: dict[str, Any]) -> None:
        qid, language, code = self.question_id, data["language"], data["code"]
        self.activity(self.clock.now_ms())  # typing is not silence: no nudge while they write
        self.iv.code_changed(language, code)
        if qid is None:
            return
        await asyncio.to_thread(code_store.save_draft, self.engine, self.interview_id, qid, language, code)

    async def on_run(self, data: dict[str, Any]) -> None:
        ex = self.exercise()
        if ex is None:
            await self.out.send(protocol.error(protocol.BAD_MESSAGE, "this question has no runnable tests; "
                                                                     "talk it through instead"))
            return
        language, code, mode = data["language"], data["code"], data["mode"]
        expected = "sql" if ex.kind == "sql" else None
        if (expected and language != "sql") or (not expected and language == "sql"):
            await self.out.send(protocol.error(protocol.BAD_MESSAGE, f"this question runs {ex.kind} answers, "
                                                                     f"not {language}"))
            return
        self.activity(self.clock.now_ms())
        task = asyncio.create_task(self._run(ex, language, code, mode))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _run(self, ex: exercises.Exercise, language: str, code: str, mode: str) -> None:
        def job() -> Awaitable[RunResult]:
            if isinstance(ex, CodeExercise):
                return judge.run_code(ex, language, code, mode, self.limits)
            return judge.run_sql(ex, code, mode, self.limits)

        try:
            result = await self.pool.run(str(self.interview_id), job)
        except RunRefused as exc:
            await self.out.send(protocol.error(protocol.BUSY, str(exc)))
            return
        except Exception:  # noqa: BLE001 - a runner failure must not end the session
            log.exception("interview %s: run failed", self.interview_id)
            await self.out.send(protocol.error(protocol.INTERNAL, "the run could not be completed"))
            return
        at_ms = self.clock.now_ms()
        run_id = await asyncio.to_thread(code_store.add_run, self.engine, self.interview_id, at_ms, code, result)
        dump = result.model_dump(mode="json")
        await self.out.send(events.RunResultEvent(run_id, at_ms, dump))
        self.activity(at_ms)
        self.iv.code_changed(language, code)
        await self.put(Reply(lambda: self.iv.on_run(dump, code)))

    def close(self) -> None:
        for task in list(self.tasks):
            task.cancel()
