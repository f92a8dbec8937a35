"""Misconceptions as rubric data: said in other words they are still heard; denied, they are not."""

from __future__ import annotations

import pytest

from app.catalog import CatalogError, load_catalog
from app.config import ROOT
from app.scoring import misconceptions
from app.scoring.scorecard import DimensionScore, Evidence
from app.scoring.transcript import TranscriptTurn
from tests.scoring.conftest import ROUNDS


def turns(*texts: str) -> list[TranscriptTurn]:
    out = [TranscriptTurn(seq=1, speaker="interviewer", text="Go ahead.", start_ms=0, end_ms=1000)]
    for i, text in enumerate(texts):
        out.append(TranscriptTurn(seq=i + 2, speaker="candidate", text=text, start_ms=2000 * (i + 1),
                                  end_ms=2000 * (i + 1) + 1500))
    return out


@pytest.mark.parametrize("round_id", ROUNDS)
def test_every_round_has_a_catalog_of_at_least_twelve(catalog, round_id):
    items = catalog.get(round_id).rubric.misconceptions
    assert len(items) >= 12
    for m in items:
        assert m.cap == 2 and m.correction.endswith(".")


# Wordings not in the fixtures: how other candidates say the same wrong thing.
@pytest.mark.parametrize("round_id,text,mid", [
    ("distributed_systems", "Honestly TCP also guarantees exactly once for us.", "kafka_end_to_end_exactly_once"),
    ("api_design", "We can rely on TCP, which gives us exactly-once semantics.", "tcp_exactly_once"),
    ("database", "Since the index is sorted, LIKE percent foo is fast with a B-tree.", "btree_leading_wildcard"),
    ("database", "Honestly the column order doesn't matter for a composite index.", "composite_order_irrelevant"),
    ("system_design", "If it gets slow we just add more servers.", "just_add_servers"),
    ("distributed_systems", "Two phase commit is great because it makes everything more available.",
     "two_phase_commit_availability"),
    ("coding", "Sorting is O of n, so that's fine.", "sorting_is_linear"),
    ("behavioral", "To be fair it was entirely the platform team's fault.", "blames_another_team"),
])
def test_heard_in_other_words(catalog, round_id, text, mid):
    hits = misconceptions.find(turns(text), catalog.get(round_id))
    assert mid in [h.id for h in hits]
    assert all(h.quote in text for h in hits)


@pytest.mark.parametrize("round_id,text", [
    ("api_design", "TCP does not give us exactly once, so we need idempotency keys."),
    ("distributed_systems", "A common myth is that Kafka gives exactly once delivery end to end."),
    ("database", "People think the column order of a composite index doesn't matter, but it's wrong."),
    ("system_design", "We can't just add more servers, the database is the bottleneck."),
    ("coding", "Sorting is n log n, not linear."),
])
def test_a_denied_or_reported_claim_is_no_misconception(catalog, round_id, text):
    assert misconceptions.find(turns(text), catalog.get(round_id)) == []


def test_apply_caps_caps_drops_the_quote_and_names_the_correction(catalog):
    rnd = catalog.get("api_design")
    text = "They just retry, because HTTPS over TCP already gives us exactly-once delivery."
    hits = misconceptions.find(turns(text), rnd)
    dim = DimensionScore(key="idempotency_concurrency", name="Idempotency", weight=0.2, score=4,
                         anchor=rnd.dimension("idempotency_concurrency").anchors[4], rationale="Good.",
                         evidence=[Evidence(quote=text, seq=2, start_ms=2000, end_ms=3500)])
    (capped,) = misconceptions.apply_caps([dim], hits, rnd)
    assert [h.cap for h in hits] == [2]
    assert capped.score == 2 and capped.evidence == [] and "misconception" in capped.flags
    assert hits[0].correction in capped.rationale
    assert capped.anchor == rnd.dimension("idempotency_concurrency").anchors[2]


def test_a_wrong_claim_caps_its_own_dimension_at_two_and_no_other(catalog):
    rnd = catalog.get("api_design")
    text = "They just retry, because HTTPS over TCP already gives us exactly-once delivery."
    hits = misconceptions.find(turns(text), rnd)
    dims = [DimensionScore(key=d.key, name=d.name, weight=d.weight, score=4, anchor=d.anchors[4], rationale="Good.")
            for d in rnd.rubric.dimensions]
    capped = {d.key: d for d in misconceptions.apply_caps(dims, hits, rnd)}
    assert capped["idempotency_concurrency"].score == 2
    assert all(d.score == 4 and "misconception" not in d.flags
               for k, d in capped.items() if k != "idempotency_concurrency")


def test_two_different_wrong_claims_on_one_dimension_cap_it_at_one(catalog):
    rnd = catalog.get("api_design")
    said = ["HTTPS over TCP already gives us exactly-once delivery.",
            "Idempotency keys are simple because we don't need to store anything."]
    hits = misconceptions.find(turns(*said), rnd)
    assert {h.id for h in hits} == {"tcp_exactly_once", "idempotency_without_storage"}
    assert misconceptions.dimension_cap(hits) == 1
    assert misconceptions.dimension_cap(hits[:1]) == 2
    assert misconceptions.dimension_cap(hits[:1] * 2) == 2  # the same claim twice is one claim


def test_check_names_the_file_and_field_of_a_bad_misconception(tmp_path):
    rubrics, prompts = tmp_path / "rubrics", tmp_path / "prompts"
    (prompts / "rounds").mkdir(parents=True)
    rubrics.mkdir()
    src = (ROOT / "rubrics" / "coding.yaml").read_text()
    (prompts / "rounds" / "coding.yaml").write_text((ROOT / "prompts" / "rounds" / "coding.yaml").read_text())
    (rubrics / "coding.yaml").write_text(src.replace("dimension: complexity", "dimension: complexityy", 1))
    with pytest.raises(CatalogError, match=r"coding.yaml: field 'misconceptions\[\d+\]\.dimension'"):
        load_catalog(rubrics, prompts)
    (rubrics / "coding.yaml").write_text(src.replace('forms: ["python optimises tail calls"', 'forms: ["python"', 1))
    with pytest.raises(CatalogError, match=r"misconceptions\[0\]\.forms.*at least two words"):
        load_catalog(rubrics, prompts)
