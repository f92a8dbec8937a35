"""Log hygiene: ids, sizes, durations and outcomes only.

- uvicorn's access log loses query strings (`/api/interviews?cursor=...` -> `/api/interviews?…`);
- the WebSocket library's wire dumps (debug level: `< TEXT '{"type":"text","text":...'`, handshake
  headers such as `< Cookie: ...`) are dropped;
- SQL parameters never reach a log: the engines are made with `hide_parameters=True` (app/db.py);
  and the database's own details, which PostgreSQL fills with values (`DETAIL: Key (name)=(...)`,
  `Failing row contains (...)`), are cut from logged tracebacks by a filter on every handler.
"""

from __future__ import annotations

import logging
import re

WIRE_DUMP = ("< ", "> ")  # websockets' debug lines: "< %s" (a frame), "< %s: %s" (a header)


class AccessLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], args[2].split("?", 1)[0] + "?…", *args[3:])
        return True


class FrameDumpFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith(WIRE_DUMP))


DB_DETAIL = re.compile(r"^\s*(DETAIL|CONTEXT):.*$|Failing row contains \(.*?\)\.?|Key \(.*?\)=\(.*?\)", re.M)


def redact(text: str) -> str:
    return DB_DETAIL.sub("[database detail hidden]", text)


class DbDetailFilter(logging.Filter):
    """Cut the values a database error message carries from a record's message and traceback."""

    _format = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(self._format.formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        message = record.getMessage()
        if DB_DETAIL.search(message):
            record.msg, record.args = redact(message), None
        return True


def redact_handlers() -> None:
    """Put DbDetailFilter on every handler of the root and uvicorn loggers (call once logging is set up)."""
    for name in ("", "uvicorn", "uvicorn.error", "uvicorn.access"):
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, DbDetailFilter) for f in handler.filters):
                handler.addFilter(DbDetailFilter())


def quiet_access_log() -> None:
    """Install the filters (idempotent)."""
    for name, kind in (("uvicorn.access", AccessLogFilter), ("uvicorn.error", FrameDumpFilter),
                       ("websockets", FrameDumpFilter), ("websockets.server", FrameDumpFilter)):
        logger = logging.getLogger(name)
        if not any(isinstance(f, kind) for f in logger.filters):
            logger.addFilter(kind())
