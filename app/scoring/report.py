"""Exports of a scorecard: Markdown (GET .../report.md) and a plain-text table (`viva score`)."""

from __future__ import annotations

from html import escape
from typing import Any

from app.scoring.scorecard import ScorecardDoc
from app.scoring.transcript import TranscriptTurn


def clock(ms: int | None) -> str:
    """Milliseconds as m:ss (h:mm:ss past an hour)."""
    if ms is None:
        return "-"
    s = max(0, int(ms)) // 1000
    h, m, sec = s // 3600, s // 60 % 60, s % 60
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def _md_text(text: str) -> str:
    """Candidate (or model) text on one line, HTML-escaped: Markdown passes raw HTML through, so an answer
    like `<img src=x onerror=...>` must arrive as text, never as markup."""
    return escape(" ".join(str(text).split()), quote=False)


def _md_cell(text: str) -> str:
    return _md_text(text).replace("|", "\\|")


def _speech_lines(doc: ScorecardDoc) -> list[str]:
    sp = doc.speech
    lines = []
    if sp.measured:
        lines.append(f"- Pace: {sp.wpm:g} words per minute over {sp.speaking_ms / 60000:.1f} minutes of "
                     "speech")
        by_count = sorted(sp.fillers_by_word.items(), key=lambda kv: (-kv[1], kv[0]))
        top = ", ".join(f"{w} ×{n}" for w, n in by_count)
        lines.append(f"- Filler words: {sp.filler_count} ({sp.fillers_per_minute or 0:g} per minute)"
                     + (f": {top}" if top else ""))
        lines.append(f"- Pauses over 1 s: {sp.pause_count}" + (f", longest {sp.longest_pause_ms / 1000:.1f} s"
                                                               if sp.pause_count else ""))
    else:
        lines.append("- Pace, fillers and pauses: not measured (no word timings)")
    if sp.candidate_share is not None:
        lines.append(f"- Talk ratio: candidate {sp.candidate_share:.0%} of the talking time")
    if sp.median_latency_ms is not None:
        lines.append(f"- Response latency: median {sp.median_latency_ms / 1000:.1f} s, "
                     f"longest {(sp.max_latency_ms or 0) / 1000:.1f} s")
    if sp.longest_monologue_ms:
        lines.append(f"- Longest monologue: {clock(sp.longest_monologue_ms)}")
    return lines


def score_text(d) -> str:
    """"3/4", or "not assessed" for a dimension the interview never probed."""
    return f"{d.score}/4" if d.assessed else "not assessed"


_MOMENT_TITLES = {"misconception": "Wrong claim", "vague": "Vague answer", "off_topic": "Off-topic answer",
                  "dont_know": "\"I don't know\"", "hint": "Hint"}


