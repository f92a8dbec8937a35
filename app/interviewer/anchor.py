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

from app.interviewer.speech import AUXILIARIES, VERBS, can_be_verb, ends_badly, split_sentences, words
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


# --- the echo: a complete idea restated, or nothing ---------------------------------------------------
ECHO_MAX_WORDS = 16
ECHO_MIN_WORDS = 4
_FIRST_PERSON = {"i", "i'd", "i'll", "i'm", "i've", "we", "we'd", "we'll", "we're", "we've"}
_CONTRACTED = {"i'd", "i'll", "i'm", "i've", "we'd", "we'll", "we're", "we've"}
_IRREGULAR = VERBS | {"would", "could", "should", "can", "will", "might", "must", "need", "always", "never",
                      "just", "also", "only", "first", "then", "still", "rolled"}
_HEDGE_VERBS = {"think", "guess", "believe", "mean", "say", "feel", "suppose", "reckon"}
_OTHER_SUBJECTS = {"it", "they", "that"}  # said back as they are: "so it fails over", "so that's 10,000 a second"
_OTHER_CONTRACTED = {"it's", "that's", "there's", "they're", "they'd", "they'll", "it'll"}
_HEADS = {"the", "each", "every", "its", "their", "our", "my", "this", "that", "a", "an", "one", "both"}
_FINITE = {"is", "are", "was", "were", "will", "would", "can", "could", "should", "must", "has", "have",
           "gets", "goes", "keeps", "stays", "needs", "holds", "returns", "stores", "sends", "writes", "reads",
           "runs", "takes", "uses", "checks", "fails", "falls", "lives", "means", "gives", "makes", "becomes",
           "handles", "retries", "serves", "owns", "costs", "sees", "wins", "breaks", "expires", "commits",
           "waits", "hits", "drops", "moves", "lands", "carries", "points", "publishes", "answers", "sits"}
_BLOCK = {"that", "which", "what", "who", "how", "where", "when", "if", "because", "whether", "than", "why",
          "unless", "until", "once", "since", "though", "although", "while"}
_LEAD_WORDS = _FILLERS | {"for", "example", "at", "in", "on", "with", "after", "before", "during", "now", "first",
                          "here", "there", "today", "usually", "typically", "again", "otherwise", "instead"}
_ECHO_CLAUSES = re.compile(r"((?<=[.!?])\s+|[;:\u2014]|,\s+(?!\d)|\s(?:and|but|so|because|then|which|while|"
                           r"although|though|whereas|or)\s)", re.IGNORECASE)
_SOFT = re.compile(r"^(,\s+|\s(?:and|or)\s)$", re.IGNORECASE)  # may join a list ("the timestamp and body")
_OPENERS = ("So", "Okay, so", "Right,", "")
_COURTESY = {"thank", "thanks", "sorry", "please", "everything", "nothing"}  # a closing remark is not an idea


def _subject_start(tokens: list[str]) -> int | None:
    """Where a clause's own subject starts, with a verb after it: a first-person subject (after an
    adverbial lead such as "for example at 10,000 requests per second"), or a determiner-led noun phrase
    followed by a finite verb ("the storage checks ..."). None: no subject, a cut clause."""
    low = [t.lower().strip(",") for t in tokens]
    for p, w in enumerate(low):
        if w in _BLOCK:
            return None
        if w in _FIRST_PERSON:
            nxt = low[p + 1] if p + 1 < len(low) else ""
            if nxt in _HEDGE_VERBS:  # "I think we'd ..." : the idea starts after the hedge
                return _subject_start(tokens[p + 2:]) + p + 2 if _subject_start(tokens[p + 2:]) is not None \
                    else None
            if p and (low[0] not in _LEAD_WORDS or any(x in AUXILIARIES for x in low[:p])):
                return None  # an adverbial lead ("for example at 10,000 requests per second") only
            if w in _CONTRACTED or can_be_verb(nxt) or nxt in _IRREGULAR:
                return p
            return None
        if p == 0 and (w in _OTHER_CONTRACTED or (w in _OTHER_SUBJECTS and p + 1 < len(low)
                                                  and (can_be_verb(low[1]) or low[1] in _IRREGULAR))):
            return 0
        if p == 0 and w in _HEADS:
            if any(x in _FINITE for x in low[1:5]):
                return 0
            return None
        if p == 0 and w not in _LEAD_WORDS:
            return None
    return None


def _starts_clause(chunk: str) -> bool:
    """Does a chunk after "and" or a comma start a clause or a verb phrase of its own ("and shard by user",
    "we'd ...", "the leader commits ..."), rather than continue a list ("and body")?"""
    low = [t.lower().strip(",") for t in chunk.split()]
    if not low:
        return True
    starts = _FIRST_PERSON | _OTHER_SUBJECTS | _OTHER_CONTRACTED | VERBS | _IRREGULAR | _LEAD_WORDS
    return (low[0] in starts
            or low[0] in _BLOCK or (low[0] in _HEADS and any(x in _FINITE for x in low[1:5])))


