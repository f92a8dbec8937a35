"""The store on SQLite and PostgreSQL: same code, same behaviour."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app import repository
from app.db import make_engine
from app.models import Scorecard, Speaker, Turn
from tests.factories import add_turns, make_interview, make_user


@pytest.fixture
def session(store_session):
    return store_session


def test_turns_get_sequence_numbers_in_order(session):
    interview = make_interview(session)
    add_turns(session, interview, [("interviewer", "Hi"), ("candidate", "Hello"), ("interviewer", "Q1")])
    turns = repository.list_turns(session, interview.id)
    assert [t.seq for t in turns] == [1, 2, 3]
    assert [t.speaker for t in turns] == [Speaker.interviewer, Speaker.candidate, Speaker.interviewer]


def test_words_and_meta_round_trip_as_json(session):
    interview = make_interview(session)
    words = [{"word": "Redis", "start_ms": 100, "end_ms": 400, "probability": 0.9}]
    repository.add_turn(session, interview.id, Speaker.candidate, "Redis", start_ms=100, end_ms=400,
                        words=words, meta={"phase": "intro"})
    session.expire_all()
    turn = repository.list_turns(session, interview.id)[0]
    assert turn.words == words and turn.meta == {"phase": "intro"}


def test_sequence_is_unique_per_interview(session):
    interview = make_interview(session)
    add_turns(session, interview, [("candidate", "one")])
    session.add(Turn(interview_id=interview.id, seq=1, speaker=Speaker.candidate, text="dup"))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_delete_cascades_to_turns_and_scorecard(session):
    interview, other = make_interview(session), make_interview(session)
    add_turns(session, interview, [("interviewer", "Hi"), ("candidate", "Hello")])
    add_turns(session, other, [("candidate", "keep me")])
    session.add(Scorecard(interview_id=interview.id, scorer="offline", overall=2.5, hire_signal="lean hire"))
    session.commit()
    repository.delete_interview(session, interview)
    assert repository.list_turns(session, interview.id) == []
    assert repository.get_scorecard(session, interview.id) is None
    assert len(repository.list_turns(session, other.id)) == 1


def test_database_level_cascade(session):
    """Foreign keys are on (SQLite pragma): deleting the row in SQL removes its turns too."""
    interview = make_interview(session)
    add_turns(session, interview, [("candidate", "x")])
    interview_id = interview.id
    session.exec(text("DELETE FROM interview WHERE id = :id").bindparams(id=interview_id))
    session.commit()
    assert repository.list_turns(session, interview_id) == []


def test_listing_is_scoped_to_the_owner_and_paginates(session):
    me = repository.ensure_local_user(session)
    other = make_user(session)
    mine = [make_interview(session, me) for _ in range(5)]
    make_interview(session, other)
    page1, cursor = repository.list_interviews(session, me, limit=3)
    page2, end = repository.list_interviews(session, me, limit=3, cursor=cursor)
    assert [i.id for i in page1 + page2] == [i.id for i in reversed(mine)]
    assert end is None
    assert repository.get_owned_interview(session, other, mine[0].id) is None


def test_sqlite_pragmas(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL: durable acknowledgements
    engine.dispose()
