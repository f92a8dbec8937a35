"""LLM scorer on the graded fixtures: time per scorecard and the ranking, beside the offline scorer.

For every round and every fixture kind present in tests/scoring/transcripts/ (ROUND_KIND.txt: strong,
medium, weak, wrong, plain, garbled, short, stuffed, negated), scores the transcript offline and with
the LLM scorer against an OpenAI-compatible server, and prints one row per transcript:

  offline, llm   overall score (1-4) of each scorer        by-llm   dimensions the model scored / all
  unverified     quotes on the LLM card not found verbatim in the candidate's turns (must be 0)
  seconds        wall time of the LLM scorecard (offline pass included)

then per round whether strong > medium > weak and wrong < strong hold for each scorer, and the median
and longest time per scorecard. Server and timing settings are the usual VIVA_LLM_* ones, or flags:

    .venv/bin/python bench/llm_scorer.py --url http://127.0.0.1:8091/v1 --model qwen \\
        [--rounds database,behavioral] [--kinds strong,medium,weak,wrong] [--level senior] [--transcripts DIR]

The local 1.5B model on 2 cores needs a minute or two per scorecard: pick a subset with --rounds/--kinds.
Timing on a shared machine is noisy; the load average is printed with the table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.catalog import load_catalog  # noqa: E402
from app.config import Settings  # noqa: E402
from app.progress import Progress  # noqa: E402
from app.scoring.llm import LlmScorer  # noqa: E402
from app.scoring.rubric import OfflineScorer  # noqa: E402
from app.scoring.scorecard import ScorecardDoc  # noqa: E402
from app.scoring.transcript import TranscriptTurn, parse_transcript  # noqa: E402

TRANSCRIPTS = ROOT / "tests" / "scoring" / "transcripts"
ROUNDS = ["system_design", "behavioral", "coding", "api_design", "database", "distributed_systems"]
KINDS = ["strong", "medium", "weak", "wrong", "plain", "garbled", "short", "stuffed", "negated"]


def unverified_quotes(doc: ScorecardDoc, turns: list[TranscriptTurn]) -> int:
    text = {t.seq: t.text for t in turns if t.is_candidate}
    return sum(ev.quote not in text.get(ev.seq, "") for d in doc.dimensions for ev in d.evidence)


def ranking_ok(scores: dict[str, float]) -> str:
    """'yes'/'NO' for strong > medium > weak and wrong < strong, over the kinds present."""
    checks = []
    chain = [scores[k] for k in ("strong", "medium", "weak") if k in scores]
    checks.append(all(a > b for a, b in zip(chain, chain[1:], strict=False)))
    if "wrong" in scores and "strong" in scores:
        checks.append(scores["wrong"] < scores["strong"])
    return "yes" if all(checks) else "NO"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default=os.environ.get("VIVA_LLM_BASE_URL", "http://127.0.0.1:8091/v1"))
    ap.add_argument("--model", default=os.environ.get("VIVA_LLM_MODEL", "qwen"))
    ap.add_argument("--rounds", default=",".join(ROUNDS))
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--level", default="senior")
    ap.add_argument("--dimensions", action="store_true", help="also print each dimension's scores and flags")
    ap.add_argument("--transcripts", type=Path, default=TRANSCRIPTS, help="folder of ROUND_KIND.txt files")
    args = ap.parse_args()
    settings = Settings(llm_base_url=args.url, llm_model=args.model, scorer="llm")
    catalog = load_catalog(settings.rubrics_dir, settings.prompts_dir)
    llm = LlmScorer(settings)
    print(f"server {args.url} model {args.model}; call timeout {settings.llm_scorer_timeout_s:g}s, "
          f"budget {settings.llm_scorer_budget_s:g}s, max tokens {settings.llm_scorer_max_tokens}")
    print(f"{'ROUND':<21}{'KIND':<9}{'OFFLINE':>8}{'LLM':>7}{'BY-LLM':>8}{'UNVERIFIED':>11}{'SECONDS':>9}  FALLBACKS")
    times: list[float] = []
    ranks: list[tuple[str, str, str]] = []
    total_unverified = 0
    files = [args.transcripts / f"{r}_{k}.txt" for r in args.rounds.split(",") for k in args.kinds.split(",")]
    progress = Progress(sum(f.exists() for f in files), "llm_scorer transcripts")
    for rid in args.rounds.split(","):
        rnd = catalog.get(rid)
        if rnd is None:
            print(f"unknown round {rid}", file=sys.stderr)
            return 2
        off_scores: dict[str, float] = {}
        llm_scores: dict[str, float] = {}
        for kind in args.kinds.split(","):
            path = args.transcripts / f"{rid}_{kind}.txt"
            if not path.exists():
                continue
            turns = parse_transcript(path.read_text(encoding="utf-8"))
            off = OfflineScorer().score(rnd, args.level, turns)
            t0 = time.monotonic()
            doc = llm.score(rnd, args.level, turns)
            took = time.monotonic() - t0
            times.append(took)
            progress.step()
            bad = unverified_quotes(doc, turns)
            total_unverified += bad
            by_llm = sum(d.scored_by == "llm" for d in doc.dimensions)
            fallbacks = [n for n in doc.notes if "kept the offline score" in n]
            off_scores[kind], llm_scores[kind] = off.overall, doc.overall
            print(f"{rid:<21}{kind:<9}{off.overall:>8.2f}{doc.overall:>7.2f}{f'{by_llm}/{len(doc.dimensions)}':>8}"
                  f"{bad:>11}{took:>9.1f}  {'; '.join(fallbacks)[:120] or '-'}", flush=True)
            if args.dimensions:
                for d, o in zip(doc.dimensions, off.dimensions, strict=True):
                    print(f"    {d.key:<30} offline {o.score}  llm {d.score}  {d.scored_by:<17}"
                          f"{','.join(d.flags)}", flush=True)
        ranks.append((rid, ranking_ok(off_scores), ranking_ok(llm_scores)))
    print("\nranking strong > medium > weak and wrong < strong (over the kinds present):")
    print(f"{'ROUND':<21}{'OFFLINE':>8}{'LLM':>6}")
    for rid, o, m in ranks:
        print(f"{rid:<21}{o:>8}{m:>6}")
    if times:
        print(f"\nLLM scorecards: {len(times)}; seconds per scorecard: median {statistics.median(times):.1f}, "
              f"max {max(times):.1f}; unverified quotes: {total_unverified}")
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()), "(2 cores, shared)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
