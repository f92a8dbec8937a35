"""Ping -> pong while the server has a backlog of audio: 60 s of speech sent as fast as it is taken."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import numpy as np
from server import VivaServer
from speech import say, silence
from stats import summary
from texts import ANSWERS

FRAME = 16_000 * 200 // 1000  # 200 ms frames, the largest allowed


async def _burst(server: VivaServer, pcm: np.ndarray, pings: int, every_s: float) -> dict:
    import websockets

    sent_at: dict[int, float] = {}
    pongs: list[float] = []
    async with websockets.connect(f"{server.ws_url}/api/interviews/{server.new_interview()}/stream") as ws:

        async def reader() -> None:
            async for message in ws:
                ev = json.loads(message)
                if ev.get("type") == "pong" and ev.get("t") in sent_at:
                    pongs.append((time.perf_counter() - sent_at.pop(ev["t"])) * 1000)

        task = asyncio.create_task(reader())
        for i in range(0, len(pcm) - FRAME + 1, FRAME):
            await ws.send(pcm[i : i + FRAME].tobytes())
        for n in range(1, pings + 1):
            sent_at[n] = time.perf_counter()
            await ws.send(json.dumps({"type": "ping", "t": n}))
            await asyncio.sleep(every_s)
        await asyncio.sleep(1.0)
        task.cancel()
        await ws.send(json.dumps({"type": "finish"}))
    return {"audio_s": round(len(pcm) / 16_000, 1), "pongs": len(pongs), "lost": pings - len(pongs),
            "ping_pong_ms": summary(pongs)}


def run(server: VivaServer, speech_dir: Path, seconds: float = 60.0, pings: int = 30) -> dict:
    one = np.concatenate([say(ANSWERS[10], speech_dir), silence(0.8)])
    pcm = np.tile(one, int(seconds * 16_000 // len(one)) + 1)[: int(seconds * 16_000)]
    return asyncio.run(_burst(server, pcm, pings, 0.1))
