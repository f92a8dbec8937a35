"""The Interviewer: one interview's conversation, as the stream session sees it (docs/contracts.md).

    iv = Interviewer(rnd, level, brain, state=interview.state or None, clock=time.monotonic)
    iv.start()
    async for chunk in iv.opening(): ...
    async for chunk in iv.respond(text): ...
    async for chunk in iv.on_silence(silence_s): ...     # usually yields nothing
    interview.state = iv.snapshot()                      # after every turn

It keeps the state, runs the connected-time clock (elapsed seconds live in the snapshot, so a resumed
interview continues from there; `pause()` stops the clock when the stream disconnects), updates rubric
coverage with the shared SignalMatcher, detects intents, and asks the brain for the words. If a consumer
stops iterating early (barge-in), close the generator (`aclose()` / `contextlib.aclosing`) so the
partial utterance is recorded.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from typing import Any, NamedTuple

from app.catalog import Round
from app.hearing import relevance as relevance_by_meaning
from app.hearing.hearing import for_round
from app.hearing.signals import SignalMatcher
from app.interviewer import gaps, planner
from app.interviewer import timekeeping as T
from app.interviewer.brain import Brain
from app.interviewer.builders import current_question
from app.interviewer.intents import announces_pause, detect_intent, is_clarifying_question, is_confused
from app.interviewer.state import Event, HistoryEntry, InterviewState, NearMyth
from app.interviewer.words import content_words

log = logging.getLogger("viva.interviewer")

# Intents that are also ordinary words in a real answer: with rubric signals in the turn, it's an answer.
_SOFT_INTENTS = {"think", "dont_know", "done"}
_NO_PROGRESS = {"repeat", "think"}  # turns that do not move the interview forward



class _Heard(NamedTuple):
    """What the hearing layer made of an answer (Interviewer._hear), for the Event."""

    myths: list[str] = []
    near: list[NearMyth] = []
    other: str | None = None
    points: dict[str, str] | None = None
    nothing: bool = False

def _unclocked(state: InterviewState) -> dict[str, Any]:
    """The state without its clock (which runs on while a reply is prepared)."""
    return state.model_dump(mode="json", exclude={"elapsed_s", "remaining_s"})


class Interviewer:
    def __init__(self, rnd: Round, level: str, brain: Brain,
                 state: dict[str, Any] | InterviewState | None = None,
                 clock: Callable[[], float] = time.monotonic, points: gaps.PointHearing | None = None):
        self.round = rnd
        self.points = points or gaps.LexicalHearing()  # the answer key's points without the meaning layer
        self.brain = brain
        self._clock = clock
        if state:
            self.state = state if isinstance(state, InterviewState) else InterviewState.model_validate(state)
            if self.state.round_id != rnd.id:
                raise ValueError(f"state is for round {self.state.round_id!r}, not {rnd.id!r}")
        else:
            self.state = InterviewState.new(rnd.id, level)
        self.matcher = SignalMatcher(rnd)
        self._t0: float | None = None  # clock reading when the clock was (re)started; None while paused
        self._base = self.state.elapsed_s
        self.board: dict[str, Any] | None = None  # the whiteboard as last saved (app/board/), read by each reply
        self._origin: dict[str, Any] | None = None  # a twin's (fork's) state when it was made

    # --- clock ----------------------------------------------------------------------------------------
    def start(self) -> None:
        """Start, or resume, the interview clock (from the elapsed time in the state)."""
        if self._t0 is None:
            self._base = self.state.elapsed_s
            self._t0 = self._clock()

    def pause(self) -> None:
        """Stop the clock (the stream disconnected); `start()` continues it."""
        self._sync()
        self._t0 = None

    @property
    def elapsed_s(self) -> float:
        if self._t0 is None:
            return self.state.elapsed_s
        return self._base + max(0.0, self._clock() - self._t0)

    def _sync(self) -> None:
        self.state.elapsed_s = round(self.elapsed_s, 3)
        self.state.remaining_s = round(T.remaining_s(self.round, self.state.elapsed_s), 3)

    def phase(self) -> tuple[str, float]:
        """(phase key, remaining seconds of the whole round)."""
        elapsed = self.elapsed_s
        return (T.current_phase(self.round, elapsed, self.state.progress).key,
                T.remaining_s(self.round, elapsed))

    # --- state ----------------------------------------------------------------------------------------
    @property
    def finished(self) -> bool:
        return self.state.finished

    @property
    def last_meta(self) -> dict[str, Any]:
        return dict(self.state.last_meta)

    def snapshot(self) -> dict[str, Any]:
        self._sync()
        return self.state.model_dump(mode="json")

    def rewind(self, snapshot: dict[str, Any]) -> None:
        """Back to a state taken before the last reply (the candidate went on talking: the reply is withdrawn
        and their answer will be answered whole). The clock keeps its time."""
        elapsed, running = self.elapsed_s, self._t0 is not None
        self.state = InterviewState.model_validate(snapshot)
        self.state.elapsed_s = round(elapsed, 3)
        self._base, self._t0 = self.state.elapsed_s, (self._clock() if running else None)

    def fork(self) -> Interviewer:
        """A twin to prepare a reply on while the candidate may still go on (app/voice/conversation.py): the
        same round, brain, hearing, clock and board, its own copy of the state. `adopt` takes its state back."""
        twin = copy.copy(self)
        twin.state = self.state.model_copy(deep=True)
        twin._origin = _unclocked(self.state)
        return twin

    def adopt(self, twin: Interviewer) -> bool:
        """Take the state a twin reached (its reply is the one said), if nothing changed here since the fork
        (False: the twin's reply answered another state, and is not used)."""
        if twin._origin is None or twin.board is not self.board or twin._origin != _unclocked(self.state):
            return False
        self.state = twin.state
        return True

    def interrupted(self) -> None:
        """The candidate barged in while the interviewer spoke."""
        self.state.interruptions += 1
        for entry in reversed(self.state.history):
            if entry.speaker == "interviewer":
                entry.interrupted = True
                break

    # --- turns ----------------------------------------------------------------------------------------
    async def opening(self) -> AsyncIterator[str]:
        """The first words of a new interview, or a short resume line for one that was interrupted."""
        self.start()
        kind = "resume" if self.state.interviewer_turns else "open"
        async with aclosing(self._speak(Event(kind=kind))) as chunks:
            async for chunk in chunks:
                yield chunk

    async def respond(self, text: str, typed: bool = False, unsure: list[str] | None = None) -> AsyncIterator[str]:
        """The reply to one final candidate turn. `unsure`: words of a spoken turn the recogniser heard with
        low confidence (a follow-up does not say them back: "in-readies" for "in Redis")."""
        if not text.strip() or self.state.finished:
            return
        self._sync()
        st = self.state
        hits = self.matcher.find(text)
        new = st.record_signals([(h.dimension, h.signal) for h in hits])
        intent = detect_intent(text)
        if intent == "repeat" and is_confused(text):  # "sorry, what do you mean?" asks what was meant
            intent = None
        if intent in _SOFT_INTENTS and hits:
            intent = None
        st.candidate_turns += 1
        if intent not in _NO_PROGRESS:
            st.progress += 1
            if not is_clarifying_question(text):  # asking is not answering: the question keeps its budget
                st.question_answers += 1
        st.nudges = 0
        st.add_history(HistoryEntry(speaker="candidate", text=text, typed=typed, elapsed_s=st.elapsed_s,
                                    question_id=st.question_id))
        q = current_question(st, self.round)
        first = st.question_answers <= 1 and st.probe_in_play is None  # the first answer to the question itself
        heard = await self._hear(text, q, first) if intent is None else _Heard()
        points = heard.points
        if points is None:  # no hearing by meaning (or a request, not an answer): the lexical fallback
            points = self.points.hear(self.round, q, text) if q is not None and intent is None else {}
        st.question_points = gaps.merge(st.question_points, points)
        if intent is None and announces_pause(text):  # "... Let me think about the hot keys." (and silence):
            intent = "think"  # what was said is heard as an answer; the reply gives them the time they asked for
        event = Event(kind="answer", text=text, typed=typed, intent=intent, new_signals=new, unsure=unsure or [],
                      myths=heard.myths, near=heard.near, answers_other=heard.other, about_nothing=heard.nothing,
                      points=points, board=self.board)
        async with aclosing(self._speak(event)) as chunks:
            async for chunk in chunks:
                yield chunk

    async def _hear(self, text: str, q, first: bool = True) -> _Heard:
        """Myths asserted by meaning, the parts near one (near_myths.py), another question answered instead,
        whether the answer is about nothing in the round, and the answer-key points of the question in play
        made (gaps.py), heard in a worker thread (the embedder blocks); no points when the hearing layer cannot
        run (the caller's `points` hearing stands in)."""
        question_id = q.id if q is not None else None
        hearing = await asyncio.to_thread(for_round, self.round)
        if hearing is None:
            return _Heard()
        heard = await asyncio.to_thread(hearing.hear, text, [question_id] if question_id else [])
        points = {p.id: p.status for p in heard.points if p.question_id == question_id} if heard.points else None
        # Another problem answered instead is heard by meaning only in deep rounds, where the round's problems
        # are distinct designs; in series rounds (a behavioral story's follow-ups above all) it took answers
        # that stay on the question for answers to another one.
        other = relevance_by_meaning.answers_other(heard, question_id, len(content_words(text)), first) \
            if self.round.deep else None
        near = [NearMyth(id=c.item.id, start=c.start, end=c.end, similarity=c.similarity) for c in heard.near]
        spans = {(n.start, n.end) for n in near}
        near += [NearMyth(id=c.item.id, start=c.start, end=c.end, similarity=c.similarity, probe=False)
                 for c in heard.close if (c.start, c.end) not in spans]
        return _Heard([c.item.id for c in heard.myths], near, other, points,
                      relevance_by_meaning.about_nothing(heard))

    def code_changed(self, language: str, code: str) -> None:
        """The room's editor content (debounced): the LLM brain reads it; typing is not a turn."""
        self.state.code, self.state.code_language = code, language

    async def on_run(self, run: dict[str, Any], code: str = "") -> AsyncIterator[str]:
        """React to a code or SQL run (app/interviewer/run_moves.py); `run` is a RunResult dump."""
        if self.state.finished:
            return
        self._sync()
        if code:
            self.state.code = code
        self.state.runs += 1
        self.state.nudges = 0
        async with aclosing(self._speak(Event(kind="run", run=run))) as chunks:
            async for chunk in chunks:
                yield chunk

    async def on_silence(self, silence_s: float) -> AsyncIterator[str]:
        """Called about once a second while nobody speaks; usually yields nothing."""
        self._sync()
        if not planner.silence_due(self.state, self.round, silence_s):
            return
        async with aclosing(self._speak(Event(kind="silence", silence_s=silence_s))) as chunks:
            async for chunk in chunks:
                yield chunk

    async def _speak(self, event: Event) -> AsyncIterator[str]:
        st = self.state
        self._sync()
        st.event = event
        st.last_meta = {}
        said: list[str] = []
        started = time.perf_counter()
        try:
            async with aclosing(self.brain.reply(st, self.round)) as chunks:
                async for chunk in chunks:
                    if chunk:
                        said.append(chunk)
                        yield chunk
        finally:
            st.event = None
            text = "".join(said).strip()
            if text:
                st.interviewer_turns += 1
                st.add_history(HistoryEntry(
                    speaker="interviewer", text=text, move=st.last_meta.get("move"),
                    question_id=st.last_meta.get("question_id"), elapsed_s=st.elapsed_s))
            if st.last_meta.get("fallback"):
                st.fallbacks += 1
            log.info("interviewer turn: round=%s event=%s move=%s question=%s fallback=%s chars=%d ms=%d",
                     self.round.id, event.kind, st.last_meta.get("move"), st.last_meta.get("question_id"),
                     bool(st.last_meta.get("fallback")), len(text), (time.perf_counter() - started) * 1000)
