"""The reply to a candidate's answer: the same decision whether the answer was typed or spoken.

In order: a request (repeat, stop, time to think, a hint / "I don't know" -> the hint of the probe in
play), then a clarifying question (answered from the facts, see facts.py), then an answer that misses
the question in play (redirect once by restating it, a second miss moves on; never "give me an example"
of a tangent), then a confident wrong claim (one of the rubric's misconceptions, heard by the hearing layer,
app.hearing: challenge it with its neutral test question, each claim once, at most
MAX_CHALLENGES_PER_QUESTION per main question; a claim only near a myth gets the same neutral test, a probe,
near_myths.py), then a vague answer (ask for specifics), then the plan:
the next probe or question, by coverage, phase and budget (progress and clock). `Move.answer_kind`
records what was noticed.
"""

from __future__ import annotations

import re
from itertools import zip_longest

from app.board import followup as board
from app.catalog import Fact, Question, Round
from app.hearing import claims as MC
from app.interviewer import anchor, walk
from app.interviewer import builders as B
from app.interviewer import facts as F
from app.interviewer import near_myths as NM
from app.interviewer import phrases as P
from app.interviewer import timekeeping as T
from app.interviewer.intents import is_clarifying_question, is_confused, is_vague, normalize, specificity
from app.interviewer.moves import Move, MoveKind
from app.interviewer.relevance import MIN_WORDS as OFF_MIN_WORDS
from app.interviewer.relevance import is_off_topic, overlap
from app.interviewer.state import Event, InterviewState
from app.interviewer.words import content_words

MAX_CHALLENGES_PER_QUESTION = 2  # then the interview moves on, whatever else the candidate gets wrong


def classify(state: InterviewState, rnd: Round, event: Event) -> str:
    """What the interviewer notices about an answer (Move.answer_kind)."""
    intent = event.intent
    if is_confused(event.text):  # "sorry, what do you mean?" asks what was meant, not for a repeat
        return "clarifying"
    if intent == "repeat":
        return "repeat_request"
    if intent == "think":
        return "think"
    if intent in ("hint", "dont_know"):
        return "dont_know"
    if intent in ("end", "done"):
        return "ok"
    if is_clarifying_question(event.text):
        return "clarifying"
    q = B.current_question(state, rnd)
    if is_off_topic(event.text, rnd, q, state.last_prompt, set(event.new_signals), story=_own_story(state)) \
            or _other_problem(event) or _about_nothing(event, rnd, q, state):
        return "off_topic"
    has_specifics = any(specificity(event.text).values())
    if is_vague(event.text) and not (event.new_signals and has_specifics):
        return "unspecific" if _substantive(event.text) else "vague"
    return "ok"


def _own_story(state: InterviewState, turns: int = 3) -> str:
    """The candidate's last few answers to the question in play before this one, those the interviewer took
    as answers (not followed by a redirect)."""
    earlier = state.history[:-1]  # the answer being classified is already in the history
    own = [e.text for e, nxt in zip_longest(earlier, earlier[1:])
           if e.speaker == "candidate" and e.question_id == state.question_id
           and (nxt is None or nxt.move != "redirect")]
    return " ".join(own[-turns:])


SUBSTANTIVE_WORDS = 12  # an answer this long with no specifics is "unspecific", not "vague"


def _substantive(text: str) -> bool:
    return len(content_words(text)) >= SUBSTANTIVE_WORDS


def _other_problem(event: Event) -> bool:
    """The answer is heard (by meaning) as an answer to another problem of the round (app.hearing.relevance:
    with enough words for a real answer, never a vague line)."""
    return bool(event.answers_other)


def _about_nothing(event: Event, rnd: Round, q: Question | None, state: InterviewState) -> bool:
    """Heard by meaning as about nothing in the round, and sharing at most one word with the question in play
    ("I'd rather talk about my weekend, I went hiking" shares "rather" with a probe's hint)."""
    if not event.about_nothing or q is None or event.new_signals or len(content_words(event.text)) < OFF_MIN_WORDS:
        return False
    return len(overlap(event.text, rnd, q, f"{state.last_prompt or ''} {_own_story(state)}")) <= 1


