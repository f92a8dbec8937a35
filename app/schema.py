"""The store's schema version: Alembic migrations in app/migrations, driven from here.

- `upgrade(engine)` brings a database to the newest revision (`viva db upgrade`). A database made by
  Viva before migrations existed (tables, no `alembic_version`) is first stamped with the initial
  revision, which matches that schema, then upgraded.
- `ensure_schema(engine)` runs at start-up: an empty database is upgraded at once (so `make run` works
  on a fresh machine); a database at the newest revision is used; one that is behind, ahead, or
  unversioned is refused with a `SchemaError` that says what to run.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
INITIAL = "0001"
UPGRADE_COMMAND = "viva db upgrade"
MIGRATION_LOCK = 0x7669766101  # pg_advisory_xact_lock key ("viva" + 1)


class SchemaError(RuntimeError):
    pass


def _config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head()


def known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _has_tables(bind: Engine | Connection) -> bool:
    names = set(inspect(bind).get_table_names()) - {"alembic_version"}
    return bool(names)


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Migrate to `revision` (default: the newest); returns the revision the database is at."""
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # batch migrations copy tables: a DROP with foreign keys on would cascade to the turns
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()  # (SQLAlchemy's transaction only: pysqlite sends no BEGIN for a PRAGMA)
        try:
            with conn.begin():
                if conn.dialect.name == "postgresql":  # processes starting together: one migrates, rest wait
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
                cfg = _config(conn)
                if MigrationContext.configure(conn).get_current_revision() is None and _has_tables(conn):
                    command.stamp(cfg, INITIAL)  # made by create_all before migrations existed
                command.upgrade(cfg, revision)
                if sqlite:
                    problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if problems:
                        raise SchemaError(f"migration left {len(problems)} broken foreign key(s); rolled back")
        finally:
            if sqlite:
                conn.rollback()
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
    return current_revision(engine)


def status(engine: Engine) -> tuple[str | None, str]:
    """(the database's revision, the newest revision this Viva knows)."""
    return current_revision(engine), head_revision()


def ensure_schema(engine: Engine) -> str:
    """Start-up check: upgrade an empty database, accept one at head, refuse anything else."""
    current, head = status(engine)
    if current == head:
        return current
    if current is None and not _has_tables(engine):
        return upgrade(engine)
    if current is None:
        problem = "has tables but no schema revision (made by a Viva before migrations)"
    elif current in known_revisions():
        problem = f"is at schema revision {current}, behind this Viva's {head}"
    else:
        problem = f"is at schema revision {current}, which this Viva does not know (newer code migrated it?)"
        raise SchemaError(f"the database {problem}; run a Viva that knows it, or restore a backup "
                          f"(this Viva needs revision {head})")
    raise SchemaError(f"the database {problem}; run `{UPGRADE_COMMAND}` first")
