"""Fixtures for the interviewer: the six real rounds, a fake clock, and helpers that drive a conversation."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from app.catalog import Catalog, Round, load_catalog
from app.config import ROOT
from app.interviewer import Interviewer, OfflineBrain
from app.interviewer.phrases import sentences

ROUND_IDS = ["system_design", "behavioral", "coding", "api_design", "database", "distributed_systems"]


class FakeClock:
    """time.monotonic stand-in that only moves when a test says so."""

    def __init__(self, t: float = 1000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(ROOT / "rubrics", ROOT / "prompts")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


async def say(chunks: AsyncIterator[str]) -> str:
    return "".join([c async for c in chunks])


async def opened(rnd: Round, level: str = "senior", brain=None) -> tuple[Interviewer, FakeClock, str]:
    """A started interview on a fake clock, after its opening line (returned)."""
    clock = FakeClock()
    iv = make(rnd, level, clock, brain=brain)
    return iv, clock, await say(iv.opening())


def make(rnd: Round, level: str = "senior", clock: FakeClock | None = None, brain=None,
         state=None) -> Interviewer:
    iv = Interviewer(rnd, level, brain or OfflineBrain(), state=state, clock=clock or FakeClock())
    iv.start()
    return iv


def thorough_answer(rnd: Round, question_id: str) -> str:
    """An answer with two signals of every dimension the question probes, plus numbers, an example and a
    trade-off: what a strong candidate says."""
    question = next(q for q in rnd.prompt.questions if q.id == question_id)
    parts = []
    for dim_key in dict.fromkeys(p.dimension for p in question.probes):
        dim = rnd.dimension(dim_key)
        parts += [f"we considered {s.phrases[0]}" for s in dim.signals[:3]]
    return ("For example, in my last job we handled about 5000 requests per second. "
            + ", and ".join(parts) + ". The trade-off is cost, but on the other hand it was simpler to run.")


VAGUE = "Hmm, I guess it depends, we would just make it work somehow."


def max_sentences(text: str) -> int:
    return len(sentences(text))
