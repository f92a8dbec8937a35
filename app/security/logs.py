"""Log hygiene: ids, sizes, durations and outcomes only.

- uvicorn's access log loses query strings (`/api/interviews?cursor=...` -> `/api/interviews?…`);
- the WebSocket library's wire dumps (debug level: `< TEXT '{"type":"text","text":...'`, handshake
  headers such as `< Cookie: ...`) are dropped;
- SQL parameters never reach a log: the engines are made with `hide_parameters=True` (app/db.py).
"""

from __future__ import annotations

import logging

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


def quiet_access_log() -> None:
    """Install the filters (idempotent)."""
    for name, kind in (("uvicorn.access", AccessLogFilter), ("uvicorn.error", FrameDumpFilter),
                       ("websockets", FrameDumpFilter), ("websockets.server", FrameDumpFilter)):
        logger = logging.getLogger(name)
        if not any(isinstance(f, kind) for f in logger.filters):
            logger.addFilter(kind())
