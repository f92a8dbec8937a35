"""The periodic sweep, in every process (at start-up and then every `VIVA_SWEEP_EVERY_S`):

1. active interviews whose owner stopped heartbeating for `VIVA_STREAM_LEASE_S` (its process died)
   become `paused`;
2. interviews paused for longer than `VIVA_PAUSE_GRACE_S` become `abandoned`;
3. interviews finished or abandoned but not scored (or whose scoring claim went stale) are scored.

Each step is a conditional UPDATE per interview and scoring is a database claim, so any number of
processes can sweep one database at once and each interview moves, and is scored, once.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app import lifecycle
from app.scoring import jobs as scoring_jobs

log = logging.getLogger("viva.sweep")


def _sweep_store(app: Any) -> tuple[list[int], list[int]]:
    settings = app.state.settings
    with Session(app.state.engine) as session:
        paused = lifecycle.pause_orphans(session, lifecycle.cutoff(settings.stream_lease_s))
        abandoned = lifecycle.abandon_expired(session, lifecycle.cutoff(settings.pause_grace_s))
    return paused, abandoned


async def sweep_once(app: Any) -> tuple[list[int], list[int]]:
    """One sweep; returns (paused ids, abandoned ids). Scoring is scheduled, not awaited."""
    paused, abandoned = await run_in_threadpool(_sweep_store, app)
    if paused or abandoned:
        log.info("sweep: %d interview(s) paused (stale stream), %d abandoned", len(paused), len(abandoned))
    await scoring_jobs.resume_unscored(app)
    return paused, abandoned


async def run_sweeper(app: Any) -> None:
    every = app.state.settings.sweep_every_s
    while True:
        try:
            await sweep_once(app)
        except Exception as exc:  # noqa: BLE001 - the database may be away for a while; try again later
            log.error("sweep failed: %s", type(exc).__name__)
        await asyncio.sleep(every)


def start_sweeper(app: Any) -> asyncio.Task:
    app.state.sweeper = asyncio.get_running_loop().create_task(run_sweeper(app), name="viva-sweep")
    return app.state.sweeper


async def stop_sweeper(app: Any) -> None:
    task = getattr(app.state, "sweeper", None)
    if task is not None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
