"""What the sources keep in the store: their runs and locks, which writer owns which snapshot
column, and the Stripe source's per-customer and per-subscription state (SQLAlchemy Core, in
the one `metadata`; created by migration 0003)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, Index, Integer, String, Table
from sqlalchemy import Text as TextType

from storage.models import metadata

__all__ = [
    "column_owners",
    "source_locks",
    "source_runs",
    "stripe_customers",
    "stripe_subscription_states",
]

# Which writer owns a snapshot column: "csv" (imports and the demo data) or a source's name.
# Only the owner writes non-empty values into it; the others leave it as it is.
column_owners = Table(
    "column_owners",
    metadata,
    Column("column_name", String(100), primary_key=True),
    Column("owner", String(100), nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
)

# One run of a source: its outcome, the rows it wrote, and `synced_through`, the local day
# whose state it read (the next incremental run keeps the history before that day).
source_runs = Table(
    "source_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", String(100), nullable=False),
    Column("trigger", String(20), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("outcome", String(20), nullable=False),
    Column("full", Boolean, nullable=False),
    Column("dry_run", Boolean, nullable=False),
    Column("rows_written", Integer, nullable=False),
    Column("detail", TextType, nullable=False),
    Column("synced_through", Date),
    Index(None, "source", "started_at"),
)

# At most one run per source at a time across processes: a lease its holder renews.
source_locks = Table(
    "source_locks",
    metadata,
    Column("source", String(100), primary_key=True),
    Column("owner", String(200), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

# Each Stripe customer's channel and segment, as its metadata said at the last sync.
stripe_customers = Table(
    "stripe_customers",
    metadata,
    Column("customer_id", String(255), primary_key=True),
    Column("channel", String(100), nullable=False),
    Column("segment", String(100), nullable=False),
)

# Each subscription's MRR from `valid_from` (a local day) until its next row, in millionths
# of the currency's minor unit: every day's movements are exact integer differences.
stripe_subscription_states = Table(
    "stripe_subscription_states",
    metadata,
    Column("subscription_id", String(255), primary_key=True),
    Column("valid_from", Date, primary_key=True),
    Column("customer_id", String(255), nullable=False),
    Column("mrr_micros", BigInteger, nullable=False),
    Index(None, "customer_id"),
)