def render_markdown(doc: ScorecardDoc, interview: dict[str, Any] | None = None,
                    turns: list[TranscriptTurn] | None = None, board_svg: str | None = None) -> str:
    out = [f"# {doc.round_title} interview: scorecard", ""]
    meta = [f"Level: {doc.level}", f"scorer: {doc.scorer}"]
    if interview and interview.get("id") is not None:
        meta.insert(0, f"Interview {interview['id']}")
    if interview and interview.get("created_at"):
        meta.append(f"date: {str(interview['created_at'])[:10]}")
    out += [" · ".join(meta), ""]
    out += [f"**Overall: {doc.overall:.2f} / 4 — {doc.hire_signal}**", "", doc.summary, ""]
    if doc.fallback_reason:
        out += [f"_The LLM scorer was not used ({doc.fallback_reason}); this is the offline scorecard._", ""]
    out += ["| Dimension | Weight | Score |", "| --- | ---: | ---: |"]
    out += [f"| {_md_cell(d.name)} | {d.weight:g} | {score_text(d)} |" for d in doc.dimensions]
    out.append("")
    if doc.not_assessed:
        out += [f"_Not assessed in this interview (left out of the overall): {', '.join(doc.not_assessed)}._", ""]
    if doc.misconceptions:
        out += ["## Corrections", ""]
        for m in doc.misconceptions:
            out += [f"- “{_md_text(m.quote)}” (turn {m.seq}, {clock(m.start_ms)}): {_md_text(m.correction)}"]
        out.append("")
    others = [m for m in doc.moments if m.kind != "misconception"]
    if others:
        out += ["## What happened", ""]
        for m in others:
            out += [f"- {_MOMENT_TITLES.get(m.kind, m.kind)}, turn {m.seq}: “{_md_text(m.quote)}”"]
        out.append("")
    for title, items in (("Strengths", doc.strengths), ("To improve", doc.improvements),
                         ("Practise next", doc.practice)):
        if items:
            out += [f"## {title}", ""] + [f"- {_md_text(i)}" for i in items] + [""]
    out += ["## Dimensions", ""]
    for d in doc.dimensions:
        if not d.assessed:
            out += [f"### {d.name}: not assessed", "", "_Not assessed in this interview._", "", _md_text(d.rationale),
                    ""]
            continue
        out += [f"### {d.name}: {d.score}/4", "", f"_{d.anchor}_", "", _md_text(d.rationale), ""]
        for ev in d.evidence:
            quote = _md_text(ev.quote)  # the ellipses mark the rest of the sentence, outside the quote
            before, after = ("… " if ev.cut_before else ""), (" …" if ev.cut_after else "")
            out.append(f"> {before}“{quote}”{after} — turn {ev.seq}, {clock(ev.start_ms)}–{clock(ev.end_ms)}")
            out.append("")
        for q in d.code_evidence:
            out += [f"Code ({q.question_id}, {q.language}), {q.note}:", ""]
            out += _code_block(q.lines, q.first_line) + [""]
        if d.drawn:
            drawn = "; ".join(f"{_md_text(f['text'])} at {clock(f['at_ms'])}" for f in d.drawn)
            out += [f"Drawn on the whiteboard: {drawn}.", ""]
        out += [f"On the whiteboard: {_md_text(g)}" for g in d.drawn_gaps] + ([""] if d.drawn_gaps else [])
        if d.missing:
            out += [f"A strong answer would also cover: {', '.join(d.missing)}.", ""]
    if doc.code:
        out += ["## Code", ""]
        for w in doc.code:
            result = (f"hidden tests {w.passed}/{w.total} {w.status}" if w.status else "never submitted")
            failure = f", first failure on {w.first_failure}" if w.first_failure else ""
            out += [f"### {_md_cell(w.question_id)} ({w.language}): {result}{_md_cell(failure)}", "",
                    f"{w.runs} example run(s), {w.submits} submit(s). Final code:", ""]
            out += _code_block(w.code.splitlines() or [""], 1) + [""]
    out += ["## Speech", "", "_Measured from the audio; never part of the scores above._", ""]
    out += _speech_lines(doc) + [""]
    if doc.pacing.measured:
        out += ["## Pacing", "", "| Phase | Target (min) | Actual (min) | |", "| --- | ---: | ---: | --- |"]
        for p in doc.pacing.phases:
            target = f"{p.target_min:g}" if p.target_min is not None else "-"
            state = p.status.replace("_", " ")
            out.append(f"| {_md_cell(p.name)} | {target} | {p.actual_min:.1f} | {state} |")
        out.append("")
    if doc.notes:
        out += ["## Notes", ""] + [f"- {_md_text(n)}" for n in doc.notes] + [""]
    if board_svg:  # built by app/board/svg.py, every label escaped
        out += ["## Whiteboard", "", "_The diagram as it was at the end of the interview._", "", board_svg, ""]
    if turns:
        out += ["## Transcript", ""]
        for t in turns:
            who = "Candidate" if t.is_candidate else "Interviewer"
            out += [f"**{who}** ({clock(t.start_ms)}, turn {t.seq}): {_md_text(t.text)}", ""]
    return "\n".join(out).rstrip() + "\n"


def _code_block(lines: list[str], first: int) -> list[str]:
    """An indented Markdown code block with line numbers: nothing in it is read as markup."""
    return [f"    {first + i} | {line.expandtabs(4)}".rstrip() for i, line in enumerate(lines)]


def render_table(doc: ScorecardDoc) -> str:
    """The scorecard as a plain-text table for the terminal."""
    out = [f"{doc.round_title} — level {doc.level} — scorer {doc.scorer}", ""]
    out.append(f"{'DIMENSION':<40}{'WEIGHT':>7}{'SCORE':>7}{'QUOTES':>8}  {'BY':<17}MISSING")
    for d in doc.dimensions:
        missing = ", ".join(d.missing[:3]) + (" …" if len(d.missing) > 3 else "")
        score = score_text(d) if d.assessed else "n/a"
        out.append(f"{d.name[:39]:<40}{d.weight:>7g}{score:>7}{len(d.evidence):>8}  {d.scored_by:<17}{missing}")
    out += ["", f"OVERALL {doc.overall:.2f} / 4 — {doc.hire_signal}", "", doc.summary]
    if doc.not_assessed:
        out += ["", f"Not assessed in this interview: {', '.join(doc.not_assessed)}"]
    if doc.misconceptions:
        out += ["", "Corrections:"] + [f"  - turn {m.seq}: \"{m.quote}\" - {m.correction}" for m in doc.misconceptions]
    for title, items in (("Strengths", doc.strengths), ("To improve", doc.improvements),
                         ("Practise next", doc.practice), ("Notes", doc.notes)):
        if items:
            out += ["", f"{title}:"] + [f"  - {i}" for i in items]
    out += ["", "Speech (never part of the scores):"] + [f"  {line[2:]}" for line in _speech_lines(doc)]
    return "\n".join(out) + "\n"
