"""Does an answer address the question in play? A cheap, explainable check on shared content words.

The vocabulary of the question in play is its text, its probes and their hints, its facts' answers, the hint,
and the rubric signal phrases of the dimensions it probes; the prompt just asked weighs the same. Words
every technical answer uses ("system", "team", "data") do not count. An answer is off topic when it
shares (almost) nothing with that vocabulary and hits no rubric signal of the question's dimensions:

- at least MIN_WORDS content words (a short answer is judged vague or fine, never off topic),
- fewer than 2 shared stems (1 for an answer under LONG_WORDS content words), counting as shared the
  words of the candidate's own earlier answers to the question that were taken as answers,
- no rubric signal of a dimension this question probes.
"""

from __future__ import annotations

from app.catalog import Question, Round
from app.interviewer.words import stems

MIN_WORDS = 5
LONG_WORDS = 6


_CACHE: dict[tuple[str, str, int], frozenset[str]] = {}


def _vocabulary(rnd: Round, question: Question) -> frozenset[str]:
    key = (rnd.id, question.id, id(question))
    if key not in _CACHE:
        _CACHE[key] = _build(rnd, question)
    return _CACHE[key]


def _build(rnd: Round, question: Question) -> frozenset[str]:
    texts = [question.text, question.hint]
    texts += [f"{p.text} {p.hint}" for p in question.probes]
    texts += [f.answer for f in question.facts]
    for dim in {p.dimension for p in question.probes}:
        texts += [phrase for s in rnd.dimension(dim).signals for phrase in s.phrases]
    out: set[str] = set()
    for text in texts:
        out |= stems(text, generic=False)
    return frozenset(out)


def overlap(text: str, rnd: Round, question: Question, prompt: str = "") -> set[str]:
    vocab = _vocabulary(rnd, question) | stems(prompt, generic=False)
    return stems(text, generic=False) & vocab


def is_off_topic(text: str, rnd: Round, question: Question | None, prompt: str = "",
                 signal_dims: set[str] | frozenset[str] = frozenset(), story: str = "") -> bool:
    """`signal_dims`: dimensions whose rubric signals the answer hit; `story`: the candidate's own earlier
    answers to the question in play (an answer that goes on with their story or design is on topic even
    when it shares no word with the question: "the old service handled five times the traffic")."""
    if question is None:
        return False
    words, size = stems(text, generic=False), len(stems(text))
    if size < MIN_WORDS:
        return False
    if signal_dims & {p.dimension for p in question.probes}:
        return False
    need = 2 if size >= LONG_WORDS else 1
    vocab = _vocabulary(rnd, question) | stems(prompt, generic=False) | stems(story, generic=False)
    return len(words & vocab) < need