def _clauses(answer: str) -> list[str]:
    parts = _ECHO_CLAUSES.split(answer)
    out = [parts[0]]
    for sep, chunk in zip(parts[1::2], parts[2::2], strict=False):
        if _SOFT.match(sep) and not _starts_clause(chunk):
            out[-1] = f"{out[-1]}{sep}{chunk}"
        else:
            out.append(chunk)
    return out


def restatement(answer: str, asked: str = "", min_score: int = MIN_SCORE,
                unsure: list[str] | None = None) -> str | None:
    """The candidate's most specific complete clause, said back ("you'd keep the counters in Redis"): its own
    subject and verb, whole (from a clause boundary to the next), at most ECHO_MAX_WORDS long, ending on a
    word a clause can end on, with no word the recogniser was unsure of. None when there is no such clause."""
    known = {stem(w.lower()) for w in _TOKEN.findall(asked)}
    avoid = {_clean(w) for w in unsure or []}
    best, best_score = None, 0
    for clause in _clauses(answer):
        if not clause or "?" in clause or '"' in clause or _COURTESY & set(words(clause)):
            continue
        tokens = clause.split()
        while tokens and tokens[0].lower().strip(",") in _FILLERS:
            tokens = tokens[1:]
        start = _subject_start(tokens)
        if start is None:
            continue
        idea = tokens[start:]
        idea[-1] = idea[-1].rstrip(",.!;")
        idea = [t for t in idea if t.strip(",.!;")]
        if not ECHO_MIN_WORDS <= len(idea) <= ECHO_MAX_WORDS or ends_badly(" ".join(idea)):
            continue
        if any(_clean(p) in avoid and _clean(p) not in STOP for t in idea for p in t.split("-") + [t] if _clean(p)):
            continue
        score = sum(_weight(t, known) for t in idea)
        if score > best_score:
            best, best_score = said_back(" ".join(idea)), score
    return best if best_score >= min_score else None


_HEDGES = {"probably", "maybe", "perhaps", "just", "um", "uh", "hmm", "i", "guess", "think", "i'd", "say", "well",
           "so", "like", "yeah", "okay", "ok", "basically"}
TERSE_WORDS = 4
_NOT_A_NAME = {"no", "not", "nothing", "idea", "sure", "know", "depends", "it", "that", "this", "you", "they",
               "yes", "yep", "fine", "right", "true", "false", "honestly", "clue", "blank"}


def named(answer: str, asked: str = "", unsure: list[str] | None = None) -> str | None:
    """A terse answer that only names something ("Redis.", "Probably a cache.") said back as the choice it
    is: "you'd use a cache". None for anything else (a clause, a yes, a word the question already used)."""
    if len(split_sentences(answer)) != 1:
        return None
    tokens = [t.strip(",.!;") for t in answer.split()]
    while tokens and tokens[0].lower() in _HEDGES:
        tokens = tokens[1:]
    low = {t.lower() for t in tokens}
    if not tokens or len(tokens) > TERSE_WORDS or low & (AUXILIARIES | _NOT_A_NAME | _FIRST_PERSON):
        return None
    known = {stem(w.lower()) for w in _TOKEN.findall(asked)}
    avoid = {_clean(w) for w in unsure or []}
    if any(_clean(t) in avoid for t in tokens) or not any(_weight(t, known) for t in tokens):
        return None
    if ends_badly(" ".join(tokens)):
        return None
    return "you'd use " + " ".join(t.lower() if _common(t) else t for t in tokens)


def _common(word: str) -> bool:
    """A common word capitalised only because it began the answer ("Sharding."), not a name ("Redis")."""
    low = word.lower()
    return low in _HEADS or low in STOP or low in GENERIC or low.endswith(("ing", "tion", "ment", "ness", "ity"))


def echo_lead(answer: str, asked: str, seed: int, min_score: int = MIN_SCORE,
              unsure: list[str] | None = None) -> str | None:
    """A follow-up's first sentence: the candidate's complete idea restated the way an interviewer checks
    what they heard ("So you'd keep the counters in Redis."), varied in its opener, never "You said" and
    never a cut clause. None when the answer holds no clean restatement: the follow-up then starts plainly."""
    idea = restatement(answer, asked, min_score, unsure) or named(answer, asked, unsure)
    if idea is None:
        return None
    first, rest = idea.split(" ", 1) if " " in idea else (idea, "")
    if first.lower() in _HEADS | _OTHER_SUBJECTS | _OTHER_CONTRACTED:  # "So it handled ...", not "So It ..."
        first = first.lower()
    opener = _OPENERS[seed % len(_OPENERS)]
    if not opener:
        first = first[:1].upper() + first[1:]
    return f"{opener} {first} {rest}".strip() + "."
