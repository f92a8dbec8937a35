"""The words around the scores (offline): summary, strengths, improvements and what to practise next.

Everything is derived from the dimension scores, the signals found or missing, the kinds of reasoning
found, and the round's own question bank (a practice item is a real question of the round whose
follow-up probes the weak dimension). Speech tips come last and never change a score.
"""

from __future__ import annotations

from app.catalog import Round
from app.scoring import depth
from app.scoring.scorecard import DimensionScore, Narrative
from app.scoring.speech import SpeechMetrics

MAX_ITEMS = 3
FILLERS_PER_MIN_TIP = 6.0
FAST_WPM, SLOW_WPM = 180.0, 100.0
LONG_MONOLOGUE_MS = 4 * 60_000


def _and(items: list[str]) -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _strength(d: DimensionScore) -> str:
    text = f"{d.name} ({d.score}/4): covered {_and(d.signals_found[:3])}"
    if d.reasoning:
        text += f", with {_and([depth.KIND_LABELS[k] for k in d.reasoning[:3]])}"
    return text + "."


def _improvement(d: DimensionScore) -> str:
    parts = []
    if d.missing:
        parts.append(f"a strong answer would also cover {_and(d.missing[:3])}")
    lacking = [k for k in ("reasons", "trade_offs", "numbers", "order", "examples", "decisions")
               if k not in d.reasoning][:2]
    if d.score < 4 and lacking:
        parts.append(_and([depth.ADVICE[k] for k in lacking]))
    return f"{d.name} ({d.score}/4): " + ("; ".join(parts) or "keep the depth you showed") + "."


def _practice(rnd: Round, level: str, weak: list[DimensionScore]) -> list[str]:
    out, used = [], set()
    questions = rnd.questions_for(level) or rnd.prompt.questions
    for d in weak:
        for q in questions:
            probe = next((p for p in q.probes if p.dimension == d.key), None)
            if probe is None or q.id in used:
                continue
            used.add(q.id)
            focus = f", and make sure you cover {_and(d.missing[:2])}" if d.missing else ""
            out.append(f"{d.name}: answer \"{q.text}\" out loud, then the follow-up \"{probe.text}\"{focus}.")
            break
    return out


def _speech_tips(speech: SpeechMetrics) -> list[str]:
    tips = []
    if not speech.measured:
        return tips
    if speech.fillers_per_minute is not None and speech.fillers_per_minute > FILLERS_PER_MIN_TIP:
        top = max(speech.fillers_by_word.items(), key=lambda kv: (kv[1], kv[0]))[0]
        tips.append(f"Speech: {speech.fillers_per_minute:g} filler words per minute (mostly \"{top}\"); "
                    "a silent pause reads as thinking, a filler as hesitation.")
    if speech.wpm is not None and speech.wpm > FAST_WPM:
        tips.append(f"Speech: {speech.wpm:g} words per minute is fast for a technical explanation; "
                    "slow down at the decisions.")
    elif speech.wpm is not None and speech.wpm < SLOW_WPM:
        tips.append(f"Speech: {speech.wpm:g} words per minute; practise saying the plan in one breath "
                    "before the details.")
    if speech.longest_monologue_ms > LONG_MONOLOGUE_MS:
        tips.append(f"Speech: one answer ran {speech.longest_monologue_ms / 60000:.1f} minutes without a "
                    "break; check in with the interviewer every couple of minutes.")
    return tips


def offline_narrative(rnd: Round, level: str, dims: list[DimensionScore], overall: float, signal: str,
                      hints: int, speech: SpeechMetrics) -> Narrative:
    order = {d.key: i for i, d in enumerate(dims)}
    best_first = sorted(dims, key=lambda d: (-d.score, -d.weight, order[d.key]))
    worst_first = sorted(dims, key=lambda d: (d.score, -d.weight, order[d.key]))
    found = sum(len(d.signals_found) for d in dims)
    total = found + sum(len(d.missing) for d in dims)
    summary = (f"{signal.capitalize()} for a {level} {rnd.rubric.title} round: "
               f"weighted score {overall:.2f} of 4. Named {found} of {total} points the rubric looks for.")
    if dims:
        best, worst = best_first[0], worst_first[0]
        summary += f" Strongest: {best.name} ({best.score}/4); weakest: {worst.name} ({worst.score}/4)."
    if hints:
        summary += f" {hints} hint{'s' if hints > 1 else ''} used."
    strengths = [_strength(d) for d in best_first if d.score >= 3][:MAX_ITEMS]
    if not strengths and best_first and best_first[0].score >= 2:
        strengths = [_strength(best_first[0])]
    weak = [d for d in worst_first if d.score < 4][:MAX_ITEMS]
    return Narrative(
        summary=summary,
        strengths=strengths,
        improvements=[_improvement(d) for d in weak],
        practice=_practice(rnd, level, weak[:2]) + _speech_tips(speech),
    )
