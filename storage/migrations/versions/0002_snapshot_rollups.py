"""snapshot rollups: week, month, quarter and year summaries that the metrics engine reads whole

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 01:00:24.858329
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.rollups import rebuild_rollups

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "snapshot_rollups",
        sa.Column("grain", sa.String(length=7), nullable=False),
        sa.Column("bucket_start", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=100), nullable=False),
        sa.Column("segment", sa.String(length=100), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("first_key", sa.String(length=20), nullable=False),
        sa.Column("last_key", sa.String(length=20), nullable=False),
        sa.Column("visitors", sa.BigInteger(), nullable=True),
        sa.Column("leads", sa.BigInteger(), nullable=True),
        sa.Column("mqls", sa.BigInteger(), nullable=True),
        sa.Column("sqls", sa.BigInteger(), nullable=True),
        sa.Column("opportunities", sa.BigInteger(), nullable=True),
        sa.Column("deals_won", sa.BigInteger(), nullable=True),
        sa.Column("deals_lost", sa.BigInteger(), nullable=True),
        sa.Column("won_deal_value", sa.Double(), nullable=True),
        sa.Column("sales_cycle_days", sa.Double(), nullable=True),
        sa.Column("demo_requests", sa.BigInteger(), nullable=True),
        sa.Column("trials_started", sa.BigInteger(), nullable=True),
        sa.Column("trials_converted", sa.BigInteger(), nullable=True),
        sa.Column("pqls", sa.BigInteger(), nullable=True),
        sa.Column("activations", sa.BigInteger(), nullable=True),
        sa.Column("time_to_value_days", sa.Double(), nullable=True),
        sa.Column("emails_sent", sa.BigInteger(), nullable=True),
        sa.Column("emails_opened", sa.BigInteger(), nullable=True),
        sa.Column("emails_clicked", sa.BigInteger(), nullable=True),
        sa.Column("nps_promoters", sa.BigInteger(), nullable=True),
        sa.Column("nps_passives", sa.BigInteger(), nullable=True),
        sa.Column("nps_detractors", sa.BigInteger(), nullable=True),
        sa.Column("new_customers", sa.BigInteger(), nullable=True),
        sa.Column("customers_churned", sa.BigInteger(), nullable=True),
        sa.Column("marketing_spend", sa.Double(), nullable=True),
        sa.Column("sales_spend", sa.Double(), nullable=True),
        sa.Column("mrr_new", sa.Double(), nullable=True),
        sa.Column("mrr_expansion", sa.Double(), nullable=True),
        sa.Column("mrr_contraction", sa.Double(), nullable=True),
        sa.Column("mrr_churned", sa.Double(), nullable=True),
        sa.Column("mrr_reactivation", sa.Double(), nullable=True),
        sa.Column("customers_start", sa.BigInteger(), nullable=True),
        sa.Column("customers_end", sa.BigInteger(), nullable=True),
        sa.Column("mrr_start", sa.Double(), nullable=True),
        sa.Column("mrr_end", sa.Double(), nullable=True),
        sa.Column("known_visitors", sa.Integer(), nullable=False),
        sa.Column("known_leads", sa.Integer(), nullable=False),
        sa.Column("known_mqls", sa.Integer(), nullable=False),
        sa.Column("known_sqls", sa.Integer(), nullable=False),
        sa.Column("known_opportunities", sa.Integer(), nullable=False),
        sa.Column("known_deals_won", sa.Integer(), nullable=False),
        sa.Column("known_deals_lost", sa.Integer(), nullable=False),
        sa.Column("known_won_deal_value", sa.Integer(), nullable=False),
        sa.Column("known_sales_cycle_days", sa.Integer(), nullable=False),
        sa.Column("known_demo_requests", sa.Integer(), nullable=False),
        sa.Column("known_trials_started", sa.Integer(), nullable=False),
        sa.Column("known_trials_converted", sa.Integer(), nullable=False),
        sa.Column("known_pqls", sa.Integer(), nullable=False),
        sa.Column("known_activations", sa.Integer(), nullable=False),
        sa.Column("known_time_to_value_days", sa.Integer(), nullable=False),
        sa.Column("known_emails_sent", sa.Integer(), nullable=False),
        sa.Column("known_emails_opened", sa.Integer(), nullable=False),
        sa.Column("known_emails_clicked", sa.Integer(), nullable=False),
        sa.Column("known_nps_promoters", sa.Integer(), nullable=False),
        sa.Column("known_nps_passives", sa.Integer(), nullable=False),
        sa.Column("known_nps_detractors", sa.Integer(), nullable=False),
        sa.Column("known_new_customers", sa.Integer(), nullable=False),
        sa.Column("known_customers_churned", sa.Integer(), nullable=False),
        sa.Column("known_marketing_spend", sa.Integer(), nullable=False),
        sa.Column("known_sales_spend", sa.Integer(), nullable=False),
        sa.Column("known_mrr_new", sa.Integer(), nullable=False),
        sa.Column("known_mrr_expansion", sa.Integer(), nullable=False),
        sa.Column("known_mrr_contraction", sa.Integer(), nullable=False),
        sa.Column("known_mrr_churned", sa.Integer(), nullable=False),
        sa.Column("known_mrr_reactivation", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "grain", "bucket_start", "channel", "segment", name=op.f("pk_snapshot_rollups")
        ),
        sqlite_with_rowid=False,
    )
    # Existing stores get their rollups now; every later write keeps them current.
    rebuild_rollups(op.get_bind())


def downgrade() -> None:
    op.drop_table("snapshot_rollups")
