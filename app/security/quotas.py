"""Per-user caps on interviews: how many may be in progress at once, and how many may start per day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import HTTPException, status
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.config import Settings
from app.models import Interview, InterviewStatus, User
from app.security.ratelimit import WindowCounter

# Statuses that hold a place among the live interviews (created but not yet over).
LIVE = tuple(s for s in InterviewStatus if s.value in ("created", "active", "paused"))


def check_interview_quota(db: Session, user: User, settings: Settings, created: WindowCounter) -> None:
    """429 when the user already has `max_live_interviews` in progress or created `max_interviews_per_day`
    in 24 h — counted from the store and, so that deleting does not reset it, in `created` too. On success
    the new interview is counted."""
    live = db.exec(select(func.count()).select_from(Interview).where(
        Interview.user_id == user.id, col(Interview.status).in_(LIVE))).one()
    if live >= settings.max_live_interviews:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                            f"you have {live} interviews in progress (the limit is {settings.max_live_interviews});"
                            " finish or delete one first")
    since = datetime.now(UTC) - timedelta(days=1)
    today = db.exec(select(func.count()).select_from(Interview).where(
        Interview.user_id == user.id, col(Interview.created_at) >= since)).one()
    key = f"user:{user.id}"
    if today >= settings.max_interviews_per_day or created.blocked(key):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                            f"the limit is {settings.max_interviews_per_day} new interviews per day; try again later")
    created.add(key)
