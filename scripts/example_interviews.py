"""Two typed example interviews, written to docs/examples/ (transcript + scorecard), per brain.

    PYTHONPATH=. .venv/bin/python scripts/example_interviews.py                  # offline brain
    VIVA_LLM_BASE_URL=http://127.0.0.1:8091/v1 VIVA_LLM_MODEL=qwen \
        PYTHONPATH=. .venv/bin/python scripts/example_interviews.py --brain llm  # the LLM brain (*_llm.md)

The candidate's answers are scripted here (a candidate who knows the problem, is vague once, asks a
clarifying question and states one well-known myth); everything the interviewer says, and the scorecard,
come from the real brain and the offline scorer on a fake clock (a minute per answer).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.catalog import load_catalog  # noqa: E402
from app.config import get_settings  # noqa: E402
from app.interviewer import Brain, Interviewer, OfflineBrain, build_brain  # noqa: E402
from app.scoring.report import render_markdown  # noqa: E402
from app.scoring.rubric import OfflineScorer  # noqa: E402
from app.scoring.transcript import parse_transcript  # noqa: E402

# (cues, answer): the candidate gives an answer when the interviewer's last line holds one of its cues, else
# the next answer not yet given, as a candidate answers what was asked (the planner's order depends on the
# answers). Scripted on purpose: one vague answer, one clarifying question, one well-known myth.
Script = list[tuple[tuple[str, ...], str]]

RATE_LIMITER: Script = [
    (("rate limiting service",), "Before I start, is the limit per API key, and is going a little over acceptable?"),
    (("over to you",), "Okay. So the functional part is one check per request that answers allow or deny, and the "
     "limit is per API key. Non-functionally the check has to add a millisecond or two at most, and it must stay "
     "up even when the limiter itself has trouble."),
    (("how precise",), "A few percent over is fine for us; nobody is hurt if a customer gets 1,020 requests in a "
     "minute, so I'd trade exactness for latency."),
    (("how much memory",), "At half a million requests per second every request is a read and a write on a "
     "counter, so the store sees about a million operations a second. Memory is tiny: two hundred thousand keys "
     "at under a hundred bytes is about twenty megabytes."),
    (("what stops both",), "I guess it depends, we'd figure out the exact numbers later."),
    (("what stops both", "rough numbers", "concrete"), "The check and the increment run in one Lua script in "
     "Redis, so they're atomic and two gateways can't both take the last slot."),
    (("where do the counters live",), "The counters live in Redis, one key per API key. To keep latency down each "
     "gateway batches locally and syncs every hundred milliseconds, accepting a small overshoot."),
    (("walk me through",), "A request hits the gateway, which calls the limiter with the API key; the limiter "
     "increments a counter for the current minute and answers allow or deny. Honestly a fixed window is fine "
     "here, it's exact and there's no burst problem with it."),
    (("how many got through",), "Right, at the boundary a client could send a full quota at 12:00:59 and another "
     "at 12:01:00, so that's up to twice the limit in two seconds. A token bucket avoids that."),
    (("fixed window, a sliding window",), "I'd pick the token bucket: two numbers per key, smooth enforcement "
     "and bursts up to the bucket size. A sliding log is exact but stores a timestamp per request, which is too "
     "much at this volume."),
    (("store goes down",), "If Redis is down I'd fail open after a short timeout, with a rough local limit on "
     "each gateway, because rejecting every paying customer is worse than letting some extra traffic through "
     "for a few minutes."),
    (("ten times their limit",), "A customer ten times over is stopped at the gateway by the local pre-check "
     "before it reaches Redis, so it costs one local counter rather than a network trip."),
    (("traffic doubles",), "Redis operations break first. I'd shard the counters across a Redis cluster by API "
     "key, so each customer's counter lives on one node and the load spreads evenly."),
    (("availability zone",), "Each Redis shard has a replica in another zone. If a zone goes, its replicas are "
     "promoted within a minute, and meanwhile the gateways fail open on their local limits, so users notice at "
     "most a little overshoot."),
    (("dashboard",), "I'd alert on the limiter's p99 latency and on the fail-open rate, and page someone if "
     "we've been failing open for more than five minutes."),
    (("specific example",), "Say zone A holds the primary of shard three: after about thirty seconds of failed "
     "health checks its replica in zone B is promoted, and the gateways in zone B never notice."),
    (("per endpoint",), "Per endpoint limits are just more buckets, keyed by API key and endpoint, with the "
     "plan's numbers loaded from a config service."),
    (("questions for me",), "How does the team decide on its on-call rotation?"),
    (("anything else",), "No, that's all from me, thanks."),
]

INCIDENT: Script = [
    (("trade off shipping",), "Last spring we had two weeks to launch a partner integration, and the proper fix "
     "was to rebuild our webhook retries. I chose to ship with a simple retry loop and a daily reconciliation "
     "job, and scheduled the rebuild for the next sprint."),
    (("at stake",), "If we slipped, the partner would launch with a competitor and we'd lose about 200,000 "
     "dollars a year. If we shipped the shortcut, some webhooks could arrive up to a day late, which the "
     "reconciliation job would catch."),
    (("permanent",), "I wrote the rebuild as a ticket with a date, put the reconciliation job's error count on "
     "our team dashboard, and told my manager that more than ten misses a week would stop feature work."),
    (("who did you involve",), "I guess it kind of worked out in the end."),
    (("who did you involve", "anyone disagree"), "My manager and the partner's engineer. The engineer wanted us "
     "to wait for the full rebuild; I showed him the numbers from a dry run and he agreed to the two-step plan."),
    (("measure the result",), "We shipped on time. The job caught 14 missed webhooks in the first month, and we "
     "rebuilt the retries in the following sprint, as planned."),
    (("same call again",), "Yes, but I'd put the end date for the shortcut in the launch plan itself, not only "
     "in a ticket."),
    (("do yourself",), "I did the design and the reconciliation job myself; a teammate wrote the partner's "
     "client."),
    (("pushed back on a deadline",), "Our director promised a customer a data export in one week. I estimated "
     "three weeks, because the export had to skip deleted accounts, which our schema didn't make easy."),
    (("what was agreed", "what did you do", "how did you"), "I showed her the estimate broken into tasks and "
     "offered a smaller first export in one week, without history, and the full one in three. She took that to "
     "the customer, who accepted, and we hit both dates."),
    (("disagreed with a peer",), "A senior colleague wanted to rewrite our billing service before the holidays. "
     "I disagreed because we had six weeks left."),
    (("change their mind",), "His strongest argument was that the old service couldn't take three times the "
     "traffic, which was fair. Instead of arguing I proposed a load test together."),
    (("decided in the end", "turn out"), "The old service handled five times the traffic after one fix, so we "
     "kept it and agreed to revisit in January."),
    (("looking back", "differently"), "I was right about the timing but too quick to dismiss his concern, "
     "because we did the rewrite a year later. Next time I'd write a one page proposal with both options early."),
    (("production incident",), "Does it have to be an incident on my own team's service?"),
    (("production incident", "over to you", "go ahead"), "Our payment webhooks stopped for forty minutes on a "
     "Friday. I was on call, saw the queue depth alert, rolled back the deploy that had changed the consumer's "
     "timeout, and posted an update in the incident channel every ten minutes."),
    (("root cause",), "A timeout was set in seconds where the code expected milliseconds. Afterwards we put the "
     "unit in the config name and added a canary stage that watches queue depth."),
    (("cost the business", "leadership"), "About three thousand payments were delayed, none lost. I wrote the "
     "summary for leadership the same day: the impact, the fix and the two follow-ups with owners."),
    (("questions for me",), "What does the first month usually look like for someone joining the team?"),
    (("anything else",), "No, that's everything, thank you."),
]

EXAMPLES = [("system_design_senior_typed", "system_design", "senior", RATE_LIMITER),
            ("behavioral_mid_typed", "behavioral", "mid", INCIDENT)]


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def next_answer(script: Script, asked: str) -> str | None:
    """The first answer not yet given whose cue the interviewer's line holds, else the next one not given."""
    asked = asked.lower()
    pick = next((i for i, (cues, _) in enumerate(script) if any(c in asked for c in cues)), 0 if script else None)
    return None if pick is None else script.pop(pick)[1]


