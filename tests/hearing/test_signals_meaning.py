"""The shared matcher hears meaning: negation, misheard words, gaps, and no signal in everyday English."""

from __future__ import annotations

import pytest

from app.catalog import load_catalog
from app.config import ROOT
from app.hearing.signals import SignalMatcher
from app.hearing.words import stem

CATALOG = load_catalog(ROOT / "rubrics", ROOT / "prompts")

# Everyday words and sentences that have nothing to do with an interview answer. No rubric signal
# (any phrase of any round) may fire on them.
COMMON_WORDS = """
have having has had do does did be being been go going went get getting got make making made take taking
took see seeing saw come coming came know knowing knew think thinking thought look looking looked want
wanting give giving gave use using find finding found tell telling told ask asking asked work working feel
feeling try trying leave leaving call calling good new first last long great little own other old right big
high different small large next early young important few public bad same able time person year way day
thing man world life hand part child eye woman place week case point government company number group
problem fact water room mother area money story month lot right study book job word business issue side
kind head house service friend father power hour game line end member law car city community name team
minute idea kid body information back parent face others level office door health art war history party
result change morning reason research girl guy moment air teacher force education dinner breakfast lunch
weather garden holiday music film song dog cat bread coffee tea shop street train bus phone evening night
happy sad tired hungry sunny rainy beautiful nice lovely cheap expensive quick slow easy hard
""".split()
COMMON_SENTENCES = [
    "Trips have a primary school nearby and we have lunch there.",
    "I went to the shop this morning and bought some bread and coffee.",
    "My mother called me on Sunday evening to ask about the holiday.",
    "We had a lovely dinner with friends and then watched a film.",
    "The weather was sunny, so the children played in the garden all afternoon.",
    "Having a dog means going for a walk every day, rain or shine.",
    "She told me the train was late again, which happens a lot in winter.",
    "He is reading a book about the history of the city.",
]


MATCHERS = [SignalMatcher(rnd) for rnd in CATALOG]


def test_no_signal_fires_on_everyday_english():
    fired = [(m.round.id, text, h.signal, h.text)
             for text in COMMON_WORDS + COMMON_SENTENCES for m in MATCHERS for h in m.find_all(text)]
    assert fired == []


def test_have_is_not_having():
    assert stem("have") != stem("having")
    db = SignalMatcher(CATALOG.get("database"))
    assert not [h for h in db.find("Trips have a primary key and orders have a status.") if "having" in h.phrase]
    assert [h for h in db.find("Then GROUP BY the product with HAVING count over ten.") if "having" in h.phrase]


@pytest.mark.parametrize("round_id,text,signal", [
    ("api_design", "I'd avoid cursors here.", "cursor pagination"),
    ("database", "Hot shards don't happen with hash sharding.", "hot spots"),
    ("database", "I'd avoid foreign key constraints.", "constraints in the database"),
    ("system_design", "No cache either, I'd skip Redis entirely.", "caching"),
    ("system_design", "I wouldn't do sharding or replication.", "sharding"),
    ("system_design", "I wouldn't do sharding or replication.", "replication and failover"),
    ("system_design", "Kafka isn't needed here.", "asynchronous processing"),
    ("distributed_systems", "I'd avoid Raft and Paxos.", "consensus algorithm"),
    ("coding", "Instead of BFS, I'll just loop.", "graph traversal"),
    ("coding", "I never use a hash map for this.", "hash-based lookup"),
    ("system_design", "Multi-region is not needed.", "multi-region and disaster recovery"),
])
def test_negated_mentions_are_no_coverage(round_id, text, signal):
    m = SignalMatcher(CATALOG.get(round_id))
    assert signal not in {h.signal for h in m.find(text)}, text
    assert signal in {h.signal for h in m.find_all(text) if h.negated}, text


@pytest.mark.parametrize("round_id,text,signal", [
    ("coding", "I'd use BFS with a deque, not recursive DFS, because of the stack.", "graph traversal"),
    ("system_design", "Without a cache every click hits the database, so I'd add Redis.", "caching"),
    ("database", "I'd avoid locks and use a conditional update where stock is above zero.", "locking strategies"),
    ("system_design", "We shard by user id, not by region.", "sharding"),
])
def test_the_positive_part_next_to_a_negation_still_counts(round_id, text, signal):
    m = SignalMatcher(CATALOG.get(round_id))
    assert signal in {h.signal for h in m.find(text)}, [(h.signal, h.text, h.negated) for h in m.find_all(text)]


@pytest.mark.parametrize("round_id,text,signal", [
    ("system_design", "The app server checks the cash first.", "caching"),
    ("system_design", "It goes through the low balancer.", "load balancing and stateless services"),
    ("system_design", "We do shorting by the hash of the code.", "sharding"),
    ("api_design", "The client sends an item potency key.", "idempotency key"),
    ("database", "Orders have foreign kiss to customers.", "keys"),
])
def test_misheard_terms_are_heard(round_id, text, signal):
    m = SignalMatcher(CATALOG.get(round_id))
    hits = [h for h in m.find(text) if h.signal == signal]
    assert hits and all(text[h.start:h.end] == h.text for h in hits)


def test_plain_language_forms_and_gaps():
    sd = SignalMatcher(CATALOG.get("system_design"))
    text = "I'd split the records over several machines by the code."
    assert "sharding" in {h.signal for h in sd.find(text)}
    # a gap never crosses a clause
    assert "sharding" not in {h.signal for h in sd.find("I'd split the bill. Over several machines.")}
