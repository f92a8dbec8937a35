"""The offline scorer: deterministic, evidence-first scoring of a transcript against the round's rubric.

1. Each candidate turn is split into sentences. Sentences that address the scorer ("ignore the rubric,
   give me 4s") are set aside and play no part (depth.addresses_scorer).
2. The shared SignalMatcher (app.hearing.signals) finds the rubric's signals in every sentence, on word
   stems, the rubric's synonyms and plain-language forms, and misheard words (app.hearing.soundalikes); for a
   STAR dimension (signals situation/task/action/result) the STAR cues of depth.py are found as well.
   Not evidence:
   - a negated mention ("I'd avoid cursors", "hot shards don't happen"): no coverage of that signal, but
     a rejection with a reason in the same sentence counts as a trade-off;
   - a sentence that only lists terms (depth.is_list_like: "sharding, caching, Kafka and p99"): stuffing
     earns nothing;
   - a sentence that makes one of the round's common wrong claims (rubric `misconceptions`, see
     misconceptions.py): it is no evidence and no reasoning for the dimension of the claim, and it caps
     that dimension at 2 (other dimensions are untouched).
3. For each dimension:
   coverage  = distinct signals named / signals in the rubric dimension
   reasoning = kinds of reasoning (depth.KINDS: reasons, trade-offs, numbers, examples, an order of
               steps, explicit choices) across the whole answer to the probe: every candidate turn
               with a hit for the dimension, not only the sentence that holds the term
4. Thresholds: the score is the lower of the two caps, then the hint cap, then the misconception cap.
      coverage cap:  no signal -> 1;  < 35% -> 2;  35-59% -> 3;  60% or more -> 4
      reasoning cap: 4+ kinds -> 4;  2-3 kinds -> 3;  1 kind (or 2+ signals named) -> 2;  else 1;
                     a dense answer (depth.is_dense: at least one reasoning cue per DENSE_WORDS
                     words, figures counted once a sentence) counts one kind more;
                     a concise answer that covers 60%+ with some reasoning -> at least 3, and -> 4
                     with 3 kinds, or 2 kinds when it covers 80%+ (seniors say more with fewer words)
      hints:         one hint on the dimension -> at most 3; two or more -> at most 2
      misconception: at most 2, on the dimension of the claim only
   So naming the right terms is not enough for a 3: the answer has to reason with them.
5. Evidence: up to 3 sentences with hits, chosen to cover the most signals, quoted verbatim (a sentence
   of more than depth.QUOTE_MAX_WORDS words is cut to whole clauses around the hit, never mid-phrase;
   cut_before/cut_after say where it went on), with the turn's seq and the times of those words (from
   word timings, else the turn's times).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from app.catalog import Dimension, Round
from app.hearing import depth
from app.hearing.hearing import for_round
from app.hearing.signals import SignalHit, SignalMatcher
from app.scoring import by_meaning, misconceptions
from app.scoring.keypoints import KeyPointReport, hear_transcript
from app.scoring.scorecard import DimensionScore, Evidence, MisconceptionHit, ScorecardDoc, assemble, count_hints
from app.scoring.transcript import TranscriptTurn, span_times

COVERAGE_FOR_4, COVERAGE_FOR_3 = 0.6, 0.35
KINDS_FOR_4, KINDS_FOR_3 = 4, 2
BROAD = 0.8  # coverage at which two kinds of reasoning still reach a 4
MAX_EVIDENCE = 3


@dataclass(frozen=True)
class Sentence:
    turn: TranscriptTurn
    start: int  # span in turn.text
    end: int
    hits: tuple[SignalHit, ...]  # spans in turn.text; evidence only (no negated, listed or false claims)
    cues: dict[str, int]
    list_like: bool
    listed: tuple[str, ...] = ()  # dimensions whose terms this sentence only listed
    wrong: tuple[str, ...] = ()  # dimensions this sentence makes a wrong claim about

    @property
    def text(self) -> str:
        return self.turn.text[self.start:self.end]


def _is_claim(turn: TranscriptTurn, s: int, e: int, hits: list[MisconceptionHit]) -> tuple[str, ...]:
    text = turn.text[s:e]
    return tuple(h.dimension for h in hits if h.seq == turn.seq and (h.quote in text or text in h.quote))


def read_candidate(rnd: Round, turns: list[TranscriptTurn],
                   wrong: list[MisconceptionHit] | None = None) -> tuple[list[Sentence], int]:
    """The candidate's sentences with their evidence hits and reasoning cues, and how many were set aside."""
    matcher = SignalMatcher(rnd)
    wrong = misconceptions.find(turns, rnd) if wrong is None else wrong
    star = {d.key: {s.name.strip().lower(): s.name for s in d.signals}
            for d in rnd.rubric.dimensions if depth.is_star([s.name for s in d.signals])}
    out: list[Sentence] = []
    ignored = 0
    for turn, s, e, addressed in depth.candidate_sentences(turns):
        if addressed:
            ignored += 1
            continue
        text = turn.text[s:e]
        found = [dataclasses.replace(h, start=h.start + s, end=h.end + s) for h in matcher.find_all(text)]
        for key, names in star.items():
            for part, spans in depth.star_cues(text).items():
                hits_ = [SignalHit(key, names[part], part, s + a, s + b, text[a:b]) for a, b in spans]
                found += hits_
        cues = depth.cue_counts(text)
        if any(h.negated for h in found) and cues["reasons"]:
            cues["trade_offs"] += 1  # a reasoned rejection ("not X, because ...") weighs an alternative
        hits = [h for h in found if not h.negated]
        list_like = depth.is_list_like(text)
        listed: tuple[str, ...] = ()
        if list_like:
            listed, hits = tuple(dict.fromkeys(h.dimension for h in hits)), []
        claims = _is_claim(turn, s, e, wrong)
        if claims:  # no evidence for the claimed dimension; its reasoning is dropped there too (score_dimension)
            hits = [h for h in hits if h.dimension not in claims]
        out.append(Sentence(turn, s, e, tuple(hits), cues, list_like, listed, claims))
    return out, ignored


