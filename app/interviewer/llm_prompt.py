"""The LLM interviewer's chat messages, laid out so a server's prefix cache does most of the work.

    messages = build_messages(templates, state, rnd, move)   # before planner.apply(state, move)
    prefix = warm_messages(templates, state, rnd, text)     # after a question was put: what to pre-fill

Order, most stable first (a llama.cpp server reuses the longest common token prefix of consecutive calls,
so each turn only evaluates what is new):
  1. system: persona, rules, round, level            — the same for the whole interview
     ... then the problem in play                      — the same while that question is in play
  2. the turns since that question was put            — append-only (shifted in blocks, never one by one)
  3. the final user message: the candidate's last words, the clock, this move's instruction and the
     offline wording as a guide                         — new every turn
Candidate words are untrusted data inside <candidate_turn> tags they cannot close.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jinja2

from app.catalog import Round
from app.interviewer import planner
from app.interviewer import timekeeping as T
from app.interviewer.state import HistoryEntry, InterviewState

SYSTEM_TEMPLATE = "interviewer_system.j2"
TURN_TEMPLATE = "interviewer_turn.j2"
HISTORY_KEEP = 10  # at least this many turns of the question in play are kept ...
HISTORY_SHIFT = 6  # ... and the window moves by this many at once, so the prefix changes rarely

# what the LLM is asked to do for each move it writes (other moves are spoken as planned, see llm.py)
INSTRUCTIONS = {
    "probe": "Ask the follow-up question below. First name, in a few words, one specific thing from "
             "the candidate's last answer, then ask the question so it builds on that.",
    "specifics": "The last answer was vague. Pick one thing they just said and ask for concrete "
                 "specifics about it, as in the offline wording.",
    "redirect": "The last answer did not address the question. Say so in a few neutral words and restate "
                "the part of the question that was missed. Do not ask about the tangent.",
    "hint": "Give this hint once, in your own words, without giving away the answer: \"{hint}\"",
    "clarify": "The candidate asked a clarifying question. Answer it in one or two sentences with exactly "
               "this information and its numbers, nothing more: \"{facts}\". Design nothing for them.",
    "encourage": "The hint was already given; do not help further. Ask for their best attempt.",
    "answer_question": "Answer the candidate's question in one or two generic sentences without "
                       "inventing company facts, then ask if they have any other questions.",
    "close": "Briefly answer their last question generically, thank the candidate, say the interview is "
             "over and their review will be ready shortly. Ask nothing.",
}
QUESTION_MOVES = {"probe", "specifics", "redirect", "encourage", "answer_question"}


@dataclass(frozen=True)
class Templates:
    system: jinja2.Template
    turn: jinja2.Template

    @classmethod
    def load(cls, prompts_dir: Any) -> Templates:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(prompts_dir)), autoescape=False,
                                 undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        return cls(env.get_template(SYSTEM_TEMPLATE), env.get_template(TURN_TEMPLATE))


def sanitize(text: str) -> str:
    return text.replace("<", "\u2039").replace(">", "\u203a")  # the candidate cannot close our tags


def delimit(text: str) -> str:
    return f"<candidate_turn>\n{sanitize(text)}\n</candidate_turn>"


def move_facts(move: Any) -> list[str]:
    """The facts a clarify move carries (a `facts` field, or extra["facts"]), as sentences."""
    facts = getattr(move, "facts", None) or getattr(move, "extra", {}).get("facts") or []
    if isinstance(facts, str | dict):
        facts = [facts]
    out = []
    for fact in facts:
        if isinstance(fact, dict):
            fact = fact.get("answer") or fact.get("text") or ""
        elif not isinstance(fact, str):
            fact = getattr(fact, "answer", None) or getattr(fact, "text", None) or ""
        if str(fact).strip():
            out.append(str(fact).strip())
    return out


def _system(templates: Templates, state: InterviewState, rnd: Round, question_id: str | None) -> str:
    q = next((x for x in rnd.prompt.questions if x.id == question_id), None)
    return templates.system.render(persona=rnd.prompt.persona.strip(), rules=rnd.prompt.rules,
                                   title=rnd.rubric.title, level=state.level, question=q.text if q else "")


def _history(entries: list[HistoryEntry]) -> list[dict[str, str]]:
    start = max(0, len(entries) - HISTORY_KEEP) // HISTORY_SHIFT * HISTORY_SHIFT
    return [{"role": "assistant", "content": e.text} if e.speaker == "interviewer"
            else {"role": "user", "content": delimit(e.text)} for e in entries[start:]]


def _turns_of(state: InterviewState, question_id: str | None) -> list[HistoryEntry]:
    """The turns since `question_id` was put (the run of history entries at the end tagged with it)."""
    out: list[HistoryEntry] = []
    for entry in reversed(state.history):
        if entry.question_id != question_id:
            break
        out.append(entry)
    return out[::-1]


def build_messages(templates: Templates, state: InterviewState, rnd: Round, move: Any) -> list[dict[str, str]]:
    """Built before the move is applied: the state still describes the turn being answered."""
    kind = str(move.kind)
    turns = _turns_of(state, state.question_id)
    candidate = ""
    if turns and turns[-1].speaker == "candidate":
        candidate = turns.pop().text
    q = planner.current_question(state, rnd)
    facts = " ".join(move_facts(move)) or move.text
    hint = getattr(move, "hint", "") or (q.hint if q is not None else "")  # a probe's own hint, else the question's
    instruction = INSTRUCTIONS.get(kind, "Continue the interview.").format(hint=hint, facts=facts)
    shape = ("one or two short spoken sentences ending with one question" if kind in QUESTION_MOVES
             else "one or two short spoken sentences")
    elapsed = state.elapsed_s
    turn = templates.turn.render(
        candidate=sanitize(candidate),
        minutes_elapsed=round(elapsed / 60), minutes_left=round(T.remaining_s(rnd, elapsed) / 60),
        phase=T.phase_at(rnd, elapsed).name, instruction=instruction, guide=move.text, shape=shape)
    return [{"role": "system", "content": _system(templates, state, rnd, state.question_id)},
            *_history(turns), {"role": "user", "content": turn.strip()}]


def warm_messages(templates: Templates, state: InterviewState, rnd: Round, said: str) -> list[dict[str, str]]:
    """The stable prefix of the next turn's prompt, after the interviewer said `said` (which put the
    question in play): pre-filling it makes the next reply a short evaluation."""
    return [{"role": "system", "content": _system(templates, state, rnd, state.question_id)},
            {"role": "assistant", "content": said}]
