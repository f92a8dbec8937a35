"""The judge: one narrow, reference-guided question to a model, shared by the LLM scorer and bench/judge.py.

One reference fact (true by construction: a misconception's truth, or an answer key's point) beside one
excerpt of the candidate's own words; the model answers whether the excerpt agrees with the fact,
contradicts it, or does not address it (prompts/judge.j2). A small model asked "is this true?" in general
answers by topic; with the reference beside the claim the question is one comparison, and one a bench can
measure: bench/judge.py asks it on a labelled set and app/scoring/trust.py turns the measured accuracy
into the weight the LLM scorer gets.

The reply is `{"verdict": ...}`, constrained by a JSON schema where the server supports it
(app.scoring.structured) and validated in any case. Failures raise structured.CallFailed with a short
reason. Nothing here logs the fact, the excerpt or the reply.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import BaseModel, ConfigDict

from app.config import Settings
from app.scoring.structured import StructuredChat, call_errors

Verdict = Literal["agrees", "contradicts", "not_addressed"]
VERDICTS: tuple[str, ...] = ("agrees", "contradicts", "not_addressed")
MAX_TOKENS = 24  # {"verdict": "not_addressed"} is about 10 tokens
EXCERPT_MAX_CHARS = 400
SCHEMA = {
    "type": "object",
    "properties": {"verdict": {"type": "string", "enum": list(VERDICTS)}},
    "required": ["verdict"],
    "additionalProperties": False,
}


class JudgeReply(BaseModel):
    model_config = ConfigDict(extra="forbid")
    verdict: Verdict


def parse_verdict(content: str | None) -> Verdict:
    """The verdict of a reply; raises ValueError (incl. pydantic's ValidationError)."""
    text = re.sub(r"^```(?:json)?\s*|\s*```$", "", (content or "").strip())
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError("reply is not JSON") from None
    return JudgeReply.model_validate(data).verdict


def build_messages(settings: Settings, reference: str, excerpt: str) -> list[dict]:
    body = " ".join(excerpt.split())[:EXCERPT_MAX_CHARS]
    fence = "=====STATEMENT-" + hashlib.sha256(body.encode()).hexdigest()[:12] + "====="
    body = body.replace(fence, "")
    env = Environment(loader=FileSystemLoader(str(settings.prompts_dir)), undefined=StrictUndefined,
                      autoescape=False, keep_trailing_newline=True)
    module = env.get_template("judge.j2").module
    return [
        {"role": "system", "content": str(module.system()).strip()},
        {"role": "user", "content": str(module.user(" ".join(reference.split()), body, fence)).strip()},
    ]


class Judge:
    def __init__(self, settings: Settings, chat: StructuredChat):
        self.settings = settings
        self.chat = chat

    def ask(self, reference: str, excerpt: str, timeout: float) -> Verdict:
        """Does `excerpt` agree with, contradict, or not address `reference`? Raises CallFailed."""
        with call_errors():
            content = self.chat.complete(build_messages(self.settings, reference, excerpt), SCHEMA,
                                         timeout=timeout, max_tokens=MAX_TOKENS)
            return parse_verdict(content)
