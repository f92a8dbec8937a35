"""The anchor of a follow-up: a few words from the candidate's last answer for the next turn to pick up.

    anchor("I'd put Redis in front for the hot keys with a five minute TTL, and shard by customer id.",
           asked="How would you keep the cache consistent?")   # -> "I'd put Redis in front for the hot keys"

A good interviewer's follow-up starts from what the candidate just said ("so you'd shard by customer id —
what happens to a hot customer?"). A small local model left to find that itself mostly paraphrases the
planned question instead, so the brain hands it a concrete phrase: the clause of the answer that carries
the most words the question in play does not already contain (numbers and long technical words count
double), at most MAX_WORDS long and keeping the clause's own subject ("I'd", "we") so that saying it back
as "you" reads naturally. None when the answer has nothing specific to pick up.
"""

from __future__ import annotations

import re

from app.interviewer.words import GENERIC, STOP, stem

MAX_WORDS = 10
RECENT_TURNS = 8  # turns whose interviewer words a new anchor avoids (a repeated answer is not echoed twice)
MIN_SCORE = 2
SUBJECT_REACH = 3  # a window starting this close to its clause's start is extended back to it
_CLAUSES = re.compile(r"[.,;:!?()\u2014]+|\s(?:and|but|so|because|then|which|while|although|though)\s",
                      re.IGNORECASE)
_FILLERS = {"um", "uh", "hmm", "so", "well", "honestly", "like", "and", "but", "then", "also", "just", "okay",
            "ok", "yeah", "right", "basically", "actually"}
_PARTICLES = {"down", "up", "out", "off", "over", "back", "away"}
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\-]*")


def _weight(word: str, known: set[str]) -> int:
    low = word.lower().replace("'", "")
    if low in STOP or low in GENERIC or (len(low) < 3 and not low.isdigit()) or stem(low) in known:
        return 0
    return 2 if any(c.isdigit() for c in low) or len(low) >= 8 else 1


def _clean(word: str) -> str:
    return "".join(c for c in word.lower() if c.isalnum())


def _clause_tokens(clause: str, unsure: set[str]) -> list[str]:
    """A clause's tokens up to the first content word the recogniser was unsure of: what follows a
    misheard word has lost its subject ("if [Redis] goes down" would be said back as "goes down")."""
    out: list[str] = []
    for token in _TOKEN.findall(clause):
        parts = {_clean(p) for p in token.split("-")} | {_clean(token)}
        if any(p in unsure and p not in STOP for p in parts if p):
            break
        out.append(token)
    return out


def anchor(answer: str, asked: str = "", min_score: int = MIN_SCORE, unsure: list[str] | None = None) -> str | None:
    """The most specific short phrase of `answer` that `asked` (the question in play) did not contain,
    and that holds no word of `unsure` (misheard words are not said back)."""
    known = {stem(w.lower()) for w in _TOKEN.findall(asked)}
    avoid = {_clean(w) for w in unsure or []}
    best, best_score = None, 0
    for clause in _CLAUSES.split(answer):
        tokens = _clause_tokens(clause, avoid)
        while tokens and tokens[0].lower() in _FILLERS:
            tokens = tokens[1:]
        weights = [_weight(t, known) for t in tokens]
        for start in range(max(1, len(tokens) - MAX_WORDS + 1)):
            score = sum(weights[start:start + MAX_WORDS])
            if score <= best_score:
                continue
            begin = 0 if start <= SUBJECT_REACH else start
            words = tokens[begin:begin + MAX_WORDS]
            while words and weights[begin + len(words) - 1] == 0 and words[-1].lower() in STOP \
                    and words[-1].lower() not in _PARTICLES:  # "if Redis goes down" keeps its "down"
                words = words[:-1]
            if words:
                best, best_score = " ".join(words), score
    return best if best_score >= min_score else None


# the candidate's first person said back in the second ("I'd shard by user" -> "you'd shard by user")
_SECOND_PERSON = {"i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "i'd": "you'd",
                  "i'm": "you're", "i've": "you've", "i'll": "you'll", "we": "you", "us": "you", "our": "your",
                  "ours": "yours", "ourselves": "yourselves", "we'd": "you'd", "we're": "you're",
                  "we've": "you've", "we'll": "you'll"}
_AGREE = {("you", "am"): "are", ("you", "was"): "were"}
_SUBJECTS = {"you", "you'd", "you're", "you've", "you'll"}


def said_back(phrase: str) -> str:
    """An anchor as the interviewer says it back: first person turned into second person."""
    out: list[str] = []
    for token in phrase.split():
        low = token.lower()
        if low in _SECOND_PERSON:
            token = _SECOND_PERSON[low]
        elif out and (out[-1].lower(), low) in _AGREE:
            token = _AGREE[(out[-1].lower(), low)]
        out.append(token)
    return " ".join(out)


_NOUN_OPENERS = {"a", "an", "the", "with", "for", "in", "on", "by", "of", "at", "via", "from", "into", "using"}
_ARTICLES = {"a", "an", "the"}


def echo_lead(answer: str, asked: str, seed: int, min_score: int = MIN_SCORE,
              unsure: list[str] | None = None) -> str | None:
    """A follow-up's first sentence from the candidate's own words, the way an interviewer restates what
    they heard ("Okay, so you'd shard by customer id.", "You mentioned a lease from etcd."): for the
    offline brain, and the LLM brain's fallback. None when the answer has nothing to pick up."""
    found = anchor(answer, asked, min_score, unsure)
    if found is None:
        return None
    words = said_back(found).rstrip(" ,;:-").split()
    if words[0].lower() in _SUBJECTS:
        return f"{('So', 'Okay, so')[seed % 2]} {' '.join(words)}."
    if words[0].lower() in _NOUN_OPENERS:  # "with counters in Redis" -> "counters in Redis"
        while len(words) > 1 and words[0].lower() in _NOUN_OPENERS - _ARTICLES:
            words = words[1:]
        words[0] = words[0].lower() if words[0].lower() in STOP else words[0]
        return f"{('You mentioned', 'Okay,')[seed % 2]} {' '.join(words)}."
    if words[0].lower() in STOP or words[0].lower() in GENERIC:  # capitalised only as the answer's first word
        words[0] = words[0].lower()
    return f"You said {' '.join(words)}."
