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
# Five strong answers per round, each on a different aspect of the round's questions, so a 20-answer
# session never hears the same answer twice in a row (line() cycles through them by the answer index).
THOROUGH = {
    "system_design": (
        "For example at about 10,000 requests per second I'd put stateless app servers behind a load balancer, "
        "cache hot keys in Redis with a TTL, and shard the database by key hash with three replicas; the "
        "trade-off is eventual consistency on reads, but it keeps p99 under 50 ms.",
        "Let me do some rough numbers: 100 million daily users doing ten reads each is a billion reads a day, and "
        "a day is about 100,000 seconds, so that's 10,000 reads per second on average and maybe 30,000 at peak. "
        "At one kilobyte per record and 10 million writes a day we add 10 gigabytes a day, so the hot 20 percent "
        "fits in memory on a few cache nodes.",
        "The API is two calls: a POST that creates the item with an idempotency key, so a retry "
        "doesn't create a duplicate, and a GET that returns a page at a time with a cursor. I'd store it in a key "
        "value store like DynamoDB keyed by id, because we only ever look things up by key and never need joins, "
        "but range queries would need a secondary index.",
        "Reads outnumber writes 100 to 1, so I'd go cache-aside: on a miss we read the database and set the "
        "key with a five minute TTL, and on a write we delete the key instead of updating it, so two writers can't "
        "race and leave a wrong value. The downside is a read can be stale briefly after a write, which is "
        "fine for this, but not for money.",
        "If a cache node dies, its traffic falls through to the database, so I'd coalesce concurrent misses to "
        "avoid a thundering herd. Each shard has a leader and two replicas in different availability zones with "
        "failover in about 30 seconds, and slow work like notifications goes onto a Kafka queue with retries and "
        "a dead letter queue, so one failing downstream never blocks the user's request.",
    ),
    "api_design": (
        "I'd expose a POST that takes an Idempotency-Key header and returns 201 with the resource, 409 on a "
        "conflict and 422 for validation errors, with cursor pagination on the list; the trade-off is storing "
        "keys for 24 hours, but retries become safe.",
        "I'd model a payment as a resource at slash v1 slash payments with an id like pay_123, the amount as an "
        "integer in minor units, so 1050 is ten euros fifty, an ISO currency code, and a status that goes from "
        "pending to succeeded or failed. Refunds are a sub-resource you POST to under the payment, because one "
        "payment can be refunded several times up to its amount.",
        "For two people editing the same order I'd return an ETag with the version on every GET and require "
        "If-Match on the PATCH; if the version has moved, the server answers 412 Precondition Failed, so the "
        "client refetches instead of silently overwriting. For two retries with the same key on different "
        "servers, a unique constraint on the key means the second one waits and gets the first response back.",
        "I'd limit per API key with a token bucket, say 100 requests per second with a burst of 200, counted in "
        "Redis with an atomic Lua script, and over the limit the client gets 429 with a Retry-After header and "
        "the remaining budget in RateLimit headers. Token bucket rather than a fixed window, because a fixed "
        "window lets a client send double its quota around the boundary.",
        "Merchants authenticate with a secret API key over TLS, and we derive the account from the key, never "
        "from the id in the path, so guessing another id just gets a 404. For things that happen days later, "
        "like a refund settling, we send webhooks signed with HMAC SHA-256 over the timestamp and body, and the "
        "receiver rejects anything older than five minutes, so an old request can't be replayed.",
    ),
    "behavioral": (
        "In my last job our checkout latency doubled after a release, so I led the investigation: I rolled back "
        "within 20 minutes, found the missing index, and then I wrote the postmortem; the result was that p99 "
        "went back to 200 ms and we added a load test to every deploy.",
        "While it was happening I opened an incident channel, pulled in a colleague from the database team to "
        "read the query plans with me, and posted an update for support every fifteen minutes so they could "
        "answer merchants. About 3,000 checkouts failed, roughly 40,000 dollars of orders, and I told our "
        "director that number myself the same afternoon, with what we knew and what we didn't yet.",
        "The root cause was a migration that dropped the index, and honestly I had approved that pull request "
        "without reading the migration closely, so part of the failure was mine. Afterwards I added a CI check "
        "that flags dropped indexes, and I changed how I review: I now run every migration against a copy of "
        "production data first. We haven't had a repeat in the 18 months since.",
        "Another time a senior colleague wanted to rewrite our billing service before the holidays, and I "
        "disagreed because we had six weeks left. His strongest argument was that the old service couldn't take "
        "three times the traffic, which was fair. Instead of trading opinions, I suggested we load test it "
        "together; it handled five times the traffic after one fix, so we agreed to keep it and revisit in January.",
        "In the end we shipped on time, and billing handled a peak of 12,000 orders an hour without a "
        "page. Looking back I was right about the timing but wrong to brush off his concern, because we did the "
        "rewrite a year later anyway. What I'd do differently is write a one-page proposal with both options "
        "early, so the decision and the reasons behind it are written down for everyone.",
    ),
    "coding": (
        "I'd use a hash map from value to index and scan once, so it's O(n) time and O(n) space; for example "
        "with [3, 2, 4] and target 6 I check the complement before inserting, so 3 never pairs with itself, but "
        "the trade-off versus sorting is the extra memory.",
        "Let me restate it: the grid is m by n, up to 1000 by 1000, so a million cells. I'd run a BFS "
        "with a deque from every unvisited land cell and mark cells visited when I enqueue them, so nothing is "
        "counted twice. That's O(m times n) time and space worst case, and I prefer it to recursion "
        "because a DFS that deep would overflow the stack in Python.",
        "For the k most frequent words I'd count with a Counter and keep a heap of size k, so it's O(n log k) "
        "instead of O(n log n) for sorting everything, which matters when n is ten million and k is ten. The "
        "catch is ties, because they break alphabetically, so the heap key is the negative count and then the "
        "word, and heapq.nsmallest with that key does it.",
        "Now let me test it. An empty list returns an empty result, then a single interval, then two that only "
        "touch, and a 100,000 item input to make sure it isn't quadratic. Dry run on [1, 3], [2, 6], [8, 10]: "
        "after sorting by start, 2 is at most 3, so they merge into [1, 6], and the invariant is that the output "
        "stays sorted and non-overlapping after every step.",
        "My plan before I code: the brute force checks every substring, at least O(n squared), fine for "
        "100 characters but hopeless for a million. A sliding window with a dict from character to its last "
        "index gets it to O(n), because each index enters and leaves the window at most once; the cost is O(k) "
        "space for the alphabet. I'll write it with clear names and then walk through abcabcbb.",
    ),
    "database": (
        "I'd add a composite index on (customer_id, status, created_at desc) and build it with CREATE INDEX "
        "CONCURRENTLY; for example with 200 million rows that turns a sequential scan into an index range scan, "
        "but the trade-off is slower writes and more disk.",
        "I'd have customers, products, orders and order_items, with order_items keyed by order id and line number "
        "and foreign keys to orders and products. I'd copy the unit price into the line item on purpose, because "
        "the product's price changes later but the order must not. Money goes in a numeric column or integer "
        "cents, never a float, and a check constraint keeps the quantity above zero.",
        "For two users clicking the same seat, I'd put a unique constraint on event id and seat id in the "
        "bookings table, so the second insert fails in its transaction and that user sees the seat is taken. "
        "Under read committed that's enough; SELECT FOR UPDATE on the seat works, but it holds a lock, "
        "and a hot show with 50,000 buyers means lots of waiting on a few rows.",
        "The deadlocks happen because two transfers lock the same two accounts in opposite order, A then B and B "
        "then A. I'd always lock the lower account id first, keep the transaction short, and retry a deadlock "
        "error up to three times with backoff. The on-call rule is different: that's write skew, which "
        "repeatable read doesn't stop in Postgres, so I'd use serializable, at the cost of more aborted transactions.",
        "At five terabytes with the primary saturated on writes, I'd shard by tenant id, something like Citus, "
        "so each tenant's events live on one shard and most queries stay local, and move the few huge tenants "
        "onto their own shards so they don't become a hot spot. Before that I'd partition by month, because "
        "dropping an old partition is far cheaper than deleting 100 million rows.",
    ),
    "distributed_systems": (
        "I'd use a lease from etcd with a fencing token that the storage checks on every write, because with a "
        "partition or a GC pause of 30 seconds the old leader could still write; the trade-off is latency on each "
        "write, but correctness holds under a majority quorum.",
        "During a partition you pick consistency or availability, and PACELC adds that even without one you trade "
        "latency for consistency. In Cassandra we ran three replicas with quorum reads and writes, so R plus W is "
        "greater than N and a read sees the latest acknowledged write; for the feed we dropped to ONE, "
        "because a few seconds of staleness was fine and p99 went from 40 to 8 ms.",
        "In a five node Raft cluster, a follower that hears no heartbeat within a randomized 150 to 300 ms "
        "timeout becomes a candidate, bumps the term and asks for votes, and it needs three of five. The leader "
        "appends a write to its log, replicates it, and commits once a majority has it, so we survive two failed "
        "nodes, but every write waits on the slowest node of that majority.",
        "I'd write the order and an outbox row in the same database transaction, and a relay, or Debezium reading "
        "the change log, publishes it to Kafka, so the event can't be lost if the service crashes in between. "
        "Delivery is at least once, so consumers keep a table of processed event ids with a unique constraint and "
        "skip duplicates; the price is a few hundred milliseconds of extra delay.",
        "For the slow pricing service I'd set a 200 ms timeout from its p99, retry at most once with "
        "exponential backoff and full jitter, and put a circuit breaker in front that opens at 50 percent errors "
        "and lets one trial request through after ten seconds. Otherwise three layers retrying three times "
        "turn one user request into 27 calls at the bottom, which is how a retry storm starts.",
    ),
}
# Strong answers to one particular question of the round, given while another question is in play (the
# "other question" persona: a full URL-shortener design offered to the rate-limiter problem). Two per round,
# on different questions, so one of them is always an answer to something else.
OTHER_QUESTION = {
    "system_design": {
        "url_shortener": "I'd generate the short code from a counter handed out to each server in blocks of a "
                         "thousand and encode it in base62, so seven characters cover trillions of links. The code "
                         "maps to the long URL in a key value store, a cache in front serves the hot links, and "
                         "the redirect is a 302 so every click comes back to us and can be counted.",
        "rate_limiter": "I'd keep one counter per API key in Redis and do the check and the increment in one Lua "
                        "script, with a token bucket refilled at a thousand tokens a minute, so bursts are allowed "
                        "but the average holds. Over the limit the gateway answers 429 with a Retry-After header, "
                        "and if Redis is down the gateways fail open with a local limit.",
    },
    "api_design": {
        "webhook_delivery": "Each event gets an id and is delivered at least once, so receivers dedupe on the id. "
                            "Failed deliveries retry with exponential backoff for three days, each endpoint has "
                            "its own queue so one dead endpoint can't slow the others, and every request carries "
                            "an HMAC signature over the timestamp and body so receivers can reject replays.",
        "search_api": "Search is a GET on slash products with q for the text, repeated brand parameters, "
                      "price_min and price_max and a sort parameter. It pages with an opaque cursor holding the "
                      "last sort value and the product id as a tie-breaker, so pages stay stable, and it returns "
                      "an approximate total rather than counting every match.",
    },
    "coding": {
        "lru_cache": "I'd keep a hash map from key to a node in a doubly linked list, with sentinel head and tail. "
                     "Get moves the node to the front, put inserts at the front and, when we're over capacity, "
                     "removes the node before the tail and deletes its key from the map, so both are constant time.",
        "merge_intervals": "I'd sort the intervals by start, then sweep once: if the next interval starts at or "
                           "before the end of the last merged one I extend that end to the larger of the two ends, "
                           "otherwise I append it. That's O(n log n) for the sort and O(n) for the sweep.",
    },
    "database": {
        "seat_double_booking": "I'd put a unique constraint on event id and seat id in the bookings table, so when "
                               "two users click the same seat the second insert fails and that user is told the "
                               "seat is gone; a hold has an expiry time so an abandoned checkout frees the seat.",
        "org_chart_recursive": "I'd write a recursive CTE: the anchor selects the manager's row, the recursive part "
                               "joins employees whose manager id is in the previous level, and I carry a depth "
                               "column so I can stop at a maximum depth in case the data has a cycle.",
    },
    "distributed_systems": {
        "consistent_hashing": "Instead of hash modulo ten, I'd put the nodes on a hash ring with a hundred virtual "
                              "nodes each, and a key goes to the first node clockwise from its hash. Adding an "
                              "eleventh node then moves only about a tenth of the keys, and the virtual nodes "
                              "spread the load evenly.",
        "raft_walkthrough": "A follower that hears no heartbeat within its randomized election timeout becomes a "
                            "candidate, increments the term and asks for votes, and it needs three of five. The "
                            "leader appends each write to its log, replicates it, and commits once a majority has "
                            "stored it.",
    },
    "behavioral": {
        "mentoring": "I mentored a junior engineer who was stuck on code reviews. We paired twice a week, I had "
                     "her lead the design review for a small service, and I stopped rewriting her pull requests "
                     "and asked questions instead. Six months later she was reviewing other people's code and "
                     "got promoted.",
        "disagreement_with_peer": "A peer wanted to move our queue to Kafka, and I thought SQS was enough. I asked "
                                  "him to write down the throughput he expected, we load tested both for a day, and "
                                  "SQS held three times our peak, so we kept it and wrote the numbers in a short "
                                  "decision record.",
    },
}
TERSE = ["Redis.", "A queue.", "Sharding.", "Yes.", "Probably a cache."]
RAMBLING_TAIL = (" And, um, I mean there are lots of ways to do it, it's one of those things where you could go "
                 "either way, and I've seen teams do it differently, so yeah, it really depends on a lot of factors "
                 "and what people prefer, I'd say.")
