"""Which writer owns which snapshot column, so that sources and CSV imports never overwrite
each other's figures.

A column belongs to the first writer that puts a value in it: `csv` (imports and the demo
data) or a source (`stripe`, …). The owner writes it freely; any other writer leaves it as it
is (its upsert does not touch the column, so re-importing a CSV never erases Stripe's MRR),
and a writer that brings values for a column someone else owns is refused whole, naming both.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select

from storage.source_tables import column_owners

__all__ = [
    "CSV_OWNER",
    "ColumnConflictError",
    "claim_columns",
    "column_owner_map",
    "owner_label",
]

CSV_OWNER = "csv"
CONFLICT = (
    "column {column} belongs to {owner}; {writer} provides it too. Only one writer may own a "
    "column: leave it out of one of them (nothing was written)"
)
CSV_LABEL = "CSV imports"
SOURCE_LABEL = "the {name} source"


class ColumnConflictError(Exception):
    """A writer brought values for a column another writer owns; nothing was written."""

    def __init__(self, column: str, owner: str, writer: str) -> None:
        super().__init__(
            CONFLICT.format(column=column, owner=owner_label(owner), writer=owner_label(writer))
        )
        self.column = column
        self.owner = owner
        self.writer = writer


def owner_label(owner: str) -> str:
    """How an owner is named to people: "CSV imports", "the stripe source"."""
    return CSV_LABEL if owner == CSV_OWNER else SOURCE_LABEL.format(name=owner)


def column_owner_map(connection: Connection) -> dict[str, str]:
    """Every owned column and its owner."""
    rows = connection.execute(select(column_owners.c.column_name, column_owners.c.owner))
    return {row.column_name: row.owner for row in rows}


def claim_columns(connection: Connection, writer: str, columns: Iterable[str]) -> None:
    """Make `writer` the owner of `columns`; ColumnConflictError if another writer owns one."""
    owners = column_owner_map(connection)
    wanted = sorted(set(columns))
    for column in wanted:
        owner = owners.get(column)
        if owner is not None and owner != writer:
            raise ColumnConflictError(column, owner, writer)
    new = [column for column in wanted if column not in owners]
    if new:
        now = datetime.now(UTC)
        connection.execute(
            insert(column_owners),
            [{"column_name": column, "owner": writer, "claimed_at": now} for column in new],
        )
