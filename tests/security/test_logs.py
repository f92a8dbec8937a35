"""Database errors never carry the values that were written (hide_parameters), on SQLite and PostgreSQL;
the access-log filter cuts query strings."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.db import init_db, make_engine
from app.models import User
from app.security.logs import AccessLogFilter, DbDetailFilter, FrameDumpFilter

CANARY = "Quokkacanary5521"


def test_a_failed_insert_does_not_show_its_values(database_url):
    engine = make_engine(database_url)
    init_db(engine)
    try:
        with Session(engine) as db:
            db.add(User(name=CANARY))
            db.commit()
            db.add(User(name=CANARY))  # unique name: the INSERT fails
            with pytest.raises(IntegrityError) as failed:
                db.commit()
        assert "SQL parameters hidden" in str(failed.value) and "[parameters:" not in str(failed.value)
        # PostgreSQL's own message names the value (DETAIL: Key (name)=(...)); logged, it is cut
        record = logging.LogRecord("viva.voice", logging.ERROR, __file__, 1, "insert failed", None,
                                   (type(failed.value), failed.value, failed.value.__traceback__))
        assert DbDetailFilter().filter(record)
        assert CANARY not in logging.Formatter().format(record)
    finally:
        engine.dispose()


def test_access_log_loses_query_strings_and_wire_dumps_are_dropped():
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:1", "GET", f"/api/interviews?cursor={CANARY}", "1.1", 200), None)
    assert AccessLogFilter().filter(record) and CANARY not in record.getMessage()
    assert "/api/interviews?…" in record.getMessage()
    frame = logging.LogRecord("uvicorn.error", logging.DEBUG, __file__, 1, "< %s", (f"TEXT '{CANARY}'",), None)
    header = logging.LogRecord("uvicorn.error", logging.DEBUG, __file__, 1, "< %s: %s", ("Cookie", CANARY), None)
    assert not FrameDumpFilter().filter(frame) and not FrameDumpFilter().filter(header)
