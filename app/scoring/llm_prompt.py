"""What the LLM scorer sends for one rubric dimension, and the short JSON it accepts back.

A small local model (1.5B parameters, 4096 tokens of context, ~50 prompt tokens/s on 2 cores) cannot
read a whole interview and write a whole scorecard. So each dimension is one short call:

- Excerpts: the candidate's sentences that matter for this dimension, numbered [1]..[n], in transcript
  order: the sentences the offline pass matched to the dimension's signals, the sentences next to them
  in the same turn (where the reasons usually are), and the answers to interviewer turns that probed
  the dimension; topped up with the candidate's most reasoned sentences when that gives too few (a
  plain-spoken answer names no rubric terms). At most MAX_EXCERPTS, MAX_EXCERPT_CHARS in all. Each is
  a verbatim span of a candidate turn, so a quote the model picks by number is verified by construction.
  Sentences addressed to the scorer were already set aside by the offline pass and are never sent.
- Messages: prompts/scorer.j2. The system message (rules + reply shape + round) is the same for every
  dimension of a scorecard, so a server with a prefix cache (llama.cpp) processes it once.
- Reply: `DimensionReply`, a JSON object with exactly the keys of `reply_schema(n)`: a score 1-4, the
  numbers of the excerpts it relies on, the numbers of excerpts that state something false, and one
  sentence of rationale. The same schema constrains decoding where the server supports it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from app.catalog import Dimension, Round
from app.config import Settings
from app.hearing import depth
from app.scoring.rubric import Sentence

MAX_EXCERPTS = 6
MAX_EXCERPT_CHARS = 1400  # ~350 tokens: the whole prompt stays near 700 tokens
EXCERPT_MAX_CHARS = 300  # one excerpt: a long sentence is cut to its first whole words
MIN_EXCERPTS = 3
RATIONALE_MAX_CHARS = 240


@dataclass(frozen=True)
class Excerpt:
    number: int
    seq: int
    start: int  # span in the turn's text
    end: int
    text: str  # == turn.text[start:end]
    offline_evidence: bool  # the offline pass quoted this sentence for the dimension


class DimensionReply(BaseModel):
    """The model's verdict on one dimension. Validation context: {"n": number of excerpts}."""

    model_config = ConfigDict(extra="forbid")
    rationale: str = Field(max_length=2000)
    false_claims: list[int] = Field(default_factory=list, max_length=MAX_EXCERPTS)
    quotes: list[int] = Field(max_length=MAX_EXCERPTS)
    score: int = Field(ge=1, le=4, strict=True)

    @field_validator("quotes", "false_claims")
    @classmethod
    def _known_excerpts(cls, numbers: list[int], info: ValidationInfo) -> list[int]:
        n = (info.context or {}).get("n")
        if n is not None:
            bad = [k for k in numbers if not 1 <= k <= n]
            if bad:
                raise ValueError(f"excerpt numbers {bad} are not among 1..{n}")
        return list(dict.fromkeys(numbers))


def reply_schema(n: int) -> dict:
    """JSON schema of the reply for n excerpts (strict-mode compatible: all keys required, no others)."""
    ids = {"type": "array", "items": {"type": "integer", "enum": list(range(1, n + 1))}, "maxItems": min(n, 3)}
    if n == 0:
        ids = {"type": "array", "items": {"type": "integer"}, "maxItems": 0}
    return {
        "type": "object",
        "properties": {
            "rationale": {"type": "string", "maxLength": RATIONALE_MAX_CHARS},
            "false_claims": ids,
            "quotes": ids,
            "score": {"type": "integer", "enum": [1, 2, 3, 4]},
        },
        "required": ["rationale", "false_claims", "quotes", "score"],
        "additionalProperties": False,
    }


def parse_reply(content: str | None, n: int) -> DimensionReply:
    """The reply as a validated verdict; raises ValueError (incl. pydantic's ValidationError)."""
    text = re.sub(r"^```(?:json)?\s*|\s*```$", "", (content or "").strip())
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError("reply is not JSON") from None
    return DimensionReply.model_validate(data, context={"n": n})


