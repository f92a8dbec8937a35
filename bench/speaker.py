"""Server voice bench: Piper's time to first audio and real-time factor, alone and with replies at once.

Each reply is an interviewer reply of one to three sentences; "first audio" is from the reply's text being
available to its first sentence's frame being ready (what ReplyVoice sends), measured through the real
SpeakerPool (one worker thread, VIVA_TTS_WORKERS), so concurrent replies queue as they would live.

    PYTHONPATH=. python bench/speaker.py [--concurrent 1,4]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stats import machine, summary  # noqa: E402

REPLIES = [
    "Thanks. How would you shard the orders table as it grows?",
    "Good. What happens to reads while a follower is catching up? Walk me through it.",
    "Let's talk about caching. Where would you put the cache, and how do you keep it fresh?",
    "Okay. Can you put some rough numbers on that?",
    "Interesting. What would you measure first if latency doubled overnight? And what would you check next?",
    "Let's move on. Design a rate limiter for a public API.",
]


async def one_reply(pool, text: str) -> tuple[float, float, float]:
    from app.voice.speaker.stream import ReplyVoice

    async def send(_frame: bytes) -> None:
        return None

    t = time.perf_counter()
    voice = ReplyVoice(pool, send, 1)
    voice.feed(text)
    await voice.finish()
    return voice.first_audio_s or 0.0, voice.audio_s, time.perf_counter() - t


async def run(concurrent: int, rounds: int) -> dict:
    from app.voice.speaker.piper_voice import PiperSpeaker
    from app.voice.speaker.stream import SpeakerPool

    speaker = PiperSpeaker()
    t = time.perf_counter()
    speaker.load()
    load_s = time.perf_counter() - t
    pool = SpeakerPool(speaker)
    await one_reply(pool, "Warm up.")
    firsts, rtfs = [], []
    for r in range(rounds):
        batch = [REPLIES[(r * concurrent + i) % len(REPLIES)] for i in range(concurrent)]
        for first, audio_s, took in await asyncio.gather(*(one_reply(pool, text) for text in batch)):
            firsts.append(first * 1000)
            rtfs.append(took / audio_s)
    pool.close()
    return {"voice": speaker.name, "concurrent_replies": concurrent, "load_s": round(load_s, 2),
            "first_audio_ms": summary(firsts), "rtf_per_reply": summary([round(x, 3) for x in rtfs])}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--concurrent", default="1,4")
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    out = {"machine": machine(), "runs": [asyncio.run(run(int(c), args.rounds)) for c in args.concurrent.split(",")]}
    print(json.dumps(out, indent=1))
    print("\n| replies at once | first audio mean / p95 ms | RTF mean (reply wall time / audio) |\n| --- | --- | --- |")
    for row in out["runs"]:
        f, r = row["first_audio_ms"], row["rtf_per_reply"]
        print(f"| {row['concurrent_replies']} | {f['mean']:.0f} / {f['p95']:.0f} | {r['mean']:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
