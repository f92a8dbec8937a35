"""Turn writing under races, the one-writer fence, status transitions and the sweep: on SQLite and
PostgreSQL (the `database_url` fixture runs each test on both)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import Session

from app import lifecycle, repository
from app.db import init_db, make_engine
from app.models import Interview, InterviewStatus, Speaker
from app.turn_writer import TakenOver, insert_turn
from tests.factories import make_interview

S = InterviewStatus


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    init_db(engine)
    yield engine
    engine.dispose()


def _interview(engine) -> int:
    with Session(engine) as s:
        return make_interview(s).id


def test_concurrent_writers_get_distinct_seqs_and_lose_nothing(engine):
    interview_id = _interview(engine)
    writers, each = 12, 5
    seqs: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(writers)

    def write(w: int) -> None:
        start.wait()
        try:
            for k in range(each):
                with Session(engine) as s:
                    seqs.append(repository.add_turn(s, interview_id, Speaker.candidate, f"w{w} k{k}").seq)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert sorted(seqs) == list(range(1, writers * each + 1))
    with Session(engine) as s:
        stored = repository.list_turns(s, interview_id)
    assert sorted(t.text for t in stored) == sorted(f"w{w} k{k}" for w in range(writers) for k in range(each))


def test_a_client_id_is_stored_once(engine):
    interview_id = _interview(engine)
    values = {"speaker": Speaker.candidate, "text": "typed once", "client_id": "m1"}
    with Session(engine) as s:
        first, created = insert_turn(s, interview_id, dict(values))
        again, created_again = insert_turn(s, interview_id, dict(values))
        assert created and not created_again and again.seq == first.seq
    with Session(engine) as s:
        assert len(repository.list_turns(s, interview_id)) == 1


def test_the_newer_connection_wins_and_the_older_one_is_fenced(engine):
    interview_id = _interview(engine)
    with Session(engine) as s:
        assert lifecycle.claim_stream(s, interview_id, "old").status == S.active
        insert_turn(s, interview_id, {"speaker": Speaker.candidate, "text": "one"}, owner="old")
        assert lifecycle.claim_stream(s, interview_id, "new").owner == "new"
        with pytest.raises(TakenOver):
            insert_turn(s, interview_id, {"speaker": Speaker.candidate, "text": "two"}, owner="old")
        with pytest.raises(TakenOver):
            lifecycle.save_state(s, interview_id, "old", {"x": 1}, 1)
        assert lifecycle.heartbeat(s, interview_id, "old") is False
        assert lifecycle.heartbeat(s, interview_id, "new") is True
        assert lifecycle.pause(s, interview_id, "old", {}, 0) is False
        turn, _ = insert_turn(s, interview_id, {"speaker": Speaker.interviewer, "text": "reply"}, owner="new",
                              state={"step": 2})
        interview = s.get(Interview, interview_id)
        s.refresh(interview)
        assert interview.state == {"step": 2} and interview.state_seq == turn.seq == 2
        assert [t.text for t in repository.list_turns(s, interview_id)] == ["one", "reply"]


def test_transitions_follow_the_table(engine):
    interview_id = _interview(engine)
    with Session(engine) as s:
        assert not repository.transition(s, interview_id, S.scored)  # created -> scored: not allowed
        assert not repository.transition(s, interview_id, S.paused)  # created -> paused: not allowed
        assert repository.transition(s, interview_id, S.active)
        assert repository.transition(s, interview_id, S.paused)
        assert not repository.transition(s, interview_id, S.scoring)  # paused work is not scored
        assert repository.transition(s, interview_id, S.abandoned)
        assert not repository.transition(s, interview_id, S.active)  # abandoned is over
        assert repository.transition(s, interview_id, S.scoring)
        assert s.get(Interview, interview_id).status == S.scoring
    for source, targets in repository.TRANSITIONS.items():
        assert source not in repository.LIVE or not targets & {S.scored, S.failed}


def test_the_sweep_pauses_dead_streams_and_abandons_after_the_grace(engine):
    live, dead, paused = _interview(engine), _interview(engine), _interview(engine)
    with Session(engine) as s:
        for interview_id, token in ((live, "l"), (dead, "d"), (paused, "p")):
            lifecycle.claim_stream(s, interview_id, token)
        lifecycle.pause(s, paused, "p", {}, 0)
        past = lifecycle.cutoff(3600)
        s.exec(Interview.__table__.update().where(Interview.id == dead).values(owner_seen_at=past))
        s.exec(Interview.__table__.update().where(Interview.id == paused).values(paused_at=past))
        s.commit()
        assert lifecycle.pause_orphans(s, lifecycle.cutoff(30)) == [dead]
        assert lifecycle.abandon_expired(s, lifecycle.cutoff(600)) == [paused]
        assert lifecycle.abandon_expired(s, lifecycle.cutoff(600, lifecycle.cutoff(-7200))) == [dead]
        s.expire_all()
        statuses = {i: s.get(Interview, i) for i in (live, dead, paused)}
    assert statuses[live].status == S.active
    assert statuses[dead].status == S.abandoned and statuses[dead].end_reason == "abandoned"
    assert statuses[paused].status == S.abandoned and statuses[paused].ended_at is not None
    assert timedelta(0) < lifecycle.cutoff(0) - lifecycle.cutoff(1) <= timedelta(seconds=2)
