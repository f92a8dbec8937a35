"""Voice latency: how soon a candidate's words are final after they stop talking.

Starts Viva (uvicorn, a temporary SQLite store, the offline interviewer, the configured STT: by
default the bundled tiny.en), streams espeak-ng utterances of about 2, 5, 10 and 20 s at real-time
pace over the WebSocket, each followed by silence, and prints per length:

  eot->final     end-of-turn decision -> final transcript ready (server-side, `timing.final_lag_ms`)
  speech->event  end of speech in the audio -> transcript event at the client (includes the silence
                 that ends the turn, `hold`, which adapts to the words: ~420 ms after a full sentence)

    .venv/bin/python bench/voice_latency.py [--repeats 5] [--pace 1.0] [--gap 2.5] [--set NAME=VALUE]

Needs espeak-ng and sox. Timing on a shared machine is noisy: repeat, and compare ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TEXTS = {
    2: "We shard by customer id.",
    5: "I would put a Redis cache in front of the database to absorb the reads.",
    10: "Writes go to the primary and are replicated to two followers. Reads come from the cache first, "
        "and on a miss we read a follower and fill the cache with a short time to live.",
    20: "First I want to agree on the requirements. "
        "We expect about ten thousand requests per second at peak, mostly reads. "
        "Each order is written once and read many times. "
        "I would keep orders in Postgres, sharded by customer, and publish every change to Kafka. "
        "Consumers update the search index and the cache, "
        "and the writes carry an idempotency key so that retries are safe.",
}
RATE = 16_000
FRAME_MS = 20


def speak(text: str, workdir: Path, name: str) -> np.ndarray:
    raw, out = workdir / f"{name}.raw.wav", workdir / f"{name}.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(out)], check=True)
    with wave.open(str(out)) as w:
        return np.frombuffer(w.readframes(w.getnframes()), "<i2").copy()


def speech_end_s(pcm: np.ndarray) -> float:
    loud = np.nonzero(np.abs(pcm.astype(np.int32)) > 300)[0]
    return (loud[-1] + 1) / RATE if len(loud) else 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, overrides: dict):
    import uvicorn
    from sqlmodel import Session

    from app import repository
    from app.config import Settings
    from app.main import create_app

    settings = Settings(data_dir=data_dir, database_url=None, brain="offline", scorer="offline", **overrides)
    app = create_app(settings)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    app.state.transcriber.load()  # measure steady state, not the model load

    def interview() -> int:
        with Session(app.state.engine) as db:
            user = repository.ensure_local_user(db)
            return repository.create_interview(db, user, "system_design", "senior").id

    return server, port, interview, app.state.stt_name


async def run_one(port: int, interview_id: int, clips: list[tuple[int, np.ndarray]], pace: float,
                  gap_s: float) -> list[dict]:
    import websockets

    results = []
    async with websockets.connect(f"ws://127.0.0.1:{port}/api/interviews/{interview_id}/stream") as ws:
        sent_speech_end: list[float] = []
        received: list[tuple[float, dict]] = []

        async def reader() -> None:
            async for message in ws:
                event = json.loads(message)
                if event["type"] == "transcript":
                    received.append((time.perf_counter(), event))
                elif event["type"] == "error":
                    print(f"  server error: {event['code']}", file=sys.stderr)

        task = asyncio.create_task(reader())
        frame = RATE * FRAME_MS // 1000
        step = FRAME_MS / 1000 / pace
        loop = asyncio.get_running_loop()
        for length, pcm in clips:
            audio = np.concatenate([pcm, np.zeros(int(gap_s * RATE), dtype=np.int16)])
            end_frame = int(speech_end_s(pcm) * RATE) // frame
            start = loop.time()
            expected = len(received) + 1
            for i in range(0, len(audio) // frame):
                await ws.send(audio[i * frame : (i + 1) * frame].tobytes())
                if i == end_frame:
                    sent_speech_end.append(time.perf_counter())
                await asyncio.sleep(max(0.0, start + (i + 1) * step - loop.time()))
            for _ in range(200):  # wait for the turn's transcript (at most ~10 s more)
                if len(received) >= expected:
                    break
                await asyncio.sleep(0.05)
            if len(received) >= expected:
                at, event = received[expected - 1]
                timing = event["timing"]
                results.append({"length": length, "audio_s": len(pcm) / RATE,
                                "lag_ms": timing["final_lag_ms"],
                                "speech_to_event_ms": (at - sent_speech_end[-1]) * 1000,
                                "hold_ms": timing["decided_ms"] - event["end_ms"]})
            else:
                print(f"  no transcript for the {length} s utterance", file=sys.stderr)
            del received[expected:]  # a split turn would shift the count; keep one per utterance
        await ws.send(json.dumps({"type": "finish"}))
        await asyncio.sleep(0.5)
        task.cancel()
    return results


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--pace", type=float, default=1.0, help="1.0 = real time")
    parser.add_argument("--gap", type=float, default=2.5, help="silence after each utterance, s")
    parser.add_argument("--debug", action="store_true", help="log every transcription job (wait, run)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a Settings override, e.g. --set turn_word_wait_ms=0 --set stt_pause_ms=150")
    args = parser.parse_args()
    if args.debug:
        logging.basicConfig(level=logging.INFO, format="%(relativeCreated)8.0f %(name)s %(message)s")
        logging.getLogger("viva.stt").setLevel(logging.DEBUG)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        clips = [(length, speak(text, workdir, f"u{length}")) for length, text in TEXTS.items()]
        overrides = dict(item.split("=", 1) for item in args.set)
        server, port, new_interview, stt = start_server(workdir / "data", overrides)
        rows = []
        try:
            for r in range(args.repeats):
                rows += asyncio.run(run_one(port, new_interview(), clips, args.pace, args.gap))
                print(f"  repeat {r + 1}/{args.repeats} done", file=sys.stderr)
        finally:
            server.should_exit = True
    settings = " ".join(args.set) or "default settings"
    print(f"\nstt={stt}  pace={args.pace}x  repeats={args.repeats}  {settings}  (times in ms)\n")
    head = f"{'utterance':>9} {'audio s':>8} {'n':>3} | {'eot->final p50':>14} {'p95':>6} | " \
           f"{'speech->event p50':>17} {'p95':>6} | {'hold p50':>8}"
    print(head)
    print("-" * len(head))
    for length in TEXTS:
        got = [r for r in rows if r["length"] == length]
        if not got:
            print(f"{length:>8}s  (no results)")
            continue
        lag = [r["lag_ms"] for r in got]
        e2e = [r["speech_to_event_ms"] for r in got]
        hold = [r["hold_ms"] for r in got]
        print(f"{length:>8}s {got[0]['audio_s']:>8.1f} {len(got):>3} | "
              f"{pct(lag, .5):>14.0f} {pct(lag, .95):>6.0f} | "
              f"{pct(e2e, .5):>17.0f} {pct(e2e, .95):>6.0f} | {statistics.median(hold):>8.0f}")
    every = [r["lag_ms"] for r in rows]
    if every:
        print(f"\nall utterances: eot->final p50 {pct(every, .5):.0f} ms, p95 {pct(every, .95):.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
