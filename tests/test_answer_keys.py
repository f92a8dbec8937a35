"""Answer keys are checked with the round: file, field and reason on every mistake."""

from __future__ import annotations

import shutil

import pytest
import yaml

from app.catalog import CatalogError, load_catalog
from app.config import ROOT
from tests.hearing.conftest import FIXTURES


def _catalog_with(tmp_path, key: dict):
    shutil.copytree(ROOT / "rubrics", tmp_path / "rubrics")
    shutil.copytree(ROOT / "prompts", tmp_path / "prompts", dirs_exist_ok=True)
    keys = tmp_path / "prompts" / "keys"
    shutil.rmtree(keys, ignore_errors=True)
    keys.mkdir()
    (keys / "database.yaml").write_text(yaml.safe_dump(key))
    return lambda: load_catalog(tmp_path / "rubrics", tmp_path / "prompts")


def _fixture() -> dict:
    return yaml.safe_load((FIXTURES / "keys_database.yaml").read_text())


def test_a_key_must_cover_every_question(tmp_path):
    with pytest.raises(CatalogError, match=r"keys/database.yaml: field 'questions': question '\w+' has no key"):
        _catalog_with(tmp_path, _fixture())()


def test_unknown_dimension_duplicate_id_and_uncovered_probe(tmp_path):
    key = _fixture()
    key["questions"]["ecommerce_orders_schema"][0]["dimension"] = "charisma"
    with pytest.raises(CatalogError, match=r"questions.ecommerce_orders_schema\[0\].dimension': 'charisma' is not"):
        _catalog_with(tmp_path / "a", key)()
    key = _fixture()
    key["questions"]["ecommerce_orders_schema"][1]["id"] = "snapshot_price"
    with pytest.raises(CatalogError, match="duplicate key point id 'snapshot_price'"):
        _catalog_with(tmp_path / "b", key)()
    key = _fixture()
    key["questions"]["ecommerce_orders_schema"] = key["questions"]["ecommerce_orders_schema"][:2]
    with pytest.raises(CatalogError, match="no key point for the dimensions its probes target: indexing"):
        _catalog_with(tmp_path / "c", key)()


def test_a_bad_field_names_the_field(tmp_path):
    key = _fixture()
    key["questions"]["ecommerce_orders_schema"][0]["weight"] = 5
    with pytest.raises(CatalogError, match=r"field 'questions.ecommerce_orders_schema\[0\].weight'"):
        _catalog_with(tmp_path, key)()
