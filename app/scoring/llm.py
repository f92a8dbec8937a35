"""The LLM scorer: an OpenAI-compatible chat model scores the transcript; this module trusts none of it.

- Prompt: prompts/scorer.j2. The transcript is fenced as untrusted data with a marker derived from its
  content; candidate sentences that address the scorer are replaced by a placeholder before sending.
- Output: one JSON object validated with pydantic: every score an integer 1-4, exactly the rubric's
  dimension keys (no unknown, missing or repeated key). Anything else -> the offline scorecard.
- Quotes: each is looked up in the candidate's turns, normalising case and whitespace only (and
  stripping quotation marks around it); quotes of fewer than 3 words, or not found, are dropped, and
  the stored quote is the verbatim text of the turn. A dimension left without a verified quote is
  re-scored: min(LLM score, offline score), with the offline evidence, flagged "llm-evidence-unverified".
- The overall score, hire signal and hint caps are computed here from the validated scores, as for
  the offline scorer. Timeout (Settings.llm_timeout_s, no retries), an API error or invalid output ->
  the offline scorecard with scorer "offline-fallback" and the reason.
- Logs carry round ids, reasons and sizes, never the prompt, the transcript or the reply.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re

import openai
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, model_validator

from app.catalog import Round
from app.config import Settings
from app.scoring import depth
from app.scoring.rubric import OfflineScorer, score_dimensions
from app.scoring.scorecard import DimensionScore, Evidence, Narrative, ScorecardDoc, assemble, count_hints
from app.scoring.transcript import TranscriptTurn, span_times

log = logging.getLogger("viva.scoring")
MIN_QUOTE_WORDS = 3
SET_ASIDE = "[set aside: addressed to the scorer]"
_QUOTE_MARKS = "\"'“”‘’«»`"


class LlmEvidence(BaseModel):
    model_config = ConfigDict(extra="ignore")
    seq: int | None = None
    quote: str = Field(min_length=1, max_length=1500)


class LlmDimension(BaseModel):
    model_config = ConfigDict(extra="ignore")
    key: str
    score: int = Field(ge=1, le=4)
    rationale: str = Field(default="", max_length=3000)
    evidence: list[LlmEvidence] = Field(default_factory=list, max_length=12)
    missing: list[str] = Field(default_factory=list, max_length=12)


class LlmOutput(BaseModel):
    model_config = ConfigDict(extra="ignore")
    dimensions: list[LlmDimension]
    summary: str = Field(default="", max_length=3000)
    strengths: list[str] = Field(default_factory=list, max_length=10)
    improvements: list[str] = Field(default_factory=list, max_length=10)
    practice: list[str] = Field(default_factory=list, max_length=10)

    @model_validator(mode="after")
    def _exactly_the_rubric_keys(self, info: ValidationInfo) -> LlmOutput:
        expected = (info.context or {}).get("keys")
        if expected is None:
            return self
        got = [d.key for d in self.dimensions]
        if len(got) != len(set(got)):
            raise ValueError("a dimension key appears more than once")
        if set(got) != set(expected):
            unknown, absent = sorted(set(got) - set(expected)), sorted(set(expected) - set(got))
            raise ValueError(f"dimension keys differ from the rubric (unknown: {unknown}, missing: {absent})")
        return self


# --- prompt -------------------------------------------------------------------------------------------
def render_transcript(turns: list[TranscriptTurn]) -> str:
    lines = []
    for t in turns:
        text = t.text
        if t.is_candidate:
            spans = depth.sentences(text)
            text = " ".join(SET_ASIDE if depth.addresses_scorer(text[s:e]) else text[s:e] for s, e in spans)
        who = "CANDIDATE" if t.is_candidate else "INTERVIEWER" + (" (hint)" if t.meta.get("move") == "hint"
                                                                 or t.meta.get("hint_used") else "")
        lines.append(f"[seq {t.seq}] {who}: {' '.join(text.split())}")
    return "\n".join(lines)


def build_messages(settings: Settings, rnd: Round, level: str, turns: list[TranscriptTurn]) -> list[dict]:
    transcript = render_transcript(turns)
    fence = "=====TRANSCRIPT-" + hashlib.sha256(transcript.encode()).hexdigest()[:16] + "====="
    transcript = transcript.replace(fence, "")
    env = Environment(loader=FileSystemLoader(str(settings.prompts_dir)), undefined=StrictUndefined,
                      autoescape=False, keep_trailing_newline=True)
    module = env.get_template("scorer.j2").module
    return [
        {"role": "system", "content": str(module.system()).strip()},
        {"role": "user", "content": str(module.user(rnd.rubric, level, transcript, fence)).strip()},
    ]


def parse_output(content: str | None, keys: list[str]) -> LlmOutput:
    """The model's reply as validated output; raises ValueError (incl. ValidationError) when invalid."""
    text = (content or "").strip()
    text = re.sub(r"^```(?:json)?\s*|\s*```$", "", text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError("reply is not JSON") from None
    return LlmOutput.model_validate(data, context={"keys": keys})


# --- quotes -------------------------------------------------------------------------------------------
def _normalised(text: str) -> tuple[str, list[int]]:
    """Lower-cased text with whitespace runs folded to one space, and each character's original index."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                index.append(i)
            continue
        for low in ch.lower():
            chars.append(low)
            index.append(i)
    return "".join(chars), index


def locate_quote(quote: str, turns: list[TranscriptTurn], seq: int | None) -> Evidence | None:
    """The quote as verbatim evidence from a candidate turn (the given seq first), or None."""
    wanted = " ".join(quote.strip().strip(_QUOTE_MARKS).split()).lower()
    if len(wanted.split()) < MIN_QUOTE_WORDS:
        return None
    candidates = sorted((t for t in turns if t.is_candidate), key=lambda t: (t.seq != seq, t.seq))
    for turn in candidates:
        norm, index = _normalised(turn.text)
        at = norm.find(wanted)
        if at >= 0:
            start, end = index[at], index[at + len(wanted) - 1] + 1
            start_ms, end_ms = span_times(turn, start, end)
            return Evidence(quote=turn.text[start:end], seq=turn.seq, start_ms=start_ms, end_ms=end_ms)
    return None


def _clip(items: list[str], n: int = 5, chars: int = 400) -> list[str]:
    return [" ".join(s.split())[:chars] for s in items if s.strip()][:n]


class LlmScorer:
    name = "llm"

    def __init__(self, settings: Settings, client: openai.OpenAI | None = None):
        self.settings = settings
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
        self.client = client or openai.OpenAI(base_url=settings.llm_base_url, api_key=key,
                                              timeout=settings.llm_timeout_s, max_retries=0)
        self.offline = OfflineScorer()

    def _fallback(self, rnd: Round, level: str, turns: list[TranscriptTurn], reason: str) -> ScorecardDoc:
        log.warning("LLM scorer fell back to offline for round %s: %s", rnd.id, reason)
        doc = self.offline.score(rnd, level, turns)
        return doc.model_copy(update={"scorer": "offline-fallback", "fallback_reason": reason})

    def score(self, rnd: Round, level: str, turns: list[TranscriptTurn]) -> ScorecardDoc:
        try:
            reply = self.client.chat.completions.create(
                model=self.settings.llm_model, messages=build_messages(self.settings, rnd, level, turns),
                temperature=0, max_tokens=self.settings.llm_scorer_max_tokens,
                response_format={"type": "json_object"},
            )
            output = parse_output(reply.choices[0].message.content if reply.choices else None,
                                  rnd.dimension_keys)
        except openai.APITimeoutError:
            return self._fallback(rnd, level, turns, "timeout")
        except openai.OpenAIError as exc:
            return self._fallback(rnd, level, turns, f"LLM error ({type(exc).__name__})")
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "reply"
            return self._fallback(rnd, level, turns, f"invalid output ({where}: {first['msg']})")
        except ValueError as exc:
            return self._fallback(rnd, level, turns, f"invalid output ({exc})")
        except Exception as exc:  # e.g. a missing template: still give the candidate a scorecard
            return self._fallback(rnd, level, turns, f"LLM scorer error ({type(exc).__name__})")
        return self._verified(rnd, level, turns, output)

    def _verified(self, rnd: Round, level: str, turns: list[TranscriptTurn],
                  output: LlmOutput) -> ScorecardDoc:
        offline_dims, notes = score_dimensions(rnd, turns)
        offline = {d.key: d for d in offline_dims}
        _, hints = count_hints(turns)
        by_key = {d.key: d for d in output.dimensions}
        dims, dropped = [], 0
        for rdim in rnd.rubric.dimensions:
            got, off = by_key[rdim.key], offline[rdim.key]
            evidence: list[Evidence] = []
            for item in got.evidence:
                ev = locate_quote(item.quote, turns, item.seq)
                if ev is None:
                    dropped += 1
                elif ev not in evidence:
                    evidence.append(ev)
            score, flags, rationale = got.score, [], " ".join(got.rationale.split())[:1200]
            if not evidence:
                score, evidence = min(got.score, off.score), off.evidence
                flags.append("llm-evidence-unverified")
                rationale += (" [No quote from the model was found in the transcript: score limited to what "
                              "the offline evidence supports.]")
            n_hints = hints.get(rdim.key, 0)
            if n_hints:
                score = min(score, 3 if n_hints == 1 else 2)
            dims.append(DimensionScore(
                key=rdim.key, name=rdim.name, weight=rdim.weight, score=score, anchor=rdim.anchors[score],
                rationale=rationale.strip() or off.rationale, evidence=evidence[:4],
                missing=_clip(got.missing, 6, 200) or off.missing, signals_found=off.signals_found,
                reasoning=off.reasoning, hints=n_hints, flags=flags,
            ))
        if dropped:
            notes.append(f"{dropped} quote{'s' if dropped > 1 else ''} from the model could not be found in "
                         "the candidate's turns and were dropped.")
        narrative = None
        if output.summary.strip():
            narrative = Narrative(summary=" ".join(output.summary.split())[:1200],
                                  strengths=_clip(output.strengths), improvements=_clip(output.improvements),
                                  practice=_clip(output.practice))
        log.info("LLM scored round %s: %d dimensions, %d quotes dropped", rnd.id, len(dims), dropped)
        return assemble(rnd, level, turns, dims, scorer=self.name, narrative=narrative, notes=notes)
