"""A deep round's walk: one problem through the rubric's phases, with the phase prompts of round_plan.

After each answer the walk stays in the phase it speaks in while the phase has something worth asking and
the pace (answers given, the clock: timekeeping.current_phase) allows; when the pace has moved on, or the
phase has nothing left, it steps into the next phase (one at a time, so no phase of the problem is
skipped) and announces it. Within a phase it asks the prompt whose answer-key points are most missing
(gaps.py), never one whose points the candidate has already made. Only when every phase of the problem
is exhausted early does a second problem come (planner.next_question).

Prompts are tagged like probes: "<question_id>:<probe index>" for a probe of the question,
"<question_id>:<phase>.<n>" for the question's own phase prompts, "<question_id>:round.<phase>.<n>" for
the round's follow-ups that suit any problem. `resolve()` reads any tag back.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.catalog import Phase, Question, Round
from app.interviewer import gaps
from app.interviewer import timekeeping as T
from app.interviewer.moves import Move, MoveKind
from app.interviewer.phrases import compose
from app.interviewer.state import InterviewState


@dataclass(frozen=True)
class Ask:
    tag: str
    phase: str | None  # None: a series round's probe (no phase of its own)
    text: str
    hint: str
    dimension: str
    points: tuple[str, ...] = ()
    twist: bool = False


def main_phases(rnd: Round) -> list[Phase]:
    return [p for p in rnd.rubric.phases[1:] if not T.is_questions_phase(p)]


def has_plan(rnd: Round, q: Question) -> bool:
    return rnd.deep and rnd.plan is not None and q.id in rnd.plan.questions


_CACHE: dict[tuple[int, str], tuple[Ask, ...]] = {}


def _asks(rnd: Round, qid: str) -> tuple[Ask, ...]:
    key = (id(rnd), qid)
    if key not in _CACHE:
        _CACHE[key] = _build(rnd, qid)
    return _CACHE[key]


def _build(rnd: Round, qid: str) -> tuple[Ask, ...]:
    q = next(x for x in rnd.prompt.questions if x.id == qid)
    out: list[Ask] = []
    own = rnd.plan.questions.get(qid, {}) if rnd.plan else {}
    shared = rnd.plan.phases if rnd.plan else {}
    for phase in main_phases(rnd):
        for source, prompts in (("", own.get(phase.key, [])), ("round.", shared.get(phase.key, []))):
            for n, p in enumerate(prompts):
                if p.probe is not None:
                    probe = q.probes[p.probe]
                    out.append(Ask(f"{qid}:{p.probe}", phase.key, probe.text, p.hint or probe.hint,
                                   p.dimension or probe.dimension, tuple(p.points), p.twist))
                else:
                    out.append(Ask(f"{qid}:{source}{phase.key}.{n}", phase.key, p.ask, p.hint or q.hint,
                                   p.dimension, tuple(p.points), p.twist))
    return tuple(out)


def asks(rnd: Round, q: Question) -> tuple[Ask, ...]:
    """The problem's prompts in phase order (its own, then the round's), empty without a plan."""
    return _asks(rnd, q.id) if has_plan(rnd, q) else ()


def resolve(rnd: Round, q: Question, tag: str | None) -> Ask | None:
    """What a tag asked: a probe, or a phase prompt of the problem."""
    if not tag or not tag.startswith(f"{q.id}:"):
        return None
    planned = next((a for a in asks(rnd, q) if a.tag == tag), None)
    rest = tag[len(q.id) + 1:]
    if planned is None and rest.isdigit() and int(rest) < len(q.probes):
        probe = q.probes[int(rest)]
        return Ask(tag, None, probe.text, probe.hint, probe.dimension)
    return planned


def _open_asks(state: InterviewState, rnd: Round, q: Question, phase: str) -> list[Ask]:
    """The phase's prompts not yet asked and not already answered (all their key points made, or its words
    already in one sentence of the answers)."""
    status = state.question_points
    out = []
    for a in asks(rnd, q):
        if a.phase != phase or a.tag in state.asked_probes:
            continue
        if a.points and all(status.get(p) == gaps.ESTABLISHED for p in a.points) \
                or gaps.said_already(state, q, a.text):
            continue
        out.append(a)
    return out


def _best(state: InterviewState, rnd: Round, q: Question, options: list[Ask]) -> Ask:
    """The prompt seeking the most important gap: missing or contradicted key points first (by weight),
    then a dimension the problem has not evidenced yet, then the data's order."""
    weights = gaps.point_weights(rnd, q)

    def need(a: Ask) -> tuple[float, int, int]:
        targets = a.points or gaps.points_of(rnd, q, a.dimension)
        gap = sum(weights.get(p, 1.0) * gaps.need(state.question_points.get(p)) for p in targets)
        if not targets:
            gap = 1.0
        covered = len(state.question_coverage.get(a.dimension, ())) >= 2
        return (-gap / max(1, len(targets)) if a.points else -min(gap, 3.0) / 3, covered, options.index(a))

    return min(options, key=need)


def _target_index(state: InterviewState, rnd: Round, mains: list[Phase]) -> int:
    now = T.current_phase(rnd, state.elapsed_s, state.progress)
    if now in mains:
        return mains.index(now)
    return 0 if now.key == rnd.rubric.phases[0].key else len(mains) - 1


def next_ask(state: InterviewState, rnd: Round, q: Question, leave_phase: bool = False) -> Ask | None:
    """The walk's next prompt, or None when the problem is exhausted."""
    mains = main_phases(rnd)
    keys = [p.key for p in mains]
    cur = keys.index(state.phase) if state.phase in keys else -1
    target = _target_index(state, rnd, mains)
    start = 0 if cur < 0 else (cur + 1 if target > cur or leave_phase else cur)
    for phase in keys[start:]:
        options = _open_asks(state, rnd, q, phase)
        if options:
            return _best(state, rnd, q, options)
    return None


def ask_move(state: InterviewState, rnd: Round, q: Question, ask: Ask, lead: str, announce: str) -> Move:
    """The prompt as a move; entering its phase is announced (leaving the intro needs no announcement)."""
    entering = ask.phase != state.phase
    first = state.phase not in {p.key for p in main_phases(rnd)}
    said = compose(lead, announce) if entering and not first else lead
    return Move(MoveKind.PROBE, compose(lead, announce, ask.text, optional=(0,)) if entering and not first
                else compose(lead, ask.text, optional=(0,)), lead=said, prompt=ask.text,
                question_id=q.id, dimension=ask.dimension, tag=ask.tag, phase=ask.phase,
                transition=ask.phase if entering and not first else None,
                extra={"points": list(ask.points), **({"twist": True} if ask.twist else {}),
                       **({"announce": announce} if entering and not first else {})})
