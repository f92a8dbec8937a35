"""The real catalog with a fixture answer key for two database questions (tests/hearing/fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.catalog import Round, load_catalog, load_keys
from app.config import ROOT
from app.hearing.embedder import Embedder, get_embedder
from app.hearing.hearing import RoundHearing

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return get_embedder()  # the real packaged model: it runs here


@pytest.fixture(scope="session")
def database() -> Round:
    rnd = load_catalog(ROOT / "rubrics", ROOT / "prompts").get("database")
    keys = load_keys(FIXTURES / "keys_database.yaml", rnd.rubric, rnd.prompt, require_all=False)
    return rnd.model_copy(update={"keys": keys})


@pytest.fixture(scope="session")
def hearing(database, embedder) -> RoundHearing:
    return RoundHearing(database, embedder)
