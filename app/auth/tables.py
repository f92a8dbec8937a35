"""Tables of accounts, login sessions and personal API tokens (all tied to a `user` row).

Times are timezone-aware UTC (SQLModel stores them so on SQLite and PostgreSQL). Secrets are stored only as digests.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel


def now() -> datetime:
    return datetime.now(UTC)


def _user_fk(unique: bool = False) -> Column:
    return Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=not unique,
                  unique=unique)


class Account(SQLModel, table=True):
    """Login credentials of a user (VIVA_AUTH=accounts). The local user has none."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_user_fk(unique=True))
    email: str = Field(max_length=254, unique=True)  # lower-cased
    password_hash: str = Field(max_length=255)  # Argon2id, PHC string
    created_at: datetime = Field(default_factory=now)


class AuthSession(SQLModel, table=True):
    """A logged-in browser: the cookie's SHA-256 digest, idle and absolute expiry. Logout deletes it."""

    __tablename__ = "auth_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_user_fk())
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=now)
    last_seen_at: datetime = Field(default_factory=now)
    expires_at: datetime


class ApiToken(SQLModel, table=True):
    """A personal token for scripts (`Authorization: Bearer viva_...`); shown once, stored as a digest."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_user_fk())
    name: str = Field(max_length=100)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=now)
    last_used_at: datetime | None = None
