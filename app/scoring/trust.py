"""How far the LLM scorer trusts a model: as far as bench/judge.py measured it, no further.

bench/judge.py asks the model the judge's narrow question (app.scoring.judge: one reference fact beside
one candidate excerpt) on a labelled set of true and false claims over all six rounds, half of each, and
writes a `Measurement` to DATA_DIR/judge/<model>-<hash of base URL and model>.json. The LLM scorer reads
it when it is built and takes one of three trust levels:

    level     needs (on at least MIN_ITEMS items)                      the model may
    none      unmeasured, or below "limited"                          move no score at all (no calls)
    limited   accuracy >= 0.75 and recall >= 0.60 on each label        lower a dimension by 1; never raise
    full      accuracy >= 0.90 and recall >= 0.85 on each label        move a dimension by up to
                                                                       VIVA_LLM_SCORER_MAX_SHIFT, both ways

At every level a dimension that carries a misconception the offline pass heard asserted is never raised,
and an interview with one (a wrong answer) is never raised at all, so the LLM scorer never ranks a
wrong answer above the offline scorer's ranking of it. Recall per label, not only accuracy: the set is
balanced, so a model that answers one label to everything scores 50 % and 0 recall on the other label.
The measurement is per server and model; a changed set (its sha256 is recorded) needs a new run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from app.config import Settings

log = logging.getLogger("viva.scoring")

Level = Literal["none", "limited", "full"]
MIN_ITEMS = 100
LIMITED = (0.75, 0.60)  # (accuracy, recall on each label)
FULL = (0.90, 0.85)
LABELS = ("agrees", "contradicts")
DEFAULT_BASE_URL = "https://api.openai.com/v1"


class Measurement(BaseModel):
    """One run of bench/judge.py against one server and model."""

    base_url: str
    model: str
    measured_at: str  # ISO 8601, UTC
    items: int
    accuracy: float
    recall: dict[str, float]  # per true label
    answers: dict[str, int]  # how often each verdict (or "error") was given
    same_label_share: float  # share of the most frequent answer (label bias; 0.5 on a balanced set is none)
    pairs_told_apart: float  # references whose true and false excerpt got different, correct verdicts
    errors: int
    seconds_per_item: float
    load: list[float]  # 1/5/15-minute load average at the start of the run
    set_sha256: str
    level: Level = "none"


class Trust(BaseModel):
    level: Level
    reason: str  # one line for the scorecard's notes
    accuracy: float | None = None


def base_url_of(settings: Settings) -> str:
    return (settings.llm_base_url or DEFAULT_BASE_URL).rstrip("/")


def measurement_path(data_dir: Path, base_url: str, model: str) -> Path:
    key = hashlib.sha256(f"{base_url.rstrip('/')}\n{model}".encode()).hexdigest()[:12]
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", model)[:40] or "model"
    return data_dir / "judge" / f"{slug}-{key}.json"


def level_for(accuracy: float, recall: dict[str, float], items: int) -> Level:
    if items < MIN_ITEMS:
        return "none"
    worst = min((recall.get(label, 0.0) for label in LABELS), default=0.0)
    if accuracy >= FULL[0] and worst >= FULL[1]:
        return "full"
    if accuracy >= LIMITED[0] and worst >= LIMITED[1]:
        return "limited"
    return "none"


def save(data_dir: Path, m: Measurement) -> Path:
    path = measurement_path(data_dir, m.base_url, m.model)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(m.model_dump(mode="json"), indent=2) + "\n")
    tmp.replace(path)
    return path


def load(data_dir: Path, base_url: str, model: str) -> Measurement | None:
    path = measurement_path(data_dir, base_url, model)
    try:
        return Measurement.model_validate_json(path.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValidationError) as exc:
        log.warning("judge measurement %s unreadable (%s): the model is not trusted", path.name,
                    type(exc).__name__)
        return None


def trust_of(settings: Settings) -> Trust:
    """The trust level of the configured model, from its measurement (recomputed with today's rule)."""
    m = load(settings.data_dir, base_url_of(settings), settings.llm_model)
    if m is None:
        return Trust(level="none", reason=f"{settings.llm_model} has not been measured on the judge bench "
                                          f"(run bench/judge.py)")
    level = level_for(m.accuracy, m.recall, m.items)
    recall = ", ".join(f"{k} {m.recall.get(k, 0.0):.0%}" for k in LABELS)
    return Trust(level=level, accuracy=m.accuracy,
                 reason=f"{m.model} judged {m.accuracy:.0%} of {m.items} claims right on the judge bench "
                        f"({recall}; {m.measured_at[:10]}): trust {level}")


def allowed_range(level: Level, offline: int, max_shift: int, *, carries_myth: bool,
                  wrong_answer: bool) -> tuple[int, int]:
    """The scores (lowest, highest) the model may give a dimension the offline pass scored `offline`."""
    if level == "none":
        return offline, offline
    shift = max_shift if level == "full" else min(max_shift, 1)
    may_raise = level == "full" and not carries_myth and not wrong_answer
    return max(1, offline - shift), (min(4, offline + shift) if may_raise else offline)
