"""What the whiteboard costs: a board write through the real store (validate + if-match save, one commit) on
a SQLite file and on PostgreSQL when VIVA_TEST_POSTGRES_URL is set, and the interviewer's reading of a board
(contradictions, gaps, a drawn component to point at) per reply, for a small and a full-size board.
Prints a table; never asserts a time.

    .venv/bin/python bench/board.py [writes]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session  # noqa: E402

from app import repository  # noqa: E402
from app.board import store  # noqa: E402
from app.board.followup import board_move, refer  # noqa: E402
from app.board.graph import MAX_EDGES, MAX_NODES, parse_graph  # noqa: E402
from app.board.persona import drawing  # noqa: E402
from app.catalog import load_catalog  # noqa: E402
from app.config import ROOT  # noqa: E402
from app.db import init_db, make_engine  # noqa: E402
from app.interviewer.moves import Move, MoveKind  # noqa: E402
from app.interviewer.state import Event, InterviewState  # noqa: E402

KINDS = ["client", "load_balancer", "service", "cache", "database", "queue", "object_storage", "cdn", "external"]


def full_board() -> dict:
    nodes = [{"id": f"n{i}", "kind": KINDS[i % len(KINDS)], "label": f"Component number {i}", "x": i * 10.0,
              "y": 0.0} for i in range(MAX_NODES)]
    edges = [{"id": f"e{i}", "from": f"n{i % MAX_NODES}", "to": f"n{(i * 7 + 1) % MAX_NODES}", "label": "reads"}
             for i in range(MAX_EDGES)]
    return {"nodes": nodes, "edges": edges, "notes": []}


def writes(url: str, n: int, board: dict) -> list[float]:
    engine = make_engine(url)
    init_db(engine)
    out = []
    with Session(engine) as s:
        iid = repository.create_interview(s, repository.ensure_local_user(s), "system_design", "senior").id
    for version in range(n):
        started = time.perf_counter()
        with Session(engine) as s:
            store.save(s, iid, version, parse_graph(board), at_ms=version * 1000)
        out.append((time.perf_counter() - started) * 1000)
    engine.dispose()
    return out


def reading(board: dict, n: int) -> list[float]:
    rnd = load_catalog(ROOT / "rubrics", ROOT / "prompts").get("system_design")
    q = next(q for q in rnd.prompt.questions if q.id == "rate_limiter")
    out = []
    for _ in range(n):
        st = InterviewState.new("system_design", "senior")
        st.question_id = q.id
        st.event = Event(kind="answer", text="the cache sits in front of the database, writes go through a queue",
                         board=board)
        started = time.perf_counter()
        move = board_move(st, rnd, q, st.event.text) or Move(MoveKind.PROBE, "x", prompt="Where do they live?")
        refer(move, st, rnd)
        out.append((time.perf_counter() - started) * 1000)
    return out


def row(name: str, ms: list[float]) -> str:
    ms = sorted(ms)
    return f"| {name} | {len(ms)} | {statistics.median(ms):.2f} | {ms[int(0.95 * (len(ms) - 1))]:.2f} |"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    small, full = drawing("system_design", 3), full_board()
    print("| what | n | p50 ms | p95 ms |\n|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        print(row("write, 7 components (SQLite file)", writes(f"sqlite:///{Path(tmp) / 'a.db'}", n, small)))
        print(row("write, 40 components + 80 arrows (SQLite)", writes(f"sqlite:///{Path(tmp) / 'b.db'}", n, full)))
    pg = os.environ.get("VIVA_TEST_POSTGRES_URL")
    if pg:
        print(row("write, 40 components + 80 arrows (PostgreSQL)", writes(pg, n, full)))
    print(row("interviewer reads, 7 components", reading(small, n)))
    print(row("interviewer reads, 40 components + 80 arrows", reading(full, n)))


if __name__ == "__main__":
    main()
