"""Board versions: if-match writes, conflicts that carry the newest version, fencing by the stream's owner,
deletion with the interview (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app import lifecycle, repository
from app.board import store
from app.board.graph import BoardError, parse_graph
from app.turn_writer import TakenOver
from tests.factories import make_interview


def test_versions_go_up_and_a_stale_base_is_a_conflict_with_the_newest(store_session: Session, design):
    iid = make_interview(store_session).id
    g = parse_graph(design)
    assert store.latest(store_session, iid) == store.EMPTY
    first = store.save(store_session, iid, 0, g, at_ms=1_000)
    assert isinstance(first, store.Saved) and first.snapshot.version == 1
    design["nodes"][0]["label"] = "Mobile app"
    second = store.save(store_session, iid, 1, parse_graph(design), at_ms=2_000)
    assert second.snapshot.version == 2
    stale = store.save(store_session, iid, 1, g, at_ms=3_000)  # the other tab, drawn on version 1
    assert isinstance(stale, store.Conflict)
    assert stale.current.version == 2 and stale.current.graph["nodes"][0]["label"] == "Mobile app"
    assert [s.version for s in store.history(store_session, iid)] == [1, 2]  # nothing stored by the stale write
    assert [s.at_ms for s in store.history(store_session, iid)] == [1_000, 2_000]


def test_the_timeline_never_runs_backwards(store_session: Session, design):
    iid = make_interview(store_session).id
    store.save(store_session, iid, 0, parse_graph(design), at_ms=5_000)
    later = store.save(store_session, iid, 1, parse_graph(design), at_ms=4_000)
    assert later.snapshot.at_ms == 5_000


def test_a_connection_that_lost_the_interview_stores_nothing(store_session: Session, design):
    iid = make_interview(store_session).id
    lifecycle.claim_stream(store_session, iid, "old")
    lifecycle.claim_stream(store_session, iid, "new")
    with pytest.raises(TakenOver):
        store.save(store_session, iid, 0, parse_graph(design), at_ms=0, owner="old")
    assert store.save(store_session, iid, 0, parse_graph(design), at_ms=0, owner="new").snapshot.version == 1


def test_the_version_cap_is_a_clear_error(store_session: Session, design, monkeypatch):
    monkeypatch.setattr(store, "MAX_VERSIONS", 2)
    iid = make_interview(store_session).id
    for base in (0, 1):
        store.save(store_session, iid, base, parse_graph(design), at_ms=0)
    with pytest.raises(BoardError, match="2 board versions"):
        store.save(store_session, iid, 2, parse_graph(design), at_ms=0)


def test_deleted_with_the_interview(store_session: Session, design):
    interview = make_interview(store_session)
    store.save(store_session, interview.id, 0, parse_graph(design), at_ms=0)
    iid = interview.id
    repository.delete_interview(store_session, interview)
    assert store.count(store_session, iid) == 0
