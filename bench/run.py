"""Viva's benchmark suite: `make bench` / `viva bench`. One table printed, JSON written.

Starts real `viva serve` processes on loopback (temporary data dirs, offline interviewer; the local
LLM too when VIVA_LLM_BASE_URL is set) and measures, with espeak-ng speech streamed at real time:
latency (2/5/10/20 s answers, paused answers; reply latency), capacity (N concurrent sessions),
ping under an audio backlog, turn-taking (Viva vs silence only), accuracy (live vs one offline call)
and the API under 32 clients. Every figure is printed with the machine and its load: this machine
may be shared, so compare ratios within one run.

    .venv/bin/python bench/run.py [--quick] [--only latency,capacity,...] [--models tiny.en,base]
                                  [--source PATH] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import accuracy  # noqa: E402
import api_load  # noqa: E402
import backlog  # noqa: E402
import capacity  # noqa: E402
import latency  # noqa: E402
import real_speech  # noqa: E402
import turn_taking  # noqa: E402
from report import print_report  # noqa: E402
from server import ROOT, VivaServer  # noqa: E402
from stats import machine  # noqa: E402

SECTIONS = ("latency", "capacity", "backlog", "turns", "accuracy", "api")


def _model_path(name: str) -> str:
    from app.voice.stt.model_path import resolve_stt_model

    return resolve_stt_model(name, ROOT / "data")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and sessions (about 4 minutes)")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"sections: {','.join(SECTIONS)}")
    parser.add_argument("--models", default="tiny.en,base", help="STT models; the first is the main one")
    parser.add_argument("--source", type=Path, default=ROOT, help="checkout whose server to run (before/after)")
    parser.add_argument("--repeats", type=int, default=2, help="latency: answers of each kind per model")
    parser.add_argument("--ns", help="capacity session counts, e.g. 1,4,12 (default 1..24; --quick 1,4,12)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="server setting")
    parser.add_argument("--json", type=Path, default=ROOT / "test-artifacts" / "bench" / "latest.json")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    models = args.models.split(",")
    extra = dict(s.split("=", 1) for s in args.set)
    started = time.monotonic()
    results: dict = {"machine": machine(), "command": " ".join(["bench/run.py", *(argv or sys.argv[1:])]),
                     "source": str(args.source), "settings": extra, "models": models}
    with tempfile.TemporaryDirectory(prefix="viva-bench-") as tmp:
        tmp = Path(tmp)
        speech_dir = tmp / "speech"
        for i, model in enumerate(models):
            main_model = i == 0
            settings = {**extra, **({"stt_model": model} if model != "tiny.en" else {})}  # tiny.en: the default
            with VivaServer(tmp / f"data-{model}", settings, args.source) as server:
                res = results.setdefault(model, {"stt": server.health.get("stt")})
                if "latency" in only or "accuracy" in only:
                    print(f"[{model}] latency ...", flush=True)
                    res["latency"] = latency.run(server, speech_dir,
                                                 1 if args.quick or not main_model else args.repeats)
                    res["latency"]["machine"] = machine()
                if "capacity" in only:
                    ns = [1, 4, 12] if args.quick else ([1, 2, 4, 8, 12, 16, 24] if main_model else [1, 2, 4, 8, 12])
                    ns = [int(n) for n in args.ns.split(",")] if args.ns else ns
                    print(f"[{model}] capacity {ns} ...", flush=True)
                    res["capacity"] = capacity.run(server, speech_dir, ns)
                    res["capacity"]["machine"] = machine()
                if "accuracy" in only:
                    print(f"[{model}] accuracy on real speech ...", flush=True)
                    res["accuracy_real"] = real_speech.run(server, _model_path(model))
                if "backlog" in only and main_model:
                    print(f"[{model}] ping under backlog ...", flush=True)
                    res["backlog"] = backlog.run(server, speech_dir, 30 if args.quick else 60)
                    res["backlog"]["machine"] = machine()
            if "accuracy" in only and "latency" in res:
                print(f"[{model}] accuracy (offline reference) ...", flush=True)
                res["accuracy"] = _accuracy(model, res["latency"], speech_dir)
            if "turns" in only and main_model:
                print(f"[{model}] turn-taking ...", flush=True)
                res["turns"] = _turns(model, speech_dir, extra)
                res["turns"]["machine"] = machine()
        if os.environ.get("VIVA_LLM_BASE_URL") and "latency" in only:
            print("[llm] reply latency ...", flush=True)
            with VivaServer(tmp / "data-llm", {**extra, "brain": "llm"}, args.source) as srv:
                results["llm"] = {"brain": srv.health.get("brain"), "latency": latency.run(srv, speech_dir, 1),
                                  "machine": machine()}
        if "api" in only:
            print("[api] 32 clients ...", flush=True)
            data = tmp / "data-api"
            interview = api_load.seed(data)
            with VivaServer(data, {**extra, "stt_preload": "false"}, args.source) as server:
                results["api"] = api_load.run(server.url, interview)
                results["api"]["machine"] = machine()
    results["took_s"] = round(time.monotonic() - started)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1))
    print_report(results)
    print(f"\nJSON: {args.json}   took {results['took_s']} s")
    return 0


def _accuracy(model: str, lat: dict, speech_dir: Path) -> dict:
    from speech import say, with_pauses
    from texts import PAUSED

    refs, live = [], []
    for label, row in lat.items():
        if not label.startswith("_") and label != "machine":
            refs += row["ref"]
            live += row["live"]
    clips = []
    for ref in refs:  # the same recordings again (cached), paused ones rebuilt the same way
        pair = next(((a, b) for a, b in PAUSED if ref == f"{a} {b}"), None)
        clips.append(with_pauses([say(pair[0], speech_dir), say(pair[1], speech_dir)], [0.5])[0] if pair
                     else say(ref, speech_dir))
    offline = accuracy.offline(_model_path(model), clips)
    return {"set": "espeak-ng en-us, 150 wpm", "clips": len(refs), "words": sum(len(accuracy.words(r)) for r in refs),
            "live_wer_pct": accuracy.wer(refs, live), "offline_wer_pct": accuracy.wer(refs, offline)}


def _turns(model: str, speech_dir: Path, extra: dict) -> dict:
    from app.voice.stt import WhisperTranscriber

    stt = WhisperTranscriber(_model_path(model), threads=1, workers=1)
    stt.load()
    silence_ms = int(extra.get("turn_silence_ms", 700))
    wait_ms = int(extra.get("turn_word_wait_ms", 300))
    return turn_taking.run(stt, speech_dir, silence_ms, wait_ms)


if __name__ == "__main__":
    raise SystemExit(main())