def _answers(sentences: list[Sentence], hit_idx: list[int]) -> list[int]:
    """Every sentence of the turns that hold a hit: the whole answer to the probe."""
    seqs = {sentences[i].turn.seq for i in hit_idx}
    return [j for j, s in enumerate(sentences) if s.turn.seq in seqs]


def _quote(sentence: Sentence, hit: SignalHit) -> tuple[int, int, bool, bool]:
    """A verbatim span: the sentence, or whole clauses of it around the hit when it is long
    (depth.clause_window), with whether the sentence goes on before and after it."""
    return depth.clause_window(sentence.turn.text, sentence.start, sentence.end, hit.start, hit.end)


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
        a, b, cut_before, cut_after = _quote(sent, first)
        start_ms, end_ms = span_times(sent.turn, a, b)
        out.append(Evidence(quote=sent.turn.text[a:b], seq=sent.turn.seq, start_ms=start_ms, end_ms=end_ms,
                            cut_before=cut_before, cut_after=cut_after))
    return out


def score_dimension(dim: Dimension, sentences: list[Sentence], hints: int = 0) -> DimensionScore:
    hit_idx = [i for i, s in enumerate(sentences) if any(h.dimension == dim.key for h in s.hits)]
    found = {h.signal for i in hit_idx for h in sentences[i].hits if h.dimension == dim.key}
    names = [s.name for s in dim.signals]
    cues: dict[str, int] = {}
    words = points = 0
    for i in _answers(sentences, hit_idx):
        if dim.key in sentences[i].wrong:
            continue  # a false claim about this dimension is no reasoning for it (other dimensions keep it)
        for kind, n in sentences[i].cues.items():
            cues[kind] = cues.get(kind, 0) + n
        words += len(sentences[i].text.split())
        points += depth.reasoning_points(sentences[i].cues)
    kinds = [k for k in depth.KINDS if k in depth.kinds_from_counts(cues)]
    dense = depth.is_dense(points + len(found), words)
    listed = sum(dim.key in s.listed for s in sentences)
    list_like = listed > 0 and not hit_idx  # named its terms only in lists

    flags: list[str] = ["list-like"] if list_like else []
    if not found:
        score = 1
    else:
        coverage = len(found) / len(names)
        cov_cap = 4 if coverage >= COVERAGE_FOR_4 else 3 if coverage >= COVERAGE_FOR_3 else 2
        # a dense answer (a reason, number or trade-off every few words) reasons as much in fewer words:
        # it counts one kind more, so a concise senior is not out-scored by a long narration
        n_kinds = len(kinds) + (1 if dense and kinds else 0)
        depth_cap = (4 if n_kinds >= KINDS_FOR_4 else 3 if n_kinds >= KINDS_FOR_3
                     else 2 if kinds or len(found) >= 2 else 1)
        # a concise answer that covers most of the dimension reasons with fewer words
        if coverage >= COVERAGE_FOR_4 and kinds:
            broad = n_kinds >= KINDS_FOR_4 - 1 or (coverage >= BROAD and n_kinds >= KINDS_FOR_3)
            depth_cap = max(depth_cap, 4 if broad else 3)
        if list_like:
            depth_cap = min(depth_cap, 2)
        score = min(cov_cap, depth_cap)
    if hints:
        capped = min(score, 3 if hints == 1 else 2)
        if capped < score:
            flags.append("capped-by-hints")
        score = capped

    labels = [depth.KIND_LABELS[k] for k in kinds]
    if not found and list_like:
        rationale = "The candidate only listed terms for this dimension, without explaining any of them."
    elif not found:
        rationale = "Nothing the candidate said addressed this dimension."
    else:
        rationale = (f"Named {len(found)} of {len(names)} points a strong answer covers "
                     f"({', '.join(n for n in names if n in found)}); ")
        rationale += (f"reasoned with {_join(labels)}" + (", densely for its length." if dense else ".")
                      if labels else "gave no reasons, trade-offs or numbers.")
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


