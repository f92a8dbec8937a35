"""code: the room editor's latest content per question (code_draft) and every code or SQL run (code_run)

Revision ID: 0004_code
Revises: board
Create Date: 2026-12-03 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_code"
down_revision = "board"
branch_labels = None
depends_on = None


def _interview_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["interview_id"], ["interview.id"], ondelete="CASCADE")


def upgrade() -> None:
    op.create_table("code_draft",
                    sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("interview_id", sa.Integer(), nullable=False),
                    sa.Column("question_id", sa.String(length=64), nullable=False),
                    sa.Column("language", sa.String(length=16), nullable=False),
                    sa.Column("code", sa.String(), nullable=False),
                    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
                    _interview_fk(), sa.PrimaryKeyConstraint("id"),
                    sa.UniqueConstraint("interview_id", "question_id"))
    op.create_index("ix_code_draft_interview_id", "code_draft", ["interview_id"], unique=False)
    op.create_table("code_run",
                    sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("interview_id", sa.Integer(), nullable=False),
                    sa.Column("at_ms", sa.Integer(), nullable=False),
                    sa.Column("question_id", sa.String(length=64), nullable=False),
                    sa.Column("language", sa.String(length=16), nullable=False),
                    sa.Column("mode", sa.String(length=8), nullable=False),
                    sa.Column("status", sa.String(length=16), nullable=False),
                    sa.Column("passed", sa.Integer(), nullable=False),
                    sa.Column("total", sa.Integer(), nullable=False),
                    sa.Column("code", sa.String(), nullable=False),
                    sa.Column("result", sa.JSON(), nullable=False),
                    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
                    _interview_fk(), sa.PrimaryKeyConstraint("id"))
    op.create_index("ix_code_run_interview_id", "code_run", ["interview_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_code_run_interview_id", table_name="code_run")
    op.drop_table("code_run")
    op.drop_index("ix_code_draft_interview_id", table_name="code_draft")
    op.drop_table("code_draft")
