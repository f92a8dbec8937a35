"""How a round is conducted, as data: one problem in depth, or a series of questions.

A round declares `structure` in prompts/rounds/<round>.yaml:

- `deep` (system design, API design, coding): one problem taken through the rubric's phases
  (requirements, estimates, API and data model, high-level design, deep dive, failure, evolution; coding:
  clarify, approach, implement, test and a changed-constraint follow-up). A second problem comes only when
  the first is exhausted early.
- `series` (behavioral, database, distributed systems): several questions, each with its probes.

The phase prompts of a deep round live in prompts/phases/<round>.yaml:

    round: system_design
    phases:                      # the round's own follow-ups per phase, for any problem (optional)
      deep_dive: [{ask: "What breaks first if traffic doubles overnight?", dimension: scalability}]
    questions:
      url_shortener:
        requirements:
          - probe: 0             # the question's probe 0, as it is (text, hint, dimension)
          - ask: "Who creates links: anyone, or signed-in users?"
            dimension: requirements
            points: [expiry_and_alias_on_record]   # answer-key points (prompts/keys/<round>.yaml) it seeks
            hint: "Think about what an account changes for abuse and for custom aliases."

A phase prompt's `points` are checked against the round's answer key (prompts/keys/<round>.yaml,
app.answer_keys) when the question has one.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

KEY = r"^[a-z][a-z0-9_]*$"
MAX_PROMPT_WORDS = 40


class PlanError(ValueError):
    """A phase plan or answer key does not fit its round."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PhasePrompt(_Strict):
    """One thing the interviewer asks in a phase: its own words (`ask`), or a probe of the question."""

    ask: str | None = Field(default=None, min_length=10)
    probe: int | None = Field(default=None, ge=0)
    dimension: str | None = Field(default=None, pattern=KEY)
    hint: str | None = Field(default=None, min_length=5)
    points: list[str] = Field(default_factory=list)
    twist: bool = False  # a changed constraint on the same problem (coding's follow-up)

    @model_validator(mode="after")
    def _one_source(self) -> PhasePrompt:
        if (self.ask is None) == (self.probe is None):
            raise ValueError("a phase prompt has exactly one of 'ask' (its words) or 'probe' (a probe index)")
        if self.ask is not None:
            if self.dimension is None:
                raise ValueError("a phase prompt with 'ask' needs its 'dimension'")
            text = self.ask.strip()
            if text.count("?") != 1 or not text.endswith("?"):
                raise ValueError(f"'{text[:40]}...' must be one spoken question: one '?', at the end")
            if len(text.split()) > MAX_PROMPT_WORDS:
                raise ValueError(f"'{text[:40]}...' is spoken: at most {MAX_PROMPT_WORDS} words")
        return self


Phases = dict[str, list[PhasePrompt]]


class RoundPlan(_Strict):
    round: str = Field(pattern=KEY)
    phases: Phases = Field(default_factory=dict)
    questions: dict[str, Phases] = Field(default_factory=dict)


def _read(path: Path, model: type[BaseModel]):
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return model.model_validate(data)
    except yaml.YAMLError as exc:
        raise PlanError(f"{path}: not valid YAML: {exc}") from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise PlanError(f"{path}: field '{where}': {err['msg']}") from exc


def load(prompts_dir: Path, round_id: str) -> RoundPlan | None:
    """The round's phase plan, None when its file is absent."""
    path = Path(prompts_dir) / "phases" / f"{round_id}.yaml"
    if not path.is_file():
        return None
    plan = _read(path, RoundPlan)
    if plan.round != round_id:
        raise PlanError(f"{path}: field 'round': '{plan.round}' must be '{round_id}'")
    return plan


def validate(rnd, plan: RoundPlan | None, where: Path) -> None:
    """The structure fits the round: a deep round has a plan; every plan names real questions, main phases,
    probes, dimensions and key points; every main phase of an authored problem has something to ask; every
    level has a problem with a plan."""
    from app.interviewer.timekeeping import is_questions_phase

    dims = {d.key for d in rnd.rubric.dimensions}
    main = [p.key for p in rnd.rubric.phases[1:] if not is_questions_phase(p)]
    questions = {q.id: q for q in rnd.prompt.questions}
    keys = rnd.keys  # checked by the catalog (app.answer_keys)
    if rnd.prompt.structure == "series":
        return
    path = f"{where}/phases/{rnd.id}.yaml"
    if plan is None:
        raise PlanError(f"{path}: missing: round '{rnd.id}' is 'structure: deep' and needs its phase prompts")

    def check(label: str, phases: Phases, qid: str | None) -> None:
        for phase, prompts in phases.items():
            if phase not in main:
                raise PlanError(f"{path}: {label}: '{phase}' is not a main phase of the rubric ({', '.join(main)})")
            for i, p in enumerate(prompts):
                at = f"{path}: {label}.{phase}[{i}]"
                if p.probe is not None and (qid is None or p.probe >= len(questions[qid].probes)):
                    raise PlanError(f"{at}: probe {p.probe} is not a probe of the question")
                if p.dimension is not None and p.dimension not in dims:
                    raise PlanError(f"{at}: dimension '{p.dimension}' is not a dimension of the rubric")
                known = {k.id for k in (keys.questions.get(qid, []) if keys and qid else [])}
                unknown = [k for k in p.points if k not in known]
                if unknown and keys is not None and qid in keys.questions:
                    raise PlanError(f"{at}: key points {unknown} are not in the question's answer key")

    check("phases", plan.phases, None)
    for qid, phases in plan.questions.items():
        if qid not in questions:
            raise PlanError(f"{path}: question '{qid}' is not in the round")
        check(qid, phases, qid)
        empty = [k for k in main if not phases.get(k)]
        if empty:
            raise PlanError(f"{path}: {qid}: main phases {', '.join(empty)} have nothing to ask")
    for level in ("mid", "senior", "staff"):
        if not any(level in q.levels and q.id in plan.questions for q in rnd.prompt.questions):
            raise PlanError(f"{path}: no problem with phase prompts for level '{level}'")
