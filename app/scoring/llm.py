"""The LLM scorer: the offline pass first, then one short structured call per dimension; trusts none of it.

1. The offline scorer (app.scoring.rubric) scores the transcript: evidence candidates, assessed flags,
   hint counts and misconception hits. Its scorecard is the base and the per-dimension fallback.
2. For each assessed dimension with something to judge, one call (app.scoring.llm_prompt): the
   dimension's level descriptions and up to six numbered excerpts of the candidate's own words. The
   model answers a small JSON object - score 1-4, the excerpt numbers it relies on, the excerpt numbers
   that state something false, one sentence of rationale - constrained by a JSON schema where the
   server supports it (app.scoring.structured) and validated with pydantic in any case.
3. Trust rules, applied to every LLM score:
   - quotes are the chosen excerpts, verbatim spans of candidate turns (checked again here);
   - a score above the offline one needs at least one quote, else it drops to the offline score
     (flag "llm-evidence-unverified");
   - trust follows measurement (app.scoring.trust, from bench/judge.py): a model unmeasured or failing
     the judge bench moves nothing (no calls; the offline card with the reason); "limited" trust may
     lower a dimension by 1 and never raise one; "full" trust moves it up to
     Settings.llm_scorer_max_shift levels (default 1; 3 lets a strong model decide alone). At every
     level a dimension with an asserted misconception, and every dimension of an interview with one,
     is never raised (flag "llm-raise-withheld"): a wrong answer never ranks above its offline score.
     A move beyond the allowed range is clamped, flag "llm-shift-limited";
   - excerpts the model calls false are never quoted as evidence; if the offline pass had quoted one,
     the dimension is flagged "offline-evidence-disputed";
   - then the caps of the offline pass: hints on the dimension (1 -> at most 3, 2+ -> at most 2) and
     matched misconceptions (misconceptions.dimension_cap: 2, or 1 for two different wrong claims).
4. Failure is per dimension: a timeout, an API error or an invalid reply keeps that dimension's offline
   score, with scored_by "offline-fallback" and the reason in the notes; the other dimensions keep their
   LLM scores. Each call has Settings.llm_scorer_timeout_s, the whole scorecard Settings.llm_scorer_budget_s;
   once the budget is spent, or the server is unreachable, the remaining dimensions stay offline.
   The card's `scorer` is "llm" when at least one dimension was scored by the model, else
   "offline-fallback" with the reason.
5. Then, within the budget, the judge's narrow question on each misconception the offline pass heard
   (app.scoring.llm_checks: its correction beside the candidate's sentence), shown as a flag on the
   dimension, never scored.
Logs carry round ids, dimension keys, counts, durations and reasons - never excerpts, prompts or replies.
"""

from __future__ import annotations

import logging
import time

import openai

from app.catalog import Round
from app.config import Settings
from app.progress import Progress
from app.scoring import misconceptions, trust
from app.scoring.judge import Judge
from app.scoring.llm_checks import check_misconceptions
from app.scoring.llm_prompt import Excerpt, build_messages, parse_reply, reply_schema, select_excerpts
from app.scoring.rubric import OfflineScorer, read_candidate
from app.scoring.scorecard import DimensionScore, Evidence, ScorecardDoc, assemble
from app.scoring.structured import CallFailed, StructuredChat, call_errors
from app.scoring.transcript import TranscriptTurn, span_times

log = logging.getLogger("viva.scoring")


DimensionFailed = CallFailed  # one dimension's call gave nothing usable


def misconception_caps(doc: ScorecardDoc) -> dict[str, int]:
    """The cap per dimension from the offline pass's misconception hits (the same rule as the offline
    scorer: misconceptions.dimension_cap); empty while the offline scorer reports none."""
    by_dim: dict[str, list] = {}
    for hit in doc.misconceptions:
        by_dim.setdefault(hit.dimension, []).append(hit)
    return {dim: misconceptions.dimension_cap(hits) for dim, hits in by_dim.items()}


