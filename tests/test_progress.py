"""Progress lines for long runs (app/progress.py)."""

from __future__ import annotations

import io

from app.progress import Progress


def test_progress_prints_done_of_total_and_an_eta():
    now = [0.0]
    out = io.StringIO()
    p = Progress(4, "eval", stream=out, every_s=0, clock=lambda: now[0])
    now[0] = 10.0
    p.step()
    now[0] = 20.0
    p.step()
    lines = out.getvalue().splitlines()
    assert lines[0] == "eval: 1/4 (25%), 0:10 elapsed, ETA 0:30"
    assert lines[1] == "eval: 2/4 (50%), 0:20 elapsed, ETA 0:20"
    now[0] = 40.0
    p.step(2)
    assert out.getvalue().splitlines()[-1] == "eval: 4/4 (100%), 0:40 elapsed"


def test_progress_is_throttled_but_always_prints_the_last():
    now = [0.0]
    out = io.StringIO()
    p = Progress(3, "x", stream=out, every_s=60, clock=lambda: now[0])
    for _ in range(3):
        now[0] += 1
        p.step()
    assert [line.split(":")[1].split()[0] for line in out.getvalue().splitlines()] == ["1/3", "3/3"]


def test_disabled_progress_prints_nothing():
    out = io.StringIO()
    Progress(2, "x", stream=out, enabled=False).step()
    assert out.getvalue() == ""


def test_each_counts_an_item_when_the_loop_moves_on_from_it_also_after_continue():
    out = io.StringIO()
    p = Progress(3, "x", stream=out, every_s=0)
    seen = []
    for item in p.each(["a", "b", "c"]):
        seen.append((item, p.done))
        if item == "a":
            continue
    assert seen == [("a", 0), ("b", 1), ("c", 2)]
    assert p.done == 3 and out.getvalue().splitlines()[-1].startswith("x: 3/3 (100%)")
