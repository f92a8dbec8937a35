"""accounts: login credentials, server-side sessions, personal API tokens (VIVA_AUTH=accounts)

Written for the durability branch's migrations (0001 initial, 0002 durability); checked there with
tests/test_migrations.py (no drift on SQLite and PostgreSQL) in a trial merge.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _user_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE")


def upgrade() -> None:
    op.create_table("account",
                    sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("user_id", sa.Integer(), nullable=False),
                    sa.Column("email", sa.String(length=254), nullable=False),
                    sa.Column("password_hash", sa.String(length=255), nullable=False),
                    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
                    _user_fk(), sa.PrimaryKeyConstraint("id"), sa.UniqueConstraint("email"),
                    sa.UniqueConstraint("user_id"))
    op.create_table("auth_session",
                    sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("user_id", sa.Integer(), nullable=False),
                    sa.Column("token_hash", sa.String(length=64), nullable=False),
                    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
                    _user_fk(), sa.PrimaryKeyConstraint("id"), sa.UniqueConstraint("token_hash"))
    op.create_index("ix_auth_session_user_id", "auth_session", ["user_id"], unique=False)
    op.create_table("api_token",
                    sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("user_id", sa.Integer(), nullable=False),
                    sa.Column("name", sa.String(length=100), nullable=False),
                    sa.Column("token_hash", sa.String(length=64), nullable=False),
                    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
                    _user_fk(), sa.PrimaryKeyConstraint("id"), sa.UniqueConstraint("token_hash"))
    op.create_index("ix_api_token_user_id", "api_token", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_api_token_user_id", table_name="api_token")
    op.drop_table("api_token")
    op.drop_index("ix_auth_session_user_id", table_name="auth_session")
    op.drop_table("auth_session")
    op.drop_table("account")
