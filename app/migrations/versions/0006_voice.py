"""turn_audio: a spoken turn's audio for replay (VIVA_KEEP_AUDIO, off by default)

Revision ID: voice
Revises: 0004_code
Create Date: 2026-12-03 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "voice"
down_revision = "0004_code"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("turn_audio",
                    sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("interview_id", sa.Integer(), nullable=False),
                    sa.Column("seq", sa.Integer(), nullable=False),
                    sa.Column("start_ms", sa.Integer(), nullable=False),
                    sa.Column("pcm", sa.LargeBinary(), nullable=False),
                    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
                    sa.ForeignKeyConstraint(["interview_id"], ["interview.id"], ondelete="CASCADE"),
                    sa.PrimaryKeyConstraint("id"), sa.UniqueConstraint("interview_id", "seq"))
    with op.batch_alter_table("turn_audio", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_turn_audio_interview_id"), ["interview_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("turn_audio", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_turn_audio_interview_id"))
    op.drop_table("turn_audio")
