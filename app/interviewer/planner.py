"""The interviewer's next move, decided from the state, the rubric, the facts and the clock. Deterministic.

Both brains use it: the offline brain speaks `move.text`; the LLM brain phrases the same move in its own
words (and falls back to `move.text`). So the structure of the interview — which question, which probe,
when to hint, redirect or wrap up, which facts to give — is always the same plan, whichever brain talks.

`plan(state, rnd)` only reads; `apply(state, move)` records the move in the state. Replies to an answer
are decided in answers.py; the moves both build (next question, probe, wrap-up, repeat...) are in builders.py.

Pacing: the phase is the later of the phase by the clock and the phase by progress (answers given, see
timekeeping.answer_budget), so a fast typed candidate walks every phase and reaches the wrap-up while a
slow one is moved on by the clock. A phase is announced only together with a question of that phase.
"""

from __future__ import annotations

from app.catalog import Round
from app.interviewer import phrases as P
from app.interviewer import timekeeping as T
from app.interviewer.answers import move_on, on_answer
from app.interviewer.builders import close, current_question, in_wrap_up, next_unasked, phase_now, repeat, wrap_up
from app.interviewer.intents import asks_question, is_no_questions, is_yes
from app.interviewer.moves import Move, MoveKind
from app.interviewer.run_moves import check_in, on_run
from app.interviewer.state import InterviewState

NUDGE_S = 20.0  # silence before a nudge
THINK_S = 45.0  # ... after the candidate asked for time
WRAP_SILENCE_S = 12.0  # silence after "any questions for me?" before we close
MAX_NUDGES = 2  # then move on to another question

__all__ = ["Move", "MoveKind", "apply", "plan", "silence_due"]


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
    if in_wrap_up(state, rnd):
        return quiet >= NUDGE_S / 2
    return quiet >= (THINK_S if state.waiting else NUDGE_S)


def plan(state: InterviewState, rnd: Round) -> Move:
    event = state.event
    if state.finished or event is None:
        return Move(MoveKind.NONE, "")
    if event.kind == "open" or (event.kind == "resume" and not state.history):
        move = _open(state, rnd)
    elif event.kind == "resume":
        move = _resume(state)
    elif T.remaining_s(rnd, state.elapsed_s) <= 0:
        move = close(P.CLOSE_OUT_OF_TIME if state.wrap_up == "none" else P.CLOSE)
    elif event.kind == "silence":
        move = _on_silence(state, rnd)
    elif event.kind == "run":
        move = on_run(state, rnd, event.run or {})
    elif state.wrap_up == "asked":
        move = _in_wrap_up(state, rnd, event.text, event.intent)
    else:
        move = on_answer(state, rnd, event)
    if move.phase is None:
        move.phase = _phase_of(state, rnd, move)
    return move


def _phase_of(state: InterviewState, rnd: Round, move: Move) -> str:
    if move.kind == MoveKind.CLOSE:
        return rnd.rubric.phases[-1].key
    if move.kind.wrap_up:  # the candidate's questions (the close is the last phase's, above)
        return next(p.key for p in rnd.rubric.phases if T.is_questions_phase(p))
    if move.kind == MoveKind.OPEN:
        return rnd.rubric.phases[0].key
    return phase_now(state, rnd).key


def _open(state: InterviewState, rnd: Round) -> Move:
    intro = P.OPENING.format(title=rnd.rubric.title, minutes=round(rnd.rubric.duration_minutes))
    q = next_unasked(state, rnd)
    if q is None:  # cannot happen with a validated catalog (every level has questions)
        return Move(MoveKind.WRAP_UP_QUESTIONS, f"{intro} {P.WRAP_UP_EARLY}", lead=intro, prompt=P.WRAP_UP_EARLY)
    return Move(MoveKind.OPEN, P.compose(intro, q.text), lead=intro, prompt=q.text, question_id=q.id,
                new_question=True)


def _resume(state: InterviewState) -> Move:
    prompt = state.last_prompt if state.wrap_up == "none" else "Do you have any questions for me?"
    return Move(MoveKind.RESUME, P.compose(P.RESUME, prompt), lead=P.RESUME, prompt=prompt,
                question_id=state.question_id, phase=state.phase)


def _on_silence(state: InterviewState, rnd: Round) -> Move:
    if state.wrap_up == "asked":
        return close(P.CLOSE)
    if in_wrap_up(state, rnd):
        return wrap_up(state, "", rnd=rnd)
    if state.nudges >= MAX_NUDGES:
        return move_on(state, rnd, current_question(state, rnd), P.pick(P.MOVE_ON, state.interviewer_turns))
    text = check_in(state) or P.pick(P.NUDGES, state.nudges)
    return Move(MoveKind.NUDGE, text, question_id=state.question_id, phase=state.phase)


