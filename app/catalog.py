"""The round catalog: interview rounds as data.

A round is two files with the same stem:
  rubrics/<round_id>.yaml        title, description, duration, phases, scored dimensions
  prompts/rounds/<round_id>.yaml persona, rules and question bank of the interviewer
  prompts/keys/<round_id>.yaml   the answer key: what a strong answer to each question establishes
                                 (app.answer_keys; optional while a round has none)

Adding a round means adding those two files; no Python changes. Everything is validated at start-up
and a bad file stops start-up with one message naming the file, the field and the problem.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app import answer_keys, round_plan
from app.answer_keys import AnswerKey
from app.board.spec import BoardSpec, check_against, load_spec
from app.round_plan import RoundPlan

Level = Literal["mid", "senior", "staff"]
LEVELS: tuple[str, ...] = ("mid", "senior", "staff")
KEY_PATTERN = r"^[a-z][a-z0-9_]*$"


class CatalogError(Exception):
    """A round file is missing or invalid. The message names file, field and problem."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Phase(Strict):
    key: str = Field(pattern=KEY_PATTERN)
    name: str = Field(min_length=1)
    minutes: float = Field(gt=0)
    # what the phase is about (rubric dimension keys): its follow-ups prefer these dimensions, and the
    # phase is announced only together with a question about one of them (empty: any question)
    dimensions: list[str] = Field(default_factory=list)
    # the phase starts with a new main question (e.g. behavioral "second story")
    new_question: bool = False
    # how the interviewer announces the phase (default: "let's turn to <name>")
    announce: str | None = Field(default=None, min_length=5)


class Signal(Strict):
    """A concept a strong answer contains, with the phrases (synonyms) that express it."""

    name: str = Field(min_length=1)
    phrases: list[str] = Field(min_length=1)

    @field_validator("phrases")
    @classmethod
    def _phrases_not_blank(cls, phrases: list[str]) -> list[str]:
        if any(not p.strip() for p in phrases):
            raise ValueError("phrases must not be blank")
        return phrases


class Dimension(Strict):
    key: str = Field(pattern=KEY_PATTERN)
    name: str = Field(min_length=1)
    weight: float = Field(gt=0, le=1)
    assesses: str = Field(min_length=10)
    anchors: dict[int, str]
    signals: list[Signal] = Field(min_length=3)
    red_flags: list[str] = Field(min_length=1)

    @field_validator("anchors")
    @classmethod
    def _four_anchors(cls, anchors: dict[int, str]) -> dict[int, str]:
        if sorted(anchors) != [1, 2, 3, 4]:
            raise ValueError("anchors must have exactly the levels 1, 2, 3 and 4")
        if any(len(text.strip()) < 10 for text in anchors.values()):
            raise ValueError("every anchor must describe observable behaviour (10+ characters)")
        return anchors


MAX_CHALLENGE_WORDS = 30


class Misconception(Strict):
    """A common wrong claim for the round: how it is said, the dimension it caps, and the correction.

    `forms` are matcher patterns (app.hearing.signals): words matched on stems, "..." for a gap of a few
    words within a clause; at least two words each, so that a form is a claim and not a term.
    """

    id: str = Field(pattern=KEY_PATTERN)
    dimension: str = Field(pattern=KEY_PATTERN)
    claim: str = Field(min_length=10)  # the wrong claim in one sentence, for people reading the rubric
    forms: list[str] = Field(min_length=1)
    correction: str = Field(min_length=20)
    truth: str = Field(min_length=10)  # what is actually true, in one sentence (app/hearing contrasts claim and truth)
    # Plain spoken ways a confident candidate asserts the claim, and ways a strong one states the truth, in
    # their own words (written by authors who never saw the test transcripts). The hearing layer holds a
    # sentence against the truth's wordings; the claim's were measured as extra wordings and did not help
    # (app.hearing.hearing._myth_wordings).
    plain: list[str] = Field(default_factory=list)
    truth_plain: list[str] = Field(default_factory=list)
    # What the interviewer asks when the claim is made (answers.py, MoveKind.CHALLENGE): one neutral spoken
    # question that puts the claim to a concrete test, without the correction or any verdict.
    challenge: str = Field(min_length=10)
    # The highest score its dimension can get with this claim: always 2 (issue 10: "caps that dimension
    # (at most 2)"). A wrong claim shows the candidate does not hold that dimension's idea, but it says
    # nothing of the other dimensions, and the rest of the answer may still have shown some of this one.
    cap: Literal[2] = 2

    @field_validator("challenge")
    @classmethod
    def _one_question(cls, challenge: str) -> str:
        text = challenge.strip()
        if text.count("?") != 1 or not text.endswith("?"):
            raise ValueError("challenge must be one spoken question: exactly one '?', at the end")
        if len(text.split()) > MAX_CHALLENGE_WORDS:
            raise ValueError(f"challenge is spoken: at most {MAX_CHALLENGE_WORDS} words")
        return text

    @field_validator("forms")
    @classmethod
    def _forms_are_claims(cls, forms: list[str]) -> list[str]:
        for form in forms:
            words = [w for w in re.findall(r"[A-Za-z0-9']+", form)]
            if len(words) < 2:
                raise ValueError(f"form '{form}' must have at least two words")
            if form.strip().startswith("...") or form.strip().endswith("..."):
                raise ValueError(f"form '{form}' must not start or end with a gap")
        return forms


