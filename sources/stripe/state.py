"""The Stripe source's tables, and its daily rows compared with (and written to) the store.

Everything here runs inside the run's one transaction: states, customers and snapshot rows
are written together or not at all. Only what changed is written: a re-sync of unchanged
data writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import Connection, delete, insert, or_, select

from sources.daily import write_daily_rows
from sources.stripe.movements import STRIPE_COLUMNS, Cell, DayFigures
from sources.stripe.mrr import to_amount
from sources.stripe.timeline import State
from storage._import_upsert import UpsertCounts
from storage.columns import ValueType, measure
from storage.models import snapshots
from storage.source_tables import stripe_customers, stripe_subscription_states

__all__ = [
    "OWNER",
    "Row",
    "StoredTimelines",
    "changed_rows",
    "read_cells",
    "read_timelines",
    "rows_of",
    "write_cells",
    "write_rows",
    "write_timelines",
]

OWNER = "stripe"
_STATES = stripe_subscription_states.c
_CUSTOMERS = stripe_customers.c
_COUNTS = frozenset(name for name in STRIPE_COLUMNS if measure(name).value_type is ValueType.COUNT)

RowKey = tuple[date, str, str]
Row = tuple[float | int | None, ...]  # STRIPE_COLUMNS' values; None clears a cell no longer fed
StoredTimelines = dict[str, tuple[str, list[State]]]


def read_timelines(connection: Connection) -> StoredTimelines:
    """Each stored subscription: its customer and its timeline."""
    statement = select(
        _STATES.subscription_id, _STATES.customer_id, _STATES.valid_from, _STATES.mrr_micros
    ).order_by(_STATES.subscription_id, _STATES.valid_from)
    found: StoredTimelines = {}
    for row in connection.execute(statement):
        found.setdefault(row.subscription_id, (row.customer_id, []))[1].append(
            (row.valid_from, row.mrr_micros)
        )
    return found


def write_timelines(
    connection: Connection, stored: StoredTimelines, wanted: StoredTimelines
) -> int:
    """Rewrite the subscriptions whose timeline (or customer) changed; how many did."""
    changed = [sub for sub, value in wanted.items() if stored.get(sub) != value]
    if not changed:
        return 0
    connection.execute(
        delete(stripe_subscription_states).where(_STATES.subscription_id.in_(changed))
    )
    rows = [
        {"subscription_id": sub, "customer_id": customer, "valid_from": day, "mrr_micros": value}
        for sub in changed
        for customer, timeline in [wanted[sub]]
        for day, value in timeline
    ]
    if rows:
        connection.execute(insert(stripe_subscription_states), rows)
    return len(changed)


def read_cells(connection: Connection) -> dict[str, Cell]:
    rows = connection.execute(
        select(_CUSTOMERS.customer_id, _CUSTOMERS.channel, _CUSTOMERS.segment)
    )
    return {row.customer_id: (row.channel, row.segment) for row in rows}


def write_cells(
    connection: Connection, stored: Mapping[str, Cell], wanted: Mapping[str, Cell]
) -> None:
    changed = [customer for customer, cell in wanted.items() if stored.get(customer) != cell]
    if not changed:
        return
    connection.execute(delete(stripe_customers).where(_CUSTOMERS.customer_id.in_(changed)))
    connection.execute(
        insert(stripe_customers),
        [
            {
                "customer_id": customer,
                "channel": wanted[customer][0],
                "segment": wanted[customer][1],
            }
            for customer in changed
        ],
    )


def rows_of(figures: Mapping[RowKey, DayFigures], currency: str) -> dict[RowKey, Row]:
    """The store's values: counts as integers, amounts in the currency."""
    return {
        key: tuple(
            getattr(day, name) if name in _COUNTS else to_amount(getattr(day, name), currency)
            for name in STRIPE_COLUMNS
        )
        for key, day in figures.items()
    }


def changed_rows(connection: Connection, wanted: Mapping[RowKey, Row]) -> dict[RowKey, Row]:
    """The daily rows whose Stripe columns differ from `wanted`, and those that hold Stripe
    values `wanted` no longer has (cleared: a customer moved to another channel)."""
    table = snapshots.c
    columns = [table[name] for name in STRIPE_COLUMNS]
    statement = select(table.period_start, table.channel, table.segment, *columns).where(
        table.period_start == table.period_end, or_(*(column.is_not(None) for column in columns))
    )
    existing = {(row[0], row[1], row[2]): tuple(row[3:]) for row in connection.execute(statement)}
    changed = {key: row for key, row in wanted.items() if existing.get(key) != row}
    cleared: Row = (None,) * len(STRIPE_COLUMNS)
    changed.update({key: cleared for key in existing if key not in wanted})
    return changed


def write_rows(connection: Connection, rows: Mapping[RowKey, Row]) -> UpsertCounts:
    """Upsert daily rows as the `stripe` owner (other writers' columns are left alone)."""
    return write_daily_rows(connection, rows, STRIPE_COLUMNS, owner=OWNER)