async def run(rnd, level: str, script: Script, brain: Brain) -> list[dict]:
    clock = Clock()
    iv = Interviewer(rnd, level, brain, clock=clock)
    iv.start()
    turns = [{"speaker": "interviewer", "text": "".join([c async for c in iv.opening()]), "meta": iv.last_meta}]
    script = list(script)
    while not iv.finished and (answer := next_answer(script, turns[-1]["text"])) is not None:
        clock.t += 60
        turns.append({"speaker": "candidate", "text": answer, "typed": True})
        reply = "".join([c async for c in iv.respond(answer, typed=True)])
        if reply:
            turns.append({"speaker": "interviewer", "text": reply, "meta": iv.last_meta})
    return turns


def transcript_md(title: str, turns: list[dict], brain: str) -> str:
    how = "offline brain" if brain == "offline" else f"LLM brain ({get_settings().llm_model}, local)"
    out = [f"# {title}", "", f"Typed interview, {how} (generated by scripts/example_interviews.py).", ""]
    for t in turns:
        who = "**Interviewer**" if t["speaker"] == "interviewer" else "**Candidate**"
        note = ""
        if t["speaker"] == "interviewer":
            m = t["meta"]
            note = f" _({m.get('move')}, {m.get('phase')})_"
        out += [f"{who}{note}: {t['text']}", ""]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brain", choices=["offline", "llm"], default="offline")
    brain_name = parser.parse_args().brain
    if brain_name == "llm" and not get_settings().llm_configured:
        print("error: --brain llm needs VIVA_LLM_BASE_URL", file=sys.stderr)
        return 1
    catalog = load_catalog(ROOT / "rubrics", ROOT / "prompts")
    folder = ROOT / "docs" / "examples"
    folder.mkdir(parents=True, exist_ok=True)
    for name, round_id, level, answers in EXAMPLES:
        rnd = catalog.get(round_id)
        brain = OfflineBrain() if brain_name == "offline" else build_brain(
            get_settings().model_copy(update={"brain": "llm"}))
        turns = asyncio.run(run(rnd, level, answers, brain))
        title = f"{rnd.rubric.title} ({level}), typed" + (", LLM brain" if brain_name == "llm" else "")
        name = name if brain_name == "offline" else f"{name}_llm"
        doc = OfflineScorer().score(rnd, level, parse_transcript_dicts(turns))
        text = transcript_md(title, turns, brain_name) + "\n---\n\n" + render_markdown(doc)
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
        print(f"wrote docs/examples/{name}.md")
    return 0


def parse_transcript_dicts(turns: list[dict]):
    import json

    return parse_transcript(json.dumps([{k: v for k, v in t.items()} for t in turns]))


if __name__ == "__main__":
    sys.exit(main())