class Rubric(Strict):
    id: str = Field(pattern=KEY_PATTERN)
    title: str = Field(min_length=1)
    description: str = Field(min_length=10)
    duration_minutes: float = Field(gt=0)
    phases: list[Phase] = Field(min_length=2)
    dimensions: list[Dimension] = Field(min_length=4, max_length=6)
    misconceptions: list[Misconception] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Rubric:
        if self.phases[0].key != "intro" or self.phases[-1].key != "wrap_up":
            raise ValueError("the first phase must be 'intro' and the last 'wrap_up'")
        total = sum(p.minutes for p in self.phases)
        if abs(total - self.duration_minutes) > 1e-6:
            raise ValueError(f"phase minutes add up to {total:g}, not duration_minutes {self.duration_minutes:g}")
        for what, keys in (("phase", [p.key for p in self.phases]), ("dimension", [d.key for d in self.dimensions])):
            dupes = sorted({k for k in keys if keys.count(k) > 1})
            if dupes:
                raise ValueError(f"duplicate {what} keys: {', '.join(dupes)}")
        dims = {d.key for d in self.dimensions}
        for phase in self.phases:
            unknown = [k for k in phase.dimensions if k not in dims]
            if unknown:
                raise ValueError(f"phase '{phase.key}': dimensions {', '.join(unknown)} are not dimensions "
                                 "of this rubric")
        weight = sum(d.weight for d in self.dimensions)
        if abs(weight - 1.0) > 0.011:
            raise ValueError(f"dimension weights add up to {weight:.3f}, not 1.0")
        return self


class Probe(Strict):
    dimension: str = Field(pattern=KEY_PATTERN)
    text: str = Field(min_length=5)
    hint: str = Field(min_length=5)  # spoken when the candidate is stuck on this probe


_SENTENCE = re.compile(r"[.?!](?:\s|$)")
MAX_FACT_SENTENCES = 2


class Fact(Strict):
    """The interviewer's answer to a clarifying question a candidate is likely to ask.

    `asks` are the ways candidates ask about it: phrases or keywords ("how many users", "daily active",
    "read heavy"). A clarifying question is matched against them (app/interviewer/facts.py); `answer` is
    spoken as is, so it is one or two sentences with concrete numbers where numbers matter."""

    id: str = Field(pattern=KEY_PATTERN)
    asks: list[str] = Field(min_length=1)
    answer: str = Field(min_length=10, max_length=320)

    @field_validator("asks")
    @classmethod
    def _asks_not_blank(cls, asks: list[str]) -> list[str]:
        if any(not re.search(r"[a-z0-9]", a.lower()) for a in asks):
            raise ValueError("asks must not be blank")
        return asks

    @field_validator("answer")
    @classmethod
    def _short_answer(cls, answer: str) -> str:
        if len(_SENTENCE.findall(answer.strip())) > MAX_FACT_SENTENCES:
            raise ValueError(f"a fact is spoken: at most {MAX_FACT_SENTENCES} sentences")
        return answer


