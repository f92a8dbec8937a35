"""The LLM interviewer's chat messages, laid out so a server's prefix cache does most of the work.

    messages = build_messages(templates, state, rnd, move)   # before planner.apply(state, move)
    prefix = prefix_messages(templates, state, rnd)          # what to pre-fill (llm.LLMBrain.warm)

A prompt is the same prefix every turn while a question is in play, then one new user message (a
llama.cpp server reuses the longest common token prefix of consecutive calls, so each turn evaluates only
that message, ~60-130 tokens):
  1. system: role, rules, round, level, then worked examples of follow-up leads (prompts/
     interviewer_examples.yaml, as chat turns)          — the same for the whole interview
  2. system: the problem in play                      — the same while that question is in play
  3. user: the candidate's last answer (its last CANDIDATE_WORDS words) and a short note: "Echo: <anchor>"
     (a few of their words to pick up, anchor.py), "Missed the question.", or a whole-turn instruction
                                                        — new every turn
No conversation history: the model writes a follow-up's lead from the answer it follows (the planner
keeps the thread), and earlier turns, most of them the planner's wording, only taught a small model to
answer "Got it.". The round's persona and rules (tone, timekeeping, hint policy, silences, wrap-up) are
the planner's job too: a small model given the persona gets chatty, and a short prefix is a short cold
start (~500 tokens, ~10 s on 2 cores).
Candidate words are untrusted data inside <candidate_turn> tags they cannot close.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from app.board.reading import board_text
from app.catalog import Round
from app.interviewer import gaps, near_myths
from app.interviewer.anchor import RECENT_TURNS, anchor, said_back
from app.interviewer.builders import current_question
from app.interviewer.moves import Move, MoveKind
from app.interviewer.state import InterviewState

SYSTEM_TEMPLATE = "interviewer_system.j2"
TURN_TEMPLATE = "interviewer_turn.j2"
EXAMPLES_FILE = "interviewer_examples.yaml"
CANDIDATE_WORDS = 80  # of the answer being replied to; longer answers are cut to their tail

# what the LLM is asked to do for each move it writes (other moves are spoken as planned, see llm.py);
# {lead} / {vague} carry the anchor (anchor.py): the candidate's words a follow-up starts from
INSTRUCTIONS = {
    "probe": "{lead}",
    "specifics": "{lead}",
    "challenge": "{lead}",
    "redirect": "Missed the question.",
    "answer_question": "Answer their question in one or two generic sentences without inventing company "
                       "facts, then ask if they have any other questions.",
    "close": "Briefly answer their last question generically, thank the candidate, say the interview is "
             "over and their review will be ready shortly. Ask nothing.",
}
# a follow-up (`kind.lead_only`): the model writes only the lead, a short sentence that picks up the
# candidate's words, and the planner's question is spoken after it (a small model asked for the whole turn
# mostly paraphrases the question, or answers it itself). The notes are short because the system prompt
# explains them (cached). The `turn` tier (llm_role.py, `kind.whole_turn`) writes the whole follow-up from
# the planner's intent.
ECHO = "Echo: \"{anchor}\""
TURN_NOTE = ("Write the whole follow-up ({kind}, phase {phase}{target}): one short sentence that picks up "
             "their words, then one question. Planned: \"{planned}\"{gap}")
GAP_NOTE = " Not yet established: \"{point}\""


def key_gap(state: InterviewState, rnd: Round, q: Any, dimension: str | None) -> str:
    """The answer key's first point of `dimension` the candidate has not made yet (the planner's target)."""
    if q is None or not dimension:
        return ""
    missing = [p for p in gaps.points(rnd, q)
               if p.dimension == dimension and state.question_points.get(p.id) != gaps.ESTABLISHED]
    return GAP_NOTE.format(point=missing[0].point) if missing else ""


@dataclass(frozen=True)
class Templates:
    system: jinja2.Template
    turn: jinja2.Template
    examples: tuple[dict[str, str], ...] = ()  # worked follow-up leads, as chat turns

    @classmethod
    def load(cls, prompts_dir: Any) -> Templates:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(prompts_dir)), autoescape=False,
                                 undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        turn = env.get_template(TURN_TEMPLATE)
        examples: list[dict[str, str]] = []
        for ex in yaml.safe_load((Path(prompts_dir) / EXAMPLES_FILE).read_text()) or []:
            examples += [{"role": "user", "content": turn.render(candidate=sanitize(ex["candidate"]),
                                                                  instruction=ex["note"]).strip()},
                         {"role": "assistant", "content": ex["lead"]}]
        return cls(env.get_template(SYSTEM_TEMPLATE), turn, tuple(examples))


def sanitize(text: str) -> str:
    return text.replace("<", "\u2039").replace(">", "\u203a")  # the candidate cannot close our tags


def _system(templates: Templates, state: InterviewState, rnd: Round) -> str:
    return templates.system.render(title=rnd.rubric.title, level=state.level)


def _tail(text: str, keep: int = CANDIDATE_WORDS) -> str:
    """A long answer's last `keep` words: the model needs the gist and the anchor, which the note repeats."""
    words = text.split()
    return text if len(words) <= keep else "… " + " ".join(words[-keep:])


