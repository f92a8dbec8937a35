"""The judge's narrow question inside the LLM scorer: for each misconception the offline pass heard
asserted, its correction (the truth) beside the candidate's own sentence (app.scoring.judge).

The verdict is shown, never scored: "contradicts" flags the dimension "llm-confirms-misconception",
"agrees" (the model reads the sentence as agreeing with the truth: a misheard or misread match, for a
reviewer to look at) "llm-disputes-misconception". The cap stays either way - the model may not raise a
dimension that carries an asserted myth (trust.allowed_range) - so a reader sees where the matcher and
the model disagree without the model deciding it. Called after the dimensions, within the card's
budget; a failed call leaves that hit unflagged. Logs carry counts only.
"""

from __future__ import annotations

import logging
import time

from app.scoring.judge import Judge
from app.scoring.scorecard import MisconceptionHit
from app.scoring.structured import CallFailed

log = logging.getLogger("viva.scoring")
FLAGS = {"contradicts": "llm-confirms-misconception", "agrees": "llm-disputes-misconception"}


def check_misconceptions(judge: Judge, hits: list[MisconceptionHit], deadline: float,
                         timeout: float) -> dict[str, list[str]]:
    """Flags per dimension from the judge's verdict on each hit (see the module docstring)."""
    flags: dict[str, list[str]] = {}
    asked = failed = 0
    for hit in hits:
        remaining = deadline - time.monotonic()
        if remaining < 1:
            break
        asked += 1
        try:
            verdict = judge.ask(hit.correction, hit.quote, min(timeout, remaining))
        except CallFailed as exc:
            failed += 1
            if exc.stop:
                break
            continue
        if verdict in FLAGS:
            flags.setdefault(hit.dimension, []).append(FLAGS[verdict])
    if hits:
        log.info("LLM judge checked %d of %d misconception hits (%d failed)", asked, len(hits), failed)
    return flags
