"""Find a rubric's signals in what a candidate said.

One matcher shared by the offline interviewer (coverage: what has the candidate shown so far?) and the
offline scorer (evidence: which words, in which turn, back each score?). Matching is on word stems, so
"shard", "sharding" and "sharded" are one; digits 0-10 and their words are one ("2 phase" = "two phase");
third-person pronouns are one ("his concerns" = "their concerns"). Words are heard through
app.soundalikes first, so "cash" is "cache" and "item potency" is "idempotency".

A phrase may hold gaps: "split ... across machines" matches "split the rows across machines" (a gap is
up to GAP_MAX words, within one clause). Misconception forms (app.scoring.misconceptions) use the same
patterns.

Negation: "avoid X", "don't use X", "no X", "not X", "instead of X", "rather than X", "never X",
"without X", "X doesn't happen", "X isn't needed" mention X without showing it. Such hits carry
`negated=True`; `find()` leaves them out (they are no coverage), `find_all()` keeps them so the scorer
can count a reasoned rejection as a trade-off.

Every hit keeps the character span in the original text, so quotes are always verbatim.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from app import soundalikes
from app.catalog import Round

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")
_NUMBER_WORDS = "zero one two three four five six seven eight nine ten".split()
# Third-person pronouns are one word to the matcher, so "his concerns" matches the rubric's "their
# concerns" and "talked to her directly" matches "talked to them directly".
_PRONOUNS = {p: "they" for p in ("he", "she", "they")} | {
    p: "them" for p in ("him", "her", "them", "his", "hers", "their", "theirs")}
# Words the suffix stripper must leave whole, because their stem is another word ("having" is SQL's
# HAVING, not "have"; "during" is not "dur").
_KEEP = {"having", "during", "string", "strings", "thing", "things", "nothing", "something", "anything",
         "everything", "morning", "evening", "ceiling", "bring", "spring", "sing", "king", "ring", "wing"}
GAP = "..."
GAP_MAX = 4


def stem(token: str) -> str:
    """A small, predictable suffix stripper (enough for English technical speech)."""
    t = token.lower()
    if t.endswith("'s"):
        t = t[:-2]
    t = t.replace("'", "")
    if t in _PRONOUNS:
        return _PRONOUNS[t]
    if t in _KEEP:
        return t.rstrip("s") if t.endswith("ings") else t
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
    word: str = ""  # the word as heard (lower case), after app.soundalikes


_BOUNDARY = re.compile(r"[,;:.!?()]|\s[-–—]\s")


def tokenize(text: str) -> list[Token]:
    raw = [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    out: list[Token] = []
    i = 0
    while i < len(raw):
        word, s, e = raw[i]
        pair = (word, raw[i + 1][0]) if i + 1 < len(raw) and not _BOUNDARY.search(text[e:raw[i + 1][1]]) else None
        if pair in soundalikes.SPLITS:
            end = raw[i + 1][2]
            out += [Token(stem(w), s, end, w) for w in soundalikes.SPLITS[pair].split()]
            i += 2
            continue
        word = soundalikes.WORDS.get(word, word)
        out.append(Token(stem(word), s, e, word))
        i += 1
    return out


def clause_breaks(text: str, tokens: list[Token]) -> list[bool]:
    """breaks[i]: a clause boundary (punctuation) lies between token i-1 and token i."""
    return [i == 0 or bool(_BOUNDARY.search(text[tokens[i - 1].end:t.start])) for i, t in enumerate(tokens)]


Pattern = tuple[str, ...]  # stems, with GAP for up to GAP_MAX words


def compile_phrase(phrase: str) -> Pattern:
    parts: list[str] = []
    for chunk in phrase.split(GAP):
        if parts:
            parts.append(GAP)
        parts += [t.stem for t in tokenize(chunk)]
    while parts and parts[0] == GAP:
        parts.pop(0)
    while parts and parts[-1] == GAP:
        parts.pop()
    return tuple(parts)


def match_at(pattern: Pattern, stems: list[str], breaks: list[bool], i: int, gap_max: int = GAP_MAX) -> int | None:
    """End index (exclusive) of `pattern` matched at token i, or None. Gaps never cross a clause break
    (pass no breaks to let them)."""
    def go(p: int, j: int) -> int | None:
        if p == len(pattern):
            return j
        if pattern[p] == GAP:
            for skip in range(gap_max + 1):
                if j + skip > len(stems) or any(breaks[j + 1:j + skip + 1]):
                    break
                if (end := go(p + 1, j + skip)) is not None:
                    return end
            return None
        if j < len(stems) and stems[j] == pattern[p]:
            return go(p + 1, j + 1)
        return None
    return go(0, i)


# --- negation ----------------------------------------------------------------------------------------
def _stems(words: str) -> set[str]:
    return {stem(w) for w in words.split()}


_NEG_BEFORE = _stems("not no never avoid without nor neither skip don't doesn't didn't wouldn't won't shouldn't "
                     "can't cannot isn't aren't wasn't weren't haven't hasn't against ditch")
_NEG_TWO_WORD = {("instead", "of"), ("rather", "than"), ("get", "rid"), ("stay", "away")}
_NEG_AUX = _stems("not never isn't aren't doesn't don't didn't wasn't won't wouldn't")
_DENIAL = _stems("happen matter need needed necessary required problem issue concern useful worth relevant "
                 "important apply exist something")
_DENIAL_ALONE = _stems("overkill unnecessary pointless")
_STOP_SCOPE = _stems("but so because which then instead since while when if whereas although though")
_COORDINATION = _stems("and or nor")
_DETERMINERS = _stems("a an the any")
NEG_WINDOW = 4  # words between a negation and the term it negates
AFTER_WINDOW = 5  # words after a term that can deny it ("X doesn't really happen")


def is_negated(tokens: list[Token], breaks: list[bool], i: int, j: int) -> bool:
    """Whether the words i..j-1 are mentioned only to be rejected or denied."""
    stems = [t.stem for t in tokens]
    # before: "I'd avoid X", "no X", "I wouldn't bother with X", "instead of X", "rather than X",
    # and lists under one negation ("I'd avoid Raft and Paxos"), but not a new verb ("avoid locks and use Y")
    for k in range(i - 1, max(-1, i - NEG_WINDOW - 2), -1):
        if breaks[k + 1]:
            break
        if stems[k] in _NEG_BEFORE:
            return True
        if k + 1 < len(stems) and (stems[k], stems[k + 1]) in _NEG_TWO_WORD:
            return True
        if stems[k] in _STOP_SCOPE:
            break
        if stems[k] in _COORDINATION and not (k == i - 1 or (k == i - 2 and stems[i - 1] in _DETERMINERS)):
            break
    # after: "X doesn't happen", "X isn't needed", "X is not a problem", "X is overkill"
    after = []
    for k in range(j, min(len(stems), j + AFTER_WINDOW)):
        if breaks[k] or stems[k] in _STOP_SCOPE:
            break
        after.append(stems[k])
    if any(w in _DENIAL_ALONE for w in after):
        return True
    neg = next((n for n, w in enumerate(after) if w in _NEG_AUX), None)
    return neg is not None and any(w in _DENIAL for w in after[neg + 1:])


# --- signals -----------------------------------------------------------------------------------------
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
