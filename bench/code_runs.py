"""Code and SQL runs (app/runner): how long one sandboxed run takes, and what concurrent runs do to the
event loop. Prints a table; no assertions (timings are noisy on a shared machine).

    .venv/bin/python bench/code_runs.py [--repeats 5] [--concurrent 6]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.runner import exercises, judge, sandbox  # noqa: E402
from app.runner.pool import RunPool  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


async def _lag_during(coro) -> tuple[object, float]:
    """Run `coro`; the event loop's worst lateness (ms) on a 10 ms ticker meanwhile."""
    worst = 0.0
    done = False

    async def ticker():
        nonlocal worst
        while not done:
            t = time.perf_counter()
            await asyncio.sleep(0.01)
            worst = max(worst, (time.perf_counter() - t - 0.01) * 1000)

    task = asyncio.create_task(ticker())
    try:
        result = await coro
    finally:
        done = True
        await task
    return result, worst


async def main(repeats: int, concurrent: int) -> None:
    why = sandbox.self_test()
    if why:
        print(f"sandbox unavailable: {why}")
        return
    ex = exercises.load_all(ROOT / "prompts")
    two_sum, org = ex["two_sum_variants"], ex["org_chart_recursive"]
    kinds = {
        "python, examples (2 cases)": lambda: judge.run_code(two_sum, "python", two_sum.reference["python"], "run"),
        "python, hidden tests (5)": lambda: judge.run_code(two_sum, "python", two_sum.reference["python"], "submit"),
        "javascript, hidden tests (5)": lambda: judge.run_code(two_sum, "javascript",
                                                               two_sum.reference["javascript"], "submit"),
        "sql, 4 datasets": lambda: judge.run_sql(org, org.reference, "submit"),
        "python, endless loop (wall limit)": lambda: judge.run_code(
            two_sum, "python", "def two_sum(nums, target):\n    while True:\n        pass\n", "run"),
    }
    print(f"{'run':<36}{'n':>3}{'median ms':>11}{'p90 ms':>9}{'loop lag ms':>13}")
    for name, job in kinds.items():
        n = 1 if "endless" in name else repeats
        times, lags = [], []
        for _ in range(n):
            result, lag = await _lag_during(job())
            times.append(result.elapsed_ms)
            lags.append(lag)
        print(f"{name:<36}{n:>3}{statistics.median(times):>11.0f}{_pct(times, 0.9):>9.0f}{max(lags):>13.1f}")
    pool = RunPool(workers=2)
    started = time.perf_counter()
    jobs = [pool.run(str(i), lambda: judge.run_code(two_sum, "python", two_sum.reference["python"], "submit"))
            for i in range(concurrent)]
    results, lag = await _lag_during(asyncio.gather(*jobs))
    wall = (time.perf_counter() - started) * 1000
    ok = sum(r.status == "passed" for r in results)
    print(f"\n{concurrent} submits at once through a pool of 2 workers: {wall:.0f} ms in all, {ok}/{concurrent} "
          f"passed, event loop lag at most {lag:.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--concurrent", type=int, default=6)
    args = parser.parse_args()
    asyncio.run(main(args.repeats, args.concurrent))
