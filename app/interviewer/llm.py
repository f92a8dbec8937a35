"""The LLM brain: any OpenAI-compatible chat server (OpenAI, vLLM, Ollama, llama.cpp server...).

The planner still decides the move (which probe, which question, hint, wrap-up, close) so timekeeping,
coverage and "never repeat a question" hold whichever brain speaks; the LLM only phrases it, guided by a
system prompt rendered from prompts/interviewer_system.j2. Candidate words go in <candidate_turn> tags,
marked as untrusted data.

Failure handling (timeout, HTTP error, malformed stream, empty output, or output that mentions the
rubric or the prompt): the turn falls back to
the planner's offline wording and records last_meta["fallback"] = True. One retry, if time is left: all
attempts of a turn share one deadline of Settings.llm_timeout_s, so the candidate never waits longer.

Mid-stream failure: tokens are buffered and released one *complete sentence* at a time, so the client
never receives half a sentence. If the stream breaks after some sentences went out, the partial sentence
is dropped and the turn continues with the planned question (move.prompt) unless a question already
went out; meta records fallback=True and fallback_midstream=True. No retry then: a second attempt would
repeat what was said. (Buffering costs the time of one sentence before the first chunk; TTS speaks in
sentences anyway.)
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator

import jinja2
from openai import AsyncOpenAI

from app.catalog import Round
from app.config import Settings
from app.interviewer import planner
from app.interviewer import timekeeping as T
from app.interviewer.planner import Move
from app.interviewer.state import InterviewState

log = logging.getLogger("viva.interviewer.llm")

TEMPLATE = "interviewer_system.j2"
HISTORY_TURNS = 12
BANK_SIZE = 6  # unasked questions shown as guidance
MAX_SENTENCES = 3
QUESTION_MOVES = {"open", "probe", "specifics", "next_question", "wrap_up_questions"}
OFFLINE_MOVES = {"repeat", "think_ack", "nudge", "resume", "none"}  # verbatim or trivial: no LLM call
INSTRUCTIONS = {
    "open": "Greet the candidate in one short sentence (the round and the time you have), then ask the "
            "main question in the suggested wording.",
    "probe": "Acknowledge the answer in a couple of words at most, then ask the follow-up question.",
    "specifics": "The last answer was short or vague. Ask for specifics, as suggested, about what they "
                 "just said.",
    "next_question": "Close the current topic in a few words and ask the next main question.",
    "hint": "Give this hint once, briefly, without giving away the answer: \"{hint}\"",
    "clarify": "The candidate asked a clarifying question. Answer it in one or two sentences with a "
               "sensible, concrete assumption (numbers where useful), or tell them it is their call; "
               "design nothing for them and ask no new question.",
    "encourage": "The hint was already given; do not help further. Ask for their best attempt.",
    "wrap_up_questions": "Stop the technical questions now and ask whether they have questions for you.",
    "answer_question": "Answer the candidate's question in one or two generic sentences without inventing "
                       "company facts, then ask if they have any other questions.",
    "close": "Briefly answer any last question generically, thank the candidate, say the interview is over "
             "and their review will be ready shortly. Ask nothing.",
}
# words an interviewer never says to a candidate, but a prompt-injected or confused model might
_LEAK = re.compile(r"\b(rubrics?|system prompt|candidate_turn|evaluation criteria|my instructions|"
                   r"scoring (guide|criteria)|your score)\b", re.IGNORECASE)
_LABEL = re.compile(r"^\s*(interviewer|assistant)\s*:\s*", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.?!](?:[\"')\]]*)\s+")


class LLMFailure(Exception):
    """The reply was unusable (empty, leaky); handled like a transport failure."""


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


def _clean(sentence: str) -> str:
    return _LABEL.sub("", sentence.replace("*", "").replace("`", "").replace("#", "")).strip()


def _delimit(text: str) -> str:
    safe = text.replace("<", "\u2039").replace(">", "\u203a")  # the candidate cannot close our tags
    return f"<candidate_turn>\n{safe}\n</candidate_turn>"


class LLMBrain:
    name = "llm"

    def __init__(self, settings: Settings, client: AsyncOpenAI | None = None):
        self.model = settings.llm_model
        self.max_tokens = settings.llm_max_tokens
        self.timeout_s = settings.llm_timeout_s
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
        self.client = client or AsyncOpenAI(base_url=settings.llm_base_url, api_key=key,
                                            timeout=settings.llm_timeout_s, max_retries=0)
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(settings.prompts_dir)), autoescape=False,
                                 undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.template = env.get_template(TEMPLATE)

    # --- prompt -------------------------------------------------------------------------------------
    def messages(self, state: InterviewState, rnd: Round, move: Move) -> list[dict[str, str]]:
        """Built before the move is applied: the state still describes the turn being answered."""
        elapsed = state.elapsed_s
        q = planner.current_question(state, rnd)
        uncovered = [d.name for d in rnd.rubric.dimensions
                     if len(state.coverage.get(d.key, ())) < planner.COVERED]
        bank = [x.text for x in planner.ordered_questions(rnd, state.level)
                if x.id not in state.asked_questions][:BANK_SIZE]
        hint = (move.hint or (q.hint if q is not None else "")) if move.kind == "hint" else ""
        system = self.template.render(
            persona=rnd.prompt.persona.strip(), rules=rnd.prompt.rules, title=rnd.rubric.title,
            level=state.level,
            phase_name=T.phase_at(rnd, elapsed).name, minutes_elapsed=round(elapsed / 60),
            minutes_left=round(T.remaining_s(rnd, elapsed) / 60), current_question=q.text if q else "",
            uncovered=uncovered, question_bank=bank, move=move.kind,
            instruction=INSTRUCTIONS.get(move.kind, "Continue the interview.").format(hint=hint),
            suggested=move.text)
        messages = [{"role": "system", "content": system}]
        for entry in state.history[-HISTORY_TURNS:]:
            if entry.speaker == "interviewer":
                messages.append({"role": "assistant", "content": entry.text})
            else:
                messages.append({"role": "user", "content": _delimit(entry.text)})
        if messages[-1]["role"] != "user":
            messages.append({"role": "user", "content": "(no new words from the candidate)"})
        return messages

    # --- reply --------------------------------------------------------------------------------------
    async def reply(self, state: InterviewState, rnd: Round) -> AsyncIterator[str]:
        move = planner.plan(state, rnd)
        phase = T.phase_at(rnd, state.elapsed_s).key
        messages = self.messages(state, rnd, move) if move.kind not in OFFLINE_MOVES else None
        planner.apply(state, move, rnd)
        meta = move.meta(phase)
        state.last_meta = meta
        if messages is None:
            if move.text:
                yield move.text
            return
        sent, asked = 0, False
        try:
            async for sentence in self._sentences(messages):
                yield sentence if sent == 0 else " " + sentence
                sent += 1
                asked = asked or "?" in sentence
            if sent == 0:
                raise LLMFailure("empty reply")
            if not asked and move.kind in QUESTION_MOVES and move.prompt.endswith("?"):
                meta["appended_prompt"] = True  # the model forgot to ask: the candidate still hears it
                yield " " + move.prompt
        except Exception as exc:  # noqa: BLE001 — any failure: the candidate still hears the planned move
            meta.update(fallback=True, fallback_reason=type(exc).__name__, fallback_midstream=sent > 0)
            log.warning("llm brain fell back: round=%s move=%s reason=%s midstream=%s",
                        rnd.id, move.kind, type(exc).__name__, sent > 0)
            rest = move.text if not sent else ("" if asked else move.prompt)  # never ask twice
            if rest:
                yield rest if sent == 0 else " " + rest

    async def _sentences(self, messages: list[dict[str, str]]) -> AsyncIterator[str]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout_s
        for attempt in (1, 2):
            emitted = 0
            try:
                async for sentence in self._attempt(messages, deadline):
                    emitted += 1
                    yield sentence
                return
            except Exception as exc:
                if emitted or attempt == 2 or deadline - loop.time() < 0.05:
                    raise
                log.info("llm attempt %d failed (%s), retrying", attempt, type(exc).__name__)

    async def _attempt(self, messages: list[dict[str, str]], deadline: float) -> AsyncIterator[str]:
        loop = asyncio.get_running_loop()

        def left() -> float:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError("llm deadline")
            return remaining

        stream = await asyncio.wait_for(self.client.chat.completions.create(
            model=self.model, messages=messages, stream=True, max_tokens=self.max_tokens, temperature=0.4,
            timeout=left()), left())
        buffer, count, truncated = SentenceBuffer(), 0, False
        try:
            chunks = stream.__aiter__()
            while count < MAX_SENTENCES:
                try:
                    chunk = await asyncio.wait_for(chunks.__anext__(), left())
                except StopAsyncIteration:
                    break
                if not chunk.choices:
                    continue
                choice = chunk.choices[0]
                truncated = truncated or choice.finish_reason == "length"
                for sentence in buffer.feed((choice.delta.content if choice.delta else None) or ""):
                    if count >= MAX_SENTENCES:
                        return
                    if self._usable(sentence):
                        count += 1
                        yield _clean(sentence)
            rest = buffer.rest()
            # the model may end without punctuation; a fragment cut off by max_tokens is dropped
            if rest and not truncated and count < MAX_SENTENCES and self._usable(rest):
                yield _clean(rest)
        finally:
            await stream.close()

    @staticmethod
    def _usable(sentence: str) -> bool:
        """A sentence that mentions the rubric or our prompt (e.g. after an injection) fails the turn."""
        if _LEAK.search(sentence):
            raise LLMFailure("reply mentions what must stay hidden")
        return bool(_clean(sentence))
