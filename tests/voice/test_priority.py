"""CPU priorities and the GIL: the app's worker threads run below the event loop's priority."""

from __future__ import annotations

import asyncio
import sys

from app.voice.priority import SWITCH_INTERVAL_S, thread_nice


def test_the_apps_worker_threads_run_below_the_event_loop_and_the_gil_comes_back_sooner(client, settings):
    async def nices() -> tuple[int, int]:
        return thread_nice(), await asyncio.to_thread(thread_nice)  # the hearing's and the database's threads

    loop_nice, worker_nice = client.portal.call(nices)
    assert settings.compute_nice > 0
    assert worker_nice == min(19, loop_nice + settings.compute_nice)
    assert sys.getswitchinterval() == SWITCH_INTERVAL_S