def _unique_ids(facts: list[Fact]) -> list[Fact]:
    ids = [f.id for f in facts]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"duplicate fact ids: {', '.join(dupes)}")
    return facts


class Question(Strict):
    id: str = Field(pattern=KEY_PATTERN)
    levels: list[Level] = Field(min_length=1)
    text: str = Field(min_length=10)
    hint: str = Field(min_length=5)
    probes: list[Probe] = Field(min_length=3)
    # the first fact is the headline (usually the scale): offered when no fact matches a question
    facts: list[Fact] = Field(min_length=2)

    _facts_unique = field_validator("facts")(_unique_ids)


SpecificsKind = Literal["numbers", "example", "tradeoff"]


class RoundPrompt(Strict):
    round: str = Field(pattern=KEY_PATTERN)
    persona: str = Field(min_length=20)
    rules: list[str] = Field(min_length=1)
    # Optional: how this round asks for specifics when an answer is vague (else generic lines are used),
    # e.g. a coding round asks for complexity where a design round asks for rough numbers.
    specifics: dict[SpecificsKind, list[str]] = Field(default_factory=dict)
    # facts true for every question of the round (e.g. behavioral: which stories are fine); a question's
    # own fact with the same id takes precedence
    facts: list[Fact] = Field(default_factory=list)
    questions: list[Question] = Field(min_length=8)
    # one problem in depth through the phases (deep), or several questions (series): app/round_plan.py
    structure: Literal["deep", "series"] = "series"

    _facts_unique = field_validator("facts")(_unique_ids)


class Round(BaseModel):
    """A validated round: its rubric and its interviewer prompt together."""

    model_config = ConfigDict(frozen=True)

    rubric: Rubric
    prompt: RoundPrompt
    board: BoardSpec = BoardSpec()  # what its whiteboards should show (prompts/boards/, app/board/spec.py)
    keys: AnswerKey | None = None
    plan: RoundPlan | None = None  # phase prompts (prompts/phases/<round>.yaml), for deep rounds

    @property
    def deep(self) -> bool:
        return self.prompt.structure == "deep"

    @property
    def id(self) -> str:
        return self.rubric.id

    @cached_property
    def dimension_keys(self) -> list[str]:
        return [d.key for d in self.rubric.dimensions]

    def dimension(self, key: str) -> Dimension:
        for dim in self.rubric.dimensions:
            if dim.key == key:
                return dim
        raise KeyError(key)

    def facts_for(self, question: Question | None) -> list:
        """The facts in force while `question` is in play: its own, then the round's (same id: its own)."""
        own = list(question.facts) if question is not None else []
        ids = {f.id for f in own}
        return own + [f for f in self.prompt.facts if f.id not in ids]

    def questions_for(self, level: str) -> list[Question]:
        return [q for q in self.prompt.questions if level in q.levels]

    @cached_property
    def vocabulary(self) -> list[str]:
        """Domain terms (signal phrases) used to bias speech recognition toward this round."""
        seen: dict[str, None] = {}
        for dim in self.rubric.dimensions:
            for signal in dim.signals:
                for phrase in signal.phrases:
                    seen.setdefault(phrase.strip(), None)
        return list(seen)


class Catalog:
    def __init__(self, rounds: dict[str, Round]):
        self.rounds = rounds

    def get(self, round_id: str) -> Round | None:
        return self.rounds.get(round_id)

    def __iter__(self):
        return iter(self.rounds.values())

    def __len__(self) -> int:
        return len(self.rounds)


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: expected a mapping at the top level")
    return data


def _field_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _parse(model: type[BaseModel], path: Path) -> BaseModel:
    try:
        return model.model_validate(_read_yaml(path))
    except ValidationError as exc:
        err = exc.errors()[0]
        more = f" (and {len(exc.errors()) - 1} more problems)" if len(exc.errors()) > 1 else ""
        raise CatalogError(f"{path}: field '{_field_path(err['loc'])}': {err['msg']}{more}") from exc


