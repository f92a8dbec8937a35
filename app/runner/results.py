"""What a run returns (typed, stored with the interview, sent to the room and read by interviewer and scorer)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

CaseStatus = Literal["passed", "failed", "error", "timeout", "memory", "not_allowed", "output", "not_run"]
RunStatus = Literal["passed", "failed", "error", "refused"]

MESSAGES = {
    "timeout": "time limit: it ran too long (an endless loop, or too slow for this input?)",
    "memory": "memory limit: it used too much memory",
    "output": "output limit: it printed too much",
    "not_run": "not run (an earlier case stopped the run)",
}


class CaseResult(BaseModel):
    index: int
    name: str = ""
    hidden: bool = False
    status: CaseStatus
    input: str = ""  # the case's input, shortened: the interviewer names it when it fails
    expected: Any = None  # visible cases only
    got: Any = None  # visible cases only
    error: str | None = None
    ms: float | None = None
    out: str = ""  # what the code printed (visible cases only)
    # SQL: the result table and plan (visible datasets only)
    columns: list[str] | None = None
    rows: list[list[Any]] | None = None
    plan: list[str] | None = None


class RunResult(BaseModel):
    question_id: str
    language: str
    mode: Literal["run", "submit"]
    status: RunStatus
    passed: int = 0
    total: int = 0
    message: str = ""
    cases: list[CaseResult] = Field(default_factory=list)
    elapsed_ms: float = 0.0

    @property
    def first_failure(self) -> CaseResult | None:
        return next((c for c in self.cases if c.status != "passed"), None)

    def summary(self) -> str:
        """One line for logs, the LLM prompt and the transcript: counts and the first failing case."""
        label = "examples" if self.mode == "run" else "hidden tests"
        if self.status in ("refused", "error") and not self.cases:
            return f"{self.language} run of the {label}: {self.message}"
        line = f"{self.language} run of the {label}: {self.passed} of {self.total} passed"
        bad = self.first_failure
        if bad is not None:
            what = bad.error or ("wrong result" if bad.status == "failed" else bad.status)
            line += f"; first failure on input {bad.input}" + (f" ({bad.name})" if bad.name else "") + f": {what}"
        return line
