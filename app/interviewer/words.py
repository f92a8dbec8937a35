"""Content words of spoken or typed text, stemmed crudely, for matching a turn against data.

Used by fact matching (which fact does a clarifying question ask about?) and the relevance check (does
an answer address the question in play?). Input is a speech transcript as often as typed text, so
casing, punctuation and apostrophes are ignored.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.interviewer.intents import normalize

STOP = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have
having he her here hers him his how i id if im in into is it its itll itd ive just let lets like me
might more most much must my no nor not now of off on once only or other our ours out over own please
quite really right say she should so some such than that thats the their them then there these
they theyre this those through to too under until up us very was we wed were weve what whats when
where which while who whom why will with would wouldnt you youd your youre yours yeah yes ok okay um
uh hmm well kind sort maybe guess think mean going gonna want wanna need get got go thing things stuff
lot lots one ones way ways something anything everything actually basically probably sure know see
make made use used using would could should shall also still even though tell talk question
""".split())

# words too common in any technical answer to show that it addresses a particular question
GENERIC = frozenset("""
system service server data team work worked working good time people user users able new first
second bit simple simply part important design approach case example today time year years day days
last many long small great big build built building run running move moved moving feel felt want wanted
week weekend spent spend honest honestly nice fun enjoy mention forget direction overall calm calmer start
started someday proud proudest lately better best much more less""".split())

_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "s",
             "ly", "e")


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:7]


def content_words(text: str) -> list[str]:
    """Stems of the words that carry meaning, in order (duplicates kept)."""
    return [stem(w) for w in normalize(text).split() if w not in STOP and (len(w) > 2 or w.isdigit())]


def stems(text: str, generic: bool = True) -> set[str]:
    out = set(content_words(text))
    if not generic:
        out -= {stem(w) for w in GENERIC}
    return out


_WORD = re.compile(r"[a-z0-9]+")
