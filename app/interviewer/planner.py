"""The interviewer's next move, decided from the state, the rubric and the clock. Deterministic.

Both brains use it: the offline brain speaks `move.text`; the LLM brain phrases the same move in its own
words (and falls back to `move.text`). So the structure of the interview — which question, which probe,
when to hint, when to wrap up — is always the same rubric-driven, time-kept plan, whichever brain talks.

`plan(state, rnd)` only reads; `apply(state, move)` records the move in the state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.catalog import Question, Round
from app.interviewer import phrases as P
from app.interviewer import timekeeping as T
from app.interviewer.intents import is_clarifying_question, is_no_questions, is_vague, specificity
from app.interviewer.state import InterviewState

COVERED = 2  # signals heard for a dimension during a question before we stop probing it
MAX_SPECIFICS_PER_QUESTION = 2
NUDGE_S = 20.0  # silence before a nudge
THINK_S = 45.0  # ... after the candidate asked for time
WRAP_SILENCE_S = 12.0  # silence after "any questions for me?" before we close
MAX_NUDGES = 2  # then move on to another question


@dataclass
class Move:
    kind: str  # open resume probe specifics next_question hint encourage repeat think_ack nudge clarify
    #            wrap_up_questions answer_question close none
    text: str  # the full offline utterance
    lead: str = ""  # the part before the question (acknowledgement, transition, hint intro)
    prompt: str = ""  # the question put to the candidate (what "repeat" repeats)
    question_id: str | None = None
    dimension: str | None = None
    new_question: bool = False
    tag: str | None = None  # a key recorded in asked_probes (probe or specifics wording)
    hint_used: bool = False
    transition: str | None = None  # phase key announced by this move
    extra: dict[str, Any] = field(default_factory=dict)

    def meta(self, phase: str) -> dict[str, Any]:
        return {"move": self.kind, "question_id": self.question_id, "dimension": self.dimension,
                "fallback": False, "hint_used": self.hint_used, "phase": phase,
                "transition": self.transition, **self.extra}


def ordered_questions(rnd: Round, level: str) -> list[Question]:
    """The level's questions, best suited first: those centred on the level (e.g. [senior, staff] for a
    staff candidate before [mid, senior, staff]), bank order otherwise."""
    from app.catalog import LEVELS

    target = LEVELS.index(level) if level in LEVELS else 0

    def distance(q: Question) -> float:
        idx = [LEVELS.index(lvl) for lvl in q.levels]
        return abs(sum(idx) / len(idx) - target)

    return sorted(rnd.questions_for(level), key=distance)


def current_question(state: InterviewState, rnd: Round) -> Question | None:
    for q in rnd.prompt.questions:
        if q.id == state.question_id:
            return q
    return None


def _next_unasked(state: InterviewState, rnd: Round) -> Question | None:
    return next((q for q in ordered_questions(rnd, state.level) if q.id not in state.asked_questions), None)


def _probe(state: InterviewState, q: Question, prefer: list[str]) -> tuple[int, str] | None:
    options = [(i, p) for i, p in enumerate(q.probes)
               if f"{q.id}:{i}" not in state.asked_probes
               and len(state.question_coverage.get(p.dimension, ())) < COVERED]
    best = [o for o in options if o[1].dimension in prefer] or options
    return (best[0][0], best[0][1].dimension) if best else None


def silence_due(state: InterviewState, rnd: Round, silence_s: float) -> bool:
    """Should the interviewer say something after `silence_s` seconds of nobody speaking?

    The quiet time is also bounded by the connected time since the last turn, so it works whether or
    not the caller restarts its silence count when the interviewer speaks."""
    if state.finished or state.interviewer_turns == 0:
        return False
    if T.remaining_s(rnd, state.elapsed_s) <= 0:
        return True
    since_last_turn = state.elapsed_s - (state.history[-1].elapsed_s if state.history else 0.0)
    quiet = min(silence_s, since_last_turn)
    if state.wrap_up == "asked":
        return quiet >= WRAP_SILENCE_S
    if T.in_wrap_up(rnd, state.elapsed_s):
        return quiet >= NUDGE_S / 2
    return quiet >= (THINK_S if state.waiting else NUDGE_S)


def plan(state: InterviewState, rnd: Round) -> Move:
    event = state.event
    if state.finished or event is None:
        return Move("none", "")
    if event.kind == "open" or (event.kind == "resume" and not state.history):
        return _open(state, rnd)
    if event.kind == "resume":
        return _resume(state)
    if T.remaining_s(rnd, state.elapsed_s) <= 0:
        return _close(P.CLOSE_OUT_OF_TIME if state.wrap_up == "none" else P.CLOSE)
    if event.kind == "silence":
        return _on_silence(state, rnd)
    if state.wrap_up == "asked":
        return _in_wrap_up(state, rnd, event.text, event.intent)
    return _on_answer(state, rnd, event.intent, event.text, event.typed)


def _open(state: InterviewState, rnd: Round) -> Move:
    intro = P.OPENING.format(title=rnd.rubric.title, minutes=round(rnd.rubric.duration_minutes))
    q = _next_unasked(state, rnd)
    if q is None:  # cannot happen with a validated catalog (every level has questions)
        return Move("wrap_up_questions", f"{intro} {P.WRAP_UP_EARLY}", lead=intro, prompt=P.WRAP_UP_EARLY)
    return Move("open", P.compose(intro, q.text), lead=intro, prompt=q.text, question_id=q.id,
                new_question=True)


def _resume(state: InterviewState) -> Move:
    prompt = state.last_prompt if state.wrap_up == "none" else "Do you have any questions for me?"
    return Move("resume", P.compose(P.RESUME, prompt), lead=P.RESUME, prompt=prompt,
                question_id=state.question_id)


def _close(text: str, lead: str = "") -> Move:
    return Move("close", P.compose(lead, text), lead=lead)


def _wrap_up(state: InterviewState, lead: str, early: bool = False) -> Move:
    ask = P.WRAP_UP_EARLY if early else P.pick(P.WRAP_UP_ASK, state.interviewer_turns)
    return Move("wrap_up_questions", P.compose(lead, ask, optional=(0,)), lead=lead, prompt=ask,
                question_id=state.question_id)


def _next_question(state: InterviewState, rnd: Round, lead: str, transition: str | None = None) -> Move:
    q = _next_unasked(state, rnd)
    if q is None:
        return _wrap_up(state, "", early=True)
    return Move("next_question", P.compose(lead, q.text, optional=(0,)), lead=lead, prompt=q.text,
                question_id=q.id, new_question=True, transition=transition)


def _on_silence(state: InterviewState, rnd: Round) -> Move:
    if state.wrap_up == "asked":
        return _close(P.CLOSE)
    if T.in_wrap_up(rnd, state.elapsed_s):
        return _wrap_up(state, "")
    if state.nudges >= MAX_NUDGES:
        return _next_question(state, rnd, P.pick(P.MOVE_ON, state.interviewer_turns))
    text = P.pick(P.NUDGES, state.nudges)
    return Move("nudge", text, question_id=state.question_id)


def _in_wrap_up(state: InterviewState, rnd: Round, text: str, intent: str | None) -> Move:
    if intent in ("end", "done", "dont_know") or is_no_questions(text):
        return _close(P.CLOSE)
    if intent == "repeat":
        return _repeat(state)
    answer = P.answer_candidate_question(text)
    if state.candidate_questions + 1 >= 2 or T.remaining_s(rnd, state.elapsed_s) <= T.CLOSE_S:
        return Move("close", P.compose(answer, P.CLOSE), lead=answer, extra={"answered_question": True})
    more = P.pick(P.ANY_MORE, state.candidate_questions)
    return Move("answer_question", P.compose(answer, more), lead=answer, prompt=more)


def _repeat(state: InterviewState) -> Move:
    lead = P.pick(P.REPEAT_INTRO, state.interviewer_turns)
    prompt = state.last_prompt or "Could you tell me a bit more about that?"
    return Move("repeat", P.compose(lead, prompt, optional=(0,)), lead=lead, prompt=prompt,
                question_id=state.question_id)


def _on_answer(state: InterviewState, rnd: Round, intent: str | None, text: str, typed: bool) -> Move:
    seed = state.interviewer_turns
    ack = P.pick(P.ACKS, seed)
    q = current_question(state, rnd)
    if intent == "repeat":
        return _repeat(state)
    if intent == "end":
        return _wrap_up(state, "Sure, we can stop here.")
    if T.in_wrap_up(rnd, state.elapsed_s):
        return _wrap_up(state, ack)
    if intent == "think":
        return Move("think_ack", P.pick(P.THINK_ACKS, seed), question_id=state.question_id)
    if intent in ("hint", "dont_know"):
        if q is not None and q.id not in state.hints_used:
            lead = P.pick(P.HINT_INTRO if intent == "hint" else P.DONT_KNOW, seed)
            return Move("hint", P.compose(lead, q.hint, optional=(0,)), lead=lead, question_id=q.id,
                        hint_used=True)
        if intent == "hint":
            return Move("encourage", P.pick(P.HINT_USED, seed), question_id=state.question_id)
        return _other_probe_or_next(state, rnd, q, P.pick(P.MOVE_ON, seed))
    if intent == "done" or q is None:
        return _next_question(state, rnd, ack)
    if intent is None and not typed and is_clarifying_question(text) and state.last_move != "clarify":
        return Move("clarify", P.pick(P.CLARIFY, state.candidate_turns), question_id=q.id)

    phase = T.phase_at(rnd, state.elapsed_s)
    transition = phase.key if phase.key != state.phase else None
    lead = ack
    prefer: list[str] = []
    if transition:
        prefer = T.phase_dimensions(rnd).get(phase.key, [])
        if state.phase == rnd.rubric.phases[0].key:
            transition = None  # leaving the intro: the first question is already in play, no announcement
        else:
            lead = P.TRANSITION.format(minutes=T.minutes_phrase(state.elapsed_s),
                                       phase=P.phase_label(phase.name))
    spent = state.elapsed_s - state.question_started_s
    budget = T.question_budget_s(rnd)
    probe = _probe(state, q, prefer)
    before_wrap_up = T.remaining_s(rnd, state.elapsed_s) - T.WRAP_UP_S
    if probe is not None and before_wrap_up < T.MIN_QUESTION_S / 2:
        spent = 0.0  # too little time for a new question: keep probing the one in play
    if spent >= budget or (transition and not prefer and spent >= budget / 2):
        return _next_question(state, rnd, lead, transition)

    if not typed and state.last_move != "specifics" and state.question_specifics < MAX_SPECIFICS_PER_QUESTION:
        if is_vague(text):
            missing = [k for k, ok in specificity(text).items() if not ok] or ["example"]
            move = _specifics(state, rnd, lead, missing, transition)
            if move is not None:
                return move
    if probe is None:
        return _next_question(state, rnd, lead, transition)
    return _probe_move(q, probe, lead, transition)


def _probe_move(q: Question, probe: tuple[int, str], lead: str, transition: str | None = None) -> Move:
    index, dim = probe
    text = q.probes[index].text
    return Move("probe", P.compose(lead, text, optional=(0,)), lead=lead, prompt=text, question_id=q.id,
                dimension=dim, tag=f"{q.id}:{index}", transition=transition)


def _other_probe_or_next(state: InterviewState, rnd: Round, q: Question | None, lead: str) -> Move:
    """The candidate is stuck even with the hint: another angle on the same question, else the next one."""
    probe = _probe(state, q, []) if q is not None else None
    if q is None or probe is None:
        return _next_question(state, rnd, lead)
    return _probe_move(q, probe, lead)


def _specifics(state: InterviewState, rnd: Round, lead: str, missing: list[str],
               transition: str | None) -> Move | None:
    kind = missing[state.specifics_asked % len(missing)]
    for i, line in enumerate(rnd.prompt.specifics.get(kind) or P.SPECIFICS[kind]):
        tag = f"specifics:{kind}:{i}"
        if tag not in state.asked_probes:
            return Move("specifics", P.compose(lead, line, optional=(0,)), lead=lead, prompt=line,
                        question_id=state.question_id, tag=tag, transition=transition,
                        extra={"missing": kind})
    return None


def apply(state: InterviewState, move: Move, rnd: Round) -> None:
    """Record a move (spoken by either brain) in the state."""
    if move.kind == "none":
        return
    state.last_move = move.kind
    if move.new_question and move.question_id:
        state.asked_questions.append(move.question_id)
        state.question_id = move.question_id
        state.question_started_s = state.elapsed_s
        state.question_coverage = {}
        state.question_specifics = 0
    if move.tag:
        state.asked_probes.append(move.tag)
    if move.kind == "specifics":
        state.specifics_asked += 1
        state.question_specifics += 1
    if move.hint_used and move.question_id:
        state.hints_used.append(move.question_id)
    if move.prompt and move.kind not in ("repeat", "resume"):
        state.last_prompt = move.prompt
    if move.kind not in ("nudge", "think_ack", "repeat", "resume"):
        state.phase = T.phase_at(rnd, state.elapsed_s).key
    state.waiting = move.kind == "think_ack" or (state.waiting and move.kind == "nudge")
    if move.kind == "nudge":
        state.nudges += 1
    if move.kind == "answer_question" or move.extra.get("answered_question"):
        state.candidate_questions += 1
    if move.kind == "wrap_up_questions":
        state.wrap_up = "asked"
    if move.kind == "close":
        state.wrap_up = "closed"
        state.finished = True
