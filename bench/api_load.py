"""API under load: 32 concurrent clients, a bounded number of requests, over a seeded store.

The store holds 1,000 interviews (one of them with 200 turns), written straight into the server's
SQLite file before it starts. Measures GET /api/interviews/{id} (the 200-turn one) and the list
(first page, then following cursors), p50/p95/max and requests per second.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
from stats import summary

CLIENTS = 32
REQUESTS = 320  # per endpoint, across all clients
TIME_LIMIT_S = 60.0


def seed(data_dir: Path, interviews: int = 1000, turns: int = 200) -> int:
    """Fill the store (before or while the server runs: SQLite WAL); returns the 200-turn interview's id."""
    from sqlmodel import Session

    from app import repository
    from app.config import Settings
    from app.db import init_db, make_engine
    from app.models import Speaker

    engine = make_engine(Settings(data_dir=data_dir, database_url=None).resolved_database_url)
    init_db(engine)
    with Session(engine) as db:
        user = repository.ensure_local_user(db)
        first = repository.create_interview(db, user, "system_design", "senior").id
        for i in range(turns):
            speaker = Speaker.interviewer if i % 2 == 0 else Speaker.candidate
            words = [{"word": f"w{k}", "start_ms": i * 5000 + k * 300, "end_ms": i * 5000 + k * 300 + 250,
                      "probability": 0.9} for k in range(12)]
            repository.add_turn(db, first, speaker, "we shard by customer id " * 4, start_ms=i * 5000,
                                end_ms=i * 5000 + 4000, words=words if speaker == Speaker.candidate else [],
                                meta={"phase": "design"})
        for _ in range(interviews - 1):
            repository.create_interview(db, user, "behavioral", "mid")
    engine.dispose()
    return first


async def _hammer(base: str, paths: list[str]) -> tuple[list[float], int, float]:
    times: list[float] = []
    errors = 0
    queue: asyncio.Queue[str] = asyncio.Queue()
    for p in paths:
        queue.put_nowait(p)
    deadline = time.monotonic() + TIME_LIMIT_S
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:

        async def worker() -> None:
            nonlocal errors
            while not queue.empty() and time.monotonic() < deadline:
                path = queue.get_nowait()
                t = time.perf_counter()
                try:
                    r = await client.get(path)
                except httpx.HTTPError:  # counted, not retried
                    errors += 1
                    continue
                times.append((time.perf_counter() - t) * 1000)
                errors += r.status_code != 200

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CLIENTS)))
    return times, errors, time.perf_counter() - t0


def run(base_url: str, interview_id: int) -> dict:
    out = {}
    first = httpx.get(f"{base_url}/api/interviews?limit=100", timeout=30).json()
    cursors = [None]
    page = first
    while page.get("next_cursor") and len(cursors) < 10:
        cursors.append(page["next_cursor"])
        page = httpx.get(f"{base_url}/api/interviews?limit=100&cursor={page['next_cursor']}", timeout=30).json()
    lists = ["/api/interviews?limit=100" + (f"&cursor={c}" if c else "") for c in cursors]
    cases = {"get_interview_200_turns": [f"/api/interviews/{interview_id}"] * REQUESTS,
             "list_1000_interviews": [lists[i % len(lists)] for i in range(REQUESTS)]}
    for name, paths in cases.items():
        times, errors, took = asyncio.run(_hammer(base_url, paths))
        out[name] = {**summary(times), "errors": errors, "rps": round(len(times) / took, 1), "clients": CLIENTS}
    return out
