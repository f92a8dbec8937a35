"""The moves both the planner (planner.py) and the replies to an answer (answers.py) build, and what they are
built from: the question in play, the next main question, the next probe, the phase now.

Selection: the next main question is the one best suited to the level, then the one whose probes reach most
dimensions not yet probed; a probe is never asked twice nor asked for what the candidate already said.
"""

from __future__ import annotations

from app.catalog import LEVELS, Question, Round
from app.interviewer import gaps
from app.interviewer import phrases as P
from app.interviewer import timekeeping as T
from app.interviewer.moves import Move, MoveKind
from app.interviewer.state import InterviewState

COVERED = 2  # signals heard for a dimension during a question before we stop probing it
MAX_SPECIFICS_PER_QUESTION = 4


def ordered_questions(rnd: Round, level: str) -> list[Question]:
    """The level's questions, best suited first: those centred on the level (e.g. [senior, staff] for a
    staff candidate before [mid, senior, staff]), bank order otherwise."""
    return sorted(rnd.questions_for(level), key=lambda q: _level_distance(q, level))


def current_question(state: InterviewState, rnd: Round) -> Question | None:
    for q in rnd.prompt.questions:
        if q.id == state.question_id:
            return q
    return None


def phase_now(state: InterviewState, rnd: Round):
    return T.current_phase(rnd, state.elapsed_s, state.progress)


def in_wrap_up(state: InterviewState, rnd: Round) -> bool:
    return T.in_wrap_up(rnd, state.elapsed_s, state.progress)


def next_unasked(state: InterviewState, rnd: Round, prefer: list[str] = ()) -> Question | None:
    """The next main question: best suited to the level, then the one whose probes reach most dimensions
    not yet probed (coverage across the interview), then one that probes the phase's dimensions."""
    options = [q for q in ordered_questions(rnd, state.level) if q.id not in state.asked_questions]
    if rnd.deep and rnd.plan is not None:  # a deep round's problems are those with phase prompts
        options = [q for q in options if q.id in rnd.plan.questions]
    if not options:
        return None
    best = min(abs(_level_distance(q, state.level)) for q in options)
    near = [q for q in options if _level_distance(q, state.level) <= best + 0.5]
    probed = set(state.probed) | {d for d, s in state.coverage.items() if len(s) >= COVERED}

    def key(q: Question) -> tuple[int, int]:
        dims = {p.dimension for p in q.probes}
        return (-len(dims - probed), -len(dims & set(prefer)))

    return min(near, key=key)  # min keeps bank order among equals


def _level_distance(q: Question, level: str) -> float:
    target = LEVELS.index(level) if level in LEVELS else 0
    idx = [LEVELS.index(lvl) for lvl in q.levels]
    return abs(sum(idx) / len(idx) - target)


def _points_made(state: InterviewState, rnd: Round | None, q: Question, dimension: str, text: str = "") -> bool:
    """Every answer-key point of `dimension` for this question already made, or every point the follow-up
    `text` asks for: nothing left to ask there (never ask for what the candidate just said)."""
    if rnd is None:
        return False
    made = [gaps.points_of(rnd, q, dimension), gaps.probe_points(rnd, q, text, dimension) if text else []]
    return any(ids and all(state.question_points.get(p) == gaps.ESTABLISHED for p in ids) for ids in made)


def probe_for(state: InterviewState, q: Question, prefer: list[str], rnd: Round | None = None
              ) -> tuple[int, str] | None:
    """An unasked probe of `q` on a dimension not yet covered: dimensions not yet probed in this interview
    first (coverage), then the phase's dimensions, then bank order."""
    options = [(i, p) for i, p in enumerate(q.probes)
               if f"{q.id}:{i}" not in state.asked_probes
               and len(state.question_coverage.get(p.dimension, ())) < COVERED
               and not _points_made(state, rnd, q, p.dimension, p.text) and not gaps.said_already(state, q, p.text)]
    if not options:
        return None
    probed = set(state.probed)
    i, p = min(options, key=lambda o: (o[1].dimension in probed, o[1].dimension not in prefer, o[0]))
    return i, p.dimension


def close(text: str, lead: str = "", **kw) -> Move:
    return Move(MoveKind.CLOSE, P.compose(lead, text), lead=lead, **kw)


def wrap_up(state: InterviewState, lead: str, early: bool = False, rnd: Round | None = None, **kw) -> Move:
    """ "Any questions for me?" — early (out of questions, or every phase done well before time) or on time."""
    if rnd is not None and T.remaining_s(rnd, state.elapsed_s) > T.WRAP_UP_S + 120:
        early = True
    ask = P.WRAP_UP_EARLY if early else P.pick(P.WRAP_UP_ASK, state.interviewer_turns)
    return Move(MoveKind.WRAP_UP_QUESTIONS, P.compose(lead, ask, optional=(0,)), lead=lead, prompt=ask,
                question_id=state.question_id, **kw)


def next_question(state: InterviewState, rnd: Round, lead: str, transition: str | None = None,
                  prefer: list[str] = (), **kw) -> Move:
    q = next_unasked(state, rnd, prefer)
    if q is None:
        return wrap_up(state, "", early=True, **kw)
    return Move(MoveKind.NEXT_QUESTION, P.compose(lead, q.text, optional=(0,)), lead=lead, prompt=q.text,
                question_id=q.id, new_question=True, transition=transition, **kw)


def probe_move(q: Question, probe: tuple[int, str], lead: str, transition: str | None = None, **kw) -> Move:
    index, dim = probe
    text = q.probes[index].text
    return Move(MoveKind.PROBE, P.compose(lead, text, optional=(0,)), lead=lead, prompt=text, question_id=q.id,
                dimension=dim, tag=f"{q.id}:{index}", transition=transition,
                extra={"announce": lead} if transition else {}, **kw)


def repeat(state: InterviewState, **kw) -> Move:
    lead = P.pick(P.REPEAT_INTRO, state.interviewer_turns)
    prompt = state.last_prompt or "Could you tell me a bit more about that?"
    return Move(MoveKind.REPEAT, P.compose(lead, prompt, optional=(0,)), lead=lead, prompt=prompt,
                question_id=state.question_id, **kw)
