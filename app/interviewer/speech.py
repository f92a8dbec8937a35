"""Is a line something a person would say? The checker the harness runs over every interviewer line.

    fragments("You said your ledger from PostgreSQL to a document store to speed.")  # -> [that sentence]
    opener("You said you'd shard by user.")                                        # -> "you said"

A sentence is a *fragment* when it is a statement that ends on a word a finished clause cannot end on (a
preposition, an article or determiner, a modal auxiliary, a conjunction, "to"), or when it has four or
more words and no word that can be a verb. Short acknowledgements ("Okay.", "Got it.") pass. The verb
test is deliberately lenient (any word ending in -ed, -ing or -s, a contraction, or a word of the lexicon
counts): a false alarm would hide real fragments in noise, and the cut clauses this checker exists
for fail the end-word test anyway.
"""

from __future__ import annotations

import re

PREPOSITIONS = frozenset("""about above across after against along among around at before behind below beneath
beside between beyond by despite down during except for from in inside into like near of off on onto out
outside over past per since through throughout till toward towards under underneath until unto up upon via
with within without""".split())
ARTICLES = frozenset({"a", "an", "the"})
# (demonstratives end a sentence as pronouns: "numbers on that")
DETERMINERS = frozenset("""my your our their his her its each every either neither some any no another such
what which whose several many few""".split())
# auxiliaries a clause cannot end on ("what you did" and "where it is" can)
MODALS = frozenset("""will would shall should can could may might must i'd you'd we'd they'd i'll
you'll we'll they'll i'm you're we're they're i've you've we've they've""".split())
AUXILIARIES = MODALS | frozenset("""am is are was were do does did have has had isn't aren't wasn't weren't
don't doesn't didn't won't wouldn't can't couldn't shouldn't""".split())
CONJUNCTIONS = frozenset("and or but nor because if than when while whereas although though".split())
BAD_END = PREPOSITIONS | ARTICLES | DETERMINERS | MODALS | CONJUNCTIONS | {"to", "not", "very", "just"}
# words that end a phrase even though they look like a preposition: adverbs ("falls hours behind") and,
# after a verb, its particle ("a body the client can act on")
ADVERBS = frozenset({"behind", "ahead", "apart", "together", "around", "before", "after", "since", "below",
                     "above", "inside", "outside", "down", "up", "out", "off", "over", "back", "away", "through"})
PARTICLES = frozenset({"on", "in", "for", "with", "about", "to", "into", "by"})

VERBS = frozenset("""add allow answer ask assume avoid become break bring build buy call change charge check
choose come compare count cover cut deal decide delete deliver depend describe design die do drop expect
explain fail fall find fit fix get give go grow handle happen help hit hold keep know lead learn leave let
lie limit live look lose make mean measure merge miss move need notice own pay pick plan protect prove push
put read reach recover reject remove replace retry return run save say scale see sell send serve set ship
shard show sit skip slow solve sort spend split start stay stop store suppose take talk tell test think
throttle trade try turn undo use wait walk want win work write rely act edit agree care focus hope
pass print parse join wake care share open close cache click post fetch scan sign rotate page poll
ran put built kept went wrote sent made took chose told got set cut split led held left lost paid read sold
spent won found saw began came gave knew thought brought bought caught felt meant heard stood became broke
spoke drove fell grew threw drew""".split()) | AUXILIARIES
_BASE = frozenset(w for w in VERBS if w not in AUXILIARIES and not w.endswith(("ght", "ew", "ent", "ost", "ook",
                                                                                   "ote", "ade", "old", "aw")))
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*|\d[\d,.]*")
_ACK_MAX_WORDS = 2
_VERBLESS_MIN_WORDS = 4  # "Over to you." and "Good question." are whole things people say


def split_sentences(text: str) -> list[str]:
    """Sentences of a spoken line: a stop followed by a capital (so "3.5 trillion" stays whole)."""
    return [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]


def words(text: str) -> list[str]:
    return [w.lower().strip("'") for w in _WORD.findall(text)]


def can_be_verb(word: str) -> bool:
    w = word.lower()
    return (w in VERBS or w.endswith(("ed", "ing", "s", "'d", "'ll", "'s", "'re", "'ve", "n't"))
            or w in ("let's", "here's", "there's", "that's", "what's", "it's"))


def ends_badly(text: str) -> bool:
    """Does the clause end on a word a finished clause cannot end on?"""
    ws = words(text)
    if not ws:
        return False
    last = ws[-1]
    if last in ADVERBS or (last in PARTICLES and len(ws) >= 2 and ws[-2] in VERBS):
        return False
    return last in BAD_END


def is_fragment(sentence: str) -> bool:
    """A statement cut mid-clause, or any sentence without a verb. A question may end on a preposition or
    an auxiliary ("What do they do?", "What's it for?"), so only statements get the end-word test."""
    ws = words(sentence)
    if len(ws) <= _ACK_MAX_WORDS:
        return False
    if not sentence.rstrip().endswith("?") and ends_badly(sentence):
        return True
    return len(ws) >= _VERBLESS_MIN_WORDS and not any(can_be_verb(w) for w in ws)


_REPORTED = re.compile(r"^\s*(?:so\s+|okay,?\s+so\s+)?you said(?: that)?\s+(.+)$", re.IGNORECASE)
_PRONOUNS = frozenset({"i", "you", "we", "they", "it", "he", "she"})


def _has_finite_verb(clause: str) -> bool:
    """A stricter verb test for what follows "You said": an auxiliary, a past form, or a pronoun and the
    word after it ("you shard", "it fails"); "your ledger from PostgreSQL to a document store" has none."""
    ws = words(clause)
    for i, w in enumerate(ws):
        past = w.endswith("ed") and not w.endswith("eed") and len(w) > 4
        contracted = w.endswith(("'d", "'ll", "'re", "'ve", "n't"))
        if w in AUXILIARIES or past or contracted or (w in VERBS and w not in _BASE):
            return True
        if w in _PRONOUNS and i + 1 < len(ws):
            return True
    return False


def fragments(line: str) -> list[str]:
    """The sentences of `line` a person would not say as they are."""
    out = []
    for sentence in split_sentences(line):
        reported = _REPORTED.match(sentence)
        if is_fragment(sentence) or (reported and not _has_finite_verb(reported.group(1))):
            out.append(sentence)
    return out


_OPENER = re.compile(r"^\s*(you said|you mentioned|so you said)\b", re.IGNORECASE)


def opener(line: str) -> str | None:
    """A stock opener that restates the candidate ("You said ...", "You mentioned ..."), lower-cased."""
    m = _OPENER.match(line)
    return m.group(1).lower() if m else None
