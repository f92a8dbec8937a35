"""What the interviewer reads on the board: what the question's design needs and the drawing lacks
(gaps), what the candidate said that the drawing contradicts, a drawn component to point at, and a compact
text rendering for the LLM's prompt. Only drawn labels are ever put in a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from app.board.graph import KINDS, Graph, Node
from app.board.spec import BoardSpec, Claim, Need

NEGATORS = {"no", "not", "without", "never", "avoid", "skip", "don't", "dont", "won't", "wont", "instead"}
NEGATION_WINDOW = 4  # words before a phrase that can negate it ("we don't need a queue")
MAX_RENDER_NODES = 25


@dataclass(frozen=True)
class Finding:
    rule: str  # "need:<id>" or "claim:<id>"
    kind: Literal["gap", "contradiction"]
    ask: str  # the sentence to say, with drawn labels filled in
    labels: list[str] = field(default_factory=list)  # the drawn labels it names
    dimension: str | None = None
    strong: bool = False  # an arrow contradicts the words (not only something said and not drawn yet)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9/'-]+", text.lower())


def says(text: str, phrases: list[str]) -> bool:
    """One of `phrases` said and not negated just before it (lexical: meaning models ignore "not")."""
    words = _words(text)
    joined = " ".join(words)
    for phrase in phrases:
        target = " ".join(_words(phrase))
        for m in re.finditer(rf"(?<![a-z0-9]){re.escape(target)}(?![a-z0-9])", joined):
            before = joined[: m.start()].split()[-NEGATION_WINDOW:]
            if not NEGATORS.intersection(before):
                return True
    return False


def _edges(graph: Graph, src_kind: str, dst_kind: str) -> list[tuple[Node, Node]]:
    out = []
    for e in graph.edges:
        a, b = graph.node(e.source), graph.node(e.target)
        if a is not None and b is not None and a.kind == src_kind and b.kind == dst_kind:
            out.append((a, b))
    return out


def _through(graph: Graph, a: Node, b: Node, kind: str) -> bool:
    """Is there a path a -> X -> b (either direction of each arrow) via a node of `kind`?"""
    return any(graph.linked(a, x) and graph.linked(x, b) for x in graph.of_kind(kind))


def _bypass(graph: Graph, kind: str, between: tuple[str, str]) -> tuple[Node, Node] | None:
    return next(((a, b) for a, b in _edges(graph, *between) if not _through(graph, a, b, kind)), None)


def _fill(ask: str, a: Node | None, b: Node | None) -> tuple[str, list[str]]:
    labels = [n.label for n in (a, b) if n is not None]
    return ask.format(**{"from": a.label if a else "", "to": b.label if b else ""}), labels


def _unserved(graph: Graph, kind: str, between: tuple[str, str]) -> tuple[Node, Node] | None:
    """A direct arrow between[0] -> between[1] whose source is linked to no `kind` node at all."""
    return next(((a, b) for a, b in _edges(graph, *between)
                 if not any(graph.linked(a, x) for x in graph.of_kind(kind))), None)


def gaps(graph: Graph, needs: list[Need]) -> list[Finding]:
    out = []
    for need in needs:
        if need.between is not None:
            pair = _unserved(graph, need.kind, need.between)
            if pair is not None:
                ask, labels = _fill(need.ask, *pair)
                out.append(Finding(f"need:{need.id}", "gap", ask, labels, need.dimension))
        elif not graph.of_kind(need.kind) and graph.of_kind(need.at):
            ask, labels = _fill(need.ask, graph.of_kind(need.at)[0], None)
            out.append(Finding(f"need:{need.id}", "gap", ask, labels, need.dimension))
    return out


def contradictions(graph: Graph, spec: BoardSpec, said: str) -> list[Finding]:
    out = []
    for claim in spec.claims:
        if not says(said, claim.said):
            continue
        found = _contradicted(graph, claim)
        if found is not None:
            ask, labels = _fill(claim.ask, *found)
            dim = claim.dimension or spec.dimension_for(claim.kind)
            out.append(Finding(f"claim:{claim.id}", "contradiction", ask, labels, dim, claim.check == "bypass"))
    return out


def _contradicted(graph: Graph, claim: Claim) -> tuple[Node, Node | None] | None:
    if claim.check == "bypass":
        return _bypass(graph, claim.kind, claim.between)
    if not graph.of_kind(claim.kind) and graph.of_kind(claim.at):
        return graph.of_kind(claim.at)[0], None
    return None


def point_at(graph: Graph, spec: BoardSpec, dimension: str | None, seed: int) -> Node | None:
    """A drawn component a follow-up on `dimension` can point at (the dimension's kinds, in their order)."""
    for kind in spec.dimensions.get(dimension or "", []):
        nodes = graph.of_kind(kind)
        if nodes:
            return nodes[seed % len(nodes)]
    return None


def describe(graph: Graph) -> str:
    """The board in a few lines, for the LLM's prompt (labels are data, like the candidate's words)."""
    if graph.empty:
        return ""
    nodes = graph.nodes[:MAX_RENDER_NODES]
    parts = ["Components: " + "; ".join(f"{n.label} ({KINDS[n.kind]})" for n in nodes)]
    arrows = []
    for e in graph.edges:
        a, b = graph.node(e.source), graph.node(e.target)
        if a in nodes and b in nodes:
            arrows.append(f"{a.label} → {b.label}" + (f" ({e.label})" if e.label else ""))
    if arrows:
        parts.append("Arrows: " + "; ".join(arrows))
    if graph.notes:
        parts.append("Notes: " + "; ".join(n.text for n in graph.notes[:5]))
    return "\n".join(parts)


def board_text(data: dict | None) -> str:
    """`describe` of a stored graph ("" for none or an unreadable one)."""
    if not data:
        return ""
    try:
        return describe(Graph.model_validate(data))
    except ValueError:
        return ""
