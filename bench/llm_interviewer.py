"""The LLM interviewer on a real server: latency and what it says, over short scripted typed interviews.

    make llm    # or any OpenAI-compatible server
    .venv/bin/python bench/llm_interviewer.py --base-url http://127.0.0.1:8091/v1 --model qwen \
        [--rounds system_design,behavioral] [--levels senior] [--answers 8]

Each interview: the opening, then a scripted candidate (a vague answer, an off-topic story, a clarifying
question, a confident false claim, solid answers, "I don't know"), on a simulated clock of 60 s per answer.
Before each answer the bench waits for the brain's background prompt warm-up, as a candidate speaking for a
while would. It prints: opening latency (first chunk) and warm-up time; end of answer -> first sentence
p50/p95 over the LLM-written turns; and rates over the LLM-eligible turns: follow-ups that refer to the last
answer (a content word of the answer that the planned wording did not have), replies with more than one
question, with markdown, repeating an earlier interviewer turn, spoken as the candidate, and fallbacks by
reason. Timings on a shared 2-core machine are noisy: run it twice, and read `uptime` beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.catalog import load_catalog  # noqa: E402
from app.config import ROOT, Settings  # noqa: E402
from app.interviewer import Interviewer, planner  # noqa: E402
from app.interviewer.llm import LLMBrain  # noqa: E402
from app.interviewer.llm_guard import AS_CANDIDATE, MARKDOWN, repeats, split_sentences, words  # noqa: E402
from app.progress import Progress  # noqa: E402

OFF_TOPIC = ("Honestly the thing I'm proudest of is moving my team from Java to Go last year, the build times "
             "dropped a lot and everyone was happier with the tooling.")
CLARIFY = "Before I start, how many users and requests per second should I plan for?"
WRONG = ("I would just use two-phase commit for everything, because it is fast and it never blocks, so node "
         "failures are not really a problem for it.")
VAGUE = "Hmm, I guess it depends, we would just make it work somehow."
SOLID = ("I'd start with a single Postgres primary and two read replicas, put Redis in front for the hot keys "
         "with a five minute TTL, and shard by customer id once we pass about ten thousand writes per second. "
         "The trade-off is that cross-shard queries get expensive, so reporting moves to a warehouse.")
STORY = ("At my last job our checkout latency doubled after a deploy; I led the rollback, found an N+1 query in "
         "the pricing call with tracing, and we added a p99 alert at 300 milliseconds so it never happened again.")
DONT_KNOW = "I don't know."
SCRIPT = [VAGUE, SOLID, OFF_TOPIC, CLARIFY, WRONG, STORY, DONT_KNOW, SOLID, VAGUE, STORY, CLARIFY, SOLID]
STOP = {"that", "this", "with", "would", "what", "have", "your", "about", "they", "there", "their", "then",
        "when", "which", "from", "just", "like", "some", "could", "should", "into", "were", "been", "make",
        "does", "how", "you", "and", "the", "said", "mentioned", "okay", "think", "guess", "really", "also"}
FOLLOW_UPS = {"probe", "specifics", "redirect"}


def content(text: str) -> set[str]:
    return {w for w in words(text) if len(w) >= 4 and w not in STOP}


def refers(reply: str, answer: str, guide: str) -> bool:
    """The reply uses a content word of the answer that the planner's wording did not contain."""
    return bool((content(reply) & content(answer)) - content(guide))


PLANNED: list = []  # the planner's moves, as the brain asked for them (the offline wording is the guide)
_plan = planner.plan


def _spy(state, rnd):
    move = _plan(state, rnd)
    PLANNED.append(move)
    return move


planner.plan = _spy


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


