"""Scorer ranking on the graded fixtures: the overall score per round and kind of answer.

The fixtures (tests/scoring/transcripts/<round>_<kind>.txt) are written as real candidates talk:
  strong   the reference answer            weak     little substance
  medium   the right shape, little depth   wrong    fluent, the right vocabulary, false claims
  plain    strong, in everyday words       garbled  strong, non-native grammar, misheard terms
  short    a concise senior                stuffed  lists of terms
  negated  names techniques only to reject them

The independent fixtures (tests/scoring/independent/<round>_<kind>.txt, written by an author who never
saw the catalogs, key points or signal lists: strong, plain, garbled, terse, medium, weak, wrong) get
their own table and checks (issue 18): wrong < medium < strong in every round, wrong <= 1.75,
strong-intended (strong, plain, garbled, terse) >= 3.25 on average, every quote verbatim.

    .venv/bin/python bench/score_fixtures.py [--scorer offline|llm] [--level senior] [--markdown]
        [--signals-only] [--catalog DIR]

Prints one row per round (overall weighted score, 1-4), then per kind whether it meets the ranking the
tests assert (tests/scoring/test_fixture_ranking.py), and the seconds per scorecard (the hearing layer's
catalog embedded before timing; each transcript's sentences embedded inside it).
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
INDEPENDENT = ROOT / "tests" / "scoring" / "independent"
ROUNDS = ["system_design", "behavioral", "coding", "api_design", "database", "distributed_systems"]
KINDS = ["strong", "plain", "garbled", "short", "medium", "stuffed", "wrong", "negated", "weak"]
IND_KINDS = ["strong", "plain", "garbled", "terse", "medium", "weak", "wrong"]
STRONG_INTENDED = ("strong", "plain", "garbled", "terse")


def build(name: str, meaning: bool = True):
    if name == "offline":
        from app.scoring.rubric import OfflineScorer

        return OfflineScorer(meaning=meaning)
    from app.config import get_settings
    from app.scoring.llm import LlmScorer

    return LlmScorer(get_settings())


def score_all(scorer, level: str, catalog, folder: Path = FIXTURES, kinds: list[str] = KINDS,
              bad_quotes: list[str] | None = None) -> tuple[dict[tuple[str, str], float], list[float]]:
    from app.hearing.hearing import for_round

    table, seconds = {}, []
    for rnd in ROUNDS:
        if getattr(scorer, "meaning", False):
            for_round(catalog.get(rnd))  # the catalog's embeddings: start-up work, not scoring
        for kind in kinds:
            path = folder / f"{rnd}_{kind}.txt"
            if not path.exists():
                continue
            turns = parse_transcript(path.read_text(encoding="utf-8"))
            t0 = time.perf_counter()
            doc = scorer.score(catalog.get(rnd), level, turns)
            seconds.append(time.perf_counter() - t0)
            table[(rnd, kind)] = doc.overall
            if bad_quotes is not None:
                texts = {t.seq: t.text for t in turns}
                quotes = [(e.seq, e.quote) for d in doc.dimensions for e in d.evidence]
                quotes += [(m.seq, m.quote) for m in doc.misconceptions]
                bad_quotes += [f"{path.name}: turn {s}" for s, q in quotes if q not in texts.get(s, "")]
    return table, seconds


def independent_checks(table: dict[tuple[str, str], float]) -> dict[str, str]:
    """Issue 18's Done-when on the independent fixtures."""
    rounds = [r for r in ROUNDS if all((r, k) in table for k in ("strong", "medium", "wrong"))]
    order = sum(table[(r, "wrong")] < table[(r, "medium")] < table[(r, "strong")] for r in rounds)
    worst_wrong = max((table[(r, "wrong")] for r in rounds), default=float("nan"))
    strong = [v for (r, k), v in table.items() if k in STRONG_INTENDED]
    mean_strong = sum(strong) / len(strong) if strong else float("nan")
    return {"wrong < medium < strong": f"{order}/{len(rounds)} rounds",
            "wrong <= 1.75 (highest wrong)": f"{worst_wrong:.2f}",
            "strong-intended >= 3.25 (mean)": f"{mean_strong:.2f}"}


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
    parser.add_argument("--signals-only", action="store_true", help="the offline scorer without the hearing layer")
    parser.add_argument("--catalog", type=Path, default=ROOT, help="a folder with rubrics/ and prompts/")
    args = parser.parse_args()
    catalog = load_catalog(args.catalog / "rubrics", args.catalog / "prompts")
    scorer = build(args.scorer, not args.signals_only)
    bad: list[str] = []
    table, seconds = score_all(scorer, args.level, catalog, bad_quotes=bad)
    print_table(f"scorer={args.scorer}{' (signals only)' if args.signals_only else ''} level={args.level}: "
                "overall weighted score (1-4) per round and kind, project fixtures", table, KINDS, args.markdown)
    for check, n in ranking_checks(table).items():
        print(f"{check:<32} {n}/{len(ROUNDS)} rounds")
    if INDEPENDENT.is_dir():
        ind, more = score_all(scorer, args.level, catalog, INDEPENDENT, IND_KINDS, bad)
        seconds += more
        print()
        print_table("independent fixtures (an author who never saw the catalogs)", ind, IND_KINDS, args.markdown)
        for check, value in independent_checks(ind).items():
            print(f"{check:<32} {value}")
    print(f"\nquotes not verbatim: {len(bad)}" + (f" ({', '.join(bad[:5])})" if bad else ""))
    if seconds:
        print(f"seconds per scorecard: mean {sum(seconds) / len(seconds):.3f}, max {max(seconds):.3f} "
              f"({len(seconds)} scorecards)")


def print_table(title: str, table: dict[tuple[str, str], float], kinds: list[str], markdown: bool) -> None:
    sep = " | " if markdown else "  "
    head = ["round"] + kinds
    lines = [sep.join(f"{h:<19}" if i == 0 else f"{h:>7}" for i, h in enumerate(head))]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for rnd in ROUNDS:
        cells = [f"{table[(rnd, k)]:.2f}" if (rnd, k) in table else "-" for k in kinds]
        if markdown:
            lines.append("| " + " | ".join([rnd] + cells) + " |")
        else:
            lines.append(sep.join([f"{rnd:<19}"] + [f"{c:>7}" for c in cells]))
    print(title)
    print("\n".join(lines))
    print()


if __name__ == "__main__":
    main()
