"""What a durable acknowledgement costs: turns appended through the real writer (app/turn_writer.py),
one commit each, on a SQLite file with synchronous=NORMAL vs FULL (WAL), and on PostgreSQL when
VIVA_TEST_POSTGRES_URL is set. Prints a table; never asserts a time.

    .venv/bin/python bench/store_commit.py [turns]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app import repository  # noqa: E402
from app.db import init_db, make_engine  # noqa: E402
from app.models import Speaker  # noqa: E402


def run(url: str, turns: int, synchronous: str | None = None) -> list[float]:
    engine = make_engine(url)
    if synchronous:
        event.listen(engine, "connect", lambda conn, _r: conn.execute(f"PRAGMA synchronous={synchronous}"))
    init_db(engine)
    times = []
    with Session(engine) as s:
        user = repository.ensure_local_user(s)
        interview = repository.create_interview(s, user, "system_design", "senior")
        for i in range(turns):
            started = time.perf_counter()
            repository.add_turn(s, interview.id, Speaker.candidate, f"answer {i} with a few words in it",
                                words=[{"word": "answer", "start_ms": 0, "end_ms": 300}] * 12)
            times.append((time.perf_counter() - started) * 1000)
    engine.dispose()
    return times


def row(name: str, times: list[float]) -> str:
    q = statistics.quantiles(times, n=100)
    return f"{name:<34}{len(times):>6}{statistics.median(times):>10.2f}{q[94]:>10.2f}{q[98]:>10.2f}"


def main() -> None:
    turns = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    print(f"uptime: {os.popen('uptime').read().strip()}")
    print(f"{'store (one commit per turn)':<34}{'turns':>6}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("NORMAL", "FULL"):
            times = run(f"sqlite:///{tmp}/{mode}.db", turns, mode)
            print(row(f"sqlite WAL synchronous={mode}", times))
    pg = os.environ.get("VIVA_TEST_POSTGRES_URL")
    if pg:
        from sqlalchemy import text

        schema = f"bench_{os.getpid()}"
        admin = make_engine(pg)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            sep = "&" if "?" in pg else "?"
            print(row("postgresql synchronous_commit=on", run(f"{pg}{sep}options=-csearch_path%3D{schema}", turns)))
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
