"""The shared signal matcher: word forms, synonyms, verbatim spans."""

from __future__ import annotations

import pytest

from app.catalog import load_catalog
from app.config import ROOT
from app.hearing.signals import SignalMatcher
from app.hearing.words import stem


@pytest.mark.parametrize("a,b", [
    ("shard", "sharding"), ("shard", "sharded"), ("cache", "caching"), ("cache", "caches"),
    ("replica", "replicas"), ("queue", "queues"), ("index", "indexes"), ("query", "queries"),
    ("2", "two"), ("Redis", "redis"), ("partition", "partitioning"), ("lock", "locking"),
])
def test_word_forms_share_a_stem(a, b):
    assert stem(a) == stem(b)


@pytest.fixture(scope="module")
def matcher():
    return SignalMatcher(load_catalog(ROOT / "rubrics", ROOT / "prompts").get("system_design"))


def test_hits_are_verbatim_spans(matcher):
    text = "First I'd put a Redis CACHE in front, then shard the Postgres database by user id."
    hits = matcher.find(text)
    assert hits, "system design signals found"
    for hit in hits:
        assert text[hit.start:hit.end] == hit.text


def test_nothing_found_in_small_talk(matcher):
    assert matcher.find("Hi, thanks, I am happy to be here today and it is sunny.") == []


def test_coverage_and_missing(matcher):
    dims = matcher.round.rubric.dimensions
    first_dim = dims[0]
    phrase = first_dim.signals[0].phrases[0]
    cov = matcher.coverage([f"well {phrase} matters"])
    assert first_dim.signals[0].name in cov.signals[first_dim.key]
    assert first_dim.signals[0].name not in matcher.missing(first_dim.key, cov)
    assert len(matcher.missing(dims[-1].key, matcher.coverage([]))) == len(dims[-1].signals)
