"""The hearing layer's embedder: load time, RSS growth, and seconds for 40 sentences.

    .venv/bin/python bench/embedder.py [--threads 1|2]

The 40 sentences are the first candidate sentences of two project fixtures (tests/scoring/transcripts), embedded
cold (the text cache empty) in one call; the best of three fresh models is printed with `uptime`'s load.
RSS is the process's resident set after importing onnxruntime and tokenizers (faster-whisper loads them
anyway), then after loading the model, then after the first embeddings.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    import onnxruntime  # noqa: F401
    import tokenizers  # noqa: F401

    from app.hearing import depth
    from app.hearing.embedder import MiniLM

    text = "\n".join((ROOT / "tests/scoring/transcripts" / f"{name}_strong.txt").read_text(encoding="utf-8")
                     for name in ("database", "system_design"))
    turns = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Candidate:")]
    sentences = [t[s:e] for t in turns for s, e in depth.sentences(t)][:40]
    base = rss_mb()
    t0 = time.perf_counter()
    model = MiniLM(args.threads)
    load_s, loaded = time.perf_counter() - t0, rss_mb()
    best = float("inf")
    for _ in range(3):
        model._cache.clear()
        t0 = time.perf_counter()
        model.embed(sentences)
        best = min(best, time.perf_counter() - t0)
    print(f"threads {args.threads}: load {load_s:.2f} s, RSS +{loaded - base:.0f} MB loaded, "
          f"+{rss_mb() - base:.0f} MB after embedding; {len(sentences)} sentences in {best:.3f} s (best of 3); "
          f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
