"""The round catalog: the six shipped rounds are valid, and broken files are rejected clearly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from app.catalog import LEVELS, CatalogError, load_catalog
from app.config import ROOT

ROUND_IDS = {"system_design", "behavioral", "coding", "api_design", "database", "distributed_systems"}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "rubrics", ROOT / "prompts")


def test_six_rounds_load(catalog):
    assert {r.id for r in catalog} == ROUND_IDS


@pytest.mark.parametrize("round_id", sorted(ROUND_IDS))
def test_round_content_is_substantive(catalog, round_id):
    rnd = catalog.get(round_id)
    assert 4 <= len(rnd.rubric.dimensions) <= 6
    assert len(rnd.prompt.questions) >= 8
    for level in LEVELS:
        assert rnd.questions_for(level), f"no {level} question"
    probed = {p.dimension for q in rnd.prompt.questions for p in q.probes}
    assert probed == set(rnd.dimension_keys), "every dimension is probed by some question"
    assert len(rnd.vocabulary) >= 30


def test_behavioral_has_star_structure(catalog):
    structure = catalog.get("behavioral").dimension("structure")
    assert {s.name for s in structure.signals} >= {"situation", "task", "action", "result"}


# --- broken fixtures: copy the real catalog, break one thing, expect file + field in the message ----
@pytest.fixture
def tree(tmp_path) -> Path:
    shutil.copytree(ROOT / "rubrics", tmp_path / "rubrics")
    shutil.copytree(ROOT / "prompts", tmp_path / "prompts")
    return tmp_path


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _load(tree: Path):
    return load_catalog(tree / "rubrics", tree / "prompts")


BROKEN_RUBRICS = [
    ("missing title", lambda d: d.pop("title"), "title"),
    ("bad weight", lambda d: d["dimensions"][0].update(weight=-1), "dimensions[0].weight"),
    ("three anchors", lambda d: d["dimensions"][1]["anchors"].pop(4), "dimensions[1].anchors"),
    ("unknown field", lambda d: d.update(colour="blue"), "colour"),
    ("phases do not add up", lambda d: d.update(duration_minutes=999), "add up"),
    ("two dimensions", lambda d: d.update(dimensions=d["dimensions"][:2]), "dimensions"),
    ("no signals", lambda d: d["dimensions"][0].update(signals=[]), "dimensions[0].signals"),
]


@pytest.mark.parametrize("name,change,field", BROKEN_RUBRICS, ids=[b[0] for b in BROKEN_RUBRICS])
def test_broken_rubric_names_file_and_field(tree, name, change, field):
    _edit(tree / "rubrics" / "coding.yaml", change)
    with pytest.raises(CatalogError) as err:
        _load(tree)
    assert "coding.yaml" in str(err.value)
    assert field in str(err.value)


def test_probe_for_unknown_dimension_is_rejected(tree):
    _edit(tree / "prompts" / "rounds" / "database.yaml",
          lambda d: d["questions"][2]["probes"][0].update(dimension="charisma"))
    with pytest.raises(CatalogError, match=r"database\.yaml.*questions\[2\]\.probes\[0\]\.dimension.*charisma"):
        _load(tree)


def test_too_few_questions_is_rejected(tree):
    _edit(tree / "prompts" / "rounds" / "behavioral.yaml", lambda d: d.update(questions=d["questions"][:3]))
    with pytest.raises(CatalogError, match=r"behavioral\.yaml.*questions"):
        _load(tree)


def test_invalid_yaml_is_rejected(tree):
    (tree / "rubrics" / "api_design.yaml").write_text("title: [unclosed\n")
    with pytest.raises(CatalogError, match=r"api_design\.yaml: not valid YAML"):
        _load(tree)


def test_missing_prompt_file_is_rejected(tree):
    (tree / "prompts" / "rounds" / "coding.yaml").unlink()
    with pytest.raises(CatalogError, match=r"coding\.yaml: missing prompt file"):
        _load(tree)


def test_id_must_match_file_name(tree):
    _edit(tree / "rubrics" / "coding.yaml", lambda d: d.update(id="algorithms"))
    with pytest.raises(CatalogError, match=r"coding\.yaml: field 'id'"):
        _load(tree)


def test_a_seventh_round_needs_only_files(tree):
    for folder, suffix in (("rubrics", ""), ("prompts/rounds", ""), ("prompts/phases", "")):
        src = tree / folder / f"coding.yaml{suffix}"
        dst = tree / folder / "frontend_coding.yaml"
        dst.write_text(src.read_text())
    _edit(tree / "rubrics" / "frontend_coding.yaml", lambda d: d.update(id="frontend_coding"))
    _edit(tree / "prompts" / "rounds" / "frontend_coding.yaml", lambda d: d.update(round="frontend_coding"))
    _edit(tree / "prompts" / "phases" / "frontend_coding.yaml", lambda d: d.update(round="frontend_coding"))
    assert "frontend_coding" in {r.id for r in _load(tree)}


def test_broken_fact_is_named(tree):
    path = tree / "prompts" / "rounds" / "system_design.yaml"
    _edit(path, lambda d: d["questions"][0]["facts"][1].update(answer="One. Two. Three sentences is too long."))
    with pytest.raises(CatalogError, match=r"system_design.yaml: field 'questions\[0\]\.facts\[1\]\.answer'"):
        _load(tree)


def test_every_question_has_facts_and_every_probe_a_hint(catalog):
    for rnd in catalog:
        for q in rnd.prompt.questions:
            assert len(q.facts) >= 2 and all(p.hint for p in q.probes), q.id
