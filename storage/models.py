"""Database schema: funnel snapshots, their rollups, the audit and ledger tables."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Double,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine

from storage.columns import MEASURE_COLUMNS, ColumnKind, ValueType

__all__ = [
    "AccessAudit",
    "Base",
    "DigestDelivery",
    "ImportBatch",
    "ProcessedEvent",
    "known_count",
    "metadata",
    "snapshot_rollups",
    "snapshots",
]

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Base(DeclarativeBase):
    metadata = metadata


def _sql_type(value_type: ValueType) -> TypeEngine[int] | TypeEngine[float]:
    return BigInteger() if value_type is ValueType.COUNT else Double()


# The snapshot table is generated from the column declarations so that the
# schema, the importer and the metrics engine cannot disagree on a column.
snapshots = Table(
    "snapshots",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("channel", String(100), nullable=False),
    Column("segment", String(100), nullable=False),
    *(Column(column.name, _sql_type(column.value_type)) for column in MEASURE_COLUMNS),
    UniqueConstraint("period_start", "period_end", "channel", "segment"),
    Index(None, "channel", "period_start"),
    Index(None, "segment", "period_start"),
)


def known_count(flow: str) -> str:
    """The rollup column counting the rows that knew `flow` (the rest were NULL)."""
    return f"known_{flow}"


# One row per (ISO week, month, quarter or year of period_start, channel, segment): a coarser
# snapshot, maintained by storage/rollups.py on every write to `snapshots`.
snapshot_rollups = Table(
    "snapshot_rollups",
    metadata,
    Column("grain", String(7), primary_key=True),
    Column("bucket_start", Date, primary_key=True),
    Column("channel", String(100), primary_key=True),
    Column("segment", String(100), primary_key=True),
    Column("row_count", Integer, nullable=False),
    Column("first_key", String(20), nullable=False),
    Column("last_key", String(20), nullable=False),
    *(Column(column.name, _sql_type(column.value_type)) for column in MEASURE_COLUMNS),
    *(
        Column(known_count(column.name), Integer, nullable=False)
        for column in MEASURE_COLUMNS
        if column.kind is ColumnKind.FLOW
    ),
    # Clustered on the key in SQLite too: questions read ranges of it.
    sqlite_with_rowid=False,
)


class ImportBatch(Base):
    """One `funnelbot import` that wrote to the store."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    checksum: Mapped[str] = mapped_column(String(64))
    rows_inserted: Mapped[int]
    rows_replaced: Mapped[int]
    warning_count: Mapped[int]
    warnings: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class ProcessedEvent(Base):
    """Slack event ids already handled, shared by every web process (retries are dropped)."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class DigestDelivery(Base):
    """The digest ledger: one claim per (audience, channel, week), then its outcome."""

    __tablename__ = "digest_deliveries"
    __table_args__ = (UniqueConstraint("audience", "channel", "week_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audience: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(100))
    week_start: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    message_ts: Mapped[str | None] = mapped_column(String(40))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AccessAudit(Base):
    """Refusals to reveal restricted metrics: who asked for what, where and when."""

    __tablename__ = "access_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    team_id: Mapped[str | None] = mapped_column(String(40))
    user_id: Mapped[str | None] = mapped_column(String(40))
    channel_id: Mapped[str | None] = mapped_column(String(40))
    metric: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
