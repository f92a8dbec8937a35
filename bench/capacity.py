"""Capacity: N concurrent spoken sessions with natural gaps against one server.

Each session speaks `answers` answers of 4-5 s at real time, with 2-5 s of silence after each
(seeded, so every run speaks the same), starting 0-3 s apart, pinging every 100 ms. That shape waits for
each transcript before its gap starts (closed loop: a slow server slows its clients down). The
`continuous` shape (`python bench/capacity.py --shape continuous`) is the independent probe's: sessions
that talk on with 0.5-1.5 s gaps counted from the end of speech, transcript or not (open loop), 10 answers
each; its speech end -> transcript is not attributed (a late transcript lands on the next answer). The
`conversation` shape is a room with the server's voice: each candidate listens to the interviewer's whole reply
(as long as its audio lasts), then waits 1-3 s and answers again; it reports end of speech -> first audio.
`--stagger S` spreads the sessions' starts over 0..S s (3: nearly in step, everyone speaking at once; ~15: a
conversation cycle, at random phases as real candidates are); `--rounds all` gives the sessions the six rounds
in turn (system design only by default); `transcript_past_hold_ms` is end of speech -> transcript less the
silence the turn was held for; `voice_sentences` counts what the server voice synthesized, took from its cache
or shared with another session.
Per N: the lags, server CPU (share of one core; 200 % = both cores), peak resident memory, the event loop's longest
stall and its stalls over 50 ms during the run (server-side monitor, read every 10 s) and ping -> pong.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from pathlib import Path

import httpx
from client import Answer, run_session
from server import VivaServer
from speech import say
from stats import summary
from texts import CAPACITY

ROUNDS = ("system_design", "behavioral", "coding", "api_design", "database", "distributed_systems")


def _sessions(speech_dir: Path, n: int, answers: int, seed: int, shape: str = "answers", stagger_s: float = 3.0
              ) -> list[tuple[float, list[Answer]]]:
    rng = random.Random(seed)
    clips = [(text, say(text, speech_dir)) for text in CAPACITY]
    gaps, open_loop = ((0.5, 1.5), True) if shape == "continuous" else ((1, 3), False) if shape == "conversation" \
        else ((2, 5), False)
    out = []
    for _ in range(n):
        picked = [clips[rng.randrange(len(clips))] for _ in range(answers)]
        out.append((rng.uniform(0, stagger_s), [Answer(pcm, text, gap_s=rng.uniform(*gaps), open_loop=open_loop,
                                               listen=shape == "conversation")
                                        for text, pcm in picked]))
    return out


async def _run_all(server: VivaServer, plan, rounds: tuple[str, ...]) -> list:
    ids = [server.new_interview(rounds[i % len(rounds)]) for i in range(len(plan))]
    return await asyncio.gather(*(run_session(server.ws_url, i, answers, start_delay_s=delay)
                                  for i, (delay, answers) in zip(ids, plan, strict=True)))


def run_one(server: VivaServer, speech_dir: Path, n: int, answers: int = 3, seed: int = 13,
            shape: str = "answers", rounds: tuple[str, ...] = ("system_design",), stagger_s: float = 3.0) -> dict:
    plan = _sessions(speech_dir, n, answers, seed, shape, stagger_s)
    rss, stalls = [server.rss_mib()], [_loop(server)]
    done = threading.Event()

    def sample() -> None:
        k = 0
        while not done.wait(0.5):
            rss.append(server.rss_mib())
            k += 1
            if k % 20 == 0:  # the monitor reports the last 60 s: every 10 s, for the run's longest stall
                stalls.append(_loop(server))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    cpu0, t0 = server.cpu_s(), time.monotonic()
    voice0 = _voice(server)
    results = asyncio.run(_run_all(server, plan, rounds))
    cpu = (server.cpu_s() - cpu0) / (time.monotonic() - t0) * 100 if server.alive() else float("nan")
    done.set()
    sampler.join()
    health = httpx.get(f"{server.url}/api/health", timeout=10).json()
    loop, voice = health.get("event_loop") or {}, _voice(server, health)
    stalls.append(loop)
    lags = [lag for r in results for a in r.answers for lag in a.final_lag_ms]
    e2e = [a.speech_to_event_ms for r in results for a in r.answers if a.speech_to_event_ms is not None]
    late = [a.past_hold_ms for r in results for a in r.answers if a.past_hold_ms is not None]
    pongs = [p for r in results for p in r.pongs_ms]
    firsts = [a.first_audio_ms for r in results for a in r.answers if a.first_audio_ms is not None]
    missing = sum(r.errors.count("no_transcript") for r in results)
    busy = sum(r.errors.count("busy") for r in results)
    return {"sessions": n, "answers": sum(len(r.answers) for r in results), "eot_to_final_ms": summary(lags),
            "speech_end_to_transcript_ms": summary(e2e),
            "transcript_past_hold_ms": summary(late), "ping_pong_ms": summary(pongs), "cpu_pct": round(cpu),
            "speech_end_to_first_audio_ms": summary(firsts),
            "rss_peak_mib": round(max(rss)), "loop_max_stall_ms": max(s.get("max_stall_ms", 0) for s in stalls[1:]),
            "loop_stalls_over_50ms": _stalls_during(stalls[0], loop), "missing_transcripts": missing, "busy": busy,
            "rounds": len(rounds), "voice_sentences": {k: voice[k] - voice0[k] for k in voice}}


def _stalls_during(before: dict, after: dict) -> int | None:
    """Stalls over 50 ms during the run (a server older than the count: those of its last 60 s)."""
    if "total_over_50ms" not in after:
        return after.get("stalls_over_50ms")
    return after["total_over_50ms"] - before.get("total_over_50ms", 0)


def _loop(server: VivaServer) -> dict:
    """The event loop monitor's report (stalls over 50 ms since start, the longest in the last 60 s)."""
    return httpx.get(f"{server.url}/api/health", timeout=10).json().get("event_loop") or {}


