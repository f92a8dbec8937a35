"""The LLM brain: any OpenAI-compatible chat server (OpenAI, vLLM, Ollama, llama.cpp server...).

The planner decides the move (probe this dimension, answer this clarification with these facts, redirect,
hint, move on, wrap up, close), so timekeeping, coverage and "never repeat a question" hold whichever
brain speaks. The LLM writes the turns that should build on the candidate's words (`kind.llm_writes`), guided by
the planner's offline wording; the turns whose wording is the point — the opening and each new main
question (the problem statement, verbatim), resume, repeat, nudges, wrap-up, the plain close — are
spoken as planned, and after the ones that put a question in play the prompt's new prefix is pre-filled
in the background (`warm`) so the next reply is a short evaluation (llm_prompt.py explains the layout).

Guardrails (llm_guard.py) are checked on every sentence before it is spoken. A reply whose first sentence
breaks them falls back to the offline move (meta fallback=True, fallback_reason=<why>); a later bad
sentence ends the turn there. Tokens are released one complete sentence at a time, and the turn stops
after its one question. If the model forgot to ask, the planned question is appended.

Failures (timeout, HTTP error, malformed stream, empty output) fall back the same way. One retry if time
is left: the first sentence must come within Settings.llm_reply_timeout_s, the whole turn within
llm_timeout_s. A circuit breaker (breaker.py) skips the LLM after a few consecutive failures and probes
again after a cool-down; `status()` reports it for /api/health. A server that rejects `max_tokens`
(asking for `max_completion_tokens`) or `temperature` gets the call again without it, remembered.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any

import openai
from openai import AsyncOpenAI

from app.catalog import Round
from app.config import Settings
from app.interviewer import near_myths, planner
from app.interviewer import timekeeping as T
from app.interviewer.breaker import CircuitBreaker
from app.interviewer.llm_guard import ReplyGuard, clean
from app.interviewer.llm_prompt import Templates, build_messages, prefix_messages
from app.interviewer.llm_role import role_of
from app.interviewer.moves import MoveKind
from app.interviewer.phrases import compose, sentences
from app.interviewer.state import InterviewState

log = logging.getLogger("viva.interviewer.llm")

# the LLM writes (`kind.llm_writes`) the follow-ups (their lead, `kind.lead_only`) and the answers to the
# candidate's own questions at the wrap-up; a clarification, a hint and an encouragement are spoken as planned,
# because their words are data (facts and hints) that must reach the candidate unchanged
MAX_SENTENCES = 3
MAX_REPLY_TOKENS = 90  # two short spoken sentences; Settings.llm_max_tokens caps it further
MAX_WORDS = {"answer_question": 70, "close": 70}
DEFAULT_MAX_WORDS = 55
LEAD_WORDS = 20  # a follow-up's lead (asked for: at most 12 words)
LEAD_TOKENS = 40
WARM_TIMEOUT_S = 120.0
_SENTENCE_END = re.compile(r"[.?!](?:[\"')\]]*)\s+")


class LLMFailure(Exception):
    """The reply was unusable (empty); handled like a transport failure."""


class Rejected(Exception):
    """A sentence broke a guardrail (see llm_guard.py); `reason` names which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class SentenceBuffer:
    """Collects streamed tokens; hands out complete sentences only."""

    def __init__(self) -> None:
        self.text = ""

    def feed(self, delta: str) -> list[str]:
        self.text += delta
        out: list[str] = []
        while (m := _SENTENCE_END.search(self.text)) is not None:
            out.append(self.text[: m.end()].strip())
            self.text = self.text[m.end():]
        return [s for s in out if s]

    def rest(self) -> str:
        rest, self.text = self.text.strip(), ""
        return rest


