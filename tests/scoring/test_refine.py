"""The offline card at once, the LLM's refinement when ready: two stores by app.scoring.jobs, seen
through the scorecard API (the review page polls it). The model is the fake LLM server."""

from __future__ import annotations

import json
import time

import pytest
from sqlmodel import Session

from app import repository
from app.scoring.jobs import is_scoring, schedule_scoring
from app.scoring.llm import LlmScorer
from tests.factories import make_user
from tests.fake_llm import FakeLLMServer, Reply
from tests.scoring.conftest import write_measurement
from tests.scoring.test_api import finished_interview, status_of


@pytest.fixture(scope="module")
def server():
    s = FakeLLMServer().start()
    yield s
    s.stop()


def use_llm(client, server, measured: bool, delay_s: float = 0.0) -> None:
    settings = client.app.state.settings.model_copy(update={
        "scorer": "llm", "llm_base_url": server.base_url, "llm_model": "qwen", "llm_scorer_timeout_s": 5.0})
    if measured:
        write_measurement(settings.data_dir, server.base_url, accuracy=0.95)
    server.script.clear()
    server.default = Reply(text=json.dumps({"rationale": "ok", "false_claims": [], "quotes": [1], "score": 3}),
                           delay_s=delay_s)
    client.app.state.scorer = LlmScorer(settings)


def start(client, iid: int) -> None:
    async def like_the_stream_does():
        schedule_scoring(client.app, iid)

    client.portal.call(like_the_stream_does)


def wait_done(client, iid: int) -> None:
    deadline = time.monotonic() + 30
    while client.portal.call(_running, client.app, iid):
        assert time.monotonic() < deadline
        time.sleep(0.05)


async def _running(app, iid):
    return is_scoring(app, iid)


def test_the_offline_card_is_shown_at_once_and_the_refinement_replaces_it(client, server):
    use_llm(client, server, measured=True, delay_s=0.3)
    iid = finished_interview(client, kind="medium")
    start(client, iid)
    deadline, interim = time.monotonic() + 20, None
    while interim is None and time.monotonic() < deadline:
        r = client.get(f"/api/interviews/{iid}/scorecard")
        interim = r.json() if r.status_code == 200 else None
        time.sleep(0.02)
    assert interim is not None, "no interim card"
    assert interim["refining_with"] == "qwen" and interim["refined_by"] is None
    assert interim["scorer"] == "offline" and status_of(client, iid) == "scoring"
    wait_done(client, iid)
    final = client.get(f"/api/interviews/{iid}/scorecard").json()
    assert final["scorer"] == "llm" and final["refined_by"] == "qwen" and final["refining_with"] is None
    assert status_of(client, iid) == "scored"
    assert {d["scored_by"] for d in final["dimensions"]} == {"llm"}


def test_an_untrusted_model_stores_one_offline_card(client, server):
    use_llm(client, server, measured=False)
    server.requests.clear()
    iid = finished_interview(client)
    start(client, iid)
    wait_done(client, iid)
    card = client.get(f"/api/interviews/{iid}/scorecard").json()
    assert card["refining_with"] is None and card["refined_by"] is None
    assert card["scorer"] == "offline-fallback" and "judge bench" in card["fallback_reason"]
    assert not server.requests and status_of(client, iid) == "scored"


def test_a_refinement_that_raises_leaves_the_offline_card(client, server, monkeypatch):
    use_llm(client, server, measured=True)
    scorer = client.app.state.scorer

    def broken(*args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(scorer, "score", broken)
    iid = finished_interview(client)
    start(client, iid)
    wait_done(client, iid)
    card = client.get(f"/api/interviews/{iid}/scorecard").json()
    assert card["scorer"] == "offline" and card["refining_with"] is None
    assert any("refinement failed (RuntimeError)" in n for n in card["notes"])
    assert status_of(client, iid) == "scored"


def test_the_interim_card_is_only_its_owners(client, server):
    use_llm(client, server, measured=True, delay_s=0.5)
    with Session(client.app.state.engine) as session:
        other = make_user(session)
    iid = finished_interview(client, user=other)
    start(client, iid)
    deadline = time.monotonic() + 20
    while True:
        with Session(client.app.state.engine) as session:
            card = repository.get_scorecard(session, iid)
        if card is not None:
            break
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert card.data["refining_with"] == "qwen"
    r = client.get(f"/api/interviews/{iid}/scorecard")
    assert r.status_code == 404 and "not found" in r.json()["detail"]
    wait_done(client, iid)
