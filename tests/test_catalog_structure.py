"""Round structure as data (app/round_plan.py): deep rounds walk one problem through phase prompts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from app.catalog import CatalogError, load_catalog
from app.config import ROOT
from app.interviewer.timekeeping import is_questions_phase
from app.interviewer.walk import asks, main_phases, resolve

DEEP = ["system_design", "api_design", "coding"]
SERIES = ["behavioral", "database", "distributed_systems"]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "rubrics", ROOT / "prompts")


@pytest.fixture
def tree(tmp_path) -> Path:
    shutil.copytree(ROOT / "rubrics", tmp_path / "rubrics")
    shutil.copytree(ROOT / "prompts", tmp_path / "prompts")
    return tmp_path


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_every_round_declares_its_structure(catalog):
    assert {r.id for r in catalog if r.deep} == set(DEEP)
    assert {r.id for r in catalog if not r.deep} == set(SERIES)


@pytest.mark.parametrize("round_id", DEEP)
def test_every_senior_problem_walks_every_main_phase(catalog, round_id):
    rnd = catalog.get(round_id)
    main = [p.key for p in rnd.rubric.phases[1:] if not is_questions_phase(p)]
    assert [p.key for p in main_phases(rnd)] == main
    for q in rnd.questions_for("senior"):
        prompts = asks(rnd, q)
        assert prompts, q.id
        own = [a for a in prompts if ".round." not in a.tag and ":round." not in a.tag]
        assert {a.phase for a in own} == set(main), q.id
        assert len(own) >= 8, (q.id, len(own))  # enough to stay on one problem for a whole round
        for a in prompts:
            assert a.text.count("?") <= 1, a.text  # one question at a time (a probe may be an imperative)
            assert a.dimension in rnd.dimension_keys
            assert resolve(rnd, q, a.tag) == a
        keys = {p.id for p in rnd.keys.questions.get(q.id, [])}
        assert {p for a in prompts for p in a.points} <= keys


def test_every_coding_problem_ends_with_a_changed_constraint(catalog):
    rnd = catalog.get("coding")
    for q in rnd.prompt.questions:
        twists = [a for a in asks(rnd, q) if a.twist]
        assert len(twists) == 1 and twists[0].phase == "test", q.id


def test_a_deep_round_without_phase_prompts_is_named(tree):
    (tree / "prompts" / "phases" / "api_design.yaml").unlink()
    with pytest.raises(CatalogError, match=r"phases/api_design\.yaml: missing"):
        load_catalog(tree / "rubrics", tree / "prompts")


BROKEN = [
    ("unknown phase", lambda d: d["questions"]["url_shortener"].update(lunch=[{"probe": 0}]), "not a main phase"),
    ("intro is not walked", lambda d: d["questions"]["url_shortener"].update(intro=[{"probe": 0}]), "not a main phase"),
    ("probe out of range", lambda d: d["questions"]["url_shortener"]["requirements"].append({"probe": 9}),
     "probe 9 is not a probe"),
    ("unknown dimension", lambda d: d["questions"]["url_shortener"]["requirements"].append(
        {"ask": "What about something else entirely here?", "dimension": "vibes"}), "dimension 'vibes'"),
    ("unknown key point", lambda d: d["questions"]["url_shortener"]["requirements"][0].update(points=["nope"]),
     "not in the question's answer key"),
    ("two questions", lambda d: d["questions"]["url_shortener"]["requirements"].append(
        {"ask": "Why? And how?", "dimension": "requirements"}), "one spoken question"),
    ("ask and probe", lambda d: d["questions"]["url_shortener"]["requirements"].append(
        {"ask": "What about expiry of links?", "probe": 0, "dimension": "requirements"}), "exactly one of"),
    ("empty phase", lambda d: d["questions"]["url_shortener"].pop("estimation"), "estimation have nothing to ask"),
    ("unknown question", lambda d: d["questions"].update(teleporter={"requirements": [{"probe": 0}]}),
     "'teleporter' is not in the round"),
]


@pytest.mark.parametrize(("name", "change", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_phase_plan_is_named(tree, name, change, message):
    _edit(tree / "prompts" / "phases" / "system_design.yaml", change)
    with pytest.raises(CatalogError, match=r"phases/system_design\.yaml") as err:
        load_catalog(tree / "rubrics", tree / "prompts")
    assert message in str(err.value)


def test_a_level_without_a_planned_problem_is_named(tree):
    def drop_mid(d):
        for qid in [q for q in d["questions"] if q in ("url_shortener", "rate_limiter", "notification_system",
                                                        "video_pipeline", "search_autocomplete", "ticket_booking")]:
            d["questions"].pop(qid)
    _edit(tree / "prompts" / "phases" / "system_design.yaml", drop_mid)
    with pytest.raises(CatalogError, match="no problem with phase prompts for level 'mid'"):
        load_catalog(tree / "rubrics", tree / "prompts")