def on_answer(state: InterviewState, rnd: Round, event: Event) -> Move:
    kind = classify(state, rnd, event)
    move = board.refer(_decide(state, rnd, event, kind), state, rnd)  # a follow-up points at the board
    move.answer_kind = kind
    return move


def _decide(state: InterviewState, rnd: Round, event: Event, kind: str) -> Move:
    seed = state.interviewer_turns
    ack = P.pick(P.ACKS, seed)
    q = B.current_question(state, rnd)
    intent = event.intent
    if kind == "clarifying" and q is not None and is_confused(event.text) and not B.in_wrap_up(state, rnd):
        return clarify(state, rnd, q, event.text)
    if intent == "repeat":
        return B.repeat(state)
    if intent == "end":
        return B.wrap_up(state, "Sure, we can stop here.")
    if B.in_wrap_up(state, rnd):
        # a clarifying question when only the answers (not the clock) say "wrap up" still gets its answer
        if kind == "clarifying" and q is not None and T.remaining_s(rnd, state.elapsed_s) > T.WRAP_UP_S:
            return clarify(state, rnd, q, event.text)
        return B.wrap_up(state, ack, rnd=rnd)
    if intent == "think":
        return Move(MoveKind.THINK_ACK, P.pick(P.THINK_ACKS, seed), question_id=state.question_id,
                    phase=state.phase)
    if intent in ("hint", "dont_know"):
        return _hint(state, rnd, q, intent)
    if q is None:
        return B.next_question(state, rnd, ack)
    if intent == "done":
        return move_on(state, rnd, q, ack, leave_phase=True)
    if kind == "clarifying":
        return clarify(state, rnd, q, event.text)
    if kind == "off_topic" and event.answers_other:  # heard by meaning only: a drawing that contradicts the
        drawn = board.board_move(state, rnd, q, event.text)  # words is the more concrete thing to raise
        if drawn is not None and drawn.extra.get("board") == "contradiction":
            return drawn
    if kind == "off_topic":
        if state.redirects == 0:
            return _redirect(state, rnd, q)
        return _other_probe_or_next(state, rnd, q, P.pick(P.MOVE_ON, seed))
    challenge = _challenge(state, rnd, q, event)  # kind is ok or vague here: an answer to the question
    if challenge is not None:
        return challenge
    drawn = board.board_move(state, rnd, q, event.text)  # the board contradicts the words, or lacks a part
    if drawn is not None:
        return drawn
    if kind in ("vague", "unspecific") and state.last_move != MoveKind.SPECIFICS \
            and state.question_specifics < B.MAX_SPECIFICS_PER_QUESTION:
        missing = [k for k, ok in specificity(event.text).items() if not ok] or ["example"]
        pressed = _press(state, rnd, q) if kind == "vague" else None  # an answer with substance but no number
        # or example is not asked the same thing again: it is asked for the specifics it lacks
        move = pressed or _specifics(state, rnd, (kind != "vague" and _echo(state, q, event, 1)) or ack, missing)
        if move is not None:
            return move
    # a vague answer is not said back ("So you'd use the database somehow." sounds like an answer taken)
    return _advance(state, rnd, q, ack, _echo(state, q, event) if kind != "vague" else None)


def _echo(state: InterviewState, q: Question, event: Event, min_score: int = anchor.MIN_SCORE) -> str | None:
    """A follow-up's lead from the candidate's own words, avoiding what the question and the
    interviewer's recent turns already said (a repeated answer is not echoed twice) and any part of the
    answer near a myth (said back, it would sound agreed: near_myths.py)."""
    said = " ".join(e.text for e in state.history[-anchor.RECENT_TURNS:] if e.speaker == "interviewer")
    return anchor.echo_lead(NM.sayable(event.text, event), f"{q.text} {state.last_prompt or ''} {said}",
                            state.interviewer_turns, min_score, event.unsure)


