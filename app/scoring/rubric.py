"""The offline scorer: deterministic, evidence-first scoring of a transcript against the round's rubric.

1. Each candidate turn is split into sentences. Sentences that address the scorer ("ignore the rubric,
   give me 4s") are set aside and play no part (depth.addresses_scorer).
2. The shared SignalMatcher (app.rubric_signals) finds the rubric's signals in every sentence, on word
   stems and the rubric's synonyms; for a STAR dimension (signals situation/task/action/result) the
   STAR cues of depth.py are found as well.
3. For each dimension:
   coverage  = distinct signals named / signals in the rubric dimension
   reasoning = kinds of reasoning (depth.KINDS: reasons, trade-offs, numbers, examples, an order of
               steps, explicit choices) in the passage around the hits: each sentence with a hit and
               the sentences next to it in the same turn
   list-like = most sentences with a hit only list terms (depth.is_list_like: three or more items,
               mostly of four words or fewer, no longer item giving a reason or trade-off)
4. Thresholds: the score is the lower of the two caps, then the hint cap.
      coverage cap:  no signal -> 1;  < 35% -> 2;  35-59% -> 3;  60% or more -> 4
      reasoning cap: 4+ kinds -> 4;  2-3 kinds -> 3;  1 kind (or 2+ signals named) -> 2;  else 1;
                     list-like -> at most 2
      hints:         one hint on the dimension -> at most 3; two or more -> at most 2
   So naming the right terms is not enough for a 3: the answer has to reason with them.
5. Evidence: up to 3 sentences with hits, chosen to cover the most signals, quoted verbatim (a long
   sentence is cut to a window of whole words around the hit), with the turn's seq and the times of
   those words (from word timings, else the turn's times).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from app.catalog import Dimension, Round
from app.rubric_signals import SignalHit, SignalMatcher
from app.scoring import depth
from app.scoring.scorecard import DimensionScore, Evidence, ScorecardDoc, assemble, count_hints
from app.scoring.transcript import TranscriptTurn, span_times

COVERAGE_FOR_4, COVERAGE_FOR_3 = 0.6, 0.35
KINDS_FOR_4, KINDS_FOR_3 = 4, 2
MAX_EVIDENCE = 3
QUOTE_MAX_CHARS = 300


@dataclass(frozen=True)
class Sentence:
    turn: TranscriptTurn
    start: int  # span in turn.text
    end: int
    hits: tuple[SignalHit, ...]  # spans in turn.text
    cues: dict[str, int]
    list_like: bool

    @property
    def text(self) -> str:
        return self.turn.text[self.start:self.end]


def read_candidate(rnd: Round, turns: list[TranscriptTurn]) -> tuple[list[Sentence], int]:
    """The candidate's sentences with their signal hits and reasoning cues, and how many were set aside."""
    matcher = SignalMatcher(rnd)
    star = {d.key: {s.name.strip().lower(): s.name for s in d.signals}
            for d in rnd.rubric.dimensions if depth.is_star([s.name for s in d.signals])}
    out: list[Sentence] = []
    ignored = 0
    for turn in turns:
        if not turn.is_candidate:
            continue
        for s, e in depth.sentences(turn.text):
            text = turn.text[s:e]
            if depth.addresses_scorer(text):
                ignored += 1
                continue
            hits = [dataclasses.replace(h, start=h.start + s, end=h.end + s) for h in matcher.find(text)]
            for key, names in star.items():
                for part, spans in depth.star_cues(text).items():
                    hits += [SignalHit(key, names[part], part, s + a, s + b, text[a:b]) for a, b in spans]
            out.append(Sentence(turn, s, e, tuple(hits), depth.cue_counts(text), depth.is_list_like(text)))
    return out, ignored


def _passage(sentences: list[Sentence], hit_idx: list[int]) -> list[int]:
    keep: set[int] = set()
    for i in hit_idx:
        for j in (i - 1, i, i + 1):
            if 0 <= j < len(sentences) and sentences[j].turn.seq == sentences[i].turn.seq:
                keep.add(j)
    return sorted(keep)


def _quote(sentence: Sentence, hit: SignalHit) -> tuple[int, int]:
    """A verbatim span: the sentence, or a window of whole words around the hit when it is long."""
    s, e = sentence.start, sentence.end
    if e - s <= QUOTE_MAX_CHARS:
        return s, e
    text = sentence.turn.text
    half = QUOTE_MAX_CHARS // 2
    a, b = max(s, hit.start - half), min(e, hit.end + half)
    while a > s and not text[a - 1].isspace():
        a += 1
    while b < e and not text[b].isspace():
        b -= 1
    return a, max(b, hit.end)


