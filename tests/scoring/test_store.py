"""Scorecard storage on SQLite and PostgreSQL: upsert one row per interview, progress query."""

from __future__ import annotations

from sqlmodel import select

from app import repository
from app.models import Scorecard
from tests.factories import make_interview, make_user


def test_save_scorecard_replaces_and_progress_is_oldest_first_and_owned(store_session):
    """On SQLite and on PostgreSQL."""
    session = store_session
    me = repository.ensure_local_user(session)
    first, second = make_interview(session, me), make_interview(session, me)
    make_interview(session, me, round_id="coding")
    theirs = make_interview(session, make_user(session))
    data = {"dimensions": [{"key": "scalability", "score": 2, "evidence": [{"quote": "ünïcode “quotes”"}]}]}
    repository.save_scorecard(session, second.id, scorer="offline", overall=2.0, hire_signal="lean no hire",
                              data=data)
    repository.save_scorecard(session, first.id, scorer="offline", overall=1.0, hire_signal="strong no hire",
                              data={})
    repository.save_scorecard(session, theirs.id, scorer="offline", overall=4.0, hire_signal="strong hire",
                              data={})
    again = repository.save_scorecard(session, second.id, scorer="llm", overall=3.0, hire_signal="lean hire",
                                      data=data)
    session.expire_all()
    rows = session.exec(select(Scorecard).where(Scorecard.interview_id == second.id)).all()
    assert len(rows) == 1 and rows[0].id == again.id and rows[0].scorer == "llm" and rows[0].data == data
    progress = repository.scored_interviews(session, me, "system_design")
    assert [(i.id, c.overall) for i, c in progress] == [(first.id, 1.0), (second.id, 3.0)]