def _evidence(x: Excerpt, turns_by_seq: dict[int, TranscriptTurn]) -> Evidence:
    turn = turns_by_seq[x.seq]
    if not turn.is_candidate or turn.text[x.start:x.end] != x.text:  # by construction; checked anyway
        raise DimensionFailed("an excerpt is not verbatim candidate text")
    start_ms, end_ms = span_times(turn, x.start, x.end)
    return Evidence(quote=x.text, seq=x.seq, start_ms=start_ms, end_ms=end_ms)


class LlmScorer:
    name = "llm"

    def __init__(self, settings: Settings, client: openai.OpenAI | None = None, show_progress: bool = False):
        self.settings = settings
        self.show_progress = show_progress  # dimensions done of total and an ETA on stderr (viva score)
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
        client = client or openai.OpenAI(base_url=settings.llm_base_url, api_key=key,
                                         timeout=settings.llm_scorer_timeout_s, max_retries=0)
        self.chat = StructuredChat(client, settings.llm_model)
        self.judge = Judge(settings, self.chat)  # the narrow question, on the same client and shape
        self.offline = OfflineScorer()

    def refinement(self) -> str | None:
        """The model, when scoring would consult it (its measured trust is above "none"); else None."""
        return self.settings.llm_model if trust.trust_of(self.settings).level != "none" else None

    # --- one dimension ----------------------------------------------------------------------------
    def _ask(self, rnd: Round, level: str, off: DimensionScore, excerpts: list[Excerpt], timeout: float):
        rdim = rnd.dimension(off.key)
        with call_errors():
            content = self.chat.complete(build_messages(self.settings, rnd, level, rdim, excerpts),
                                         reply_schema(len(excerpts)), timeout=timeout,
                                         max_tokens=self.settings.llm_scorer_max_tokens)
            return parse_reply(content, len(excerpts))

    @staticmethod
    def _judged(rnd: Round, off: DimensionScore, excerpts: list[Excerpt], reply, turns_by_seq,
                caps: dict[str, int], allowed: tuple[int, int]) -> DimensionScore:
        by_number = {x.number: x for x in excerpts}
        false = set(reply.false_claims)
        evidence = [_evidence(by_number[k], turns_by_seq) for k in reply.quotes if k not in false][:4]
        score, flags = reply.score, [f for f in off.flags if f != "capped-by-hints"]
        if not evidence and score > off.score:
            score = off.score
            flags.append("llm-evidence-unverified")
        lo, hi = allowed
        if score > hi and hi == off.score:
            score = off.score
            flags.append("llm-raise-withheld")  # trust "limited", or a misconception asserted (trust.py)
        if not lo <= score <= hi:
            score = min(max(score, lo), hi)
            flags.append("llm-shift-limited")
        if any(by_number[k].offline_evidence for k in false):
            flags.append("offline-evidence-disputed")
        if off.hints and score > (3 if off.hints == 1 else 2):
            score = 3 if off.hints == 1 else 2
            flags.append("capped-by-hints")
        if off.key in caps and score > caps[off.key]:
            score = caps[off.key]
            flags.append("capped-by-misconception")
        rationale = " ".join(reply.rationale.split())[:300] or off.rationale
        return off.model_copy(update={
            "score": score, "anchor": rnd.dimension(off.key).anchors[score], "rationale": rationale,
            "evidence": evidence or off.evidence, "flags": list(dict.fromkeys(flags)), "scored_by": "llm",
        })

    # --- the scorecard ----------------------------------------------------------------------------
    def score(self, rnd: Round, level: str, turns: list[TranscriptTurn]) -> ScorecardDoc:
        started = time.monotonic()
        deadline = started + self.settings.llm_scorer_budget_s
        offline = self.offline.score(rnd, level, turns)
        level_of_trust = trust.trust_of(self.settings)
        if level_of_trust.level == "none":  # the model failed the judge bench, or was never measured
            log.info("LLM scorer %s: the model is not trusted to move scores; offline card", rnd.id)
            return offline.model_copy(update={"scorer": "offline-fallback",
                                              "fallback_reason": level_of_trust.reason})
        sentences, _ = read_candidate(rnd, turns)
        turns_by_seq = {t.seq: t for t in turns}
        meta = {t.seq: t.meta for t in turns if not t.is_candidate}
        caps = misconception_caps(offline)
        dims: list[DimensionScore] = []
        failed: dict[str, str] = {}
        stop: str | None = None
        progress = Progress(len(offline.dimensions), f"LLM scorer ({rnd.id})", enabled=self.show_progress)
        for off in progress.each(offline.dimensions):
            off = off.model_copy(update={"scored_by": "offline"})
            quoted = {(e.seq, e.quote) for e in off.evidence}
            excerpts = select_excerpts(rnd.dimension(off.key), sentences, meta, quoted)
            if not getattr(off, "assessed", True) or not excerpts:
                dims.append(off)  # nothing the model could judge: the offline verdict stands
                continue
            remaining = deadline - time.monotonic()
            reason = stop or ("scorecard time budget spent" if remaining < 1 else None)
            if reason is None:
                t0 = time.monotonic()
                try:
                    reply = self._ask(rnd, level, off, excerpts, min(self.settings.llm_scorer_timeout_s, remaining))
                    allowed = trust.allowed_range(level_of_trust.level, off.score,
                                                  self.settings.llm_scorer_max_shift,
                                                  carries_myth=off.key in caps, wrong_answer=bool(caps))
                    dims.append(self._judged(rnd, off, excerpts, reply, turns_by_seq, caps, allowed))
                    log.info("LLM scored %s/%s in %.1fs (%d excerpts)", rnd.id, off.key,
                             time.monotonic() - t0, len(excerpts))
                    continue
                except DimensionFailed as exc:
                    reason = str(exc)
                    stop = reason if exc.stop else None
            log.warning("LLM scorer kept the offline score for %s/%s: %s", rnd.id, off.key, reason)
            failed[off.key] = reason
            dims.append(off.model_copy(update={"scored_by": "offline-fallback",
                                               "flags": list(dict.fromkeys([*off.flags, "llm-fallback"]))}))
        if stop is None:
            checked = check_misconceptions(self.judge, offline.misconceptions, deadline,
                                           self.settings.llm_scorer_timeout_s)
            dims = [d.model_copy(update={"flags": list(dict.fromkeys([*d.flags, *checked[d.key]]))})
                    if d.key in checked else d for d in dims]
        return self._card(rnd, level, turns, offline, dims, failed, time.monotonic() - started,
                          level_of_trust)

    def _card(self, rnd: Round, level: str, turns: list[TranscriptTurn], offline: ScorecardDoc,
              dims: list[DimensionScore], failed: dict[str, str], took: float,
              trusted: trust.Trust) -> ScorecardDoc:
        notes = [*offline.notes, f"LLM scorer: {trusted.reason}."]
        by_llm = sum(d.scored_by == "llm" for d in dims)
        if failed:
            reasons = sorted(set(failed.values()))
            notes.append(f"{len(failed)} dimension{'s' if len(failed) > 1 else ''} kept the offline score because "
                         f"the LLM scorer failed ({'; '.join(reasons)}): {', '.join(failed)}.")
        # The offline pass's misconception hits go into the card (corrections, moments), as offline.
        common = {"notes": notes, "misconceptions": offline.misconceptions}
        if by_llm:
            doc = assemble(rnd, level, turns, dims, scorer=self.name, **common)
            doc.refined_by = self.settings.llm_model
        else:
            reason = "; ".join(sorted(set(failed.values()))) or "nothing for the model to judge"
            doc = assemble(rnd, level, turns, dims, scorer="offline-fallback", fallback_reason=reason, **common)
        log.info("LLM scorer %s: %d/%d dimensions by the model, %d fell back, %.1fs", rnd.id, by_llm,
                 len(dims), len(failed), took)
        return doc
