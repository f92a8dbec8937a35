"""Who is calling: the local user (VIVA_AUTH=local), or the user of a session cookie or a Bearer token.

REST routes get 401 without a valid one (`app.api.deps.CurrentUser`); the WebSocket is closed with
1008 before it is accepted (`StreamUser`). Tokens travel only in the cookie or the Authorization
header, never in a URL.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Depends, WebSocketException
from sqlmodel import Session
from starlette.requests import HTTPConnection

from app import repository
from app.auth import store
from app.config import Settings
from app.db import SessionDep
from app.models import User

COOKIE = "viva_session"
CLOSE_POLICY = 1008


def expiry(settings: Settings) -> store.Expiry:
    return store.Expiry(idle=timedelta(hours=settings.session_idle_hours),
                        absolute=timedelta(days=settings.session_max_days))


def bearer_token(conn: HTTPConnection) -> str | None:
    scheme, _, value = conn.headers.get("authorization", "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def resolve_user(conn: HTTPConnection, db: Session) -> User | None:
    settings: Settings = conn.app.state.settings
    if settings.auth == "local":
        return repository.ensure_local_user(db)
    token = bearer_token(conn)
    if token is not None:
        return store.token_user(db, token)
    cookie = conn.cookies.get(COOKIE)
    if cookie:
        return store.session_user(db, cookie, expiry(settings))
    return None


def get_stream_user(websocket: HTTPConnection, db: SessionDep) -> User:
    """The caller of a WebSocket; no valid session or token -> closed with 1008 before accept."""
    user = resolve_user(websocket, db)
    if user is None:
        raise WebSocketException(CLOSE_POLICY, "log in first")
    return user


StreamUser = Annotated[User, Depends(get_stream_user)]