def _evidence(dim: Dimension, sentences: list[Sentence], hit_idx: list[int]) -> list[Evidence]:
    chosen: list[int] = []
    covered: set[str] = set()
    pool = list(hit_idx)
    def gain(i: int, covered: set[str]) -> tuple[int, int, int]:
        new = {h.signal for h in sentences[i].hits if h.dimension == dim.key} - covered
        return (len(new), len(depth.kinds_from_counts(sentences[i].cues)), -i)

    while pool and len(chosen) < MAX_EVIDENCE:
        best = max(pool, key=lambda i: gain(i, covered))
        if chosen and gain(best, covered)[:2] == (0, 0):
            break
        chosen.append(best)
        pool.remove(best)
        covered |= {h.signal for h in sentences[best].hits if h.dimension == dim.key}
    out = []
    for i in sorted(chosen):
        sent = sentences[i]
        first = next(h for h in sent.hits if h.dimension == dim.key)
        a, b = _quote(sent, first)
        start_ms, end_ms = span_times(sent.turn, a, b)
        out.append(Evidence(quote=sent.turn.text[a:b], seq=sent.turn.seq, start_ms=start_ms, end_ms=end_ms))
    return out


def score_dimension(dim: Dimension, sentences: list[Sentence], hints: int = 0) -> DimensionScore:
    hit_idx = [i for i, s in enumerate(sentences) if any(h.dimension == dim.key for h in s.hits)]
    found = {h.signal for i in hit_idx for h in sentences[i].hits if h.dimension == dim.key}
    names = [s.name for s in dim.signals]
    passage = _passage(sentences, hit_idx)
    cues: dict[str, int] = {}
    for i in passage:
        for kind, n in sentences[i].cues.items():
            cues[kind] = cues.get(kind, 0) + n
    kinds = [k for k in depth.KINDS if k in depth.kinds_from_counts(cues)]
    listed = sum(sentences[i].list_like for i in hit_idx)
    list_like = bool(hit_idx) and listed * 2 > len(hit_idx)

    flags: list[str] = []
    if not found:
        score = 1
    else:
        coverage = len(found) / len(names)
        cov_cap = 4 if coverage >= COVERAGE_FOR_4 else 3 if coverage >= COVERAGE_FOR_3 else 2
        depth_cap = (4 if len(kinds) >= KINDS_FOR_4 else 3 if len(kinds) >= KINDS_FOR_3
                     else 2 if kinds or len(found) >= 2 else 1)
        if list_like:
            depth_cap = min(depth_cap, 2)
            flags.append("list-like")
        score = min(cov_cap, depth_cap)
    if hints:
        capped = min(score, 3 if hints == 1 else 2)
        if capped < score:
            flags.append("capped-by-hints")
        score = capped

    labels = [depth.KIND_LABELS[k] for k in kinds]
    if not found:
        rationale = "Nothing the candidate said addressed this dimension."
    else:
        rationale = (f"Named {len(found)} of {len(names)} points a strong answer covers "
                     f"({', '.join(n for n in names if n in found)}); ")
        rationale += (f"reasoned with {_join(labels)}." if labels
                      else "gave no reasons, trade-offs or numbers.")
        if list_like:
            rationale += " The terms were listed rather than explained."
    if hints:
        rationale += f" {hints} hint{'s' if hints > 1 else ''} on this dimension (a hint caps the score)."
    return DimensionScore(
        key=dim.key, name=dim.name, weight=dim.weight, score=score, anchor=dim.anchors[score],
        rationale=rationale, evidence=_evidence(dim, sentences, hit_idx),
        missing=[n for n in names if n not in found], signals_found=[n for n in names if n in found],
        reasoning=kinds, hints=hints, flags=flags,
    )


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def score_dimensions(rnd: Round, turns: list[TranscriptTurn]) -> tuple[list[DimensionScore], list[str]]:
    """Dimension scores and notes (e.g. sentences set aside) for a transcript."""
    sentences, ignored = read_candidate(rnd, turns)
    _, hints = count_hints(turns)
    dims = [score_dimension(d, sentences, hints.get(d.key, 0)) for d in rnd.rubric.dimensions]
    notes = []
    if ignored:
        notes.append(f"{ignored} sentence{'s' if ignored > 1 else ''} addressed to the scorer rather than "
                     "answering the question were set aside and not scored.")
    if not any(t.is_candidate for t in turns):
        notes.append("The transcript has no candidate turns.")
    return dims, notes


class OfflineScorer:
    name = "offline"

    def score(self, rnd: Round, level: str, turns: list[TranscriptTurn]) -> ScorecardDoc:
        dims, notes = score_dimensions(rnd, turns)
        return assemble(rnd, level, turns, dims, scorer=self.name, notes=notes)
