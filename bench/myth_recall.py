"""How often the live interviewer hears a wrong claim, on the independent fixtures (issue 18).

Every candidate turn of `tests/scoring/independent/<round>_<kind>.txt` goes through what the interviewer
uses to decide a challenge: the catalog's forms (app.hearing.claims) and myths by meaning
(app.hearing.hearing). A turn of a `wrong` fixture heard as a myth is a hit; a turn of a strong-intended
fixture (strong, plain, garbled, terse) heard as one is a false alarm.

    PYTHONPATH=. .venv/bin/python bench/myth_recall.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.catalog import load_catalog  # noqa: E402
from app.hearing import claims  # noqa: E402
from app.hearing.hearing import for_round  # noqa: E402
from app.scoring.transcript import parse_transcript  # noqa: E402

FIXTURES = ROOT / "tests" / "scoring" / "independent"
ROUNDS = ["system_design", "behavioral", "coding", "api_design", "database", "distributed_systems"]
KINDS = {"strong-intended": ["strong", "plain", "garbled", "terse"], "wrong": ["wrong"]}


def heard(rnd, hearing, text: str) -> bool:
    return bool(claims.stated(text, rnd) or (hearing is not None and hearing.hear(text, []).myths))


def main() -> int:
    catalog = load_catalog(ROOT / "rubrics", ROOT / "prompts")
    totals = {label: [0, 0] for label in KINDS}
    print(f"{'round':22}{'wrong turns heard':>20}{'false alarms':>16}")
    for rid in ROUNDS:
        rnd = catalog.get(rid)
        hearing = for_round(rnd)
        cells = {}
        for label, kinds in KINDS.items():
            hits = n = 0
            for kind in kinds:
                path = FIXTURES / f"{rid}_{kind}.txt"
                for turn in parse_transcript(path.read_text(encoding="utf-8")) if path.exists() else []:
                    if turn.speaker == "candidate":
                        n += 1
                        hits += heard(rnd, hearing, turn.text)
            totals[label][0] += hits
            totals[label][1] += n
            cells[label] = f"{hits}/{n}"
        print(f"{rid:22}{cells['wrong']:>20}{cells['strong-intended']:>16}")
    (w, nw), (g, ng) = totals["wrong"], totals["strong-intended"]
    print(f"{'all':22}{f'{w}/{nw} ({w / max(nw, 1):.0%})':>20}{f'{g}/{ng} ({g / max(ng, 1):.0%})':>16}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
