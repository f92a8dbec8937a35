"""The harness's drawing candidate (evaluation.py, persona "drawer"): in a design round it draws its design
step by step while it answers, and once says something its drawing contradicts. Other rounds: no board.

`drawing(round_id, i)` is the board as it stands when answer i is given (None: nothing drawn);
`CONTRADICTIONS[round_id]` is (answer index, what is said).
"""

from __future__ import annotations

from typing import Any

# (kind, label) per node id, then arrows (from, to, label); a step adds nodes and arrows
_STEPS: dict[str, list[tuple[dict[str, tuple[str, str]], list[tuple[str, str, str]]]]] = {
    "system_design": [
        ({"c": ("client", "Mobile app"), "lb": ("load_balancer", "Edge LB"), "api": ("service", "App servers")},
         [("c", "lb", ""), ("lb", "api", "")]),
        ({"db": ("database", "Sharded DB")}, [("api", "db", "writes")]),
        ({"r": ("cache", "Redis")}, [("api", "r", "reads")]),
        ({"q": ("queue", "Kafka"), "w": ("service", "Notifier")}, [("api", "q", "async"), ("q", "w", "")]),
    ],
    "api_design": [
        ({"c": ("client", "Merchant"), "gw": ("load_balancer", "API gateway"), "api": ("service", "Payments API")},
         [("c", "gw", ""), ("gw", "api", "")]),
        ({"db": ("database", "Payments DB")}, [("api", "db", "writes")]),
        ({"k": ("cache", "Idempotency keys")}, [("api", "k", "")]),
        ({"q": ("queue", "Webhook queue"), "wh": ("service", "Webhook sender"),
          "ext": ("external", "Merchant endpoint")}, [("api", "q", "async"), ("q", "wh", ""), ("wh", "ext", "")]),
    ],
}
CONTRADICTIONS: dict[str, tuple[int, str]] = {
    "system_design": (3, "Reads always check the cache first: the cache sits in front of the database, so the app "
                         "servers never read the database directly on the hot path."),
    "api_design": (3, "Every write goes through the queue, so the API answers fast and a slow database never "
                      "blocks the merchant."),
}


def drawing(round_id: str, i: int) -> dict[str, Any] | None:
    steps = _STEPS.get(round_id)
    if not steps:
        return None
    nodes: dict[str, tuple[str, str]] = {}
    arrows: list[tuple[str, str, str]] = []
    for added, links in steps[: i + 1]:
        nodes.update(added)
        arrows += links
    return {
        "nodes": [{"id": nid, "kind": kind, "label": label, "x": 200.0 * (n % 4), "y": 120.0 * (n // 4)}
                  for n, (nid, (kind, label)) in enumerate(nodes.items())],
        "edges": [{"id": f"e{n}", "from": a, "to": b, "label": label} for n, (a, b, label) in enumerate(arrows)],
        "notes": [],
    }


def says(round_id: str, i: int) -> str | None:
    """The contradicting line when answer i is it, else None."""
    at = CONTRADICTIONS.get(round_id)
    return at[1] if at is not None and at[0] == i else None