def _in_wrap_up(state: InterviewState, rnd: Round, text: str, intent: str | None) -> Move:
    if intent in ("end", "done", "dont_know") or is_no_questions(text):
        return close(P.CLOSE)
    if intent == "repeat":
        return repeat(state, answer_kind="repeat_request")
    if is_yes(text):
        return Move(MoveKind.ANSWER_QUESTION, P.GO_AHEAD, prompt=P.GO_AHEAD)
    if not asks_question(text):
        if state.last_move == MoveKind.WRAP_UP_QUESTIONS:  # still on the last question: ask again, once
            return Move(MoveKind.ANSWER_QUESTION, P.ASK_AGAIN, prompt=P.ASK_AGAIN)
        return close(P.CLOSE)
    answer = P.answer_candidate_question(text)
    if state.candidate_questions + 1 >= 2 or T.remaining_s(rnd, state.elapsed_s) <= T.CLOSE_S:
        return Move(MoveKind.CLOSE, P.compose(answer, P.CLOSE), lead=answer, extra={"answered_question": True})
    more = P.pick(P.ANY_MORE, state.candidate_questions)
    return Move(MoveKind.ANSWER_QUESTION, P.compose(answer, more), lead=answer, prompt=more)


def _enters_phase(move: Move, rnd: Round) -> bool:
    """Does this move take the interview into its phase? A probe about another phase's dimensions does
    not: the phase stays pending until a question of that phase comes (and announces it)."""
    if move.transition or move.kind.main_question or move.kind.wrap_up:
        return True
    if move.kind == MoveKind.PROBE and rnd.deep and move.phase:  # a deep round's walk (walk.py) sets the phase
        return True
    if move.kind == MoveKind.PROBE:
        dims = T.phase_dimensions(rnd).get(move.phase or "", [])
        return not dims or move.dimension in dims
    return False


def apply(state: InterviewState, move: Move, rnd: Round) -> None:
    """Record a move (spoken by either brain) in the state."""
    if move.kind == MoveKind.NONE:
        return
    state.last_move = move.kind.value
    if move.new_question and move.question_id:
        state.asked_questions.append(move.question_id)
        state.question_id = move.question_id
        state.question_started_s = state.elapsed_s
        state.question_coverage = {}
        state.question_specifics = 0
        state.question_answers = 0
        state.question_challenges = 0
        state.question_points = {}
        state.probe_in_play = None
    if move.tag:
        state.asked_probes.append(move.tag)
    if move.kind == MoveKind.PROBE:
        state.probe_in_play = move.tag
    if move.dimension and move.kind.probes_dimension and move.dimension not in state.probed:
        state.probed.append(move.dimension)
    if move.kind == MoveKind.CHALLENGE:
        state.challenged.append(move.extra["misconception_id"])
        state.question_challenges += 1
    if move.kind == MoveKind.SPECIFICS:
        state.specifics_asked += 1
        state.question_specifics += 1
    if move.hint_used and move.question_id:
        key = move.extra.get("hint_for") or move.question_id
        target = state.probe_hints if ":" in key else state.hints_used
        if key not in target:
            target.append(key)
    if move.kind.asks:
        state.redirects = 0
    if move.kind == MoveKind.REDIRECT:
        state.redirects += 1
    for fact_id in move.fact_ids:
        state.facts_given.append(fact_id)
    if move.extra.get("board"):
        state.board_turn = state.interviewer_turns
    if move.prompt and not move.kind.restates:
        state.last_prompt = move.prompt
        state.prompt_move = move.kind.value
    if rnd.deep and move.transition and move.transition != state.phase:
        state.question_specifics = 0  # a deep round's problem asks for specifics afresh in every phase
    if _enters_phase(move, rnd):
        state.phase = move.phase or T.phase_at(rnd, state.elapsed_s).key
    state.waiting = move.kind == MoveKind.THINK_ACK or (state.waiting and move.kind == MoveKind.NUDGE)
    if move.kind == MoveKind.NUDGE:
        state.nudges += 1
    if move.kind == MoveKind.RUN_RESULT and move.extra.get("run_asked"):
        state.run_asked.append(f"{state.question_id}:{move.extra['run_asked']}")
    if move.kind == MoveKind.ANSWER_QUESTION or move.extra.get("answered_question"):
        state.candidate_questions += 1
    if move.kind == MoveKind.WRAP_UP_QUESTIONS:
        state.wrap_up = "asked"
    if move.kind == MoveKind.CLOSE:
        state.wrap_up = "closed"
        state.finished = True