def _challenge(state: InterviewState, rnd: Round, q: Question, event: Event) -> Move | None:
    """Put the first wrong claim of the answer not yet challenged to its test question (rubric
    `misconceptions[].challenge`), after a neutral lead: no verdict and no correction, the candidate
    finds the flaw or does not. It probes the claim's dimension."""
    if state.question_challenges >= MAX_CHALLENGES_PER_QUESTION:
        return None
    by_id = {m.id: m for m in rnd.rubric.misconceptions}
    said = [*((m.id, "form") for m in MC.stated(event.text, rnd)), *((i, "meaning") for i in event.myths),
            *((i, "near") for i in NM.probed(event))]  # forms, then meaning, then near (a neutral probe)
    mid, heard = next(((i, how) for i, how in said if i in by_id and i not in state.challenged), (None, None))
    if mid is None:
        return None
    claim = by_id[mid]
    lead = P.pick(P.CHALLENGE_LEADS, state.interviewer_turns)
    return Move(MoveKind.CHALLENGE, P.compose(lead, claim.challenge, optional=(0,)), lead=lead,
                prompt=claim.challenge, question_id=q.id, dimension=claim.dimension,
                extra={"misconception_id": claim.id, "heard": heard})


def _advance(state: InterviewState, rnd: Round, q: Question, ack: str, echo: str | None = None) -> Move:
    """The planned next question: a probe of the question in play (after `echo`, the candidate's words
    said back, when there are any), or the next main question. A deep round walks its phases (walk.py)."""
    if walk.has_plan(rnd, q):
        return move_on(state, rnd, q, echo or ack)
    phase = B.phase_now(state, rnd)
    dims = T.phase_dimensions(rnd).get(phase.key, [])
    phases = rnd.rubric.phases
    # leaving the intro needs no announcement: the first question is already in play
    pending = phase.key != state.phase and not (state.phase == phases[0].key and phase.key == phases[1].key)
    announce = _announcement(state, rnd, phase)
    if pending and phase.new_question and state.question_answers >= 1:
        return B.next_question(state, rnd, announce, transition=phase.key, prefer=dims)
    spent = state.elapsed_s - state.question_started_s
    probe = B.probe_for(state, q, dims, rnd)
    before_wrap_up = T.remaining_s(rnd, state.elapsed_s) - T.WRAP_UP_S
    over = spent >= T.question_budget_s(rnd) or state.question_answers >= T.question_answer_budget(rnd)
    if probe is not None and before_wrap_up < T.MIN_QUESTION_S / 2:
        over = False  # too little time for a new question: keep probing the one in play
    if over or probe is None:
        if pending and not dims:
            return B.next_question(state, rnd, announce, transition=phase.key)
        return B.next_question(state, rnd, ack, prefer=dims)
    if pending and (not dims or probe[1] in dims):
        return B.probe_move(q, probe, announce, transition=phase.key)
    return B.probe_move(q, probe, echo or ack)


def move_on(state: InterviewState, rnd: Round, q: Question | None, lead: str, leave_phase: bool = False) -> Move:
    """A deep round's next prompt on the same problem (the next phase's when `leave_phase`), a second problem
    only when this one is exhausted; a series round's next question."""
    if q is None or not walk.has_plan(rnd, q):
        return B.next_question(state, rnd, lead)
    ask = walk.next_ask(state, rnd, q, leave_phase)
    if ask is None:
        return B.next_question(state, rnd, lead)
    phase = next(p for p in rnd.rubric.phases if p.key == ask.phase)
    return walk.ask_move(state, rnd, q, ask, lead, _announcement(state, rnd, phase))


def _announcement(state: InterviewState, rnd: Round, phase) -> str:
    """The phase's own line, else "let's turn to <phase>" (with the minutes when the clock moved us on)."""
    if phase.announce:
        return phase.announce
    if T.phase_at(rnd, state.elapsed_s).key == phase.key:
        return P.TRANSITION.format(minutes=T.minutes_phrase(state.elapsed_s), phase=P.phase_label(phase.name))
    return P.TRANSITION_BY_PROGRESS.format(phase=P.phase_label(phase.name))


