"""Which answer-key points of the problem in play the candidate has made: the follow-ups seek the gaps.

A point (prompts/keys/<round>.yaml) is `established`, `partial`, `missing` or `contradicted`. Who hears
them is a small Protocol, `PointHearing`: the hearing layer's meaning-based coverage plugs in there
(`Interviewer(..., points=...)`); until it does, `LexicalHearing` is the fallback: a point is established
when the answer holds most of the content words of one of the point's plain forms (partial: a good share
of them). It is deliberately strict (a follow-up on a point already made is the worse mistake only when
it is made often; a missed point made in other words is asked about once more, which is what the meaning
layer fixes). `contradicted` comes only from a hearing that can tell polarity.
"""

from __future__ import annotations

from typing import Protocol

from app.catalog import Question, Round
from app.interviewer.phrases import sentences
from app.interviewer.state import InterviewState
from app.interviewer.words import stems

ESTABLISHED, PARTIAL, MISSING, CONTRADICTED = "established", "partial", "missing", "contradicted"
_RANK = {None: 0, MISSING: 0, PARTIAL: 1, CONTRADICTED: 2, ESTABLISHED: 3}
_NEED = {None: 1.0, MISSING: 1.0, PARTIAL: 0.5, CONTRADICTED: 1.2, ESTABLISHED: 0.0}
LEXICAL_ESTABLISHED = 0.6  # share of a plain form's content words in the answer
LEXICAL_PARTIAL = 0.4
MIN_FORM_WORDS = 3


class PointHearing(Protocol):
    def hear(self, rnd: Round, q: Question, text: str) -> dict[str, str]:
        """Status of the question's key points in one answer (points not heard may be left out)."""


def points(rnd: Round, q: Question) -> list:
    return list(rnd.keys.questions.get(q.id, [])) if rnd.keys is not None else []


def point_weights(rnd: Round, q: Question) -> dict[str, float]:
    return {p.id: p.weight for p in points(rnd, q)}


def points_of(rnd: Round, q: Question, dimension: str) -> list[str]:
    return [p.id for p in points(rnd, q) if p.dimension == dimension]


PROBE_POINT_WORDS = 2  # content words a probe shares with a key point of its dimension that it asks for


def probe_points(rnd: Round, q: Question, text: str, dimension: str) -> list[str]:
    """The key points of `dimension` a follow-up asks for: those whose statement shares the most content words
    with it (at least PROBE_POINT_WORDS): "What was their strongest argument?" asks for "States the peer's
    strongest argument fairly", not for the dimension's other point, "Talked to the peer directly"."""
    asked = stems(text, generic=False)
    shared = {p.id: len(asked & stems(p.point, generic=False)) for p in points(rnd, q) if p.dimension == dimension}
    most = max(shared.values(), default=0)
    return [pid for pid, n in shared.items() if n == most] if most >= PROBE_POINT_WORDS else []


SAID_SHARE = 0.5  # of a follow-up's content words in one sentence the candidate already said about the question
SAID_WORDS = 2


def said_already(state: InterviewState, q: Question, text: str) -> bool:
    """Whether one sentence of the candidate's answers to `q` already holds most of what the follow-up `text`
    asks about ("His strongest argument was…" answers "What was their strongest argument?")."""
    asked = stems(text, generic=False)
    for e in state.history:
        if e.speaker != "candidate" or e.question_id != q.id:
            continue
        for sentence in sentences(e.text):
            shared = len(asked & stems(sentence, generic=False))
            if shared >= SAID_WORDS and shared >= SAID_SHARE * len(asked):
                return True
    return False


def need(status: str | None) -> float:
    """How much a point still needs asking about: 0 once made, most when contradicted."""
    return _NEED.get(status, 1.0)


def merge(old: dict[str, str], new: dict[str, str]) -> dict[str, str]:
    """The problem's point status after one more answer: a point once made stays made; a contradiction
    stays until the point is made."""
    out = dict(old)
    for pid, status in new.items():
        if _RANK[status] > _RANK.get(out.get(pid), 0):
            out[pid] = status
    return out


def missing_targets(rnd: Round, q: Question, status: dict[str, str], targets: list[str]) -> list[str]:
    """Of `targets` (point ids), those not made yet (missing, partial or contradicted)."""
    return [p for p in targets if status.get(p) != ESTABLISHED]


class LexicalHearing:
    """The fallback: content words of the key point's plain forms found in the answer."""

    def hear(self, rnd: Round, q: Question, text: str) -> dict[str, str]:
        said = stems(text, generic=False)
        out: dict[str, str] = {}
        for point in points(rnd, q):
            best = 0.0
            for form in point.plain:
                words = stems(form, generic=False)
                if len(words) >= MIN_FORM_WORDS:
                    best = max(best, len(words & said) / len(words))
            if best >= LEXICAL_ESTABLISHED:
                out[point.id] = ESTABLISHED
            elif best >= LEXICAL_PARTIAL:
                out[point.id] = PARTIAL
        return out