def _voice(server: VivaServer, health: dict | None = None) -> dict:
    """Sentences the server voice synthesized, took from its cache, or shared with another session so far."""
    health = health or httpx.get(f"{server.url}/api/health", timeout=10).json()
    report = health.get("voice") or {"cache": {"hits": 0, "misses": 0}, "shared": 0}
    return {"synthesized": report["cache"]["misses"] - report["shared"], "cached": report["cache"]["hits"],
            "shared": report["shared"]}


def run(server: VivaServer, speech_dir: Path, ns: list[int], answers: int = 3, target_ms: float = 500) -> dict:
    rows = []
    for n in ns:
        row = run_one(server, speech_dir, n, answers)
        rows.append(row)
        p95 = row["eot_to_final_ms"]["p95"]
        print(f"  capacity N={n}: eot->final p95 {p95} ms, cpu {row['cpu_pct']} %", flush=True)
        if not server.alive():
            print(f"  the server exited with {server.proc.returncode}; capacity stops at N={n}", flush=True)
            break
        time.sleep(2)
    ok = [r["sessions"] for r in rows if r["eot_to_final_ms"]["p95"] is not None
          and r["eot_to_final_ms"]["p95"] <= target_ms and not r["missing_transcripts"]]
    return {"rows": rows, "max_sessions_within_target": max(ok, default=0), "target_ms": target_ms}


if __name__ == "__main__":
    import argparse
    import json
    import sys
    import tempfile

    from stats import machine

    parser = argparse.ArgumentParser(description="capacity under one workload shape")
    parser.add_argument("--shape", choices=("answers", "continuous", "conversation"), default="continuous")
    parser.add_argument("--ns", default="8,16")
    parser.add_argument("--answers", type=int, default=10)
    parser.add_argument("--set", action="append", default=[], help="a server setting, e.g. tts=piper")
    parser.add_argument("--rounds", default="system_design", help="rounds the sessions take in turn "
                        "(comma-separated; 'all': the six)")
    parser.add_argument("--stagger", type=float, default=3.0, help="sessions start 0..S s apart (3: nearly in "
                        "step, a burst; a cycle of ~15 s: at random phases, as real candidates are)")
    parser.add_argument("--source", type=Path, default=None, help="another checkout's server (before/after)")
    args = parser.parse_args()
    settings = dict(kv.split("=", 1) for kv in args.set)
    rounds = tuple(ROUNDS if args.rounds == "all" else args.rounds.split(","))
    source = {"source": args.source.resolve()} if args.source else {}
    with tempfile.TemporaryDirectory() as tmp, VivaServer(Path(tmp), settings, **source) as server:
        rows = [run_one(server, Path(tempfile.gettempdir()) / "viva-bench-speech", int(n), args.answers,
                        shape=args.shape, rounds=rounds, stagger_s=args.stagger) for n in args.ns.split(",")]
    json.dump({"machine": machine(), "shape": args.shape, "settings": settings, "stagger_s": args.stagger,
               "rounds": rounds, "rows": rows}, sys.stdout, indent=1)
    print()
