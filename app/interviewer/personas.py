"""Scripted candidates for the interviewer harness (evaluation.py): what each persona says, per round.

Lines are what real candidates say, not keyword bait: a clarifier asks the questions people ask before
they start; an off-topic candidate talks about something else; a confused one asks what was meant.
Each line carries its label, the behaviour the harness expects the interviewer to notice.
"""

from __future__ import annotations

CLARIFY = {
    "system_design": ["How many users are we talking about, roughly?", "Is this read heavy or write heavy?",
                      "What's the latency we're aiming for?", "Do we need to support multiple regions?",
                      "What's out of scope for today?", "can I assume there's some kind of auth already",
                      "how big is the traffic at peak", "What kind of consistency do we need here?"],
    "api_design": ["Who are the clients of this API?", "How many requests per second should I plan for?",
                   "Is it REST or can I use something else?", "how do callers authenticate",
                   "Is this a brand new API or are there existing clients?", "What volume are we expecting?"],
    "behavioral": ["Should it be from my current job?", "Does it have to be a technical story?",
                   "Can it be a story from a side project?", "how recent should the story be",
                   "do you mean my own team or another team", "How much detail do you want?",
                   "Is it okay if the story didn't go well?"],
    "coding": ["Which language can I use?", "Can I use the standard library?", "How big can the input be?",
               "can I assume the input is valid", "Should I optimise for time or memory?",
               "Are there any edge cases like an empty input?", "Do I need to write tests?"],
    "database": ["Which database are we on, Postgres?", "How many rows are we talking about?",
                 "Is the workload read heavy?", "can we take downtime for this",
                 "How big is the table?", "What does the hardware look like?"],
    "distributed_systems": ["What failure model should I assume?", "Are the clocks synchronized?",
                            "How many nodes or servers are involved?", "can I use something like etcd or kafka",
                            "Is consistency more important than latency here?", "What scale are we at?"],
}
OFF_TOPIC = [
    "Honestly, the thing I'm proudest of is moving my team from Java to Go last year, the tooling is so much "
    "nicer and compile times dropped a lot.",
    "Before I forget, I wanted to mention that I really enjoy the culture at smaller startups, people wear many "
    "hats and it's more fun.",
    "I spent last weekend building a bookshelf, woodworking is my way to switch off after a long week at work.",
    "My last manager was great at running retros and I think that made our sprints feel a lot calmer overall.",
    "I've been reading a lot about product management lately and I might want to move in that direction someday.",
]
VAGUE = ["I guess it depends, we'd figure it out as we go.", "I would just make it work somehow, probably.",
         "We'd use the usual best practices there.", "It kind of depends on the situation really.",
         "Something like that, yeah, it should be fine."]
DONT_KNOW = ["I don't know.", "Hmm, I'm not sure.", "No idea, honestly.", "I'm drawing a blank on that one."]
CONFUSED = {
    "behavioral": ["Do you mean my own team or another team?", "What do you mean, like a technical decision or a "
                   "people one?", "Sorry, are you asking about the outcome or how I handled it?"],
    "default": ["Sorry, what do you mean by that exactly?", "Do you mean at the start or once it's running?",
                "Are you asking about the happy path or failures?"],
}
THOROUGH = {
    "system_design": "For example at about 10,000 requests per second I'd put stateless app servers behind a "
                     "load balancer, cache hot keys in Redis with a TTL, and shard the database by key hash with "
                     "three replicas; the trade-off is eventual consistency on reads, but it keeps p99 under 50 ms.",
    "api_design": "I'd expose a POST that takes an Idempotency-Key header and returns 201 with the resource, 409 on "
                  "a conflict and 422 for validation errors, with cursor pagination on the list; the trade-off is "
                  "storing keys for 24 hours, but retries become safe.",
    "behavioral": "In my last job our checkout latency doubled after a release, so I led the investigation: I "
                  "rolled back within 20 minutes, found the missing index, and then I wrote the postmortem; the "
                  "result was that p99 went back to 200 ms and we added a load test to every deploy.",
    "coding": "I'd use a hash map from value to index and scan once, so it's O(n) time and O(n) space; for example "
              "with [3, 2, 4] and target 6 I check the complement before inserting, so 3 never pairs with itself, "
              "but the trade-off versus sorting is the extra memory.",
    "database": "I'd add a composite index on (customer_id, status, created_at desc) and build it with CREATE INDEX "
                "CONCURRENTLY; for example with 200 million rows that turns a sequential scan into an index range "
                "scan, but the trade-off is slower writes and more disk.",
    "distributed_systems": "I'd use a lease from etcd with a fencing token that the storage checks on every write, "
                           "because with a partition or a GC pause of 30 seconds the old leader could still write; "
                           "the trade-off is latency on each write, but correctness holds under a majority quorum.",
}
TERSE = ["Redis.", "A queue.", "Sharding.", "Yes.", "Probably a cache."]
RAMBLING_TAIL = (" And, um, I mean there are lots of ways to do it, it's one of those things where you could go "
                 "either way, and I've seen teams do it differently, so yeah, it really depends on a lot of factors "
                 "and what people prefer, I'd say.")
WRAP_UP = ["What does a typical day look like on the team?", "No, that's all from me, thanks."]

PERSONAS = ("thorough", "vague", "off_topic", "clarifier", "dont_know", "terse", "rambling", "confused")


def line(persona: str, round_id: str, i: int) -> tuple[str, str]:
    """The persona's i-th answer in the main phases: (text, label)."""
    strong = THOROUGH[round_id]
    if persona == "thorough":
        return strong, "ok"
    if persona == "vague":
        return VAGUE[i % len(VAGUE)], "vague"
    if persona == "off_topic":
        return (OFF_TOPIC[(i // 2) % len(OFF_TOPIC)], "off_topic") if i % 2 == 0 else (strong, "ok")
    if persona == "clarifier":
        pool = CLARIFY[round_id]
        return (pool[(i // 2) % len(pool)], "clarifying") if i % 2 == 0 else (strong, "ok")
    if persona == "dont_know":
        return (DONT_KNOW[(i // 2) % len(DONT_KNOW)], "dont_know") if i % 2 == 1 else (strong, "ok")
    if persona == "terse":
        return TERSE[i % len(TERSE)], "vague"
    if persona == "rambling":
        return strong + RAMBLING_TAIL, "ok"
    pool = CONFUSED.get(round_id, CONFUSED["default"])
    return (pool[(i // 2) % len(pool)], "clarifying") if i % 2 == 0 else (strong, "ok")
