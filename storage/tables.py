"""The snapshot tables the metrics engine reads: SQLAlchemy Core only.

The ORM (a tenth of a second to import and map) lives in storage/models.py with the audit
and ledger tables, so a command that only answers questions never imports it.
"""

from __future__ import annotations

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
    UniqueConstraint,
)
from sqlalchemy.types import TypeEngine

from storage.columns import MEASURE_COLUMNS, ColumnKind, ValueType

__all__ = ["known_count", "metadata", "snapshot_rollups", "snapshots", "team_targets"]

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


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


# Targets set from Slack (`/funnel target …`), overriding `[targets]` of the same metric and
# scope; "" is "any channel" / "any segment". Every change is audited in `target_changes`.
team_targets = Table(
    "team_targets",
    metadata,
    Column("metric", String(100), primary_key=True),
    Column("channel", String(100), primary_key=True),
    Column("segment", String(100), primary_key=True),
    Column("min", Double),
    Column("max", Double),
    Column("set_by", String(40), nullable=False),
    Column("set_at", DateTime(timezone=True), nullable=False),
)
