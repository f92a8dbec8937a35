"""The interviewer harness: scripted candidates (personas.py) through whole interviews on a fake clock.

    report = await evaluate(catalog, brain, answers=20)      # any Brain: offline, LLM, a test double
    print(format_table({"offline": report}))

Typed answers go through `Interviewer.respond(text, typed=True)`, spoken ones with typed=False (the call the
voice pipeline's Conversation makes for a final transcript). Every answer comes `step_s` seconds after the
reply. Rates count only the lines a persona labels (personas.line): e.g. "vague followed up" is the share
of vague answers to a question or probe (not to a request for specifics) whose reply asks for specifics.
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass, field

from app.board.persona import drawing
from app.catalog import Catalog, Round
from app.interviewer import gaps
from app.interviewer import personas as PS
from app.interviewer.brain import Brain
from app.interviewer.builders import COVERED, current_question
from app.interviewer.interviewer import Interviewer
from app.interviewer.moves import MoveKind
from app.interviewer.phrases import sentences
from app.interviewer.speech import fragments, opener
from app.interviewer.walk import main_phases as walk_phases
from app.interviewer.walk import resolve
from app.interviewer.words import stems
from app.progress import Progress

LEVELS = ("mid", "senior", "staff")
_MARKDOWN = re.compile(r"(\*\*|__|`|^#|^\s*[-*] |^\s*\d+\. )", re.MULTILINE)


class FakeClock:
    def __init__(self, t: float = 1000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


@dataclass
class Tally:
    hits: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.hits += bool(ok)

    @property
    def rate(self) -> float | None:
        return self.hits / self.total if self.total else None


@dataclass
class Report:
    clarify_fact: Tally = field(default_factory=Tally)
    off_topic_redirected: Tally = field(default_factory=Tally)
    other_redirected: Tally = field(default_factory=Tally)  # strong answers to another question of the round
    other_redirected_deep: Tally = field(default_factory=Tally)  # the same, in deep rounds (one problem)
    vague_followed_up: Tally = field(default_factory=Tally)
    dont_know_probe_hint: Tally = field(default_factory=Tally)
    dims_probed: list[float] = field(default_factory=list)  # share per session, before the wrap-up
    dims_probed_20: list[int] = field(default_factory=list)  # count per full-length session
    dims_reached_20: list[int] = field(default_factory=list)  # ... probed, or evidenced by the answers
    all_phases: Tally = field(default_factory=Tally)  # sessions that reached every phase and the wrap-up
    repeated_questions: int = 0
    multi_question: Tally = field(default_factory=Tally)
    markdown: Tally = field(default_factory=Tally)
    refers_to_answer: Tally = field(default_factory=Tally)
    latencies_ms: list[float] = field(default_factory=list)
    board_follow_ups: Tally = field(default_factory=Tally)  # follow-ups naming a drawn component (board drawn)
    board_undrawn: int = 0  # follow-ups naming a component that is not drawn (or not saying the label named)
    board_contradiction: Tally = field(default_factory=Tally)  # contradicting lines raised at once
    sessions: int = 0
    key_gap: Tally = field(default_factory=Tally)  # follow-ups seeking a key point not yet made (gaps.py)
    fragments: Tally = field(default_factory=Tally)  # interviewer lines with a sentence no one would say (speech.py)
    you_said: Tally = field(default_factory=Tally)  # follow-ups opening with "You said ..." / "You mentioned ..."
    one_problem: Tally = field(default_factory=Tally)  # deep rounds, 20-answer sessions: a single problem
    problem_phases: Tally = field(default_factory=Tally)  # ... every main phase reached on the first problem
    failures: list[str] = field(default_factory=list)  # the misses, for reading (bench --misses)


async def _say(chunks) -> tuple[str, float]:
    started = time.perf_counter()
    text = "".join([c async for c in chunks])
    return text, (time.perf_counter() - started) * 1000


def _hint_in_play(iv: Interviewer) -> str:
    q = current_question(iv.state, iv.round)
    if q is None:
        return ""
    ask = resolve(iv.round, q, iv.state.probe_in_play)
    return ask.hint if ask is not None else q.hint


async def _settle(brain: Brain) -> None:
    """A brain's background work (the LLM's prompt pre-fill) ends while the candidate speaks, as it would
    in a real interview; the reply latency is measured from the end of the answer."""
    idle = getattr(brain, "idle", None)
    if idle is not None:
        await idle()


async def run_session(rnd: Round, level: str, brain: Brain, persona: str, typed: bool, answers: int,
                      report: Report, step_s: float = 60.0) -> None:
    clock = FakeClock()
    iv = Interviewer(rnd, level, brain, clock=clock)
    iv.start()
    text, ms = await _say(iv.opening())
    report.latencies_ms.append(ms)
    said = [(text, dict(iv.last_meta))]
    wrap_dims: set[str] | None = None
    wrap_covered: set[str] = set()
    for i in range(answers):
        if iv.finished:
            break
        clock.t += step_s
        if iv.state.wrap_up == "asked":
            answer, label = PS.WRAP_UP[min(iv.state.candidate_questions, 1)], "wrap"
        else:
            answer, label = PS.line(persona, rnd.id, i)
            if label == "other_question":
                answer = PS.other_answer(rnd.id, iv.state.question_id, i // 2)
        last_move, hint = iv.state.last_move, _hint_in_play(iv)
        if persona == "drawer":
            iv.board = drawing(rnd.id, i)
        await _settle(brain)
        prompt_before = iv.state.last_prompt
        reply, ms = await _say(iv.respond(answer, typed=typed))
        meta = dict(iv.last_meta)
        report.latencies_ms.append(ms)
        said.append((reply, meta))
        move = meta.get("move")
        kind = MoveKind.of(move)
        in_wrap = kind.wrap_up
        if label == "clarifying" and not in_wrap:
            ok = move == "clarify" and bool(meta.get("fact_id") or (meta.get("confused") and reply))
            report.clarify_fact.add(ok)
            if not ok:
                report.failures.append(f"clarify {rnd.id}/{meta.get('question_id')}: {answer!r} -> {move}")
        elif label == "off_topic" and not in_wrap and last_move != "redirect":
            report.off_topic_redirected.add(move == "redirect")
            if move != "redirect":
                report.failures.append(f"off_topic {rnd.id}/{meta.get('question_id')}: {answer[:40]!r} -> {move}")
        elif label == "other_question" and not in_wrap and last_move != "redirect":
            report.other_redirected.add(move == "redirect")
            if rnd.deep:
                report.other_redirected_deep.add(move == "redirect")
            if move != "redirect":
                report.failures.append(f"other {rnd.id}/{meta.get('question_id')}: {answer[:40]!r} -> {move}")
        elif label == "vague" and not in_wrap and last_move != "specifics":
            ok = move == "specifics"
            report.vague_followed_up.add(ok)
            if not ok:
                report.failures.append(f"vague {rnd.id}/{level}/{persona}: {answer!r} -> {move}")
        elif label == "dont_know" and not in_wrap:
            moved_on = move == "next_question" or (rnd.deep and move == "probe")  # a deep round: the next prompt
            report.dont_know_probe_hint.add(move == "hint" and hint in reply or moved_on)
        if move == "probe":
            _key_gap(iv, meta, report)
        if kind.echoes and label not in ("clarifying", "wrap", "vague"):  # a vague answer
            # has nothing to refer to: the follow-up in play is asked again, concretely (answers._press)
            shared = stems(reply) & stems(answer) - stems(prompt_before)
            report.refers_to_answer.add(bool(shared))
            if not shared:
                why = meta.get("fallback_reason") or ("planned" if not meta.get("llm") else "no_shared_word")
                report.failures.append(f"refers {rnd.id}/{persona}/{move}: {why}: {answer[:50]!r} -> {reply[:60]!r}")
        if iv.board and not in_wrap:
            _board_tally(report, iv.board, label, move, reply, meta, f"{rnd.id}/{level}")
        if move == "wrap_up_questions" and wrap_dims is None:
            wrap_dims = _probed(iv)
            wrap_covered = {d for d, heard in iv.state.coverage.items() if len(heard) >= COVERED}
    dims = wrap_dims if wrap_dims is not None else _probed(iv)
    report.dims_probed.append(len(dims) / len(rnd.dimension_keys))
    if answers >= 20:
        report.dims_probed_20.append(len(dims))
        report.dims_reached_20.append(len(dims | wrap_covered))
    if rnd.deep and answers >= 20:
        _deep_walk(rnd, said, report, f"{rnd.id}/{level}/{persona}/{'typed' if typed else 'spoken'}")
    phases = {m.get("phase") for _, m in said}
    reached = {p.key for p in rnd.rubric.phases} <= phases | {"intro"} and iv.finished
    report.all_phases.add(reached)
    if not reached:
        missing = sorted({p.key for p in rnd.rubric.phases} - phases)
        report.failures.append(f"phases {rnd.id}/{level}/{persona}/{'typed' if typed else 'spoken'}: "
                               f"missing {missing}, finished={iv.finished}")
    asked = [t for t, m in said if MoveKind.of(m.get("move")).asked_once]
    report.repeated_questions += len(asked) - len(set(asked))
    for t, m in said:
        report.multi_question.add(t.count("?") > 1)
        if t.count("?") > 1:  # listed with the misses
            report.failures.append(f"two questions {rnd.id}/{persona}/{m.get('move')}: {t[:200]!r}")
        report.markdown.add(bool(_MARKDOWN.search(t)))
        cut = fragments(t)
        report.fragments.add(bool(cut))
        if cut:
            report.failures.append(f"fragment {rnd.id}/{m.get('move')}: {cut[0]!r}")
        if MoveKind.of(m.get("move")).follow_up:
            report.you_said.add(opener(t) is not None)
    report.sessions += 1


def _key_gap(iv: Interviewer, meta: dict, report: Report) -> None:
    """Does a probe seek an answer-key point of its question that the answers have not made yet (its own
    points, else the points of its dimension)? Questions without a key are not counted."""
    q = current_question(iv.state, iv.round)
    if q is None:
        return
    targets = list(meta.get("points") or ()) or gaps.points_of(iv.round, q, meta.get("dimension") or "")
    if targets:
        made = iv.state.question_points
        report.key_gap.add(any(made.get(p) != gaps.ESTABLISHED for p in targets))


def _deep_walk(rnd: Round, said: list[tuple[str, dict]], report: Report, where: str) -> None:
    """A deep round stays on one problem and walks every main phase of it."""
    problems = [m.get("question_id") for _, m in said if MoveKind.of(m.get("move")).main_question]
    report.one_problem.add(len(problems) == 1)
    first = problems[0] if problems else None
    walked = {m.get("phase") for _, m in said if m.get("question_id") == first}
    main = {p.key for p in walk_phases(rnd)}
    report.problem_phases.add(main <= walked)
    if len(problems) != 1 or not main <= walked:
        report.failures.append(f"deep {where}: problems {problems}, phases missing {sorted(main - walked)}")


def _board_tally(report: Report, board: dict, label: str, move: str | None, reply: str, meta: dict,
                 where: str) -> None:
    drawn = {n["label"] for n in board["nodes"]}
    refs = meta.get("board_refs") or []
    report.board_undrawn += sum(r not in drawn or r not in reply for r in refs)
    if MoveKind.of(move).follow_up and label not in ("clarifying", "wrap"):
        report.board_follow_ups.add(bool(refs))
    if label == "contradiction":
        report.board_contradiction.add(meta.get("board") == "contradiction")
        if meta.get("board") != "contradiction":
            report.failures.append(f"board contradiction {where}: -> {move} {reply[:60]!r}")


def _probed(iv: Interviewer) -> set[str]:
    """Dimensions an interviewer turn targeted (probe, hint, specifics, redirect)."""
    return set(iv.state.probed)


async def evaluate(catalog: Catalog, brain: Brain, answers: int = 20, rounds: list[str] | None = None,
                   levels: tuple[str, ...] = LEVELS, personas: tuple[str, ...] = PS.PERSONAS,
                   modes: tuple[bool, ...] = (True, False), show_progress: bool = False,
                   label: str = "sessions") -> Report:
    report = Report()
    chosen = [rnd for rnd in catalog if not rounds or rnd.id in rounds]
    progress = Progress(len(chosen) * len(levels) * len(personas) * len(modes), label, enabled=show_progress)
    for rnd in chosen:
        for level in levels:
            for persona in personas:
                for typed in modes:
                    await run_session(rnd, level, brain, persona, typed, answers, report)
                    progress.step()
    return report


def _pct(t: Tally) -> str:
    return "—" if t.rate is None else f"{100 * t.rate:.0f}% ({t.hits}/{t.total})"


def rows(report: Report) -> list[tuple[str, str]]:
    lat = sorted(report.latencies_ms) or [0.0]
    p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
    dims = statistics.mean(report.dims_probed) if report.dims_probed else 0.0
    d20 = f", min {min(report.dims_probed_20)}/6 in 20 answers" if report.dims_probed_20 else ""
    r20 = f"min {min(report.dims_reached_20)}/6" if report.dims_reached_20 else "—"
    return [
        ("clarifying questions answered with a fact", _pct(report.clarify_fact)),
        ("off-topic answers redirected", _pct(report.off_topic_redirected)),
        ("answers to another question of the round redirected", _pct(report.other_redirected)),
        ("  of them in deep rounds (another problem)", _pct(report.other_redirected_deep)),
        ("vague answers followed up", _pct(report.vague_followed_up)),
        ("\"I don't know\" answered with the probe's hint", _pct(report.dont_know_probe_hint)),
        ("dimensions probed before wrap-up", f"{100 * dims:.0f}% mean{d20}"),
        ("dimensions probed or evidenced in the answers", r20),
        ("sessions reaching every phase + wrap-up + close", _pct(report.all_phases)),
        ("deep rounds: one problem in 20 answers", _pct(report.one_problem)),
        ("deep rounds: every phase of that problem reached", _pct(report.problem_phases)),
        ("repeated questions", str(report.repeated_questions)),
        ("replies with more than one question", _pct(report.multi_question)),
        ("replies with markdown", _pct(report.markdown)),
        ("follow-ups that refer to the last answer", _pct(report.refers_to_answer)),
        ("follow-ups seeking a key point not yet made", _pct(report.key_gap)),
        ("lines with a fragment (cut clause, no verb)", _pct(report.fragments)),
        ("follow-ups opening \"You said\" / \"You mentioned\"", _pct(report.you_said)),
        ("follow-ups naming a drawn component (a board drawn)", _pct(report.board_follow_ups)),
        ("references to components not drawn", str(report.board_undrawn)),
        ("drawing contradicted by the words: raised", _pct(report.board_contradiction)),
        ("reply latency p50 / p95", f"{statistics.median(lat):.1f} / {p95:.1f} ms"),
        ("sessions", str(report.sessions)),
    ]


def format_table(reports: dict[str, Report]) -> str:
    names = list(reports)
    table = {name: dict(rows(r)) for name, r in reports.items()}
    lines = ["| measure | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for label, _ in rows(next(iter(reports.values()))):
        lines.append(f"| {label} | " + " | ".join(table[n][label] for n in names) + " |")
    return "\n".join(lines)


__all__ = ["Report", "evaluate", "format_table", "rows", "run_session", "sentences"]
