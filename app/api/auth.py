"""Accounts over HTTP (VIVA_AUTH=accounts): sign up, log in, log out, who am I, personal API tokens.

POST   /api/auth/signup            {"email", "password"} -> 201 user, session cookie set
POST   /api/auth/login             {"email", "password"} -> 200 user, session cookie set; 401 wrong; 429 too many
POST   /api/auth/logout            -> 204, the session is deleted server-side and the cookie cleared
GET    /api/auth/me                -> {"mode", "user"} (local mode: the local user); 401 when not logged in
GET    /api/auth/tokens            the caller's API tokens (never their secret)
POST   /api/auth/tokens            {"name"} -> 201 with "token", shown this once
DELETE /api/auth/tokens/{token_id} -> 204
"""

from __future__ import annotations

import logging
import math
import re
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from pydantic import BaseModel, Field

from app.api.deps import CurrentUser
from app.api.errors import invalid
from app.auth import store
from app.auth.deps import COOKIE, expiry
from app.auth.tables import ApiToken
from app.db import SessionDep
from app.models import User
from app.repository import MAX_ID

router = APIRouter(prefix="/api/auth", tags=["auth"])
log = logging.getLogger("viva.auth")

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
MIN_PASSWORD, MAX_PASSWORD = 8, 256


class Credentials(BaseModel):
    email: str = Field(max_length=254, examples=["ada@example.com"])
    password: str = Field(max_length=MAX_PASSWORD, description=f"at least {MIN_PASSWORD} characters at sign-up")


class UserPublic(BaseModel):
    id: int
    email: str | None  # None for the local user
    created_at: datetime


class Me(BaseModel):
    mode: Literal["local", "accounts"]
    user: UserPublic


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)


class TokenPublic(BaseModel):
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


class TokenCreated(TokenPublic):
    token: str = Field(description="send as `Authorization: Bearer <token>`; shown only this once")


def _accounts_only(request: Request) -> None:
    if request.app.state.settings.auth != "accounts":
        raise HTTPException(status.HTTP_409_CONFLICT, "accounts are off on this server (VIVA_AUTH=local)")


AccountsOnly = Depends(_accounts_only)


def _email(raw: str) -> str:
    email = raw.strip().lower()
    if not EMAIL.match(email):
        invalid(("body", "email"), "not an email address", raw)
    return email


def _public(db: SessionDep, user: User) -> UserPublic:
    account = store.account_of(db, user.id)
    return UserPublic(id=user.id, email=account.email if account else None,
                      created_at=account.created_at if account else user.created_at)


def _log_in(request: Request, response: Response, db: SessionDep, user_id: int) -> None:
    settings = request.app.state.settings
    token = store.start_session(db, user_id, expiry(settings))
    secure = settings.cookie_secure == "always" or (settings.cookie_secure == "auto" and request.url.scheme == "https")
    response.set_cookie(COOKIE, token, max_age=int(expiry(settings).absolute.total_seconds()), path="/",
                        httponly=True, samesite="lax", secure=secure)


def _address(request: Request) -> str:
    return "addr:" + (request.client.host if request.client else "unknown")


@router.post("/signup", status_code=status.HTTP_201_CREATED, dependencies=[AccountsOnly],
             responses={409: {"description": "the email has an account, or accounts are off"}})
def signup(body: Credentials, request: Request, response: Response, db: SessionDep) -> UserPublic:
    email = _email(body.email)
    if len(body.password) < MIN_PASSWORD:
        invalid(("body", "password"), f"use at least {MIN_PASSWORD} characters", None)
    try:
        user, _account = store.create_account(db, email, body.password)
    except store.EmailTaken:
        raise HTTPException(status.HTTP_409_CONFLICT, "an account with this email exists; log in") from None
    _log_in(request, response, db, user.id)
    log.info("signup: user %d", user.id)
    return _public(db, user)


@router.post("/login", dependencies=[AccountsOnly],
             responses={401: {"description": "wrong email or password"},
                        409: {"description": "accounts are off"},
                        429: {"description": "too many failed logins; see Retry-After"}})
def login(body: Credentials, request: Request, response: Response, db: SessionDep) -> UserPublic:
    limiter = request.app.state.login_limiter
    email = body.email.strip().lower()
    keys = ("email:" + email, _address(request))
    wait = limiter.blocked(*keys)
    if wait > 0:
        log.warning("login refused: too many failures (retry in %d s)", math.ceil(wait))
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, "too many failed logins; try again later",
                            headers={"Retry-After": str(math.ceil(wait))})
    account = store.authenticate(db, email, body.password)
    if account is None:
        limiter.add(*keys)
        log.info("login failed")
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong email or password")
    limiter.clear(keys[0])
    _log_in(request, response, db, account.user_id)
    log.info("login: user %d", account.user_id)
    return _public(db, db.get(User, account.user_id))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(request: Request, db: SessionDep) -> Response:
    cookie = request.cookies.get(COOKIE)
    if cookie:
        store.end_session(db, cookie)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
    return response


@router.get("/me")
def me(request: Request, user: CurrentUser, db: SessionDep) -> Me:
    return Me(mode=request.app.state.settings.auth, user=_public(db, user))


# --- personal API tokens ---------------------------------------------------------------------------
def _token_public(row: ApiToken) -> TokenPublic:
    return TokenPublic(id=row.id, name=row.name, created_at=row.created_at, last_used_at=row.last_used_at)


@router.get("/tokens", dependencies=[AccountsOnly])
def list_tokens(user: CurrentUser, db: SessionDep) -> list[TokenPublic]:
    return [_token_public(r) for r in store.list_api_tokens(db, user.id)]


@router.post("/tokens", status_code=status.HTTP_201_CREATED, dependencies=[AccountsOnly])
def create_token(body: TokenCreate, user: CurrentUser, db: SessionDep) -> TokenCreated:
    row, raw = store.create_api_token(db, user.id, body.name)
    log.info("api token %d created for user %d", row.id, user.id)
    return TokenCreated(**_token_public(row).model_dump(), token=raw)


def _owned_token(token_id: int, user: CurrentUser, db: SessionDep) -> ApiToken:
    row = store.get_api_token(db, user.id, token_id) if 0 < token_id <= MAX_ID else None
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"token {token_id} not found")
    return row


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=[AccountsOnly])
def delete_token(row: Annotated[ApiToken, Depends(_owned_token)], db: SessionDep) -> Response:
    db.delete(row)
    db.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