def _check_pair(rubric: Rubric, prompt: RoundPrompt, rubric_path: Path, prompt_path: Path) -> None:
    if rubric.id != rubric_path.stem:
        raise CatalogError(f"{rubric_path}: field 'id': '{rubric.id}' must match the file name")
    if prompt.round != rubric.id:
        raise CatalogError(f"{prompt_path}: field 'round': '{prompt.round}' must be '{rubric.id}'")
    keys = {d.key for d in rubric.dimensions}
    seen: set[str] = set()
    for i, m in enumerate(rubric.misconceptions):
        if m.dimension not in keys:
            raise CatalogError(f"{rubric_path}: field 'misconceptions[{i}].dimension': '{m.dimension}' is not a "
                               "dimension of this rubric")
        if m.id in seen:
            raise CatalogError(f"{rubric_path}: field 'misconceptions[{i}].id': duplicate misconception id '{m.id}'")
        seen.add(m.id)
    ids: set[str] = set()
    for i, q in enumerate(prompt.questions):
        if q.id in ids:
            raise CatalogError(f"{prompt_path}: field 'questions[{i}].id': duplicate question id '{q.id}'")
        ids.add(q.id)
        for j, probe in enumerate(q.probes):
            if probe.dimension not in keys:
                raise CatalogError(
                    f"{prompt_path}: field 'questions[{i}].probes[{j}].dimension': "
                    f"'{probe.dimension}' is not a dimension of rubric {rubric_path.name}"
                )
    for level in {lvl for q in prompt.questions for lvl in q.levels} ^ set(LEVELS):
        raise CatalogError(f"{prompt_path}: field 'questions': no question for level '{level}'")


def load_keys(path: Path, rubric: Rubric, prompt: RoundPrompt, require_all: bool = True) -> AnswerKey:
    """A round's answer key, checked against its rubric and questions (file, field, reason on error)."""
    key = _parse(AnswerKey, path)
    if key.round != rubric.id:
        raise CatalogError(f"{path}: field 'round': '{key.round}' must be '{rubric.id}'")
    probes = {q.id: {p.dimension for p in q.probes} for q in prompt.questions}
    found = answer_keys.problems(key, {d.key for d in rubric.dimensions}, probes, require_all)
    if found:
        field, reason = found[0]
        more = f" (and {len(found) - 1} more problems)" if len(found) > 1 else ""
        raise CatalogError(f"{path}: field '{field}': {reason}{more}")
    return key


def load_round(rubric_path: Path, prompts_dir: Path) -> Round:
    rubric = _parse(Rubric, rubric_path)
    prompt_path = prompts_dir / "rounds" / f"{rubric_path.stem}.yaml"
    if not prompt_path.is_file():
        raise CatalogError(f"{prompt_path}: missing prompt file for rubric {rubric_path.name}")
    prompt = _parse(RoundPrompt, prompt_path)
    _check_pair(rubric, prompt, rubric_path, prompt_path)
    keys_path = prompts_dir / "keys" / f"{rubric_path.stem}.yaml"
    keys = load_keys(keys_path, rubric, prompt) if keys_path.is_file() else None
    try:
        board, board_path = load_spec(Path(prompts_dir), rubric.id)
        check_against(board, board_path, {q.id for q in prompt.questions}, {d.key for d in rubric.dimensions})
    except ValueError as exc:
        raise CatalogError(str(exc)) from None
    rnd = Round(rubric=rubric, prompt=prompt, keys=keys, board=board)
    try:
        plan = round_plan.load(prompts_dir, rnd.id)
        round_plan.validate(rnd, plan, Path(prompts_dir))
    except round_plan.PlanError as exc:
        raise CatalogError(str(exc)) from exc
    return Round(rubric=rubric, prompt=prompt, keys=keys, board=board, plan=plan)


def load_catalog(rubrics_dir: Path, prompts_dir: Path) -> Catalog:
    paths = sorted(Path(rubrics_dir).glob("*.yaml"))
    if not paths:
        raise CatalogError(f"{rubrics_dir}: no rubric files (*.yaml) found")
    rounds = {}
    for path in paths:
        if not re.fullmatch(KEY_PATTERN, path.stem):
            raise CatalogError(f"{path}: file name must be a round id (lowercase letters, digits, _)")
        rnd = load_round(path, Path(prompts_dir))
        rounds[rnd.id] = rnd
    return Catalog(rounds)
