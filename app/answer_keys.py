"""Answer keys: what a strong answer to each question establishes, as data (`prompts/keys/<round>.yaml`).

```yaml
round: database
questions:
  orders_schema:                  # a question id of prompts/rounds/<round>.yaml
    - id: snapshot_price          # unique within the question
      dimension: schema_modelling # a dimension of the round's rubric
      point: "An order line stores the price paid at purchase time, not a link to the current price."
      plain:                      # 2-3 ways a candidate says it plainly
        - "save what they actually paid on each order line"
        - "copy the price into the order when it's placed"
      weight: 2                   # optional, 1-3, default 1
```

The hearing layer (app.hearing.keys) hears the points by meaning; the offline scorer scores a dimension
from the points established. app.catalog loads and checks a round's key file with its other two files:
every question has key points covering every dimension its probes target, every point's dimension
exists, ids are unique within a question.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

KEY_PATTERN = r"^[a-z][a-z0-9_]*$"


class KeyPoint(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=KEY_PATTERN)
    dimension: str = Field(pattern=KEY_PATTERN)
    point: str = Field(min_length=10)
    plain: list[str] = Field(min_length=1, max_length=5)
    weight: int = Field(default=1, ge=1, le=3)

    @field_validator("plain")
    @classmethod
    def _plain_not_blank(cls, plain: list[str]) -> list[str]:
        if any(len(p.split()) < 2 for p in plain):
            raise ValueError("every plain form must have at least two words")
        return plain

    @property
    def wordings(self) -> tuple[str, ...]:
        return (self.point, *self.plain)


class AnswerKey(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    round: str = Field(pattern=KEY_PATTERN)
    questions: dict[str, list[KeyPoint]]

    def points(self, question_id: str) -> list[KeyPoint]:
        return self.questions.get(question_id, [])


def problems(key: AnswerKey, dimensions: set[str], probes: dict[str, set[str]],
             require_all: bool = True) -> list[tuple[str, str]]:
    """(field, reason) for each inconsistency with the round; `probes` maps each question id to the
    dimensions its probes target. `require_all=False` (test fixtures) allows questions without a key."""
    out: list[tuple[str, str]] = []
    for qid, points in key.questions.items():
        if qid not in probes:
            out.append((f"questions.{qid}", f"'{qid}' is not a question of this round"))
            continue
        if not points:
            out.append((f"questions.{qid}", "no key points"))
        seen: set[str] = set()
        for i, p in enumerate(points):
            if p.dimension not in dimensions:
                out.append((f"questions.{qid}[{i}].dimension", f"'{p.dimension}' is not a dimension of the rubric"))
            if p.id in seen:
                out.append((f"questions.{qid}[{i}].id", f"duplicate key point id '{p.id}'"))
            seen.add(p.id)
        missing = sorted(probes[qid] - {p.dimension for p in points})
        if missing:
            out.append((f"questions.{qid}", f"no key point for the dimensions its probes target: {', '.join(missing)}"))
    if require_all:
        for qid in probes:
            if qid not in key.questions:
                out.append(("questions", f"question '{qid}' has no key points"))
    return out