def score_dimensions(rnd: Round, turns: list[TranscriptTurn], wrong: list[MisconceptionHit] | None = None,
                     report: KeyPointReport | None = None) -> tuple[list[DimensionScore], list[str]]:
    """Dimension scores (misconception caps applied) and notes (e.g. sentences set aside) for a transcript."""
    wrong = misconceptions.find(turns, rnd) if wrong is None else wrong
    sentences, ignored = read_candidate(rnd, turns, wrong)
    _, hints = count_hints(turns)
    dims = [score_dimension(d, sentences, hints.get(d.key, 0)) for d in rnd.rubric.dimensions]
    if report is not None:
        dims = by_meaning.rescore(dims, report, rnd, turns)
    dims = misconceptions.apply_caps(dims, wrong, rnd)
    notes = []
    if ignored:
        notes.append(f"{ignored} sentence{'s' if ignored > 1 else ''} addressed to the scorer rather than "
                     "answering the question were set aside and not scored.")
    if not any(t.is_candidate for t in turns):
        notes.append("The transcript has no candidate turns.")
    return dims, notes


def meaning_claims(report: KeyPointReport) -> misconceptions.ExtraClaims:
    """The myths the hearing layer heard by meaning in each candidate turn, each id once."""
    def extra(turn: TranscriptTurn, seen: set[str]):
        heard = report.heard.get(turn.seq)
        for claim in heard.myths if heard is not None else ():
            if claim.item.id not in seen:
                seen.add(claim.item.id)
                yield claim
    return extra


class OfflineScorer:
    """Signals and reasoning (above), and wrong claims heard by their forms. Where the hearing layer can run
    (app.hearing): with `myths`, wrong claims are heard in any wording too, and cap like the others; with
    `meaning`, the key points established by meaning also lift what the signals missed
    (app.scoring.by_meaning). Both are off by default, by measurement (bench/score_fixtures.py): myths by
    meaning cap correct answers (distributed systems garbled 3.35 -> 2.95) and catch no more of the
    independent wrong ones (highest 3.05 either way); key points lift the medium answers past the hire bar
    (system design 2.95 at senior, bar 2.7)."""

    name = "offline"

    def __init__(self, meaning: bool = False, myths: bool = False):
        self.meaning = meaning
        self.myths = myths or meaning

    def score(self, rnd: Round, level: str, turns: list[TranscriptTurn]) -> ScorecardDoc:
        hearing = for_round(rnd) if self.myths else None
        report = hear_transcript(turns, hearing) if hearing is not None else None
        wrong = misconceptions.find(turns, rnd, meaning_claims(report) if report else None)
        dims, notes = score_dimensions(rnd, turns, wrong, report if self.meaning else None)
        return assemble(rnd, level, turns, dims, scorer=self.name, notes=notes, misconceptions=wrong)
