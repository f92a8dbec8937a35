"""Words as the hearing layer reads them: stems, tokens with verbatim spans, clauses, phrase patterns.

Matching is on word stems, so "shard", "sharding" and "sharded" are one; digits 0-10 and their words are
one ("2 phase" = "two phase"); third-person pronouns are one ("his concerns" = "their concerns"). Words
are heard through app.hearing.soundalikes first, so "cash" is "cache" and "item potency" is
"idempotency". A phrase may hold gaps: "split ... across machines" matches "split the rows across
machines" (a gap is up to GAP_MAX words, within one clause). Every token keeps its character span in the
original text, so quotes are always verbatim.
"""


import re
from dataclasses import dataclass
from itertools import groupby

from app.hearing import soundalikes

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
    word: str = ""  # the word as heard (lower case), after app.hearing.soundalikes


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


def heard_as(text: str) -> str:
    """`text` with its sound-alikes read as the words meant ("a fix window in readies" -> "a fixed window in
    redis"), everything else as it was: what the meaning pass embeds (the quote stays the transcript's)."""
    out, last = [], 0
    for (start, end), group in groupby(tokenize(text), key=lambda t: (t.start, t.end)):
        meant = " ".join(t.word for t in group)
        if meant != text[start:end].lower():
            out += [text[last:start], meant]
            last = end
    return "".join(out) + text[last:]


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