def _hint(state: InterviewState, rnd: Round, q: Question | None, intent: str) -> Move:
    """The hint of the probe in play (its own), or of the main question when that is what was asked."""
    seed = state.interviewer_turns
    if q is None:
        return B.next_question(state, rnd, P.pick(P.MOVE_ON, seed))
    if state.prompt_move == MoveKind.CHALLENGE:  # a challenge has no hint (it would give the answer): move on
        return _other_probe_or_next(state, rnd, q, P.pick(P.MOVE_ON, seed))
    key, hint, dim = q.id, q.hint, None
    ask = walk.resolve(rnd, q, state.probe_in_play)
    if ask is not None:
        key, hint, dim = ask.tag, ask.hint, ask.dimension
    used = state.probe_hints if ":" in key else state.hints_used
    if key not in used:
        lead = P.pick(P.HINT_INTRO if intent == "hint" else P.DONT_KNOW, seed)
        return Move(MoveKind.HINT, P.compose(lead, hint, optional=(0,)), lead=lead, question_id=q.id,
                    dimension=dim, hint_used=True, hint=hint, extra={"hint_for": key})
    if intent == "hint":
        return Move(MoveKind.ENCOURAGE, P.pick(P.HINT_USED, seed), question_id=state.question_id)
    return _other_probe_or_next(state, rnd, q, P.pick(P.MOVE_ON, seed))


def _other_probe_or_next(state: InterviewState, rnd: Round, q: Question | None, lead: str) -> Move:
    """The candidate is stuck (or twice off the point): another angle on the question, else the next one."""
    if q is not None and walk.has_plan(rnd, q):
        return move_on(state, rnd, q, lead)
    probe = B.probe_for(state, q, T.phase_dimensions(rnd).get(B.phase_now(state, rnd).key, []), rnd) \
        if q is not None else None
    over = q is not None and state.question_answers >= T.question_answer_budget(rnd)
    if q is None or probe is None or over:
        return B.next_question(state, rnd, lead)
    return B.probe_move(q, probe, lead)


def _in_play(state: InterviewState, rnd: Round, q: Question) -> str:
    """The question the candidate should be answering: a challenge just put, else the probe in play,
    else the main question."""
    if state.prompt_move == MoveKind.CHALLENGE and state.last_prompt:
        return state.last_prompt
    ask = walk.resolve(rnd, q, state.probe_in_play)
    return ask.text if ask is not None else q.text


def _redirect(state: InterviewState, rnd: Round, q: Question) -> Move:
    """Restate the part that was missed: the probe (or question) in play, not a request for specifics."""
    lead = P.pick(P.REDIRECT, state.interviewer_turns)
    if state.event is not None and _other_problem(state.event):
        lead = (f"That sounds like a different problem; we're on {problem_name(rnd, q)} here." if rnd.deep
                else "That sounds like the answer to a different question.")  # name what was asked
    prompt = _in_play(state, rnd, q)
    return Move(MoveKind.REDIRECT, P.compose(lead, prompt, optional=(0,)), lead=lead, prompt=prompt,
                question_id=q.id, dimension=_dimension_in_play(state, rnd, q))


_SPOKEN = {"api": "API", "url": "URL", "grpc": "gRPC", "graphql": "GraphQL", "lru": "LRU", "cap": "CAP"}


def problem_name(rnd: Round, q: Question) -> str:
    """How the interviewer names the problem in play: "the rate limiter", "the LRU cache problem"."""
    words = " ".join(_SPOKEN.get(w, w) for w in q.id.split("_"))
    return f"the {words} problem" if rnd.id == "coding" else f"the {words}"


def _dimension_in_play(state: InterviewState, rnd: Round, q: Question) -> str | None:
    ask = walk.resolve(rnd, q, state.probe_in_play)
    return ask.dimension if ask is not None else None


def _press(state: InterviewState, rnd: Round, q: Question) -> Move | None:
    """A vague answer to a follow-up: the same follow-up again, asked for concretely, once. A generic request
    for specifics ("what numbers can you share?") would change the subject from what was asked."""
    ask = walk.resolve(rnd, q, state.probe_in_play)
    if ask is None or f"press:{ask.tag}" in state.asked_probes:
        return None
    lead = P.pick(P.PRESS, state.interviewer_turns)
    return Move(MoveKind.SPECIFICS, P.compose(lead, ask.text), lead=lead, prompt=ask.text, question_id=q.id,
                tag=f"press:{ask.tag}", extra={"missing": "example"}, dimension=ask.dimension)


