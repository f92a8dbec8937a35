"""durability: stream owner and heartbeat, paused/abandoned, scoring claim, client message ids

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 08:58:44
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OLD_STATUSES = ("created", "active", "finished", "scoring", "scored", "failed")
NEW_STATUSES = ("created", "active", "paused", "abandoned", "finished", "scoring", "scored", "failed")


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:  # a native enum type: add the values (allowed in a transaction since PostgreSQL 12)
        op.execute("ALTER TYPE interviewstatus ADD VALUE IF NOT EXISTS 'paused' AFTER 'active'")
        op.execute("ALTER TYPE interviewstatus ADD VALUE IF NOT EXISTS 'abandoned' AFTER 'paused'")
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.add_column(sa.Column("state_seq", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("owner", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("owner_seen_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("end_reason", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("scoring_owner", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("scoring_claimed_at", sa.DateTime(timezone=True), nullable=True))
        if not postgres:  # a VARCHAR sized to the longest name
            batch_op.alter_column("status", existing_type=sa.Enum(*OLD_STATUSES, name="interviewstatus"),
                                  type_=sa.Enum(*NEW_STATUSES, name="interviewstatus"), existing_nullable=False)
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_id", sa.String(length=64), nullable=True))
        batch_op.create_index("uq_turn_client_id", ["interview_id", "client_id"], unique=True)
    # Interviews stored before this revision saved their state after every turn: it covers them all.
    op.execute("UPDATE interview SET state_seq = COALESCE((SELECT max(turn.seq) FROM turn "
               "WHERE turn.interview_id = interview.id), 0)")


def downgrade() -> None:
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.drop_index("uq_turn_client_id")
        batch_op.drop_column("client_id")
    op.execute("UPDATE interview SET status = 'active' WHERE status = 'paused'")
    op.execute("UPDATE interview SET status = 'finished' WHERE status = 'abandoned'")
    with op.batch_alter_table("interview", schema=None) as batch_op:
        for name in ("scoring_claimed_at", "scoring_owner", "end_reason", "paused_at", "owner_seen_at", "owner",
                     "state_seq"):
            batch_op.drop_column(name)
    # PostgreSQL cannot drop enum values; the two extra values stay unused.
