"""The SQL source: a team's own query on any database SQLAlchemy reaches, its rows validated
with the CSV import's rules and upserted in the run's transaction as the source's columns.

A run reads from `:since`: the day the last successful run read, less `overlap_days` (late
figures, corrected spend), or the beginning of time for the first run and `--full`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Connection

from sources.errors import SyncError
from sources.sql.reader import Warehouse
from sources.sql.rows import InvalidRowsError, ValidRows, validate_rows
from sources.sql.statement import CheckedQuery
from sources.sync import SyncContext, Written
from sources.texts import SqlLabels
from storage._import_rules import WarningGroup
from storage._import_upsert import begin_snapshot_write, upsert_snapshots
from storage.ownership import claim_columns

__all__ = ["BEGINNING", "SqlFetched", "SqlSource"]

# `:since` of a full run: before any funnel a team could have recorded.
BEGINNING = date(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class SqlFetched:
    """The validated rows, from which day they were asked for, and what the query returned."""

    rows: ValidRows
    since: date | None
    columns: tuple[str, ...]

    def summary(self) -> str:
        columns = ", ".join(self.rows.measures) or "no figure column"
        if self.since is None:
            return SqlLabels.READ_ALL.format(rows=len(self.rows.frame), columns=columns)
        return SqlLabels.READ.format(rows=len(self.rows.frame), columns=columns, since=self.since)


class SqlSource:
    def __init__(
        self, name: str, warehouse: Warehouse, query: CheckedQuery, *, overlap_days: int
    ) -> None:
        self.name = name
        self.warehouse = warehouse
        self.query = query
        self.overlap = timedelta(days=overlap_days)

    def since(self, context: SyncContext) -> date | None:
        """The day `:since` binds (None: the beginning, for a full run)."""
        if context.cutoff is None:
            return None
        return max(context.cutoff - self.overlap, BEGINNING)

    def fetch(self, context: SyncContext) -> SqlFetched:
        since = self.since(context)
        result = self.warehouse.read(self.query, BEGINNING if since is None else since)
        context.renew()
        try:
            rows = validate_rows(result)
        except InvalidRowsError as error:
            raise SyncError(str(error)) from None
        return SqlFetched(rows, since if self.query.uses_since else None, result.columns)

    def write(self, connection: Connection, fetched: SqlFetched, context: SyncContext) -> Written:
        begin_snapshot_write(connection)
        claim_columns(connection, self.name, fetched.rows.measures)
        frame = fetched.rows.frame
        warnings = tuple(_warning(group) for group in fetched.rows.warnings)
        if frame.empty:
            return Written(0, (SqlLabels.NO_ROWS, *warnings))
        counts = upsert_snapshots(connection, [frame], owner=self.name)
        days = pd.DatetimeIndex(frame["period_start"])
        wrote = SqlLabels.WROTE.format(
            rows=len(frame),
            inserted=counts.inserted,
            replaced=counts.replaced,
            first=days.min().date(),
            last=days.max().date(),
        )
        return Written(len(frame), (wrote, *warnings))


def _warning(group: WarningGroup) -> str:
    """The import's warning of one kind, located by rows: `row 1, 4, 9 and 2 more`."""
    rows = SqlLabels.WARNING_ROWS.format(rows=", ".join(str(f.line) for f in group.first))
    more = group.count - len(group.first)
    if more:
        rows = SqlLabels.WARNING_MORE.format(rows=rows, more=more)
    return SqlLabels.WARNING.format(kind=group.kind, count=group.count, rows=rows)