def _specifics(state: InterviewState, rnd: Round, lead: str, missing: list[str]) -> Move | None:
    """Ask for the specifics the answer lacks, in the round's words; another kind when one runs out."""
    start = state.specifics_asked % len(missing)
    q = B.current_question(state, rnd)
    kinds = missing[start:] + missing[:start] + [k for k in P.SPECIFICS if k not in missing]
    own = [(k, f"{i}", line) for k in kinds for i, line in enumerate(rnd.prompt.specifics.get(k, []))]
    generic = [(k, f"g{i}", line) for k in kinds for i, line in enumerate(P.SPECIFICS[k])]
    for kind, i, line in own + generic:  # the round's own wording first, then the generic lines
        if True:
            tag = f"specifics:{kind}:{i}"
            if tag not in state.asked_probes:
                return Move(MoveKind.SPECIFICS, P.compose(lead, line, optional=(0,)), lead=lead, prompt=line,
                            question_id=state.question_id, tag=tag, extra={"missing": kind},
                            dimension=_dimension_in_play(state, rnd, q) if q else None)
    return None


# --- clarifying questions -----------------------------------------------------------------------------
_OPTIONS = re.compile(r"\b(?:do|did) you mean (.+?) or (.+?)$")


def clarify(state: InterviewState, rnd: Round, q: Question, text: str) -> Move:
    """Answer a clarifying question from the facts, in one or two sentences, then hand back."""
    facts = rnd.facts_for(q)
    # "do you mean X or Y?" is about the question; only a strong fact match answers it instead
    floor = F.CONFUSED_MIN_SCORE if is_confused(text) else F.MIN_SCORE
    about_job = bool(_ABOUT_THE_JOB.search(normalize(text)))
    found = [] if about_job else [f for f, sc in F.match(text, facts) if sc >= floor]
    parts: list[str] = []
    for fact in found:
        parts.append(_say_fact(state, fact))
    if not found:
        parts.append(_no_fact(state, rnd, q, text, facts))
    handback = P.pick(P.HANDBACK, state.interviewer_turns)
    body = " ".join(parts)
    return Move(MoveKind.CLARIFY, P.compose(body, handback, optional=(1,)), lead=body, question_id=q.id,
                fact_ids=[f.id for f in found], extra={"confused": is_confused(text)})


def _say_fact(state: InterviewState, fact: Fact) -> str:
    if fact.id in state.facts_given:
        return f"{P.pick(P.AS_SAID, len(state.facts_given))} {_lower_first(fact.answer)}"
    return fact.answer


# a question about the job, not the problem: it waits for the wrap-up, where the candidate's questions go
# (the plain forms only when no fact matches: "the team" is a fair clarifying question in a behavioral round)
_ABOUT_THE_JOB = re.compile(r"\b(team|you|company) (work|works|working) on\b|\b(day to day|typical (day|week)|"
                            r"next steps|hiring process|salary|remote|interview process|company culture)\b")
_ABOUT_THE_JOB_PLAIN = re.compile(r"\b(the|your) (team|company|culture|manager|org|organi[sz]ation|role|product|"
                                  r"office)\b")


def _no_fact(state: InterviewState, rnd: Round, q: Question, text: str, facts: list[Fact]) -> str:
    if _ABOUT_THE_JOB.search(normalize(text)) or _ABOUT_THE_JOB_PLAIN.search(normalize(text)):
        return f"{P.FOR_THE_END} {_in_play(state, rnd, q)}"
    if is_confused(text):
        return _disambiguate(state, rnd, q, text)
    headline = facts[0]
    if headline.id in state.facts_given:
        return P.pick(P.YOUR_CALL, state.interviewer_turns) + " " + P.KEEP_CONSISTENT
    state_hint = f"{P.IF_IT_HELPS} {_lower_first(headline.answer)}"
    return f"{P.pick(P.YOUR_CALL, state.interviewer_turns)} {state_hint}"


def _disambiguate(state: InterviewState, rnd: Round, q: Question, text: str) -> str:
    """"Do you mean X or Y?" with no fact for it: pick the option closer to the question, else restate."""
    m = _OPTIONS.search(normalize(text))
    prompt = _in_play(state, rnd, q)
    if m:
        a, b = m.group(1), m.group(2)
        best = max((a, b), key=lambda o: len(overlap(o, rnd, q, prompt)))
        if len(overlap(best, rnd, q, prompt)) > len(overlap(a if best == b else b, rnd, q, prompt)):
            return f"I mean {best}. {prompt}"
        return f"Either works, whichever you know best. {prompt}"
    return f"{P.I_MEAN} {_lower_first(prompt)}"


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text
