"""CPU priorities and the GIL: the app's worker threads run below the event loop's priority."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from app.voice.priority import SWITCH_INTERVAL_S, thread_nice


def test_the_apps_worker_threads_run_below_the_event_loop_and_the_gil_comes_back_sooner(client, settings):
    async def nices() -> tuple[int, int]:
        return thread_nice(), await asyncio.to_thread(thread_nice)  # the hearing's and the database's threads

    loop_nice, worker_nice = client.portal.call(nices)
    assert settings.compute_nice > 0
    assert worker_nice == min(19, loop_nice + settings.compute_nice)
    assert sys.getswitchinterval() == SWITCH_INTERVAL_S


def test_numpy_starts_no_blas_threads_beside_the_event_loop():
    """OpenBLAS would start a spinning thread per extra core at the loop's priority (it took ~30 % of a core with
    24 sessions); importing the app first keeps BLAS in the calling thread, unless the operator says otherwise."""
    count = ("import os, app, numpy; numpy.ones((64, 64)) @ numpy.ones((64, 64)); "
             "print(len(os.listdir('/proc/self/task')))")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", count], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"
    if (os.cpu_count() or 1) > 1:  # the operator's setting wins
        env["OPENBLAS_NUM_THREADS"] = "2"
        out = subprocess.run([sys.executable, "-c", count], env=env, capture_output=True, text=True, check=True)
        assert out.stdout.strip() == "2"
