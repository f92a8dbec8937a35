"""The words around the scores (offline): what happened, summary, strengths, improvements, practice.

Moments come from the interview itself: answers the interviewer found vague or off-topic, "I don't
know"s (turn meta `answer_kind` set by the interviewer, or for older transcripts the move it answered
with: `specifics`, `redirect`, `hint`), hints, and misconceptions, each with its quote and turn.
Improvements are specific to the dimension and to what the candidate said there: the wrong claim and
its correction, the vague or missed answer to its probe, or their own best quote with what it lacked,
then what the next anchor of the rubric asks for. Dimensions the interview never assessed go to
"practise next", with a real question of the round that probes them. Speech tips come last and never
change a score.
"""

from __future__ import annotations

import re

from app.catalog import Round
from app.hearing import depth
from app.interviewer.moves import MoveKind
from app.scoring.scorecard import DimensionScore, MisconceptionHit, Moment, Narrative, is_hint
from app.scoring.speech import SpeechMetrics
from app.scoring.transcript import TranscriptTurn

MAX_ITEMS = 3
FILLERS_PER_MIN_TIP = 6.0
FAST_WPM, SLOW_WPM = 180.0, 100.0
LONG_MONOLOGUE_MS = 4 * 60_000
QUOTE_CHARS = 160
_DONT_KNOW = re.compile(r"\b(i don'?t know|no idea|i'?m not sure|not sure|i have no clue|i can'?t remember)\b",
                        re.IGNORECASE)
_NOTES = {
    "vague": "a vague answer: no specifics the interviewer could follow up on",
    "off_topic": "an answer that did not address the question in play",
    "dont_know": "\"I don't know\"",
    "hint": "the interviewer gave a hint",
}