def build_messages(templates: Templates, state: InterviewState, rnd: Round,
                   move: Move, whole: bool = False) -> list[dict[str, str]] | None:
    """Built before the move is applied: the state still describes the turn being answered. None for a
    follow-up to an answer with nothing specific to pick up: the planned wording is spoken as it is."""
    kind = move.kind
    last = state.history[-1] if state.history else None
    candidate = last.text if last is not None and last.speaker == "candidate" else ""
    q = current_question(state, rnd)
    ask = move.prompt or move.text
    found = None
    if kind.follow_up:  # a follow-up starts from the candidate's words
        said = " ".join(e.text for e in state.history[-RECENT_TURNS:] if e.speaker == "interviewer")
        sayable = near_myths.sayable(candidate, state.event, keep=move.extra.get("misconception_id"))
        found = anchor(sayable, f"{q.text if q else ''} {ask} {said}",  # something not picked up before, near no myth
                       min_score=1 if kind == MoveKind.SPECIFICS else 2,  # a vague answer's words ("it depends")
                       unsure=state.event.unsure if state.event is not None else None)  # never misheard words
        if found is None:
            return None
    if kind == MoveKind.RUN_RESULT:  # the model sees the code and the run; the planned words (failing input) follow
        return [*prefix_messages(templates, state, rnd), {"role": "user", "content": run_turn(templates, state)}]
    lead = ECHO.format(anchor=sanitize(said_back(found) if found else ""))  # "our team" is "your team" here
    instruction = INSTRUCTIONS.get(kind, "Continue the interview.").format(lead=lead)
    if whole:  # the planner's intent, its offline wording as a reference
        target = f", about {move.dimension}" if move.dimension else ""
        instruction += " " + TURN_NOTE.format(kind=kind, phase=move.phase or "", target=target,
                                              planned=sanitize(move.text), gap=key_gap(state, rnd, q, move.dimension))
    if not kind.lead_only and not whole:
        instruction += (" Reply with one or two short spoken sentences"
                        + (" ending with one question." if kind.llm_asks else "."))
    board = board_text(state.event.board if state.event is not None else None)
    if board:  # what is drawn, by its labels (candidate data, like their words)
        instruction = f"Their whiteboard:\n{sanitize(board)}\n{instruction}"
    turn = templates.turn.render(candidate=sanitize(_tail(candidate)), instruction=instruction)
    return [*prefix_messages(templates, state, rnd), {"role": "user", "content": turn.strip()}]


def prefix_messages(templates: Templates, state: InterviewState, rnd: Round) -> list[dict[str, str]]:
    """System prompt and worked examples (the same for the whole interview), then the problem in play."""
    out = [{"role": "system", "content": _system(templates, state, rnd)}, *templates.examples]
    q = next((x for x in rnd.prompt.questions if x.id == state.question_id), None)
    if q is not None:
        out.append({"role": "system", "content": f'The problem in play: "{q.text}"'})
    return out


RUN_NOTE = ("The candidate ran their code: {summary}. Write one short neutral sentence about the run; never "
            "point at a line and never give the fix.")
CODE_LINES = 60  # the code's last lines the model sees


def run_turn(templates: Templates, state: InterviewState) -> str:
    """The user message for a run: the code (numbered, its tail) and the run's one-line summary."""
    from app.runner.results import RunResult

    run = RunResult.model_validate(state.event.run) if state.event is not None and state.event.run else None
    lines = state.code.splitlines()[-CODE_LINES:]
    first = max(1, len(state.code.splitlines()) - CODE_LINES + 1)
    code = "\n".join(f"{first + i}: {line}" for i, line in enumerate(lines))
    summary = sanitize(run.summary()) if run is not None else "no result"
    return templates.turn.render(candidate=sanitize(code), instruction=RUN_NOTE.format(summary=summary)).strip()
