"""The LLM scorer on a real model (CI: the local Qwen2.5-Coder-1.5B on llama-cpp-python's server).

Runs where VIVA_TEST_LLM_URL names an OpenAI-compatible server (e.g. http://127.0.0.1:8091/v1, model
VIVA_TEST_LLM_MODEL, default "qwen"); skips elsewhere, and is mandatory under VIVA_TEST_REQUIRE_LLM=1
(CI). A small slice, since each scorecard takes a minute or two on 2 cores: strong, weak and wrong answers
in one round (a second round added 4.5 minutes to CI and nothing the first does not test).
bench/llm_scorer.py runs the whole table. The judge's narrow question on the real model:
tests/scoring/test_judge_real.py.
"""

from __future__ import annotations

import pytest

from app.config import Settings
from app.scoring.llm import LlmScorer
from tests.real_llm import MODEL, real_llm_base_url
from tests.scoring.conftest import TRANSCRIPTS, load_transcript, write_measurement

pytestmark = pytest.mark.llm
ROUNDS = ["database"]
_cards: dict[tuple[str, str], object] = {}


@pytest.fixture(scope="module")
def real_settings(tmp_path_factory) -> Settings:
    """The real model with full trust granted here (not measured): these tests are about the scorer's
    plumbing under today's rules; what the model earns is bench/judge.py's business."""
    data_dir = tmp_path_factory.mktemp("granted")
    base = real_llm_base_url()
    write_measurement(data_dir, base, model=MODEL, accuracy=0.95)
    return Settings(_env_file=None, scorer="llm", llm_base_url=base, llm_api_key=None, llm_model=MODEL,
                    data_dir=data_dir)


def card(settings, catalog, rid: str, kind: str):
    if (rid, kind) not in _cards:
        _cards[rid, kind] = LlmScorer(settings).score(catalog.get(rid), "senior", load_transcript(rid, kind))
    return _cards[rid, kind]


@pytest.mark.parametrize("rid", ROUNDS)
def test_a_real_model_ranks_strong_above_weak_and_wrong(real_settings, catalog, rid):
    kinds = ["strong", "weak"] + (["wrong"] if (TRANSCRIPTS / f"{rid}_wrong.txt").exists() else [])
    cards = {k: card(real_settings, catalog, rid, k) for k in kinds}
    strong = cards["strong"]
    assert strong.scorer == "llm", strong.notes
    assert sum(d.scored_by == "llm" for d in strong.dimensions) * 2 >= len(strong.dimensions), strong.notes
    assert strong.overall > cards["weak"].overall
    if "wrong" in cards:
        assert cards["wrong"].overall < strong.overall
    for kind, doc in cards.items():
        turns = {t.seq: t.text for t in load_transcript(rid, kind) if t.is_candidate}
        for d in doc.dimensions:
            for ev in d.evidence:
                assert ev.quote in turns.get(ev.seq, ""), (kind, d.key)  # 0 unverified quotes
