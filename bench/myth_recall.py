"""How often the live interviewer hears a wrong claim, on the independent fixtures (issue 18).

Every candidate turn of `tests/scoring/independent/<round>_<kind>.txt` goes through what the interviewer
uses to decide a challenge: the catalog's forms (app.hearing.claims) and myths by meaning
(app.hearing.hearing) at the scorer's bar (meaning.MYTH), and the neutral probe of a claim near a myth at
meaning.PROBE (app/interviewer/near_myths.py). A turn of a `wrong` fixture heard is a hit; a turn of a
correct fixture (strong, plain, garbled, terse; medium apart: shallow, not wrong) heard is a false alarm.
`--sweep` prints the same counts for a range of probe bars (the truth margin MYTH_MARGIN held at each).

    PYTHONPATH=. .venv/bin/python bench/myth_recall.py [--sweep]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.catalog import load_catalog  # noqa: E402
from app.hearing import claims  # noqa: E402
from app.hearing import meaning as M  # noqa: E402
from app.hearing.hearing import for_round  # noqa: E402
from app.scoring.transcript import parse_transcript  # noqa: E402

FIXTURES = ROOT / "tests" / "scoring" / "independent"
ROUNDS = ["system_design", "behavioral", "coding", "api_design", "database", "distributed_systems"]
KINDS = {"wrong": ["wrong"], "correct": ["strong", "plain", "garbled", "terse"], "medium": ["medium"],
         "weak": ["weak"]}
SWEEP = [0.45, 0.50, 0.55, 0.58, 0.60, 0.62, 0.64, 0.65, 0.66, 0.68, 0.70, 0.72]


def turns(rid: str, kinds: list[str]) -> list[str]:
    out = []
    for kind in kinds:
        path = FIXTURES / f"{rid}_{kind}.txt"
        if path.exists():
            out += [t.text for t in parse_transcript(path.read_text(encoding="utf-8")) if t.speaker == "candidate"]
    return out


def heard(rnd, hearing, text: str) -> tuple[bool, float]:
    """Whether the scorer's bar hears a myth in `text` (forms or meaning), and how close its closest window
    near a myth comes (1.0 for a form: any bar probes it; 0.0 for none)."""
    if claims.stated(text, rnd):
        return True, 1.0
    if hearing is None:
        return False, 0.0
    near = hearing.asserted(text, min(SWEEP[0], M.NEAR))
    return any(c.similarity >= M.MYTH for c in near), max((c.similarity for c in near), default=0.0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sweep", action="store_true", help="print the counts for a range of probe bars")
    args = ap.parse_args()
    catalog = load_catalog(ROOT / "rubrics", ROOT / "prompts")
    seen: dict[str, list[tuple[bool, float]]] = {label: [] for label in KINDS}
    print(f"{'round':22}{'wrong heard':>12}{'probed':>8}{'false alarms':>14}{'probed':>8}{'medium probed':>15}")
    for rid in ROUNDS:
        rnd = catalog.get(rid)
        hearing = for_round(rnd)
        row = {label: [heard(rnd, hearing, t) for t in turns(rid, kinds)] for label, kinds in KINDS.items()}
        for label in KINDS:
            seen[label] += row[label]
        print(f"{rid:22}{_cells(row, M.PROBE)}")
    print(f"{'all':22}{_cells(seen, M.PROBE)}")
    if args.sweep:
        print("\nprobe bar  wrong probed  correct probed  medium probed  weak probed  false (correct+medium)")
        for bar in SWEEP:
            false = sum(h or s >= bar for label in ("correct", "medium") for h, s in seen[label])
            false /= max(len(seen["correct"]) + len(seen["medium"]), 1)
            cells = [_count(seen[label], bar) for label in KINDS]
            print(f"{bar:9.2f}{cells[0]:>14}{cells[1]:>16}{cells[2]:>15}{cells[3]:>13}{false:>24.1%}")
    return 0


def _count(seen: list[tuple[bool, float]], bar: float | None) -> str:
    """Turns heard at the scorer's bar (bar None), or heard there or probed at `bar`, of all."""
    hits = sum(h or (bar is not None and s >= bar) for h, s in seen)
    return f"{hits}/{len(seen)}"


def _cells(row: dict[str, list[tuple[bool, float]]], bar: float) -> str:
    return (f"{_count(row['wrong'], None):>12}{_count(row['wrong'], bar):>8}{_count(row['correct'], None):>14}"
            f"{_count(row['correct'], bar):>8}{_count(row['medium'], bar):>15}")


if __name__ == "__main__":
    sys.exit(main())
