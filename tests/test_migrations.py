"""Migrations: the models and the Alembic revisions describe one schema, on SQLite and PostgreSQL;
start-up upgrades an empty database and refuses one that is behind, ahead or unversioned."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from app import schema
from app.db import make_engine
from app.main import create_app


def test_the_migrations_build_exactly_the_models_schema(database_url):
    engine = make_engine(database_url)
    try:
        assert schema.upgrade(engine) == schema.head_revision()
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = compare_metadata(ctx, SQLModel.metadata)
        assert diffs == [], f"models and migrations drifted apart; add a revision: {diffs}"
    finally:
        engine.dispose()


def test_downgrade_to_the_initial_revision_and_back(database_url):
    engine = make_engine(database_url)
    try:
        schema.upgrade(engine)
        with engine.begin() as conn:
            schema_cfg = schema._config(conn)
            from alembic import command
            command.downgrade(schema_cfg, schema.INITIAL)
        assert schema.current_revision(engine) == schema.INITIAL
        assert schema.upgrade(engine) == schema.head_revision()
    finally:
        engine.dispose()


def test_a_database_made_before_migrations_is_stamped_then_upgraded(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        with engine.begin() as conn:  # what create_all made before this revision (0001's tables)
            from alembic import command
            command.upgrade(schema._config(conn), schema.INITIAL)
            conn.execute(text("DROP TABLE alembic_version"))
            conn.execute(text("INSERT INTO user (name, created_at) VALUES ('local', '2026-01-01 00:00:00')"))
            conn.execute(text("INSERT INTO interview (id, user_id, round_id, level, status, created_at, state) "
                              "VALUES (1, 1, 'system_design', 'senior', 'active', '2026-01-01 00:00:00', '{}')"))
            for seq in (1, 2, 3):
                conn.execute(text("INSERT INTO turn (interview_id, seq, speaker, text, start_ms, end_ms, typed, "
                                  "words, meta, created_at) VALUES (1, :seq, 'candidate', 'x', 0, 0, 0, '[]', "
                                  "'{}', '2026-01-01 00:00:00')"), {"seq": seq})
        assert schema.current_revision(engine) is None
        with pytest.raises(schema.SchemaError, match="viva db upgrade"):
            schema.ensure_schema(engine)
        assert schema.upgrade(engine) == schema.head_revision()
        assert "client_id" in {c["name"] for c in inspect(engine).get_columns("turn")}
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM user")).scalar() == 1
            # its saved state covered every turn: nothing is "unanswered" after the upgrade
            assert conn.execute(text("SELECT state_seq FROM interview WHERE id = 1")).scalar() == 3
            assert conn.execute(text("SELECT count(*) FROM turn")).scalar() == 3  # no cascade on table copies
    finally:
        engine.dispose()


def test_start_up_upgrades_an_empty_database(settings):
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/health").json()["schema"] == schema.head_revision()


def test_start_up_refuses_a_database_that_is_behind(settings):
    engine = make_engine(settings.resolved_database_url)
    schema.upgrade(engine, schema.INITIAL)
    engine.dispose()
    with pytest.raises(schema.SchemaError, match=r"behind .*run `viva db upgrade`"):
        with TestClient(create_app(settings)):
            pass


def test_start_up_refuses_a_database_that_is_ahead(settings):
    engine = make_engine(settings.resolved_database_url)
    schema.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(schema.SchemaError, match="does not know"):
        with TestClient(create_app(settings)):
            pass
