"""What a round's boards should show, as data (prompts/boards/<round>.yaml), validated with the catalog.

    dimensions:   rubric dimension -> kinds a follow-up on it can point at ("Looking at <label> ...")
    questions:    question id -> needs: components a strong design has, each with where it belongs
    claims:       things said that the drawing can contradict (in prompts/boards/common.yaml for every
                  round, plus the round's own)

A need or a claim only ever names drawn components in what is said: its `ask` may use {from} and {to},
filled with the labels of drawn nodes of the kinds in `between` / `at`; a rule whose places are not drawn
does not fire.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app.board.graph import Kind

BOARDS_DIR = "boards"
COMMON = "common.yaml"
_FIELDS = {"from", "to"}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Need(Strict):
    """`kind` belongs between the drawn `between[0]` and `between[1]` (a direct arrow skipping it is the
    gap), or, with `at`, somewhere once a node of kind `at` is drawn (none drawn at all is the gap)."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    kind: Kind
    between: tuple[Kind, Kind] | None = None
    at: Kind | None = None
    dimension: str
    ask: str = Field(min_length=10, max_length=240)

    @model_validator(mode="after")
    def _one_place(self) -> Need:
        if (self.between is None) == (self.at is None):
            raise ValueError("a need has exactly one of 'between' or 'at'")
        allowed = {"from", "to"} if self.between else {"from"}
        extra = _placeholders(self.ask) - allowed
        if extra:
            raise ValueError(f"'ask' may only use {sorted(allowed)}, not {sorted(extra)}")
        return self


class Claim(Strict):
    """Said `said` (not negated); the drawing contradicts it when `check` holds:
    bypass  — an arrow from a `between[0]` node straight to a `between[1]` node, the source linked to no `kind`
    missing — no node of `kind` drawn (while a node of kind `at` is)."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    said: list[str] = Field(min_length=1)
    check: Literal["bypass", "missing"]
    kind: Kind
    between: tuple[Kind, Kind] | None = None
    at: Kind | None = None
    dimension: str | None = None  # None: the round's dimension for `kind` (BoardSpec.dimension_for)
    ask: str = Field(min_length=10, max_length=240)

    @field_validator("said")
    @classmethod
    def _lower(cls, said: list[str]) -> list[str]:
        if any(not s.strip() for s in said):
            raise ValueError("a phrase in 'said' is blank")
        return [s.strip().lower() for s in said]

    @model_validator(mode="after")
    def _places(self) -> Claim:
        if self.check == "bypass" and self.between is None:
            raise ValueError("a 'bypass' claim needs 'between'")
        if self.check == "missing" and self.at is None:
            raise ValueError("a 'missing' claim needs 'at'")
        extra = _placeholders(self.ask) - _FIELDS
        if extra:
            raise ValueError(f"'ask' may only use ['from', 'to'], not {sorted(extra)}")
        return self


class BoardSpec(Strict):
    dimensions: dict[str, list[Kind]] = Field(default_factory=dict)
    evidence: list[str] = Field(default_factory=list)  # dimensions a drawing is evidence for (the scorecard)
    questions: dict[str, list[Need]] = Field(default_factory=dict)
    claims: list[Claim] = Field(default_factory=list)

    def needs(self, question_id: str | None) -> list[Need]:
        return list(self.questions.get(question_id or "", []))

    def dimension_for(self, kind: str) -> str | None:
        return next((dim for dim, kinds in self.dimensions.items() if kind in kinds), None)


def load_spec(prompts_dir: Path, round_id: str) -> tuple[BoardSpec, Path | None]:
    """The round's spec merged with the common claims; (empty spec, None) for a round without a file.
    Raises ValueError("<file>: field '...': reason")."""
    base = Path(prompts_dir) / BOARDS_DIR
    common = _read(base / COMMON) if (base / COMMON).is_file() else BoardSpec()
    path = base / f"{round_id}.yaml"
    own = _read(path) if path.is_file() else BoardSpec()
    merged = BoardSpec(dimensions=own.dimensions, evidence=own.evidence, questions=own.questions,
                       claims=[*common.claims, *own.claims])
    return merged, (path if path.is_file() else None)


def _read(path: Path) -> BoardSpec:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return BoardSpec.model_validate(data)
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise ValueError(f"{path}: field '{where}': {str(err['msg']).removeprefix('Value error, ')}") from exc


def check_against(spec: BoardSpec, path: Path | None, question_ids: set[str], dimensions: set[str]) -> None:
    """The spec names only this round's questions and dimensions (ValueError otherwise)."""
    where = str(path or BOARDS_DIR)
    for qid, needs in spec.questions.items():
        if qid not in question_ids:
            raise ValueError(f"{where}: field 'questions.{qid}': not a question of this round")
        for i, need in enumerate(needs):
            if need.dimension not in dimensions:
                raise ValueError(f"{where}: field 'questions.{qid}[{i}].dimension': '{need.dimension}' is not a "
                                 "dimension of this round")
    for dim in spec.dimensions:
        if dim not in dimensions:
            raise ValueError(f"{where}: field 'dimensions.{dim}': not a dimension of this round")
    for dim in spec.evidence:
        if dim not in spec.dimensions:
            raise ValueError(f"{where}: field 'evidence': '{dim}' needs its kinds under 'dimensions'")
    for i, claim in enumerate(spec.claims):
        if claim.dimension is not None and claim.dimension not in dimensions:
            raise ValueError(f"{where}: field 'claims[{i}].dimension': '{claim.dimension}' is not a dimension "
                             "of this round")
