"""The runnable form of a question: prompts/exercises/<question_id>.yaml, validated at load time.

A coding exercise: per language a function name, a signature and a reference solution; visible examples
and hidden tests (args + expected); how results compare (exact, unordered, nested_unordered); the
expected complexity. A SQL exercise: schema, datasets (a seed each; visible or hidden, with a description
the interviewer can name), the reference query and whether row order matters. Questions without a file
stay talk-only.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator

LANGUAGES = ("python", "javascript")
# how a result is judged: equal to the expected value (exact, or as a multiset: unordered, also inside each
# group: nested_unordered), or `topological`: any order of 0..n-1 that keeps every pair [a, b] (b before
# a) of the case's arguments (n, pairs) is right, and [] when none exists (the expected value is one example)
Compare = Literal["exact", "unordered", "nested_unordered", "topological"]


class ExerciseError(ValueError):
    pass


class Case(BaseModel):
    args: list[Any]
    expected: Any
    name: str = ""  # what the case is about ("duplicates"): the interviewer may say it


class CodeExercise(BaseModel):
    question_id: str
    kind: Literal["code"] = "code"
    function: dict[str, str]
    signature: dict[str, str]
    reference: dict[str, str]
    compare: Compare = "exact"
    design: bool = False  # `function` names a class; each case is a list of calls (see harness/py_run.py)
    # helpers run before the candidate's code, per language: classes the signature uses (TreeNode) and an
    # __adapter__(fn, *args) that turns a case's plain arguments into the call (and the result back)
    prelude: dict[str, str] = Field(default_factory=dict)
    complexity: dict[str, str] = Field(default_factory=dict)  # {"time": "O(n)", "space": "O(n)"}
    notes: str = ""
    examples: list[Case] = Field(min_length=1)
    tests: list[Case] = Field(min_length=3)

    @model_validator(mode="after")
    def _languages(self) -> CodeExercise:
        for field in ("function", "signature", "reference"):
            missing = [lang for lang in LANGUAGES if lang not in getattr(self, field)]
            if missing:
                raise ValueError(f"{field}: missing {', '.join(missing)}")
        return self

    def cases(self, mode: str) -> list[Case]:
        return self.examples if mode == "run" else self.tests

    def public(self) -> dict[str, Any]:
        """What the room may see: no hidden tests, no reference."""
        return {"question_id": self.question_id, "kind": "code", "languages": list(LANGUAGES),
                "signature": self.signature, "notes": self.notes, "design": self.design,
                "examples": [c.model_dump() for c in self.examples]}


class Dataset(BaseModel):
    name: str
    seed: str
    hidden: bool = False


class SqlExercise(BaseModel):
    question_id: str
    kind: Literal["sql"]
    schema_sql: str = Field(alias="schema")
    datasets: list[Dataset] = Field(min_length=2)
    reference: str
    ordered: bool = False
    notes: str = ""
    complexity: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _visible(self) -> SqlExercise:
        if not any(not d.hidden for d in self.datasets) or not any(d.hidden for d in self.datasets):
            raise ValueError("datasets: needs at least one visible and one hidden dataset")
        return self

    def cases(self, mode: str) -> list[Dataset]:
        return [d for d in self.datasets if not d.hidden] if mode == "run" else list(self.datasets)

    def public(self) -> dict[str, Any]:
        return {"question_id": self.question_id, "kind": "sql", "languages": ["sql"], "schema": self.schema_sql,
                "notes": self.notes, "ordered": self.ordered,
                "examples": [{"name": d.name, "seed": d.seed} for d in self.datasets if not d.hidden]}


Exercise = CodeExercise | SqlExercise


def parse(path: Path) -> Exercise:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ExerciseError(f"{path.name}: cannot read: {exc}") from None
    if not isinstance(data, dict):
        raise ExerciseError(f"{path.name}: expected a mapping")
    try:
        exercise = SqlExercise.model_validate(data) if data.get("kind") == "sql" else CodeExercise.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ExerciseError(f"{path.name}: {where}: {first['msg']}") from None
    if exercise.question_id != path.stem:
        raise ExerciseError(f"{path.name}: question_id {exercise.question_id!r} does not match the file name")
    return exercise


@lru_cache(maxsize=4)
def load_all(prompts_dir: Path) -> dict[str, Exercise]:
    folder = Path(prompts_dir) / "exercises"
    if not folder.is_dir():
        return {}
    return {p.stem: parse(p) for p in sorted(folder.glob("*.yaml"))}


def find(prompts_dir: Path, question_id: str | None) -> Exercise | None:
    if not question_id:
        return None
    return load_all(Path(prompts_dir)).get(question_id)
