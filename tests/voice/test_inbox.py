"""The audio inbox: frames and marks fed in order, bounded, drained on close."""

from __future__ import annotations

import asyncio

import numpy as np

from app.voice.inbox import AudioInbox


async def test_audio_and_marks_run_in_order_and_put_waits_when_full():
    fed: list[object] = []
    gate = asyncio.Event()

    async def feed(samples: np.ndarray) -> None:
        await gate.wait()
        fed.append(len(samples))

    inbox = AudioInbox(feed, max_s=0.02)  # room for one 20 ms frame
    task = asyncio.create_task(inbox.run())
    await inbox.put(np.zeros(320, dtype=np.float32))
    await inbox.mark(lambda: asyncio.sleep(0, fed.append("mark")))
    blocked = asyncio.create_task(inbox.put(np.zeros(160, dtype=np.float32)))
    await asyncio.sleep(0.01)
    assert not blocked.done() or inbox.waiting_samples <= 320  # the bound holds the reader back
    gate.set()
    await blocked
    await inbox.drained()
    assert fed == [320, "mark", 160]
    inbox.close()
    await task


async def test_close_releases_a_waiting_put():
    async def feed(_samples) -> None:
        await asyncio.sleep(10)

    inbox = AudioInbox(feed, max_s=0.01)
    await inbox.put(np.zeros(160, dtype=np.float32))
    waiting = asyncio.create_task(inbox.put(np.zeros(160, dtype=np.float32)))
    await asyncio.sleep(0)
    inbox.close()
    await asyncio.wait_for(waiting, 1)
    await inbox.drained()
