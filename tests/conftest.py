"""Shared fixtures: settings on a temporary data dir, an app client, and database URLs.

PostgreSQL tests run where VIVA_TEST_POSTGRES_URL is set (CI sets it, so there they are mandatory)
and skip elsewhere with that reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from app.config import Settings
from app.db import init_db, make_engine
from app.main import create_app

POSTGRES_URL = os.environ.get("VIVA_TEST_POSTGRES_URL")


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, database_url=None, brain="offline", scorer="offline",
                    llm_base_url=None, llm_api_key=None, stt_base_url=None, allowed_hosts="testserver",
                    tts="browser")  # the server voice is tested on its own (tests/voice/test_speaker.py)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema on the test PostgreSQL server, dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL not configured: set VIVA_TEST_POSTGRES_URL (CI does)")
    schema = f"viva_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store_session(database_url) -> Iterator[Session]:
    """A session on a fresh store, once on SQLite and once on PostgreSQL."""
    engine = make_engine(database_url)
    init_db(engine)
    with Session(engine) as s:
        yield s
    engine.dispose()
