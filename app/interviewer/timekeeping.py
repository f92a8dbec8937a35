"""The round's clock: which phase we are in, how much time is left, when to wrap up.

Pure functions of the rubric's phase plan and the connected time (seconds), so the offline brain, the
LLM brain and the tests all agree, and a fake clock drives them in tests.
"""

from __future__ import annotations

import re

from app.catalog import Phase, Round

WRAP_UP_S = 180.0  # ask "any questions for me?" once this little time is left (or in the wrap-up phase)
CLOSE_S = 45.0  # with this little left, answer a candidate's question and close
MIN_QUESTION_S = 240.0
MAX_QUESTION_S = 900.0
QUESTIONS_PER_ROUND = 3  # target main questions in the main phases; a fast candidate gets more
QUESTIONS_BY_PROGRESS = 2  # ... and the answers a fast candidate gives are shared by at least this many
_STOP = {"and", "the", "of", "for", "with", "design", "phase", "round"}


def total_s(rnd: Round) -> float:
    return rnd.rubric.duration_minutes * 60.0


def remaining_s(rnd: Round, elapsed_s: float) -> float:
    return max(0.0, total_s(rnd) - elapsed_s)


def phase_at(rnd: Round, elapsed_s: float) -> Phase:
    end = 0.0
    for phase in rnd.rubric.phases:
        end += phase.minutes * 60.0
        if elapsed_s < end:
            return phase
    return rnd.rubric.phases[-1]


def is_questions_phase(phase: Phase) -> bool:
    """The wrap-up, or a phase for the candidate's questions (e.g. behavioral 'candidate_questions')."""
    return phase.key == "wrap_up" or "question" in phase.key


def in_wrap_up(rnd: Round, elapsed_s: float, answers: int = 0) -> bool:
    """Time for "any questions for me?": by the clock, or because the answers used up every phase."""
    return is_questions_phase(current_phase(rnd, elapsed_s, answers)) or remaining_s(rnd, elapsed_s) <= WRAP_UP_S


# --- pacing by progress: a fast (typed) candidate walks every phase too --------------------------------
ANSWERS_BEFORE_WRAP_UP = 16  # a fast candidate's answers before "any questions for me?" (plus ~3 to close)


def _budgets(rnd: Round) -> dict[str, int]:
    """ANSWERS_BEFORE_WRAP_UP shared by the phases in proportion to their minutes (largest remainder),
    at least one each; questions phases hold none."""
    main = [p for p in rnd.rubric.phases if not is_questions_phase(p)]
    total = sum(p.minutes for p in main)
    shares = {p.key: ANSWERS_BEFORE_WRAP_UP * p.minutes / total for p in main}
    out = {k: max(1, int(v)) for k, v in shares.items()}
    by_remainder = sorted(shares, key=lambda k: (-(shares[k] - int(shares[k])), k))
    for key in by_remainder:
        if sum(out.values()) >= ANSWERS_BEFORE_WRAP_UP:
            break
        if shares[key] >= 1:
            out[key] += 1
    return out


def answer_budget(phase: Phase, rnd: Round | None = None) -> int:
    """Answers a phase holds before a fast candidate is moved on to the next one (0: questions phases)."""
    if is_questions_phase(phase):
        return 0
    if rnd is None:
        return max(1, round(phase.minutes / 3.0))
    return _budgets(rnd)[phase.key]


def answers_before_wrap_up(rnd: Round) -> int:
    total = 0
    for phase in rnd.rubric.phases:
        if is_questions_phase(phase):
            break
        total += answer_budget(phase, rnd)
    return total


def phase_by_progress(rnd: Round, answers: int) -> Phase:
    """The phase a candidate who has given `answers` answers has reached, whatever the clock says."""
    end = 0
    for phase in rnd.rubric.phases:
        if is_questions_phase(phase):
            return phase
        end += answer_budget(phase, rnd)
        if answers < end:
            return phase
    return rnd.rubric.phases[-1]


def current_phase(rnd: Round, elapsed_s: float, answers: int = 0) -> Phase:
    """The later of the phase by the clock and the phase by progress."""
    phases = rnd.rubric.phases
    by_clock, by_progress = phase_at(rnd, elapsed_s), phase_by_progress(rnd, answers)
    return max(by_clock, by_progress, key=lambda p: phases.index(p))


def question_answer_budget(rnd: Round) -> int:
    """Answers one main question may take before a fast candidate gets the next one."""
    return max(4, -(-answers_before_wrap_up(rnd) // QUESTIONS_BY_PROGRESS))


def main_s(rnd: Round) -> float:
    """Seconds of the phases where main questions are asked (not intro, not questions/wrap-up)."""
    return sum(p.minutes * 60.0 for p in rnd.rubric.phases[1:] if not is_questions_phase(p))


def question_budget_s(rnd: Round) -> float:
    """Time one main question may take before we move on even if it is not covered."""
    return min(MAX_QUESTION_S, max(MIN_QUESTION_S, main_s(rnd) / QUESTIONS_PER_ROUND))


def _words(text: str) -> set[str]:
    words = re.findall(r"[a-z]+", text.lower().replace("_", " "))
    return {w[:4] for w in words if len(w) >= 3 and w not in _STOP}


def phase_dimensions(rnd: Round) -> dict[str, list[str]]:
    """Dimensions that a phase is about: its `dimensions` in the rubric, else by shared words in keys and
    names (a preference, not a rule)."""
    out: dict[str, list[str]] = {}
    for phase in rnd.rubric.phases:
        if phase.dimensions:
            out[phase.key] = list(phase.dimensions)
            continue
        pw = _words(f"{phase.key} {phase.name}")
        out[phase.key] = [d.key for d in rnd.rubric.dimensions if pw & _words(f"{d.key} {d.name}")]
    return out


def minutes_phrase(seconds: float) -> str:
    minutes = max(1, round(seconds / 60.0))
    return "a minute" if minutes == 1 else f"{minutes} minutes"