async def interview(brain: LLMBrain, rnd, level: str, answers: int, rows: list[dict]) -> dict:
    clock = FakeClock()
    iv = Interviewer(rnd, level, brain, clock=clock)
    iv.start()
    started = time.perf_counter()
    first = None
    opening = ""
    async for chunk in iv.opening():
        first = first if first is not None else time.perf_counter() - started
        opening += chunk
    problem = next(q.text for q in rnd.prompt.questions if q.id == iv.state.question_id)
    warm_started = time.perf_counter()
    await brain.idle()
    result = {"opening_s": first or 0.0, "warm_s": time.perf_counter() - warm_started,
              "opening_states_problem": problem in opening}
    earlier = [opening]
    for i in range(answers):
        if iv.finished:
            break
        clock.t += 60
        answer = SCRIPT[i % len(SCRIPT)]
        problem = next((q.text for q in rnd.prompt.questions if q.id == iv.state.question_id), "")
        t0 = time.perf_counter()
        first = None
        reply = ""
        PLANNED.clear()
        async for chunk in iv.respond(answer, typed=True):
            first = first if first is not None else time.perf_counter() - t0
            reply += chunk
        meta = iv.last_meta
        kind = str(meta.get("move"))
        row = {"round": rnd.id, "move": kind, "llm": bool(meta.get("llm")), "fallback": bool(meta.get("fallback")),
               "reason": meta.get("fallback_reason"), "first_s": first or 0.0, "reply": reply,
               "questions": reply.count("?"), "markdown": bool(MARKDOWN.search(reply) or re.search(r"[*#`]", reply)),
               "repeat": any(repeats(s, earlier) for s in split_sentences(reply)),
               "as_candidate": bool(AS_CANDIDATE.search(reply)),
               "refers": refers(reply, answer, (PLANNED[-1].text if PLANNED else "") + " " + problem)}
        rows.append(row)
        earlier.append(reply)
        await brain.idle()
    return result


def share(rows: list[dict], key: str) -> str:
    if not rows:
        return "n/a"
    return f"{sum(bool(r[key]) for r in rows)}/{len(rows)} ({100 * sum(bool(r[key]) for r in rows) / len(rows):.0f}%)"


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base-url", default=os.environ.get("VIVA_LLM_BASE_URL", "http://127.0.0.1:8091/v1"))
    ap.add_argument("--model", default=os.environ.get("VIVA_LLM_MODEL", "qwen"))
    ap.add_argument("--rounds", default="system_design,behavioral")
    ap.add_argument("--levels", default="senior")
    ap.add_argument("--answers", type=int, default=8)
    ap.add_argument("--show", action="store_true", help="print every reply (transcript text: local use only)")
    args = ap.parse_args()
    settings = Settings(_env_file=None, brain="llm", llm_base_url=args.base_url, llm_model=args.model)
    brain = LLMBrain(settings)
    catalog = load_catalog(ROOT / "rubrics", ROOT / "prompts")
    rows: list[dict] = []
    runs = []
    plan = [(rid, level) for rid in args.rounds.split(",") for level in args.levels.split(",")]
    progress = Progress(len(plan), "llm_interviewer interviews")
    for rid, level in plan:
        runs.append(await interview(brain, catalog.get(rid), level, args.answers, rows))
        progress.step()
    llm_rows = [r for r in rows if r["llm"]]
    written = [r for r in llm_rows if not r["fallback"]]
    follow = [r for r in written if r["move"] in FOLLOW_UPS]
    firsts = [r["first_s"] for r in written]
    print(f"uptime: {os.popen('uptime').read().strip()}")
    print(f"server {args.base_url} model {args.model}; {len(runs)} interviews, {len(rows)} answers, "
          f"{len(llm_rows)} LLM-eligible turns, {len(written)} written by the LLM")
    print("| measure | value |\n|---|---|")
    print(f"| opening, first chunk | {max(r['opening_s'] for r in runs) * 1000:.0f} ms max |")
    print(f"| opening states the problem | {sum(r['opening_states_problem'] for r in runs)}/{len(runs)} |")
    print(f"| prefix warm-up (background) | {statistics.median(r['warm_s'] for r in runs):.1f} s median |")
    print(f"| end of answer -> first sentence, LLM turns | p50 {pct(firsts, .5):.2f} s, p95 {pct(firsts, .95):.2f} s |")
    print(f"| follow-ups referring to the last answer | {share(follow, 'refers')} |")
    print(f"| replies with more than one question | {share([dict(r, q=r['questions'] > 1) for r in llm_rows], 'q')} |")
    print(f"| replies with markdown | {share(llm_rows, 'markdown')} |")
    print(f"| replies repeating an earlier turn | {share(rows, 'repeat')} |")
    print(f"| replies spoken as the candidate | {share(rows, 'as_candidate')} |")
    reasons: dict[str, int] = {}
    for r in llm_rows:
        if r["fallback"]:
            reasons[r["reason"]] = reasons.get(r["reason"], 0) + 1
    print(f"| fallbacks to the offline move | {share(llm_rows, 'fallback')} {reasons or ''} |")
    if args.show:
        for r in rows:
            print(f"[{r['round']}/{r['move']}{' FALLBACK ' + str(r['reason']) if r['fallback'] else ''}] "
                  f"{r['first_s']:.1f}s :: {r['reply']}")


if __name__ == "__main__":
    asyncio.run(main())
