"""board: the whiteboard's versions (board_version), deleted with their interview

Revision ID: board
Revises: 0003
Create Date: 2026-12-03 07:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "board"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("board_version",
                    sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("interview_id", sa.Integer(), nullable=False),
                    sa.Column("version", sa.Integer(), nullable=False),
                    sa.Column("at_ms", sa.Integer(), nullable=False),
                    sa.Column("graph", sa.JSON(), nullable=False),
                    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
                    sa.ForeignKeyConstraint(["interview_id"], ["interview.id"], ondelete="CASCADE"),
                    sa.PrimaryKeyConstraint("id"),
                    sa.UniqueConstraint("interview_id", "version"))
    with op.batch_alter_table("board_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_board_version_interview_id"), ["interview_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("board_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_board_version_interview_id"))
    op.drop_table("board_version")
