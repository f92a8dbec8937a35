"""Negation: words mentioned only to be rejected or denied.

"avoid X", "don't use X", "no X", "not X", "instead of X", "rather than X", "never X", "without X",
"X doesn't happen", "X isn't needed" mention X without showing it. Embeddings cannot tell these apart
from the assertion (they ignore "not"), so whether a candidate asserts or rejects something is always
this module's decision.
"""

from __future__ import annotations

from app.hearing.words import Token, stem


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


# --- hedging and reporting: a claim said in order to reject it -----------------------------------------
# "a common myth is that TCP gives exactly once", "people think ...": the claim is reported, not made.
_REPORTED = {stem(w) for w in ("myth", "misconception", "mistake", "wrong", "false", "incorrect", "fallacy")}
_REPORTED_PAIRS = {(stem(a), stem(b)) for a, b in (("people", "think"), ("people", "say"), ("people", "believe"),
                                                   ("some", "say"), ("many", "think"), ("often", "hear"))}
REPORTED_WINDOW = 6
NEGATORS = {stem(w) for w in ("not", "never", "no", "don't", "doesn't", "didn't", "isn't", "aren't", "won't",
                              "wouldn't", "can't", "cannot", "without")}


def reported(stems: list[str], i: int) -> bool:
    """"a common myth is that ...", "people think ...": the words from token i on are reported, not claimed."""
    before = stems[max(0, i - REPORTED_WINDOW):i]
    pairs = zip(before, before[1:], strict=False)
    return any(s in _REPORTED for s in before) or any(p in _REPORTED_PAIRS for p in pairs)