class LLMBrain:
    name = "llm"

    def __init__(self, settings: Settings, client: AsyncOpenAI | None = None):
        self.model = settings.llm_model
        self.max_tokens = min(settings.llm_max_tokens, MAX_REPLY_TOKENS)
        self.timeout_s = settings.llm_timeout_s
        self.reply_timeout_s = min(settings.llm_reply_timeout_s, settings.llm_timeout_s)
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
        self.client = client or AsyncOpenAI(base_url=settings.llm_base_url, api_key=key,
                                            timeout=settings.llm_timeout_s, max_retries=0)
        self.templates = Templates.load(settings.prompts_dir)
        self.breaker = CircuitBreaker(settings.llm_breaker_failures, settings.llm_breaker_cooldown_s)
        self.token_param = "max_tokens"
        self.send_temperature = True
        self.temperature = settings.llm_temperature
        self.last_warm_ms: int | None = None
        self._tasks: set[asyncio.Task] = set()
        self.role = role_of(settings)
        log.info("llm interviewer tier: %s (%s)", self.role.role, self.role.reason)

    def status(self) -> dict[str, Any]:
        """The brain's live state, for /api/health."""
        return {"model": self.model, **self.breaker.status(), "last_warm_ms": self.last_warm_ms,
                "token_param": self.token_param, "role": self.role.role, "role_reason": self.role.reason}

    # --- reply --------------------------------------------------------------------------------------
    async def reply(self, state: InterviewState, rnd: Round) -> AsyncIterator[str]:
        said: list[str] = []
        async with aclosing(self._reply(state, rnd)) as chunks:
            async for chunk in chunks:
                said.append(chunk)
                yield chunk
        if said:  # while the candidate answers, the server (re)fills the next prompt's prefix
            self.warm_later(prefix_messages(self.templates, state, rnd))

    async def _reply(self, state: InterviewState, rnd: Round) -> AsyncIterator[str]:
        move = planner.plan(state, rnd)
        kind = move.kind
        phase = T.phase_at(rnd, state.elapsed_s).key
        # The candidate's own questions at the wrap-up ("how does the team decide on-call?") are answered by the
        # model only in the `turn` tier: the small local model invents facts about a team it does not have
        # (it told the spoken example's candidate how "the team" picks its rotation); the planner's answer says
        # what a mock interviewer can honestly say.
        answers = kind == MoveKind.ANSWER_QUESTION \
            or (kind == MoveKind.CLOSE and bool(move.extra.get("answered_question")))
        writes = (kind.llm_writes and not answers) or (answers and self.role.role == "turn")
        whole = self.role.role == "turn" and kind.whole_turn and bool(move.prompt)
        messages = build_messages(self.templates, state, rnd, move, whole) if writes else None
        earlier = [e.text for e in state.history if e.speaker == "interviewer"]
        planner.apply(state, move, rnd)
        meta = move.meta(phase)
        meta["llm"] = messages is not None  # False: spoken as planned (by design, not a fallback)
        state.last_meta = meta
        if messages is None:
            parts = sentences(move.text)
            for i, part in enumerate(parts):
                yield part if i == len(parts) - 1 else part + " "
            return
        if not self.breaker.allow():
            meta.update(fallback=True, fallback_reason="circuit_open", fallback_midstream=False)
            if move.text:
                yield move.text
            return
        lead_only = kind.lead_only and bool(move.prompt) and not whole
        meta["llm_role"] = "turn" if whole else "lead"
        answer = state.history[-1].text if state.history and state.history[-1].speaker == "candidate" else ""
        echoes = (lead_only or whole) and kind != MoveKind.RUN_RESULT  # a run's lead reacts to the run, not to words
        near = [answer[n.start:n.end] for n in near_myths.parts(state.event, keep=move.extra.get("misconception_id"))]
        guard = ReplyGuard(earlier, echo_of=answer if echoes else None, near=near if echoes else None,
                           max_words=LEAD_WORDS if lead_only else MAX_WORDS.get(kind, DEFAULT_MAX_WORDS),
                           max_questions=0 if lead_only else 1)
        sent, asked, started = 0, False, time.perf_counter()
        limit, tokens = (1, LEAD_TOKENS) if lead_only else (MAX_SENTENCES, self.max_tokens)
        try:
            async with aclosing(self._sentences(messages, guard, limit, min(tokens, self.max_tokens))) as stream:
                async for sentence in stream:
                    if sent == 0:
                        meta["first_sentence_ms"] = round((time.perf_counter() - started) * 1000)
                        if lead_only or whole:
                            meta["llm_lead"] = sentence
                    yield sentence if sent == 0 else " " + sentence
                    sent += 1
                    asked = asked or "?" in sentence
                    if asked or sent >= limit:
                        break  # one question (or the lead), and the model's part is over
            if sent == 0:
                raise LLMFailure("empty reply")
            if lead_only:  # the planner's question (entering a phase: its announcement too), after the model's lead
                yield " " + compose(move.extra.get("announce", "") if move.transition else "", move.prompt)
            elif not asked and kind.llm_asks and move.prompt.endswith("?"):
                meta["appended_prompt"] = True  # the model forgot to ask: the candidate still hears it
                yield " " + move.prompt
        except Exception as exc:  # noqa: BLE001 — any failure: the candidate still hears the planned move
            reason = exc.reason if isinstance(exc, Rejected) else type(exc).__name__
            meta.update(fallback=True, fallback_reason=reason, fallback_midstream=sent > 0)
            log.warning("llm brain fell back: round=%s move=%s reason=%s midstream=%s",
                        rnd.id, kind, reason, sent > 0)
            rest = move.text if not sent else ("" if asked or not kind.llm_asks else move.prompt)
            if rest:
                yield rest if sent == 0 else " " + rest

    async def _sentences(self, messages: list[dict[str, str]], guard: ReplyGuard, limit: int,
                         max_tokens: int) -> AsyncIterator[str]:
        """Checked sentences of one reply; at most one retry, before anything was said."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        deadlines = (start + self.reply_timeout_s, start + self.timeout_s)
        for attempt in (1, 2):
            emitted = 0
            try:
                async for sentence in self._attempt(messages, guard, deadlines, limit, max_tokens):
                    if emitted == 0:
                        self.breaker.success((loop.time() - start) * 1000)
                    emitted += 1
                    yield sentence
                if emitted == 0:
                    self.breaker.success((loop.time() - start) * 1000)
                return
            except Rejected:
                if emitted == 0:
                    self.breaker.success((loop.time() - start) * 1000)  # the server works; the words did not
                raise
            except (asyncio.CancelledError, GeneratorExit):
                if emitted == 0:
                    self.breaker.abandon()
                raise
            except Exception as exc:
                if emitted == 0:
                    self.breaker.failure(type(exc).__name__)
                if emitted or attempt == 2 or deadlines[0] - loop.time() < 0.05 or not self.breaker.allow():
                    raise
                log.info("llm attempt %d failed (%s), retrying", attempt, type(exc).__name__)

    async def _attempt(self, messages: list[dict[str, str]], guard: ReplyGuard, deadlines: tuple[float, float],
                       limit: int, max_tokens: int) -> AsyncIterator[str]:
        """One call; the first deadline holds until the first sentence is out, then the second."""
        loop = asyncio.get_running_loop()
        buffer, count, truncated = SentenceBuffer(), 0, False

        def left() -> float:
            remaining = deadlines[1 if count else 0] - loop.time()
            if remaining <= 0:
                raise TimeoutError("llm deadline")
            return remaining

        stream = await asyncio.wait_for(self._create(messages, max_tokens, left(), stream=True), left())
        try:
            chunks = stream.__aiter__()
            while count < limit:
                try:
                    chunk = await asyncio.wait_for(chunks.__anext__(), left())
                except StopAsyncIteration:
                    break
                if not chunk.choices:
                    continue
                choice = chunk.choices[0]
                truncated = truncated or choice.finish_reason == "length"
                for raw in buffer.feed((choice.delta.content if choice.delta else None) or ""):
                    if count >= limit:
                        return
                    count += 1
                    yield self._checked(raw, guard)
            rest = buffer.rest()
            # the model may end without punctuation; a fragment cut off by max_tokens is dropped
            if rest and not truncated and count < limit:
                yield self._checked(rest, guard)
        finally:
            await stream.close()

    @staticmethod
    def _checked(raw: str, guard: ReplyGuard) -> str:
        reason = guard.check(raw)
        if reason is not None:
            raise Rejected(reason)
        text = clean(raw)
        guard.accept(text)
        return text

    # --- the server's quirks ----------------------------------------------------------------------
    async def _create(self, messages: list[dict[str, str]], max_tokens: int, timeout: float, stream: bool) -> Any:
        for _ in range(3):
            kwargs: dict[str, Any] = {"model": self.model, "messages": messages, "stream": stream,
                                      "timeout": timeout, self.token_param: max_tokens}
            if self.send_temperature:
                kwargs["temperature"] = self.temperature
            try:
                return await self.client.chat.completions.create(**kwargs)
            except openai.BadRequestError as exc:
                if not self._adapt(str(exc)):
                    raise
        raise LLMFailure("the server rejected every parameter set")

    def _adapt(self, message: str) -> bool:
        """A 400 naming a parameter this server does not take: change it, and say whether to try again."""
        if "max_completion_tokens" in message and self.token_param == "max_tokens":
            self.token_param = "max_completion_tokens"
            log.info("llm server wants max_completion_tokens; switching")
            return True
        if "temperature" in message and self.send_temperature:
            self.send_temperature = False
            log.info("llm server rejects temperature; dropping it")
            return True
        return False

    # --- prefix cache ------------------------------------------------------------------------------
    async def idle(self) -> None:
        """Wait for the background pre-fills (the eval harness and the bench: a candidate speaking)."""
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def warm_later(self, messages: list[dict[str, str]]) -> None:
        """Pre-fill the server's prompt cache with `messages` in the background (never blocks a turn)."""
        if self.breaker.state != "closed":
            return
        task = asyncio.get_running_loop().create_task(self.warm(messages))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def warm(self, messages: list[dict[str, str]]) -> bool:
        """One max_tokens=1 call with the stable prefix; the server keeps its evaluation for the next call."""
        started = time.perf_counter()
        try:
            await asyncio.wait_for(self._create(messages, 1, WARM_TIMEOUT_S, stream=False), WARM_TIMEOUT_S)
        except Exception as exc:  # noqa: BLE001 — a warm-up is an optimisation: failing it changes nothing
            log.info("llm warm-up failed: %s", type(exc).__name__)
            return False
        self.last_warm_ms = round((time.perf_counter() - started) * 1000)
        log.info("llm warm-up: messages=%d ms=%d", len(messages), self.last_warm_ms)
        return True
