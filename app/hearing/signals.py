"""Find a rubric's signals in what a candidate said (the lexical fast path of the hearing layer).

One matcher shared by the offline interviewer (coverage: what has the candidate shown so far?) and the
offline scorer (evidence: which words, in which turn, back each score?). Words, stems and phrase patterns
are app.hearing.words; misconception forms (app.hearing.claims) use the same patterns.

Negation (app.hearing.negation): hits mentioned only to be rejected carry `negated=True`; `find()` leaves
them out (they are no coverage), `find_all()` keeps them so the scorer can count a reasoned rejection as
a trade-off. Every hit keeps the character span in the original text, so quotes are always verbatim.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from app.catalog import Round
from app.hearing.negation import is_negated
from app.hearing.words import Pattern, clause_breaks, compile_phrase, match_at, tokenize


@dataclass(frozen=True)
class SignalHit:
    dimension: str
    signal: str
    phrase: str  # the rubric phrase that matched
    start: int  # span of the matched words in the text that was searched
    end: int
    text: str  # those words, verbatim
    negated: bool = False  # mentioned only to be rejected ("I'd avoid X", "X doesn't happen")


@dataclass
class Coverage:
    """Which signals of which dimensions have been heard so far."""

    signals: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, hits: list[SignalHit]) -> None:
        for hit in hits:
            if not hit.negated:
                self.signals[hit.dimension].add(hit.signal)

    def count(self, dimension: str) -> int:
        return len(self.signals.get(dimension, ()))


class SignalMatcher:
    def __init__(self, rnd: Round):
        self.round = rnd
        # first stem -> [(pattern, dimension, signal name, phrase)], longest phrases first
        self._index: dict[str, list[tuple[Pattern, str, str, str]]] = defaultdict(list)
        self.signal_counts: dict[str, int] = {}
        for dim in rnd.rubric.dimensions:
            self.signal_counts[dim.key] = len(dim.signals)
            for signal in dim.signals:
                for phrase in signal.phrases:
                    if pattern := compile_phrase(phrase):
                        self._index[pattern[0]].append((pattern, dim.key, signal.name, phrase))
        for entries in self._index.values():
            entries.sort(key=lambda e: -len(e[0]))

    def find_all(self, text: str) -> list[SignalHit]:
        """Every signal phrase in `text`, at most one hit per (dimension, signal) and position, with
        negated mentions flagged."""
        tokens = tokenize(text)
        stems = [t.stem for t in tokens]
        breaks = clause_breaks(text, tokens)
        hits: list[SignalHit] = []
        seen: set[tuple[str, str, int]] = set()
        for i, first in enumerate(stems):
            for pattern, dim, signal, phrase in self._index.get(first, ()):
                if (dim, signal, i) in seen or (j := match_at(pattern, stems, breaks, i)) is None:
                    continue
                seen.add((dim, signal, i))
                start, end = tokens[i].start, tokens[j - 1].end
                hits.append(SignalHit(dim, signal, phrase, start, end, text[start:end],
                                      is_negated(tokens, breaks, i, j)))
        return hits

    def find(self, text: str) -> list[SignalHit]:
        """The signals `text` shows: find_all() without the negated mentions."""
        return [h for h in self.find_all(text) if not h.negated]

    def coverage(self, texts: list[str]) -> Coverage:
        cov = Coverage()
        for text in texts:
            cov.add(self.find(text))
        return cov

    def missing(self, dimension: str, coverage: Coverage) -> list[str]:
        """Signal names of a dimension not heard yet, in rubric order."""
        heard = coverage.signals.get(dimension, set())
        return [s.name for s in self.round.dimension(dimension).signals if s.name not in heard]
