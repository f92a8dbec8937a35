"""Scorer ranking on the graded fixtures: the overall score per round and kind of answer.

The fixtures (tests/scoring/transcripts/<round>_<kind>.txt) are written as real candidates talk:
  strong   the reference answer            weak     little substance
  medium   the right shape, little depth   wrong    fluent, the right vocabulary, false claims
  plain    strong, in everyday words       garbled  strong, non-native grammar, misheard terms
  short    a concise senior                stuffed  lists of terms
  negated  names techniques only to reject them

    .venv/bin/python bench/score_fixtures.py [--scorer offline|llm] [--level senior] [--markdown]

Prints one row per round (overall weighted score, 1-4), then per kind whether it meets the ranking the
tests assert (tests/scoring/test_fixture_ranking.py) and, for the LLM scorer, the seconds per scorecard.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.catalog import load_catalog  # noqa: E402
from app.scoring.transcript import parse_transcript  # noqa: E402

FIXTURES = ROOT / "tests" / "scoring" / "transcripts"
ROUNDS = ["system_design", "behavioral", "coding", "api_design", "database", "distributed_systems"]
KINDS = ["strong", "plain", "garbled", "short", "medium", "stuffed", "wrong", "negated", "weak"]


def build(name: str):
    if name == "offline":
        from app.scoring.rubric import OfflineScorer

        return OfflineScorer()
    from app.config import get_settings
    from app.scoring.llm import LlmScorer

    return LlmScorer(get_settings())


def score_all(scorer, level: str) -> tuple[dict[tuple[str, str], float], list[float]]:
    catalog = load_catalog(ROOT / "rubrics", ROOT / "prompts")
    table, seconds = {}, []
    for rnd in ROUNDS:
        for kind in KINDS:
            path = FIXTURES / f"{rnd}_{kind}.txt"
            if not path.exists():
                continue
            turns = parse_transcript(path.read_text(encoding="utf-8"))
            t0 = time.perf_counter()
            doc = scorer.score(catalog.get(rnd), level, turns)
            seconds.append(time.perf_counter() - t0)
            table[(rnd, kind)] = doc.overall
    return table, seconds


def ranking_checks(table: dict[tuple[str, str], float]) -> dict[str, int]:
    """Per check, in how many rounds it holds (the Done-when of issue 10)."""
    ok = dict.fromkeys(["wrong < medium", "plain > medium", "garbled > medium", "short > medium",
                        "plain within 0.5 of strong", "garbled within 0.5 of strong",
                        "short within 0.5 of strong", "stuffed <= medium", "negated < medium"], 0)
    for rnd in ROUNDS:
        g = {k: table.get((rnd, k)) for k in KINDS}
        if None in g.values():
            continue
        ok["wrong < medium"] += g["wrong"] < g["medium"]
        ok["stuffed <= medium"] += g["stuffed"] <= g["medium"]
        ok["negated < medium"] += g["negated"] < g["medium"]
        for k in ("plain", "garbled", "short"):
            ok[f"{k} > medium"] += g[k] > g["medium"]
            ok[f"{k} within 0.5 of strong"] += g[k] >= g["strong"] - 0.5
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scorer", default="offline", choices=["offline", "llm"])
    parser.add_argument("--level", default="senior", choices=["mid", "senior", "staff"])
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table (for the README)")
    args = parser.parse_args()
    table, seconds = score_all(build(args.scorer), args.level)
    sep = " | " if args.markdown else "  "
    head = ["round"] + KINDS
    lines = [sep.join(f"{h:<19}" if i == 0 else f"{h:>7}" for i, h in enumerate(head))]
    if args.markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for rnd in ROUNDS:
        cells = [f"{table[(rnd, k)]:.2f}" if (rnd, k) in table else "-" for k in KINDS]
        if args.markdown:
            lines.append("| " + " | ".join([rnd] + cells) + " |")
        else:
            lines.append(sep.join([f"{rnd:<19}"] + [f"{c:>7}" for c in cells]))
    print(f"scorer={args.scorer} level={args.level}: overall weighted score (1-4) per round and kind")
    print("\n".join(lines))
    print()
    for check, n in ranking_checks(table).items():
        print(f"{check:<32} {n}/{len(ROUNDS)} rounds")
    if seconds:
        print(f"\nseconds per scorecard: mean {sum(seconds) / len(seconds):.3f}, max {max(seconds):.3f} "
              f"({len(seconds)} scorecards)")


if __name__ == "__main__":
    main()
