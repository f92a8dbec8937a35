"""Queries for accounts, sessions and API tokens. Tokens come in raw and are looked up by digest."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.auth.tables import Account, ApiToken, AuthSession, now
from app.models import User
from app.security.secrets import API_TOKEN_PREFIX, digest, hash_password, needs_rehash, new_token, verify_password

TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is written at most this often per session


class EmailTaken(Exception):
    pass


@dataclass(frozen=True)
class Expiry:
    idle: timedelta
    absolute: timedelta


def create_account(db: Session, email: str, password: str) -> tuple[User, Account]:
    if db.exec(select(Account).where(Account.email == email)).first() is not None:
        raise EmailTaken(email)
    user = User(name=f"account-{secrets.token_hex(8)}")
    db.add(user)
    db.flush()
    account = Account(user_id=user.id, email=email, password_hash=hash_password(password))
    db.add(account)
    try:
        db.commit()
    except IntegrityError:  # the same email signed up at the same moment
        db.rollback()
        raise EmailTaken(email) from None
    db.refresh(user)
    db.refresh(account)
    return user, account


def authenticate(db: Session, email: str, password: str) -> Account | None:
    """The account if the password is right. Costs one Argon2 verification whether or not it exists."""
    account = db.exec(select(Account).where(Account.email == email)).first()
    if not verify_password(account.password_hash if account else None, password):
        return None
    if needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
        db.add(account)
        db.commit()
    return account


def account_of(db: Session, user_id: int) -> Account | None:
    return db.exec(select(Account).where(Account.user_id == user_id)).first()


# --- sessions --------------------------------------------------------------------------------------
def start_session(db: Session, user_id: int, expiry: Expiry) -> str:
    """A new session for the user; returns the raw cookie value (never stored)."""
    token = new_token()
    t = now()
    db.exec(delete(AuthSession).where(col(AuthSession.user_id) == user_id, col(AuthSession.expires_at) < t))
    db.add(AuthSession(user_id=user_id, token_hash=digest(token), created_at=t, last_seen_at=t,
                       expires_at=t + expiry.absolute))
    db.commit()
    return token


def session_user(db: Session, token: str, expiry: Expiry) -> User | None:
    """The user of a live session; an expired one (idle or absolute) is deleted and gives None."""
    row = db.exec(select(AuthSession).where(AuthSession.token_hash == digest(token))).first()
    if row is None:
        return None
    t = now()
    if t >= row.expires_at or t - row.last_seen_at >= expiry.idle:
        db.delete(row)
        db.commit()
        return None
    if t - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = t
        db.add(row)
        db.commit()
    return db.get(User, row.user_id)


def end_session(db: Session, token: str) -> None:
    db.exec(delete(AuthSession).where(col(AuthSession.token_hash) == digest(token)))
    db.commit()


# --- API tokens ------------------------------------------------------------------------------------
def create_api_token(db: Session, user_id: int, name: str) -> tuple[ApiToken, str]:
    raw = new_token(API_TOKEN_PREFIX)
    row = ApiToken(user_id=user_id, name=name, token_hash=digest(raw))
    db.add(row)
    db.commit()
    db.refresh(row)
    return row, raw


def token_user(db: Session, raw: str) -> User | None:
    row = db.exec(select(ApiToken).where(ApiToken.token_hash == digest(raw))).first()
    if row is None:
        return None
    t = now()
    if row.last_used_at is None or t - row.last_used_at >= TOUCH_EVERY:
        row.last_used_at = t
        db.add(row)
        db.commit()
    return db.get(User, row.user_id)


def list_api_tokens(db: Session, user_id: int) -> list[ApiToken]:
    return list(db.exec(select(ApiToken).where(ApiToken.user_id == user_id).order_by(col(ApiToken.id))))


def get_api_token(db: Session, user_id: int, token_id: int) -> ApiToken | None:
    row = db.get(ApiToken, token_id)
    return row if row is not None and row.user_id == user_id else None
