"""team targets: targets set from Slack, and the audit of every change

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 16:05:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "team_targets",
        sa.Column("metric", sa.String(length=100), nullable=False),
        sa.Column("channel", sa.String(length=100), nullable=False),
        sa.Column("segment", sa.String(length=100), nullable=False),
        sa.Column("min", sa.Double(), nullable=True),
        sa.Column("max", sa.Double(), nullable=True),
        sa.Column("set_by", sa.String(length=40), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("metric", "channel", "segment", name=op.f("pk_team_targets")),
    )
    op.create_table(
        "target_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("channel_id", sa.String(length=100), nullable=False),
        sa.Column("metric", sa.String(length=100), nullable=False),
        sa.Column("channel", sa.String(length=100), nullable=False),
        sa.Column("segment", sa.String(length=100), nullable=False),
        sa.Column("old_min", sa.Double(), nullable=True),
        sa.Column("old_max", sa.Double(), nullable=True),
        sa.Column("new_min", sa.Double(), nullable=True),
        sa.Column("new_max", sa.Double(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_changes")),
    )


def downgrade() -> None:
    op.drop_table("target_changes")
    op.drop_table("team_targets")