def _and(items: list[str]) -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _cut(text: str, limit: int = QUOTE_CHARS) -> str:
    """A verbatim prefix of `text`, cut at a word boundary."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut[: cut.rfind(" ")] if " " in cut else cut


# --- what happened ---------------------------------------------------------------------------------
def _answer_kind(answer: TranscriptTurn, reply: TranscriptTurn | None) -> str | None:
    if reply is not None and (kind := reply.meta.get("answer_kind")):
        return kind if kind in ("vague", "off_topic", "dont_know") else None
    if reply is not None and (was := MoveKind.of(reply.meta.get("move")).answer_was):
        return was
    if len(answer.text.split()) <= 12 and _DONT_KNOW.search(answer.text):
        return "dont_know"
    return None


def moments(turns: list[TranscriptTurn], wrong: list[MisconceptionHit]) -> list[Moment]:
    """What the feedback names, in transcript order."""
    out: list[Moment] = []
    probe: str | None = None  # the dimension the question in play targets
    for i, t in enumerate(turns):
        if not t.is_candidate:
            probe = t.meta.get("dimension") or probe
            if is_hint(t):
                out.append(Moment(kind="hint", seq=t.seq, quote=_cut(t.text), dimension=t.meta.get("dimension"),
                                  note=_NOTES["hint"]))
            continue
        if not t.text.strip():
            continue
        reply = next((u for u in turns[i + 1:] if not u.is_candidate), None)
        if kind := _answer_kind(t, reply):
            out.append(Moment(kind=kind, seq=t.seq, quote=_cut(t.text), dimension=probe, note=_NOTES[kind]))
    for h in wrong:
        out.append(Moment(kind="misconception", seq=h.seq, quote=h.quote, dimension=h.dimension,
                          note=h.correction))
    return sorted(out, key=lambda m: (m.seq, m.kind))


# --- strengths and improvements ----------------------------------------------------------------------
def _strength(d: DimensionScore) -> str:
    text = f"{d.name} ({d.score}/4): covered {_and(d.signals_found[:3])}"
    if d.reasoning:
        text += f", with {_and([depth.KIND_LABELS[k] for k in d.reasoning[:3]])}"
    if d.evidence:
        text += f", e.g. \"{_cut(d.evidence[0].quote, 100)}\" (turn {d.evidence[0].seq})"
    return text + "."


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    m = re.search(r"(?<=[.;])\s", text)
    return (text[: m.start()] if m else text).rstrip(".;") + "."


def _improvement(rnd: Round, d: DimensionScore, happened: list[Moment]) -> str:
    head = f"{d.name} ({d.score}/4): "
    wrong = [m for m in happened if m.kind == "misconception" and m.dimension == d.key]
    if wrong:
        m = wrong[0]
        note = m.note if m.note[1:2].isupper() else m.note[0].lower() + m.note[1:]  # keep "ROW_NUMBER", "TCP"
        return head + f"you said \"{_cut(m.quote, 120)}\" (turn {m.seq}), but {note}"
    missed = [m for m in happened if m.kind in ("vague", "off_topic", "dont_know") and m.dimension == d.key]
    parts = []
    if missed:
        m = missed[0]
        parts.append(f"asked about it, you gave {m.note} (turn {m.seq}: \"{_cut(m.quote, 80)}\")")
    elif d.evidence:
        lacking = [k for k in ("reasons", "trade_offs", "numbers", "examples", "decisions", "order")
                   if k not in d.reasoning][:2]
        said = f"you said \"{_cut(d.evidence[0].quote, 90)}\" (turn {d.evidence[0].seq})"
        parts.append(said + (f"; {_and([depth.ADVICE[k] for k in lacking])}" if lacking and d.score < 4 else ""))
    elif "list-like" in d.flags:
        parts.append("you listed the terms without explaining any of them; pick one and say how and why")
    else:
        parts.append("nothing you said spoke to it")
    if d.missing:
        parts.append(f"a strong answer would also cover {_and(d.missing[:3])}")
    if d.score < 4:
        parts.append(f"the next level: {_first_sentence(rnd.dimension(d.key).anchors[d.score + 1])}")
    return head + "; ".join(parts)


def _practice(rnd: Round, level: str, weak: list[DimensionScore]) -> list[str]:
    out, used = [], set()
    questions = rnd.questions_for(level) or rnd.prompt.questions
    for d in weak:
        for q in questions:
            probe = next((p for p in q.probes if p.dimension == d.key), None)
            if probe is None or q.id in used:
                continue
            used.add(q.id)
            if not d.assessed:
                out.append(f"{d.name} (not assessed in this interview): answer \"{q.text}\" out loud, then the "
                           f"follow-up \"{probe.text}\".")
            else:
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


def _happened_line(happened: list[Moment]) -> str:
    counts = {k: sum(m.kind == k for m in happened) for k in ("misconception", "vague", "off_topic", "dont_know")}
    words = {"misconception": "wrong claim", "vague": "vague answer", "off_topic": "off-topic answer",
             "dont_know": "\"I don't know\""}
    said = [f"{n} {words[k]}{'s' if n > 1 and k != 'dont_know' else ''}" for k, n in counts.items() if n]
    return f" The interview had {_and(said)}." if said else ""


def offline_narrative(rnd: Round, level: str, dims: list[DimensionScore], overall: float, signal: str,
                      hints: int, speech: SpeechMetrics, *, turns: list[TranscriptTurn] | None = None,
                      happened: list[Moment] | None = None) -> Narrative:
    happened = happened if happened is not None else moments(turns or [], [])
    order = {d.key: i for i, d in enumerate(dims)}
    assessed = [d for d in dims if d.assessed]
    skipped = [d for d in dims if not d.assessed]
    best_first = sorted(assessed, key=lambda d: (-d.score, -d.weight, order[d.key]))
    worst_first = sorted(assessed, key=lambda d: (d.score, -d.weight, order[d.key]))
    found = sum(len(d.signals_found) for d in assessed)
    total = found + sum(len(d.missing) for d in assessed)
    summary = (f"{signal.capitalize()} for a {level} {rnd.rubric.title} round: "
               f"weighted score {overall:.2f} of 4. Named {found} of {total} points the rubric looks for.")
    if assessed:
        best, worst = best_first[0], worst_first[0]
        summary += f" Strongest: {best.name} ({best.score}/4); weakest: {worst.name} ({worst.score}/4)."
    if hints:
        summary += f" {hints} hint{'s' if hints > 1 else ''} used."
    summary += _happened_line(happened)
    if skipped:
        summary += f" Not assessed in this interview: {_and([d.name for d in skipped])}."
    strengths = [_strength(d) for d in best_first if d.score >= 3][:MAX_ITEMS]
    if not strengths and best_first and best_first[0].score >= 2:
        strengths = [_strength(best_first[0])]
    weak = [d for d in worst_first if d.score < 4][:MAX_ITEMS]
    return Narrative(
        summary=summary,
        strengths=strengths,
        improvements=[_improvement(rnd, d, happened) for d in weak],
        practice=_practice(rnd, level, skipped + weak[:2]) + _speech_tips(speech),
    )