# --- excerpts -----------------------------------------------------------------------------------------
def _span(sent: Sentence) -> tuple[int, int]:
    """The sentence, or its first whole words up to EXCERPT_MAX_CHARS."""
    s, e = sent.start, sent.end
    if e - s <= EXCERPT_MAX_CHARS:
        return s, e
    text = sent.turn.text
    b = s + EXCERPT_MAX_CHARS
    while b > s and not text[b].isspace():
        b -= 1
    return s, (b if b > s else s + EXCERPT_MAX_CHARS)


def _probed_seqs(sentences: list[Sentence], turns_meta: dict[int, dict], key: str) -> set[int]:
    """Candidate turns that answer an interviewer turn targeting this dimension (meta `dimension`)."""
    probed = {seq for seq, meta in turns_meta.items() if meta.get("dimension") == key}
    cand = sorted({s.turn.seq for s in sentences})
    out = set()
    for p in probed:
        nxt = next((c for c in cand if c > p), None)
        if nxt is not None:
            out.add(nxt)
    return out


def select_excerpts(dim: Dimension, sentences: list[Sentence], turns_meta: dict[int, dict],
                    offline_quotes: set[tuple[int, str]]) -> list[Excerpt]:
    """The numbered excerpts sent for one dimension (see the module docstring)."""
    rank: dict[int, int] = {}
    for i, s in enumerate(sentences):
        if any(h.dimension == dim.key for h in s.hits):
            rank[i] = max(rank.get(i, 0), 3 + len({h.signal for h in s.hits if h.dimension == dim.key}))
            for j in (i - 1, i + 1):
                if 0 <= j < len(sentences) and sentences[j].turn.seq == s.turn.seq:
                    rank[j] = max(rank.get(j, 0), 1)
    probed = _probed_seqs(sentences, turns_meta, dim.key)
    for i, s in enumerate(sentences):
        if s.turn.seq in probed:
            rank[i] = max(rank.get(i, 0), 2)
    if len(rank) < MIN_EXCERPTS:  # plain words: the sentences that reason most
        by_reasoning = sorted(range(len(sentences)),
                              key=lambda i: (-len(depth.kinds_from_counts(sentences[i].cues)), i))
        for i in by_reasoning:
            if len(rank) >= MIN_EXCERPTS or not depth.kinds_from_counts(sentences[i].cues):
                break
            rank.setdefault(i, 0)
    chosen, used = [], 0
    for i in sorted(rank, key=lambda i: (-rank[i], i)):
        a, b = _span(sentences[i])
        if len(chosen) >= MAX_EXCERPTS or used + (b - a) > MAX_EXCERPT_CHARS:
            continue
        chosen.append((i, a, b))
        used += b - a
    out = []
    for number, (i, a, b) in enumerate(sorted(chosen), start=1):
        turn = sentences[i].turn
        text = turn.text[a:b]
        quoted = any(seq == turn.seq and (q in text or text in q) for seq, q in offline_quotes)
        out.append(Excerpt(number, turn.seq, a, b, text, quoted))
    return out


# --- messages -----------------------------------------------------------------------------------------
def _environment(settings: Settings) -> Environment:
    return Environment(loader=FileSystemLoader(str(settings.prompts_dir)), undefined=StrictUndefined,
                       autoescape=False, keep_trailing_newline=True)


def build_messages(settings: Settings, rnd: Round, level: str, dim: Dimension,
                   excerpts: list[Excerpt]) -> list[dict]:
    lines = [f"[{x.number}] {' '.join(x.text.split())}" for x in excerpts]
    body = "\n".join(lines)
    fence = "=====EXCERPTS-" + hashlib.sha256(body.encode()).hexdigest()[:12] + "====="
    body = body.replace(fence, "")
    module = _environment(settings).get_template("scorer.j2").module
    return [
        {"role": "system", "content": str(module.system(rnd.rubric.title, level)).strip()},
        {"role": "user", "content": str(module.user(dim, body, fence, len(excerpts))).strip()},
    ]
