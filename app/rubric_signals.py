"""Find a rubric's signals in what a candidate said.

One matcher shared by the offline interviewer (coverage: what has the candidate shown so far?) and the
offline scorer (evidence: which words, in which turn, back each score?). Matching is on word stems, so
"shard", "sharding" and "sharded" are one; digits 0-10 and their words are one ("2 phase" = "two phase");
third-person pronouns are one ("his concerns" = "their concerns").
Every hit keeps the character span in the original text, so quotes are always verbatim.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from app.catalog import Round

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")
_NUMBER_WORDS = "zero one two three four five six seven eight nine ten".split()
# Third-person pronouns are one word to the matcher, so "his concerns" matches the rubric's "their
# concerns" and "talked to her directly" matches "talked to them directly".
_PRONOUNS = {p: "they" for p in ("he", "she", "they")} | {
    p: "them" for p in ("him", "her", "them", "his", "hers", "their", "theirs")}


def stem(token: str) -> str:
    """A small, predictable suffix stripper (enough for English technical speech)."""
    t = token.lower()
    if t.endswith("'s"):
        t = t[:-2]
    t = t.replace("'", "")
    if t in _PRONOUNS:
        return _PRONOUNS[t]
    if t.isdigit() and int(t) <= 10:
        return _NUMBER_WORDS[int(t)]
    if len(t) <= 3:
        return t
    if t.endswith("ies") and len(t) > 4:
        t = t[:-3] + "y"
    elif t.endswith("sses"):
        t = t[:-2]
    elif t.endswith("ing") and len(t) > 5:
        t = t[:-3]
        if len(t) > 2 and t[-1] == t[-2] and t[-1] not in "lsz":
            t = t[:-1]
    elif t.endswith("ed") and len(t) > 4:
        t = t[:-2]
        if len(t) > 2 and t[-1] == t[-2] and t[-1] not in "lsz":
            t = t[:-1]
    elif t.endswith("es") and len(t) > 4 and (t[-3] in "sxz" or t[-4:-2] in ("ch", "sh")):
        t = t[:-2]
    elif t.endswith("s") and not t.endswith(("ss", "us", "is")) and len(t) > 3:
        t = t[:-1]
    if t.endswith("e") and len(t) > 3:
        t = t[:-1]
    return t


@dataclass(frozen=True)
class Token:
    stem: str
    start: int  # character offsets in the original text
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(stem(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True)
class SignalHit:
    dimension: str
    signal: str
    phrase: str  # the rubric phrase that matched
    start: int  # span of the matched words in the text that was searched
    end: int
    text: str  # those words, verbatim


@dataclass
class Coverage:
    """Which signals of which dimensions have been heard so far."""

    signals: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, hits: list[SignalHit]) -> None:
        for hit in hits:
            self.signals[hit.dimension].add(hit.signal)

    def count(self, dimension: str) -> int:
        return len(self.signals.get(dimension, ()))


class SignalMatcher:
    def __init__(self, rnd: Round):
        self.round = rnd
        # first stem -> [(stem sequence, dimension, signal name, phrase)], longest phrases first
        self._index: dict[str, list[tuple[tuple[str, ...], str, str, str]]] = defaultdict(list)
        self.signal_counts: dict[str, int] = {}
        for dim in rnd.rubric.dimensions:
            self.signal_counts[dim.key] = len(dim.signals)
            for signal in dim.signals:
                for phrase in signal.phrases:
                    stems = tuple(t.stem for t in tokenize(phrase))
                    if stems:
                        self._index[stems[0]].append((stems, dim.key, signal.name, phrase))
        for entries in self._index.values():
            entries.sort(key=lambda e: -len(e[0]))

    def find(self, text: str) -> list[SignalHit]:
        """Every signal phrase in `text`, at most one hit per (dimension, signal) and position."""
        tokens = tokenize(text)
        stems = [t.stem for t in tokens]
        hits: list[SignalHit] = []
        seen: set[tuple[str, str, int]] = set()
        for i, first in enumerate(stems):
            for seq, dim, signal, phrase in self._index.get(first, ()):
                n = len(seq)
                if tuple(stems[i : i + n]) != seq or (dim, signal, i) in seen:
                    continue
                seen.add((dim, signal, i))
                start, end = tokens[i].start, tokens[i + n - 1].end
                hits.append(SignalHit(dim, signal, phrase, start, end, text[start:end]))
        return hits

    def coverage(self, texts: list[str]) -> Coverage:
        cov = Coverage()
        for text in texts:
            cov.add(self.find(text))
        return cov

    def missing(self, dimension: str, coverage: Coverage) -> list[str]:
        """Signal names of a dimension not heard yet, in rubric order."""
        heard = coverage.signals.get(dimension, set())
        return [s.name for s in self.round.dimension(dimension).signals if s.name not in heard]
