"""The Stripe source: customers, subscriptions and (for a full run) invoices read and
validated first, then the subscriptions' timelines, the customers' channel and segment and
the daily rows written in the run's transaction.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo

from sqlalchemy import Connection

from sources.errors import SyncError
from sources.stripe.client import StripeApi
from sources.stripe.movements import Cell, daily_figures
from sources.stripe.mrr import to_amount
from sources.stripe.objects import (
    Customer,
    InvoiceLine,
    Subscription,
    parse_customer,
    parse_invoice_line,
    parse_invoice_lines,
    parse_subscription,
)
from sources.stripe.state import (
    StoredTimelines,
    changed_rows,
    read_cells,
    read_timelines,
    rows_of,
    write_cells,
    write_rows,
    write_timelines,
)
from sources.stripe.timeline import State, history_of, merged, observed
from sources.sync import SyncContext, Written
from sources.texts import StripeErrors, StripeLabels
from storage._import_upsert import begin_snapshot_write

__all__ = ["UNKNOWN", "StripeFetched", "StripeOptions", "StripeSource", "cells_of", "name_of"]

UNKNOWN = "unknown"
MAX_NAME_LENGTH = 100


@dataclass(frozen=True, slots=True)
class StripeOptions:
    channel_key: str = "channel"
    segment_key: str = "segment"
    count_past_due: bool = True


@dataclass(frozen=True, slots=True)
class StripeFetched:
    """Validated objects: each subscription's customer and observed timeline, each
    customer's cell, and what was read."""

    timelines: dict[str, tuple[str, list[State]]]
    cells: dict[str, Cell]
    customers: int
    subscriptions: int
    invoices: int | None

    def summary(self) -> str:
        if self.invoices is None:
            return StripeLabels.READ_CHANGES.format(
                customers=self.customers, subscriptions=self.subscriptions
            )
        return StripeLabels.READ.format(
            customers=self.customers, subscriptions=self.subscriptions, invoices=self.invoices
        )


class StripeSource:
    name = "stripe"

    def __init__(
        self, api: StripeApi, options: StripeOptions, *, zone: tzinfo, currency: str
    ) -> None:
        self.api = api
        self.options = options
        self.zone = zone
        self.currency = currency.lower()

    def fetch(self, context: SyncContext) -> StripeFetched:
        customers = [parse_customer(raw) for raw in self.api.customers(context.renew)]
        subscriptions = [parse_subscription(raw) for raw in self.api.subscriptions(context.renew)]
        for subscription in subscriptions:
            self._check_currency(subscription)
        lines, invoices = self._invoice_lines(context) if context.full else ({}, None)
        timelines = {
            sub.id: (sub.customer, self._observed(sub, lines.get(sub.id, ()), context))
            for sub in subscriptions
        }
        return StripeFetched(
            timelines=timelines,
            cells=cells_of(customers, subscriptions, self.options),
            customers=len(customers),
            subscriptions=len(subscriptions),
            invoices=invoices,
        )

    def _observed(
        self, sub: Subscription, lines: Sequence[InvoiceLine], context: SyncContext
    ) -> list[State]:
        return observed(
            sub,
            history_of(lines, sub.discounts, self.zone),
            zone=self.zone,
            count_past_due=self.options.count_past_due,
            today=context.today,
        )

    def _check_currency(self, subscription: Subscription) -> None:
        for item in subscription.items:
            if item.currency != self.currency:
                raise SyncError(
                    StripeErrors.CURRENCY.format(
                        kind="subscription",
                        id=subscription.id,
                        currency=item.currency.upper(),
                        expected=self.currency.upper(),
                    )
                )

    def _invoice_lines(self, context: SyncContext) -> tuple[dict[str, list[InvoiceLine]], int]:
        """Every billed invoice's subscription lines, by subscription; how many invoices."""
        by_subscription: dict[str, list[InvoiceLine]] = defaultdict(list)
        count = 0
        for raw in self.api.invoices(context.renew):
            count += 1
            lines, more = parse_invoice_lines(raw)
            if more:
                invoice, created = str(raw["id"]), int(raw["created"])
                paged = self.api.invoice_lines(invoice, context.renew)
                lines = [
                    line
                    for one in paged
                    if (line := parse_invoice_line(invoice, created, one)) is not None
                ]
            for line in lines:
                by_subscription[line.subscription].append(line)
        return by_subscription, count

    def write(
        self, connection: Connection, fetched: StripeFetched, context: SyncContext
    ) -> Written:
        begin_snapshot_write(connection)
        stored = read_timelines(connection)
        wanted: StoredTimelines = dict(stored)
        for sub, (customer, seen) in fetched.timelines.items():
            previous = stored.get(sub, (customer, []))[1]
            wanted[sub] = (customer, merged(previous, seen, context.cutoff))
        changed_subscriptions = write_timelines(connection, stored, wanted)
        stored_cells = read_cells(connection)
        cells = {**stored_cells, **fetched.cells}
        write_cells(connection, stored_cells, cells)
        figures = daily_figures(wanted, cells, context.today, (UNKNOWN, UNKNOWN))
        rows = changed_rows(connection, rows_of(figures, self.currency))
        counts = write_rows(connection, rows)
        today = [day for (when, _, _), day in figures.items() if when == context.today]
        mrr = to_amount(sum(day.mrr_end for day in today), self.currency)
        lines = [
            StripeLabels.TODAY.format(
                mrr=f"{self.currency.upper()} {mrr:,.2f}",
                customers=sum(day.customers_end for day in today),
            )
        ]
        if rows:
            lines.insert(
                0,
                StripeLabels.WROTE.format(
                    rows=len(rows),
                    inserted=counts.inserted,
                    replaced=counts.replaced,
                    first=min(rows)[0],
                    last=max(rows)[0],
                    subscriptions=changed_subscriptions,
                ),
            )
        else:
            lines.insert(0, StripeLabels.UNCHANGED)
        return Written(rows_written=len(rows), lines=tuple(lines))


def cells_of(
    customers: Iterable[Customer], subscriptions: Iterable[Subscription], options: StripeOptions
) -> dict[str, Cell]:
    """Each customer's (channel, segment): the key on its earliest subscription that has
    it, else on the customer, else `unknown`."""
    by_customer: dict[str, list[Subscription]] = defaultdict(list)
    for sub in sorted(subscriptions, key=lambda one: (one.start_date, one.id)):
        by_customer[sub.customer].append(sub)
    metadata = {customer.id: customer.metadata for customer in customers}
    return {
        customer: (
            name_of(options.channel_key, subs, metadata.get(customer, {})),
            name_of(options.segment_key, subs, metadata.get(customer, {})),
        )
        for customer, subs in by_customer.items()
    } | {
        customer: (
            name_of(options.channel_key, [], found),
            name_of(options.segment_key, [], found),
        )
        for customer, found in metadata.items()
        if customer not in by_customer
    }


def name_of(key: str, subscriptions: Sequence[Subscription], customer: Mapping[str, str]) -> str:
    """The metadata value under `key`, named as the store names channels and segments."""
    for sub in subscriptions:
        name = _normalized(sub.metadata.get(key, ""))
        if name:
            return name
    return _normalized(customer.get(key, "")) or UNKNOWN


def _normalized(name: str) -> str:
    """Lower-case, trimmed, runs of spaces and hyphens as `_` (as a CSV import does)."""
    return re.sub(r"[\s-]+", "_", name.strip().lower())[:MAX_NAME_LENGTH]
