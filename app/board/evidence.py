"""The board as evidence for the scorecard: each component and arrow is a quotable fact with the time it
was first drawn, listed under the dimensions the round's board data says a drawing evidences
(prompts/boards/<round>.yaml `evidence:`); the gaps still open at the end go under "missing".

It adds evidence; it does not change a score (the scorers score what was said: a drawing is shown beside it).
"""

from __future__ import annotations

from pydantic import BaseModel, ValidationError

from app.board.graph import KINDS, Graph
from app.board.reading import gaps
from app.board.store import Snapshot
from app.catalog import Round

MAX_FACTS = 12  # per dimension


class DrawnFact(BaseModel):
    text: str  # "Redis (cache)" or "API → Orders DB (writes)"
    version: int  # the first version that had it
    at_ms: int  # when that version was saved, in interview time


def _graph(snap: Snapshot) -> Graph | None:
    try:
        return Graph.model_validate(snap.graph)
    except ValidationError:
        return None


def drawn_facts(versions: list[Snapshot]) -> tuple[list[tuple[str, DrawnFact]], Graph | None]:
    """(kind, fact) for every component and arrow in the last version, each with its first appearance."""
    first: dict[str, DrawnFact] = {}
    last: Graph | None = None
    for snap in versions:
        graph = _graph(snap)
        if graph is None:
            continue
        last = graph
        for text in _facts(graph):
            first.setdefault(text[1], DrawnFact(text=text[1], version=snap.version, at_ms=snap.at_ms))
    if last is None:
        return [], None
    return [(kind, first[text]) for kind, text in _facts(last)], last


def _facts(graph: Graph) -> list[tuple[str, str]]:
    out = [(n.kind, f"{n.label} ({KINDS[n.kind]})") for n in graph.nodes]
    for e in graph.edges:
        a, b = graph.node(e.source), graph.node(e.target)
        if a is not None and b is not None:
            out.append((b.kind, f"{a.label} → {b.label}" + (f" ({e.label})" if e.label else "")))
    return out


def board_evidence(rnd: Round, versions: list[Snapshot], question_ids: list[str]) -> dict[str, dict]:
    """dimension -> {"drawn": [DrawnFact...], "missing": [sentence...]} for the round's evidenced dimensions."""
    facts, last = drawn_facts(versions)
    if last is None or not rnd.board.evidence:
        return {}
    out: dict[str, dict] = {}
    for dim in rnd.board.evidence:
        kinds = set(rnd.board.dimensions.get(dim, []))
        drawn = [f for kind, f in facts if kind in kinds][:MAX_FACTS]
        missing = [g.ask for qid in question_ids for g in gaps(last, rnd.board.needs(qid))
                   if g.dimension == dim]
        if drawn or missing:
            out[dim] = {"drawn": drawn, "missing": missing}
    return out


def attach(doc, rnd: Round, versions: list[Snapshot], question_ids: list[str]):
    """The scorecard with each evidenced dimension's drawing (`drawn`) and open gaps (`drawn_gaps`)."""
    found = board_evidence(rnd, versions, question_ids)
    if not found:
        return doc
    dims = [d.model_copy(update={"drawn": [f.model_dump() for f in found[d.key]["drawn"]],
                                 "drawn_gaps": found[d.key]["missing"]}) if d.key in found else d
            for d in doc.dimensions]
    return doc.model_copy(update={"dimensions": dims})


def question_ids(turns) -> list[str]:
    """The main questions put in the interview, in order (from the interviewer turns' meta)."""
    seen: dict[str, None] = {}
    for t in turns:
        qid = (t.meta or {}).get("question_id")
        if qid and not t.is_candidate:
            seen.setdefault(qid, None)
    return list(seen)
