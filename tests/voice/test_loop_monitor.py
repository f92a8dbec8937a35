"""The event loop monitor: a loop held past 50 ms is counted, in the last minute and since start."""

from __future__ import annotations

import asyncio
import time

from app.voice.loop_monitor import LoopMonitor


async def test_a_held_loop_is_counted_since_start_and_in_the_last_minute():
    monitor = LoopMonitor()
    monitor.start()
    try:
        await asyncio.sleep(0.05)
        before = monitor.report()["total_over_50ms"]
        time.sleep(0.12)  # holds the loop: the monitor's 10 ms tick wakes ~110 ms late
        await asyncio.sleep(0.05)
        report = monitor.report()
    finally:
        monitor.stop()
    assert report["total_over_50ms"] >= before + 1 and report["stalls_over_50ms"] >= 1
    assert report["max_stall_ms"] >= 100
