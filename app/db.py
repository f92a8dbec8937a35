"""Database engine and sessions. SQLite by default (WAL, busy_timeout, foreign keys); PostgreSQL by URL.

Durability: a turn is acknowledged to the client only after its commit returned. SQLite runs WAL with
`synchronous=FULL`, so that commit is on disk (the WAL fsynced) and survives a power loss, not only a
crash of the process (`NORMAL` may lose the last commits on power loss); bench/store_commit.py
measures the cost. PostgreSQL keeps its durable default (`synchronous_commit=on`).
The schema comes from the migrations (app/schema.py), never from `create_all`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from fastapi import Depends
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine
from starlette.requests import HTTPConnection

from app import models  # noqa: F401  (registers the tables)
from app.auth import tables as _auth_tables  # noqa: F401  (accounts, sessions, API tokens)
from app.board import tables as _board_tables  # noqa: F401  (the whiteboard's versions)
from app.runner import tables as _code_tables  # noqa: F401  (code drafts and runs)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")  # writers queue (a server under load), not fail
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        if parsed.drivername == "postgresql":  # plain postgresql:// means psycopg 3 here
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
    return engine


def init_db(engine: Engine) -> str:
    """Start-up: upgrade an empty database, accept one at the newest revision, else SchemaError."""
    from app.schema import ensure_schema

    return ensure_schema(engine)


def get_engine(conn: HTTPConnection) -> Engine:
    return conn.app.state.engine


def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
