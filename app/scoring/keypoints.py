"""Which key points of the questions asked a transcript establishes, by meaning, per dimension.

The question in play for each candidate turn is the interviewer's meta `question_id` when there is one;
for transcripts without meta (plain text), an interviewer turn that asks one of the round's questions
(its text close to the question's, QUESTION_ASKED) puts that question in play; failing both, the question
the candidate's answers are closest to. Each candidate turn is heard once (app.hearing.hearing) against
the key points of its question in play; a point counts once, at its best status over the turns, with the
turn and words that made it (for evidence quotes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.hearing.hearing import CONTRADICTED, ESTABLISHED, PARTIAL, Heard, PointHeard, RoundHearing
from app.scoring.transcript import TranscriptTurn

QUESTION_ASKED = 0.70  # an interviewer turn this close to a question's text asks that question
_RANK = {ESTABLISHED: 3, PARTIAL: 2, CONTRADICTED: 1}


@dataclass(frozen=True)
class PointIn:
    """A key point as heard in a transcript: its best status, and where."""

    point: PointHeard
    seq: int  # the candidate turn (0: never heard)


@dataclass
class KeyPointReport:
    questions: list[str] = field(default_factory=list)  # in play, in order
    points: dict[str, list[PointIn]] = field(default_factory=dict)  # dimension -> its key points
    heard: dict[int, Heard] = field(default_factory=dict)  # candidate turn seq -> what it said by meaning

    def fraction(self, dimension: str) -> float:
        """Weighted share of the dimension's key points established (a partial one counts half)."""
        pts = self.points.get(dimension, [])
        total = sum(p.point.weight for p in pts)
        got = sum(p.point.weight * (1.0 if p.point.status == ESTABLISHED else 0.5 if p.point.status == PARTIAL
                                    else 0.0) for p in pts)
        return got / total if total else 0.0

    def established(self, dimension: str) -> list[PointIn]:
        return [p for p in self.points.get(dimension, []) if p.point.status in (ESTABLISHED, PARTIAL)]


def _asked(hearing: RoundHearing, text: str) -> str | None:
    heard = hearing.hear(text, question_ids=())
    best = heard.best_question()
    if best is None:
        return None
    q = next(q for q in hearing.round.prompt.questions if q.id == best)
    vec = hearing.embedder.embed([text, q.text])
    return best if float(vec[0] @ vec[1]) >= QUESTION_ASKED else None


def in_play(turns: list[TranscriptTurn], hearing: RoundHearing) -> dict[int, str | None]:
    """candidate turn seq -> the question in play when it was said."""
    known = {q.id for q in hearing.round.prompt.questions}
    current: str | None = None
    out: dict[int, str | None] = {}
    for turn in turns:
        if turn.is_candidate:
            out[turn.seq] = current
            continue
        qid = (turn.meta or {}).get("question_id")
        if qid in known:
            current = qid
        elif not turn.meta and (asked := _asked(hearing, turn.text)):
            current = asked
    if current is None and out:  # nothing says which question: the one the answers are closest to
        whole = hearing.hear(" ".join(t.text for t in turns if t.is_candidate), question_ids=())
        best = whole.best_question()
        out = {seq: best for seq in out}
    return out


def hear_transcript(turns: list[TranscriptTurn], hearing: RoundHearing) -> KeyPointReport:
    report = KeyPointReport()
    play = in_play(turns, hearing)
    best: dict[tuple[str, str], PointIn] = {}
    for turn in turns:
        if not turn.is_candidate:
            continue
        qid = play.get(turn.seq)
        if qid and qid not in report.questions:
            report.questions.append(qid)
        heard = hearing.hear(turn.text, [qid] if qid else [])
        report.heard[turn.seq] = heard
        for p in heard.points:
            key = (p.question_id, p.id)
            old = best.get(key)
            if old is None or (_RANK.get(p.status, 0), p.similarity) > (_RANK.get(old.point.status, 0),
                                                                        old.point.similarity):
                best[key] = PointIn(p, turn.seq if p.status != "missing" else 0)
    for qid in report.questions:  # every point of every question asked, heard or not
        for kp in hearing.round.keys.points(qid) if hearing.round.keys else ():
            pin = best.get((qid, kp.id)) or PointIn(PointHeard(qid, kp.id, kp.dimension, kp.weight, "missing", 0.0), 0)
            report.points.setdefault(kp.dimension, []).append(pin)
    return report
