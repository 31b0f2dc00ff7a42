"""sources: their runs and locks, column owners, the Stripe source's state

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:00:00.000000
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from storage.columns import MEASURE_COLUMNS

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "column_owners",
        sa.Column("column_name", sa.String(length=100), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("column_name", name=op.f("pk_column_owners")),
    )
    op.create_table(
        "source_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("trigger", sa.String(length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("full", sa.Boolean(), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("rows_written", sa.Integer(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("synced_through", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_runs")),
    )
    op.create_index(
        op.f("ix_source_runs_source_started_at"), "source_runs", ["source", "started_at"]
    )
    op.create_table(
        "source_locks",
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_source_locks")),
    )
    op.create_table(
        "stripe_customers",
        sa.Column("customer_id", sa.String(length=255), nullable=False),
        sa.Column("channel", sa.String(length=100), nullable=False),
        sa.Column("segment", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_stripe_customers")),
    )
    op.create_table(
        "stripe_subscription_states",
        sa.Column("subscription_id", sa.String(length=255), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("customer_id", sa.String(length=255), nullable=False),
        sa.Column("mrr_micros", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "subscription_id", "valid_from", name=op.f("pk_stripe_subscription_states")
        ),
    )
    op.create_index(
        op.f("ix_stripe_subscription_states_customer_id"),
        "stripe_subscription_states",
        ["customer_id"],
    )
    _columns_written_so_far_belong_to_csv()


def _columns_written_so_far_belong_to_csv() -> None:
    """Every value in the store so far came from CSV imports or the demo data."""
    bind = op.get_bind()
    owners = sa.table(
        "column_owners", sa.column("column_name"), sa.column("owner"), sa.column("claimed_at")
    )
    now = datetime.now(UTC)
    for column in MEASURE_COLUMNS:
        written = bind.execute(
            sa.text(f"SELECT 1 FROM snapshots WHERE {column.name} IS NOT NULL LIMIT 1")
        ).first()
        if written is not None:
            bind.execute(
                owners.insert().values(column_name=column.name, owner="csv", claimed_at=now)
            )


def downgrade() -> None:
    op.drop_table("stripe_subscription_states")
    op.drop_table("stripe_customers")
    op.drop_table("source_locks")
    op.drop_table("source_runs")
    op.drop_table("column_owners")
