"""Running the app for stream tests: a TestClient, optionally with a fake transcriber in the pool."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app import repository
from app.config import Settings
from app.main import create_app
from app.models import Interview, Turn
from app.voice.pool import TranscriptionPool
from tests.factories import make_interview


@contextmanager
def running(settings: Settings, transcriber=None, **pool: int) -> Iterator[tuple[FastAPI, TestClient]]:
    app = create_app(settings)
    with TestClient(app) as client:
        if transcriber is not None:
            app.state.stt_pool = TranscriptionPool(transcriber, **pool)
        yield app, client


def new_interview(app: FastAPI, **kwargs) -> int:
    with Session(app.state.engine) as db:
        return make_interview(db, **kwargs).id


def stored(app: FastAPI, interview_id: int) -> tuple[Interview, list[Turn]]:
    with Session(app.state.engine) as db:
        return db.get(Interview, interview_id), repository.list_turns(db, interview_id)


def url(interview_id: int) -> str:
    return f"/api/interviews/{interview_id}/stream"


def until(ws, kind: str, count: int = 1, limit: int = 1000) -> list[dict]:
    """Events up to and including the `count`-th event of type `kind`."""
    events: list[dict] = []
    while sum(e["type"] == kind for e in events) < count:
        events.append(ws.receive_json())
        assert len(events) < limit, f"no {kind} in {limit} events: {[e['type'] for e in events]}"
    return events


def send(ws, **message) -> None:
    ws.send_text(json.dumps(message))


def of(events: list[dict], kind: str) -> list[dict]:
    return [e for e in events if e["type"] == kind]


def eventually(check, tries: int = 200, every_s: float = 0.05):
    """Poll `check()` until it returns something truthy (the server side of a closed socket drains on
    its own); fails after `tries` polls. A wait with a bound, not a timing assertion."""
    import time

    for _ in range(tries):
        result = check()
        if result:
            return result
        time.sleep(every_s)
    raise AssertionError(f"condition not met after {tries} polls: {check}")


def status_of(app: FastAPI, interview_id: int):
    return stored(app, interview_id)[0].status
