"""Judge bench: how well a model answers the LLM scorer's narrow question, on a labelled set.

The question (app/scoring/judge.py): one reference fact beside one candidate excerpt - does the excerpt
agree with it, contradict it, or not address it? The set (bench/judge_claims.yaml) has, per round,
reference facts each with an excerpt that states it plainly ("agrees") and one that states a well-known
myth about it ("contradicts"): half the items true, half false, asked in a fixed shuffled order.

Prints: accuracy, per-round accuracy, recall per label, the majority/chance baseline (0.50), label bias
(the share of the most frequent answer), pairs told apart (references whose true and false excerpt both got
the right verdict), errors, seconds per item, and the trust level this gives (app/scoring/trust.py). A run
over the whole set writes the measurement where the LLM scorer finds it (DATA_DIR/judge/...json). Progress
(items done / total, ETA) goes to stderr; claims, excerpts and replies are never printed.

    VIVA_LLM_BASE_URL=http://127.0.0.1:8091/v1 VIVA_LLM_MODEL=qwen PYTHONPATH=$PWD .venv/bin/python bench/judge.py
        [--limit N] [--timeout S] [--data FILE] [--no-save]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import openai
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.config import Settings  # noqa: E402
from app.scoring import trust  # noqa: E402
from app.scoring.judge import Judge  # noqa: E402
from app.scoring.structured import CallFailed, StructuredChat  # noqa: E402

DATA = ROOT / "bench" / "judge_claims.yaml"
ROUNDS = ("system_design", "behavioral", "coding", "api_design", "database", "distributed_systems")
SEED = 18


@dataclass(frozen=True)
class Item:
    round: str
    ref: int  # index of the reference within its round
    reference: str
    excerpt: str
    label: str  # "agrees" | "contradicts"


@dataclass(frozen=True)
class Result:
    item: Item
    answer: str  # a verdict, or "error"
    seconds: float
    error: str = ""  # why the call failed (CallFailed's short reason)


def load_items(path: Path = DATA) -> tuple[list[Item], str]:
    """The items in the bench's fixed shuffled order, and the set's sha256."""
    raw = path.read_bytes()
    data = yaml.safe_load(raw)
    items = [Item(rnd, i, e["reference"], e[label], label)
             for rnd in ROUNDS for i, e in enumerate(data[rnd]) for label in ("agrees", "contradicts")]
    random.Random(SEED).shuffle(items)
    return items, hashlib.sha256(raw).hexdigest()


def client_for(settings: Settings, timeout: float) -> openai.OpenAI:
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    return openai.OpenAI(base_url=settings.llm_base_url, api_key=key, timeout=timeout, max_retries=0)


def run(settings: Settings, items: list[Item], timeout: float, progress=None) -> list[Result]:
    """Ask every item once; an item whose call fails counts as "error". Stops if the server is gone."""
    judge = Judge(settings, StructuredChat(client_for(settings, timeout), settings.llm_model))
    results: list[Result] = []
    started = time.monotonic()
    for n, item in enumerate(items, start=1):
        t0 = time.monotonic()
        reason = ""
        try:
            answer = judge.ask(item.reference, item.excerpt, timeout)
        except CallFailed as exc:
            if exc.stop:
                raise
            answer, reason = "error", str(exc)
        results.append(Result(item, answer, time.monotonic() - t0, reason))
        if progress:
            per = (time.monotonic() - started) / n
            progress(f"judge: {n}/{len(items)} items, {per:.1f} s/item, ETA {per * (len(items) - n):.0f} s")
    return results


def measure(settings: Settings, results: list[Result], set_sha: str, load: list[float],
            measured_at: datetime) -> trust.Measurement:
    answers = Counter(r.answer for r in results)
    right = [r.answer == r.item.label for r in results]
    recall = {}
    for label in trust.LABELS:
        of = [ok for ok, r in zip(right, results, strict=True) if r.item.label == label]
        recall[label] = round(sum(of) / len(of), 4) if of else 0.0
    by_ref: dict[tuple[str, int], list[bool]] = {}
    for ok, r in zip(right, results, strict=True):
        by_ref.setdefault((r.item.round, r.item.ref), []).append(ok)
    pairs = [oks for oks in by_ref.values() if len(oks) == 2]
    accuracy = round(sum(right) / len(results), 4) if results else 0.0
    return trust.Measurement(
        base_url=trust.base_url_of(settings), model=settings.llm_model, measured_at=measured_at.isoformat(),
        items=len(results), accuracy=accuracy, recall=recall, answers=dict(answers),
        same_label_share=round(max(answers.values(), default=0) / max(len(results), 1), 4),
        pairs_told_apart=round(sum(all(p) for p in pairs) / len(pairs), 4) if pairs else 0.0,
        errors=answers.get("error", 0),
        seconds_per_item=round(statistics.mean(r.seconds for r in results), 2) if results else 0.0,
        load=load, set_sha256=set_sha, level=trust.level_for(accuracy, recall, len(results)))


def table(m: trust.Measurement, results: list[Result]) -> str:
    majority = max(Counter(r.item.label for r in results).values(), default=0) / max(len(results), 1)
    top = max(m.answers, key=m.answers.get) if m.answers else "-"
    rows = [("accuracy", f"{m.accuracy:.2f}")]
    for rnd in ROUNDS:
        of = [r.answer == r.item.label for r in results if r.item.round == rnd]
        if of:
            rows.append((f"  {rnd}", f"{sum(of) / len(of):.2f} ({sum(of)}/{len(of)})"))
    rows += [(f"recall {k}", f"{v:.2f}") for k, v in m.recall.items()]
    rows += [
        ("majority/chance baseline", f"{majority:.2f}"),
        ("same-label share (bias)", f"{m.same_label_share:.2f} ({top})"),
        ("pairs told apart", f"{m.pairs_told_apart:.2f}"),
        ("answers", ", ".join(f"{k} {v}" for k, v in sorted(m.answers.items()))),
        ("errors (counted wrong)", ", ".join(f"{k} {v}" for k, v in Counter(r.error for r in results
                                                                              if r.error).most_common()) or "0"),
        ("seconds per item", f"{m.seconds_per_item:.2f} mean, "
                             f"{statistics.median(r.seconds for r in results):.2f} median" if results else "-"),
        ("trust level", f"{m.level} (limited: acc >= {trust.LIMITED[0]}, recall >= {trust.LIMITED[1]}; "
                        f"full: {trust.FULL[0]}, {trust.FULL[1]}; n >= {trust.MIN_ITEMS})"),
    ]
    head = (f"judge bench: {m.model} at {m.base_url}, {m.items} items, {m.measured_at[:16]} UTC, "
            f"load {' '.join(f'{x:.2f}' for x in m.load)}")
    width = max(len(k) for k, _ in rows)
    return "\n".join([head, *(f"{k.ljust(width)}  {v}" for k, v in rows)])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--limit", type=int, default=None, help="ask only the first N items (not saved)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per item")
    ap.add_argument("--no-save", action="store_true")
    args = ap.parse_args(argv)
    settings = Settings()
    if not settings.llm_configured:
        print("no LLM configured: set VIVA_LLM_BASE_URL (and VIVA_LLM_MODEL)", file=sys.stderr)
        return 2
    items, sha = load_items(args.data)
    if args.limit:
        items = items[:args.limit]
    load = [round(x, 2) for x in os.getloadavg()]
    when = datetime.now(UTC)
    try:
        results = run(settings, items, args.timeout, progress=lambda s: print(s, file=sys.stderr, flush=True))
    except CallFailed as exc:
        print(f"judge bench stopped: {exc}", file=sys.stderr)
        return 1
    m = measure(settings, results, sha, load, when)
    print(table(m, results))
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"finished {datetime.now(UTC).isoformat()[:16]} UTC")
    if args.limit or args.no_save:
        print("(not saved: a partial run or --no-save)")
    else:
        print(f"saved: {trust.save(settings.data_dir, m)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
