"""The judge bench's plumbing on a real model (CI: the local Qwen2.5-Coder-1.5B), and what a model that
has not passed the set may do to a scorecard: nothing. Not its accuracy (bench/judge.py measures that).

Runs where VIVA_TEST_LLM_URL names an OpenAI-compatible server (see tests/real_llm.py); a handful of items."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.config import Settings
from app.scoring import trust
from app.scoring.judge import VERDICTS
from app.scoring.llm import LlmScorer
from app.scoring.rubric import OfflineScorer
from bench.judge import load_items, measure, run
from tests.real_llm import MODEL, real_llm_base_url
from tests.scoring.conftest import load_transcript

pytestmark = pytest.mark.llm
ITEMS = 6


@pytest.fixture(scope="module")
def real(tmp_path_factory) -> Settings:
    return Settings(_env_file=None, scorer="llm", llm_base_url=real_llm_base_url(), llm_api_key=None,
                    llm_model=MODEL, data_dir=tmp_path_factory.mktemp("judge"), llm_scorer_timeout_s=120)


def test_the_bench_asks_a_real_model_and_a_short_run_earns_no_trust(real):
    items, sha = load_items()
    done: list[str] = []
    results = run(real, items[:ITEMS], timeout=120, progress=done.append)
    assert [r.item for r in results] == items[:ITEMS] and len(done) == ITEMS
    assert all(r.answer in VERDICTS for r in results)  # valid verdicts, no errors
    m = measure(real, results, sha, [0.0, 0.0, 0.0], datetime.now(UTC))
    assert m.items == ITEMS and sum(m.answers.values()) == ITEMS and m.model == MODEL
    assert m.level == "none"  # too few items to trust, whatever it scored
    trust.save(real.data_dir, m)
    assert trust.trust_of(real).level == "none"


def test_a_real_model_that_has_not_passed_the_set_cannot_move_scores(real, catalog):
    assert trust.trust_of(real).level == "none"  # measured above on too few items (or never)
    rnd = catalog.get("database")
    scorer = LlmScorer(real)
    assert scorer.refinement() is None  # the job stores one offline card, nothing to wait for
    for kind in ("wrong", "strong"):
        turns = load_transcript("database", kind)
        base, doc = OfflineScorer().score(rnd, "senior", turns), scorer.score(rnd, "senior", turns)
        assert [d.score for d in doc.dimensions] == [d.score for d in base.dimensions]
        assert doc.overall == base.overall and doc.scorer == "offline-fallback" and doc.refined_by is None
        assert "judge bench" in doc.fallback_reason
