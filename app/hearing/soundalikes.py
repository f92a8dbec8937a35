"""What speech-to-text makes of technical words, and how the matcher hears them back.

Whisper, and people speaking a second language, turn "cache" into "cash", "sharding" into "shorting"
and "idempotency" into "item potency". The matcher (app.hearing.signals) reads a transcript's words
through these two tables before it looks for a rubric phrase, so a misheard term still counts, while
the quote it keeps is the transcript's own text, verbatim. The meaning pass (app.hearing.hearing) embeds the
text as read through them too (`words.heard_as`).

WORDS maps one heard word to the word meant; SPLITS maps a run of heard words to one word meant.
Only sound-alikes that are not ordinary words in a backend interview belong here ("cash" is, in a
payments API, so a payments round still hears it as "cache": the cost of one false "cache" is small).
"""

from __future__ import annotations

WORDS: dict[str, str] = {
    "cash": "cache", "cashing": "caching", "cashed": "cached", "cashes": "caches",
    "shorting": "sharding", "sharting": "sharding", "shorted": "sharded",
    "hushing": "hashing", "radis": "redis", "readies": "redis", "rediss": "redis",
    "reddis": "redis", "postgre": "postgres",
    "bff": "bfs", "deck": "deque", "cue": "queue", "cues": "queues", "draft": "raft",
}

SPLITS: dict[tuple[str, ...], str] = {
    ("low", "balancer"): "load balancer",
    ("idem", "potency"): "idempotency", ("item", "potency"): "idempotency",
    ("idem", "potent"): "idempotent", ("item", "potent"): "idempotent",
    ("post", "mortal"): "postmortem", ("fancy", "token"): "fencing token",
    ("root", "cost"): "root cause",
    ("dead", "lock"): "deadlock", ("dead", "locks"): "deadlocks",
    ("back", "fill"): "backfill", ("proto", "type"): "prototype",
    ("time", "stamp"): "timestamp", ("e", "tag"): "etag",
    ("foreign", "kiss"): "foreign key", ("dense", "tank"): "dense rank",
    ("flat", "fill"): "flood fill",
    ("fix", "window"): "fixed window", ("fix", "windows"): "fixed windows",
}
