"""The interviewer's moves about the board (planner side, both brains): raise a contradiction between
the drawing and the words, point at a gap the question's design needs, or anchor an ordinary follow-up on
a drawn component ("Looking at Redis on your diagram: ..."). Every label said is a drawn one; the move's
meta carries `board` (contradiction / gap / reference) and `board_refs` (the labels) for the harness and
the review.
"""

from __future__ import annotations

from pydantic import ValidationError

from app.board.graph import Graph
from app.board.reading import Finding, contradictions, gaps, point_at
from app.catalog import Question, Round
from app.interviewer import phrases as P
from app.interviewer.moves import Move, MoveKind
from app.interviewer.state import InterviewState

MAX_PER_QUESTION = 2  # gaps and "said but not drawn" raised while one main question is in play (a drawing
# that contradicts the words — an arrow that skips what was said to sit between — is always raised, once)
CONTRADICTION_LEADS = ["Let me check the board against that.", "One thing on your diagram.",
                       "Let me hold that against the board."]
GAP_LEADS = ["Looking at your diagram.", "On your board.", "Let me look at what you've drawn."]


def graph_of(state: InterviewState) -> Graph | None:
    """The board the reply is about (the event's), or None when nothing (valid) is drawn."""
    data = state.event.board if state.event is not None else None
    if not data:
        return None
    try:
        graph = Graph.model_validate(data)
    except ValidationError:
        return None
    return None if graph.empty else graph


def _tag(q: Question, finding: Finding) -> str:
    return f"board:{q.id}:{finding.rule}"


def _raised(state: InterviewState, q: Question) -> int:
    return sum(t.startswith(f"board:{q.id}:") for t in state.asked_probes)


def board_move(state: InterviewState, rnd: Round, q: Question, said: str) -> Move | None:
    """A contradiction (first) or a gap not yet raised for this question, as a follow-up; else None."""
    graph = graph_of(state)
    if graph is None:
        return None
    recent = " ".join(e.text for e in state.history if e.speaker == "candidate" and e.question_id == q.id)
    found = contradictions(graph, rnd.board, f"{recent} {said}")
    findings = [f for f in found if f.strong]
    if _raised(state, q) < MAX_PER_QUESTION:
        findings += [f for f in found if not f.strong] + gaps(graph, rnd.board.needs(q.id))
    finding = next((f for f in findings if _tag(q, f) not in state.asked_probes), None)
    if finding is None:
        return None
    leads = CONTRADICTION_LEADS if finding.kind == "contradiction" else GAP_LEADS
    lead = P.pick(leads, state.interviewer_turns)
    return Move(MoveKind.PROBE, P.compose(lead, finding.ask, optional=(0,)), lead=lead, prompt=finding.ask,
                question_id=q.id, dimension=finding.dimension, tag=_tag(q, finding),
                extra={"board": finding.kind, "board_refs": finding.labels})


def refer(move: Move, state: InterviewState, rnd: Round) -> Move:
    """An ordinary probe anchored on a drawn component of its dimension's kinds (unchanged without one)."""
    graph = graph_of(state)
    if graph is None or move.kind != MoveKind.PROBE or move.extra.get("board") or not move.prompt:
        return move
    if state.board_turn == state.interviewer_turns - 1:  # not every turn: the last one spoke about the board
        return move
    node = point_at(graph, rnd.board, move.dimension, state.interviewer_turns)
    if node is None:
        return move
    prompt = f"Looking at {node.label} on your diagram: {move.prompt[0].lower() + move.prompt[1:]}" \
        if move.prompt[1:2].islower() else f"Looking at {node.label} on your diagram: {move.prompt}"
    move.text = P.compose(move.lead, prompt, optional=(0,))
    move.prompt = prompt
    move.extra = {**move.extra, "board": "reference", "board_refs": [node.label]}
    return move
