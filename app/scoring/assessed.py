"""Which dimensions an interview assessed (issue 9, part 5).

A dimension is assessed when an interviewer turn probed it (its meta `dimension` is the key, or the
question in play, meta `question_id`, lists it among its probes and the candidate answered that
question), or when the candidate gave verified evidence for it. A dimension nobody asked about and
nobody spoke to says nothing about the candidate: it is marked `assessed: False`, left out of the
overall score and the hire signal, shown as "not assessed in this interview", and goes to "practise next".

Transcripts without the interviewer's meta (plain-text files, interviews from before the planner kept
it) cannot tell what was asked, so every dimension counts as assessed there, as before.
"""

from __future__ import annotations

from app.catalog import Round
from app.scoring.scorecard import NOT_ASSESSED, DimensionScore
from app.scoring.transcript import TranscriptTurn


def has_planner_meta(turns: list[TranscriptTurn]) -> bool:
    return any(not t.is_candidate and (t.meta.get("question_id") or t.meta.get("dimension")) for t in turns)


def probed(rnd: Round, turns: list[TranscriptTurn]) -> set[str]:
    """Keys of the dimensions the interviewer asked about, with a candidate answer after the question."""
    probes = {q.id: {p.dimension for p in q.probes} for q in rnd.prompt.questions}
    out: set[str] = set()
    for i, t in enumerate(turns):
        if t.is_candidate:
            continue
        answered = any(u.is_candidate and u.text.strip() for u in turns[i + 1:])
        if not answered:
            continue
        if dim := t.meta.get("dimension"):
            out.add(dim)
        if (qid := t.meta.get("question_id")) in probes:
            out |= probes[qid]
    return out


def mark_assessed(rnd: Round, turns: list[TranscriptTurn], dims: list[DimensionScore]) -> list[DimensionScore]:
    if not has_planner_meta(turns):
        return dims
    asked = probed(rnd, turns)
    out = []
    for d in dims:
        if d.key in asked or d.evidence:
            out.append(d)
        else:
            out.append(d.model_copy(update={
                "assessed": False, "anchor": NOT_ASSESSED, "evidence": [],
                "rationale": "The interview never asked about this dimension and nothing the candidate said "
                             "spoke to it, so it is not scored.",
            }))
    return out
