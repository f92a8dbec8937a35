"""Dependencies shared by routes: the current user, the catalog, an owned interview."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, status
from starlette.requests import HTTPConnection

from app import repository
from app.auth.deps import resolve_user
from app.catalog import Catalog
from app.db import SessionDep
from app.models import Interview, User


def get_current_user(conn: HTTPConnection, session: SessionDep) -> User:
    """The caller: the local user (VIVA_AUTH=local) or a logged-in one; every query is scoped to it."""
    user = resolve_user(conn, session)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "log in first", headers={"WWW-Authenticate": "Bearer"})
    return user


def get_catalog(conn: HTTPConnection) -> Catalog:
    return conn.app.state.catalog


CurrentUser = Annotated[User, Depends(get_current_user)]
CatalogDep = Annotated[Catalog, Depends(get_catalog)]


def get_owned_interview(interview_id: int, session: SessionDep, user: CurrentUser) -> Interview:
    """The interview with this id if the caller owns it; 404 otherwise (never reveal others' ids)."""
    interview = repository.get_owned_interview(session, user, interview_id)
    if interview is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"interview {interview_id} not found")
    return interview


OwnedInterview = Annotated[Interview, Depends(get_owned_interview)]
