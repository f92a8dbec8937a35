"""Interviews for the page tests, written straight into the live server's store and scored through
the real API (POST /api/interviews/{id}/score?wait=true)."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime

from sqlmodel import Session

from app import repository
from app.models import InterviewStatus, Speaker
from tests.factories import make_interview

SYSTEM_DESIGN = [
    ("interviewer", "intro",
     "Hi, thanks for joining. Let's design a URL shortener. Where would you like to start?"),
    ("candidate", "requirements",
     "Before I start, can I ask a few clarifying questions? How many users do we expect, and is it "
     "read heavy? I'll assume about 100 million daily active users and that availability matters "
     "more than strict consistency for redirects."),
    ("interviewer", "estimation", "Good. Can you size it?"),
    ("candidate", "estimation",
     "A rough estimate: 100 million new links a day is about 1,200 writes per second, and with a "
     "read to write ratio of 100 to 1 we need 120,000 reads per second at peak. Storage is about "
     "500 bytes per link, so 50 gigabytes per day, roughly 100 terabytes over five years."),
    ("interviewer", "high_level", "And the API and data model?"),
    ("candidate", "high_level",
     "The API is POST /links returning a short code, and GET /{code} which redirects. I would store "
     "links in a key value store keyed by the short code, put a Redis cache in front for hot links, "
     "and shard the database by the hash of the code."),
    ("interviewer", "deep_dive", "What happens when a cache node fails?"),
    ("candidate", "deep_dive",
     "If a cache node fails we fall back to the database, and I would use consistent hashing so only "
     "a fraction of keys move. The trade-off is a short spike of database load, so I would add rate "
     "limiting and monitor the p99 latency."),
]


# A short database interview as the planner records it (question and probe in the turn meta): one
# question asked, one wrong claim, one "I don't know"; the other dimensions were never asked about.
DATABASE_SHORT = [
    ("interviewer", "queries", "Write a query for the top three products by revenue in each category.",
     {"question_id": "top_products_per_category", "move": "next_question"}),
    ("candidate", "queries",
     "I'd join order items to products, group by category and product and sum the revenue. Then I'd use "
     "row number over partition by category, and row number handles ties, so equal products both get rank one."),
    ("interviewer", "queries", "Which index would make that fast?",
     {"question_id": "top_products_per_category", "move": "probe", "dimension": "indexing_performance",
      "answer_kind": "ok"}),
    ("candidate", "queries", "I don't know."),
    ("interviewer", "queries", "Think about which columns the query filters on first.",
     {"question_id": "top_products_per_category", "move": "hint", "dimension": "indexing_performance",
      "answer_kind": "dont_know"}),
    ("candidate", "queries", "Maybe an index on the order date, because we filter the last 30 days first."),
]


def _words(text: str, start_ms: int) -> list[dict]:
    words, t = [], start_ms
    for w in text.split():
        words.append({"word": w, "start_ms": t, "end_ms": t + 300, "probability": 0.9})
        t += 380
    return words


def seed_interview(server, lines=SYSTEM_DESIGN, round_id: str = "system_design", level: str = "senior",
                   status: InterviewStatus = InterviewStatus.finished) -> int:
    with Session(server.engine) as session:
        interview = make_interview(session, round_id=round_id, level=level)
        t = 0
        for speaker, phase, text, *extra in lines:  # extra: the turn's meta beyond its phase
            words = _words(text, t) if speaker == "candidate" else []
            end = words[-1]["end_ms"] if words else t + len(text.split()) * 400
            repository.add_turn(session, interview.id, Speaker(speaker), text, start_ms=t, end_ms=end,
                                words=words, meta={"phase": phase, **(extra[0] if extra else {})})
            t = end + 1500
        interview.status = status
        interview.started_at = datetime.now(UTC)
        interview.ended_at = datetime.now(UTC)
        session.add(interview)
        session.commit()
        return interview.id


def score_now(server, interview_id: int) -> dict:
    req = urllib.request.Request(f"{server.url}/api/interviews/{interview_id}/score?wait=true", method="POST")
    with urllib.request.urlopen(req, timeout=120) as res:
        return json.load(res)


def get_json(server, path: str):
    with urllib.request.urlopen(f"{server.url}{path}", timeout=30) as res:
        return json.load(res)
