"""Scores from claims: a dimension's score from the key points the candidate established, by meaning.

For a dimension that the questions in play have key points for (app.scoring.keypoints):
  share    = weighted key points established / the dimension's key points (a partial one counts half)
  level    = 1 when nothing is established; 2 below SHARE_FOR_3; 3 below SHARE_FOR_4; else 4
  a 4 without any reasoning (depth.KINDS in the turns that made the points) is a 3;
  the score is the higher of that level and the signal score (rubric signals named and reasoned with).
Key points lift a plain-spoken answer the signals missed (it names no rubric term); they never lower a
dimension: capping the signal score at 2 when no point was established by meaning (the first design) cut
strong answers whose question the key points did not cover, and did not lower confidently wrong ones,
whose sentences sit as close to the key points as right ones (embeddings hear the topic, not the truth).
Wrong claims are what lowers a score: heard by their forms and by meaning, they cap their dimension.
A dimension with no key point in play keeps its signal score.
Evidence: the windows that established the points, verbatim, first; then the signal evidence.
Hints and wrong claims cap afterwards, as before (app.scoring.misconceptions.apply_caps).
"""

from __future__ import annotations

from app.catalog import Round
from app.hearing import depth
from app.hearing.hearing import ESTABLISHED
from app.scoring.keypoints import KeyPointReport
from app.scoring.scorecard import DimensionScore, Evidence
from app.scoring.transcript import TranscriptTurn, span_times

SHARE_FOR_3, SHARE_FOR_4 = 0.34, 0.6
MAX_EVIDENCE = 3


def _level(share: float) -> int:
    if share <= 0:
        return 1
    return 4 if share >= SHARE_FOR_4 else 3 if share >= SHARE_FOR_3 else 2


def _evidence(report: KeyPointReport, key: str, turns: dict[int, TranscriptTurn]) -> list[Evidence]:
    made = sorted(report.established(key), key=lambda p: (p.point.status != ESTABLISHED, -p.point.weight,
                                                            -p.point.similarity))
    out: list[Evidence] = []
    for p in made[:MAX_EVIDENCE]:
        turn = turns[p.seq]
        s, e = p.point.start, p.point.end
        a, b, cut_before, cut_after = depth.clause_window(turn.text, s, e, s, e)
        start_ms, end_ms = span_times(turn, a, b)
        out.append(Evidence(quote=turn.text[a:b], seq=turn.seq, start_ms=start_ms, end_ms=end_ms,
                            cut_before=cut_before, cut_after=cut_after))
    return out


def _kinds(report: KeyPointReport, key: str, turns: dict[int, TranscriptTurn]) -> list[str]:
    seqs = {p.seq for p in report.established(key)}
    text = " ".join(turns[s].text for s in sorted(seqs))
    return [k for k in depth.KINDS if k in depth.reasoning_kinds(text)] if text else []


def rescore(dims: list[DimensionScore], report: KeyPointReport, rnd: Round,
            turns: list[TranscriptTurn]) -> list[DimensionScore]:
    """The dimensions scored from the key points in play (signal scores where none is in play)."""
    by_seq = {t.seq: t for t in turns if t.is_candidate}
    out = []
    for d in dims:
        pts = report.points.get(d.key)
        if not pts:
            out.append(d)
            continue
        share = report.fraction(d.key)
        level = _level(share)
        kinds = _kinds(report, d.key, by_seq)
        if level == 4 and not kinds:
            level = 3
        level = max(level, d.score)  # key points lift what the signals missed; they never lower it
        hint_cap = 4 if not d.hints else 3 if d.hints == 1 else 2
        score = min(level, hint_cap)
        made = report.established(d.key)
        names = [p.point.id.replace("_", " ") for p in made]
        missing = [p.point.id.replace("_", " ") for p in pts if p not in made]
        rationale = (f"Established {len(made)} of {len(pts)} key points of the questions asked"
                     + (f" ({', '.join(names)})" if names else "") + f", {share:.0%} by weight; "
                     + (f"reasoned with {', '.join(depth.KIND_LABELS[k] for k in kinds)}." if kinds
                        else "gave no reasons, trade-offs or numbers around them."))
        if d.hints:
            rationale += f" {d.hints} hint{'s' if d.hints > 1 else ''} on this dimension (a hint caps the score)."
        evidence = _evidence(report, d.key, by_seq)
        quoted = {(e.seq, e.quote) for e in evidence}
        evidence += [e for e in d.evidence if (e.seq, e.quote) not in quoted][:max(0, MAX_EVIDENCE - len(evidence))]
        flags = [f for f in d.flags if f != "capped-by-hints"] + (["capped-by-hints"] if hint_cap < level else [])
        out.append(d.model_copy(update={
            "score": score, "anchor": rnd.dimension(d.key).anchors[score], "rationale": rationale,
            "evidence": evidence if score > 1 else [], "missing": missing[:6], "reasoning": kinds,
            "flags": flags, "assessed": d.assessed or bool(made)}))
    return out
