"""What the benchmark candidates say."""

ANSWERS = {  # about 2, 5, 10 and 20 s at 150 words a minute
    2: "We shard by customer id.",
    5: "I would put a Redis cache in front of the database to absorb the reads.",
    10: "Writes go to the primary and are replicated to two followers. Reads come from the cache first, "
        "and on a miss we read a follower and fill the cache with a short time to live.",
    20: "First I want to agree on the requirements. "
        "We expect about ten thousand requests per second at peak, mostly reads. "
        "Each order is written once and read many times. "
        "I would keep orders in Postgres, sharded by customer, and publish every change to Kafka. "
        "Consumers update the search index and the cache, "
        "and the writes carry an idempotency key so that retries are safe.",
}

# Answers spoken in two halves with a thinking pause between them: after a conjunction, a verb, a list
# opener, and after a clause that sounds finished on its own.
PAUSED = [
    ("I would cache the user profiles because", "most reads hit the same few thousand users."),
    ("We write to the primary and", "replicate asynchronously to two followers."),
    ("The main bottleneck here is", "the fan out on write for users with many followers."),
    ("So the first thing is", "agreeing on the read and write rates."),
    ("We keep the counters in Redis", "with a one minute expiry on each key."),
    ("The queue absorbs the bursts", "and the workers drain it at a steady rate."),
    ("For consistency I would use", "a quorum of two out of three replicas."),
    ("There are two options here, first", "a token bucket per user, second a sliding window."),
]

# Answers that really end (the turn should close soon after them).
ENDINGS = [
    "That is how I would shard the data.",
    "So the cache hit rate decides the database size.",
    "We retry with exponential backoff and jitter.",
    "The read path never touches the primary.",
    "I think that covers the write path.",
    "That's my design for the rate limiter.",
]

# Short natural answers for the capacity run (4 to 5 s each).
CAPACITY = [
    "I would put a Redis cache in front of the database to absorb the reads.",
    "Each request carries an idempotency key, so retries are safe.",
    "We partition the topic by account id to keep the order of events.",
    "The service is stateless, so we scale it out behind a load balancer.",
    "Writes go to the primary and are copied to two followers.",
    "We alert when the error rate stays above one percent for five minutes.",
]
