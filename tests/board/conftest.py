"""Boards for the tests: the design the browser test draws, as a graph."""

from __future__ import annotations

import copy

import pytest

DESIGN = {
    "nodes": [
        {"id": "c", "kind": "client", "label": "Web app", "x": 0, "y": 0},
        {"id": "lb", "kind": "load_balancer", "label": "Edge LB", "x": 200, "y": 0},
        {"id": "api", "kind": "service", "label": "API", "x": 400, "y": 0},
        {"id": "r", "kind": "cache", "label": "Redis", "x": 600, "y": -100},
        {"id": "db", "kind": "database", "label": "Orders DB", "x": 600, "y": 100},
        {"id": "q", "kind": "queue", "label": "Jobs queue", "x": 400, "y": 200},
        {"id": "w", "kind": "service", "label": "Worker", "x": 600, "y": 300},
    ],
    "edges": [
        {"id": "e1", "from": "c", "to": "lb", "label": ""},
        {"id": "e2", "from": "lb", "to": "api", "label": ""},
        {"id": "e3", "from": "api", "to": "r", "label": "reads"},
        {"id": "e4", "from": "api", "to": "db", "label": "writes"},
        {"id": "e5", "from": "api", "to": "q", "label": "async"},
        {"id": "e6", "from": "q", "to": "w", "label": ""},
    ],
    "notes": [],
}


@pytest.fixture
def design() -> dict:
    return copy.deepcopy(DESIGN)


from tests.interviewer.conftest import catalog  # noqa: E402, F401  (the real rounds, loaded once)
