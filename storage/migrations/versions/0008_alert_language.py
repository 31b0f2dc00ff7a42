"""slack_alerts.language: the language an alert made from Slack is posted in

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 19:15:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("slack_alerts") as batch:
        batch.add_column(
            sa.Column("language", sa.String(length=5), nullable=False, server_default="en")
        )


def downgrade() -> None:
    with op.batch_alter_table("slack_alerts") as batch:
        batch.drop_column("language")
