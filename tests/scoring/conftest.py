"""Fixtures for the scoring tests: the real catalog, and the transcripts written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.catalog import Catalog, load_catalog
from app.config import ROOT
from app.scoring.transcript import TranscriptTurn, parse_transcript

TRANSCRIPTS = Path(__file__).parent / "transcripts"
ROUNDS = ["system_design", "behavioral", "coding", "api_design", "database", "distributed_systems"]


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(ROOT / "rubrics", ROOT / "prompts")


def load_transcript(round_id: str, kind: str) -> list[TranscriptTurn]:
    return parse_transcript((TRANSCRIPTS / f"{round_id}_{kind}.txt").read_text(encoding="utf-8"))


def hint_turn(seq: int, dimension: str | None = None) -> TranscriptTurn:
    """An interviewer hint, as the interviewer stores it (meta move "hint", or hint_used without one)."""
    meta = {"move": "hint", "dimension": dimension} if dimension else {"hint_used": True}
    return TranscriptTurn(seq=seq, speaker="interviewer", text="Here is a pointer.", start_ms=seq,
                          end_ms=seq + 1, meta=meta)


def candidate_text(turns: list[TranscriptTurn], seq: int) -> str:
    turn = next(t for t in turns if t.seq == seq)
    assert turn.is_candidate, f"evidence from turn {seq}, which is not the candidate's"
    return turn.text


def write_measurement(data_dir: Path, base_url: str, model: str = "qwen", accuracy: float = 0.95,
                      recall: dict[str, float] | None = None, items: int = 108):
    """A judge-bench measurement of `model` at `base_url`, where the LLM scorer reads it (trust.py)."""
    from app.scoring import trust

    recall = recall or {"agrees": accuracy, "contradicts": accuracy}
    m = trust.Measurement(base_url=base_url.rstrip("/"), model=model, measured_at="2026-12-03T08:00:00+00:00",
                          items=items, accuracy=accuracy, recall=recall, answers={"agrees": items},
                          same_label_share=0.5, pairs_told_apart=accuracy, errors=0, seconds_per_item=1.0,
                          load=[0.0, 0.0, 0.0], set_sha256="0" * 64,
                          level=trust.level_for(accuracy, recall, items))
    trust.save(data_dir, m)
    return m