WRAP_UP = ["What does a typical day look like on the team?", "No, that's all from me, thanks."]

PERSONAS = ("thorough", "vague", "off_topic", "clarifier", "dont_know", "terse", "rambling", "confused", "drawer",
            "other_question")


def other_answer(round_id: str, question_id: str | None, i: int) -> str:
    """A strong answer to a question of the round other than `question_id`."""
    options = [text for qid, text in OTHER_QUESTION[round_id].items() if qid != question_id]
    return options[i % len(options)]


def thorough(round_id: str, i: int) -> str:
    """The round's i-th strong answer: the answers in turn, so consecutive ones always differ."""
    answers = THOROUGH[round_id]
    return answers[i % len(answers)]


def line(persona: str, round_id: str, i: int) -> tuple[str, str]:
    """The persona's i-th answer in the main phases: (text, label). Personas that alternate a strong answer
    with another kind of line take the strong ones in turn (i // 2), so no two of their 'ok' lines repeat."""
    if persona == "thorough":
        return thorough(round_id, i), "ok"
    if persona == "drawer":  # draws while it talks (app/board/persona.py), once contradicting its drawing
        from app.board.persona import says

        contradiction = says(round_id, i)
        return (contradiction, "contradiction") if contradiction else (thorough(round_id, i), "ok")
    if persona == "vague":
        return VAGUE[i % len(VAGUE)], "vague"
    strong = thorough(round_id, i // 2)
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
        return thorough(round_id, i) + RAMBLING_TAIL, "ok"
    if persona == "other_question":  # run_session puts in the answer to another question (other_answer)
        return ("", "other_question") if i % 2 == 0 else (strong, "ok")
    pool = CONFUSED.get(round_id, CONFUSED["default"])
    return (pool[(i // 2) % len(pool)], "clarifying") if i % 2 == 0 else (strong, "ok")
