"""Daily MRR movements and stocks per channel and segment, as exact differences of the
subscriptions' timelines (docs/sources.md, "Movements").

A customer's MRR on a day is the sum of its subscriptions' MRR then. From one day to the
next a customer whose MRR goes from 0 to more is new (the first time) or reactivated (any
later time); from more to 0, churned; up, an expansion; down, a contraction. Stocks are
each cell's paying customers and MRR at the day's start (the day before's end) and end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sources.stripe.timeline import State

__all__ = ["STRIPE_COLUMNS", "Cell", "DayFigures", "daily_figures"]

Cell = tuple[str, str]  # (channel, segment)

STRIPE_COLUMNS = (
    "new_customers",
    "customers_churned",
    "mrr_new",
    "mrr_expansion",
    "mrr_contraction",
    "mrr_churned",
    "mrr_reactivation",
    "customers_start",
    "customers_end",
    "mrr_start",
    "mrr_end",
)


@dataclass(slots=True)
class DayFigures:
    """One day of one cell; amounts in millionths of the minor unit."""

    new_customers: int = 0
    customers_churned: int = 0
    mrr_new: int = 0
    mrr_expansion: int = 0
    mrr_contraction: int = 0
    mrr_churned: int = 0
    mrr_reactivation: int = 0
    customers_start: int = 0
    customers_end: int = 0
    mrr_start: int = 0
    mrr_end: int = 0


@dataclass(slots=True)
class _Cell:
    movements: dict[date, DayFigures] = field(default_factory=lambda: defaultdict(DayFigures))
    mrr_change: dict[date, int] = field(default_factory=lambda: defaultdict(int))
    customer_change: dict[date, int] = field(default_factory=lambda: defaultdict(int))


def daily_figures(
    timelines: Mapping[str, tuple[str, Sequence[State]]],
    cells: Mapping[str, Cell],
    today: date,
    unknown: Cell,
) -> dict[tuple[date, str, str], DayFigures]:
    """Every day from each cell's first movement to `today`, keyed (day, channel, segment).

    `timelines` maps a subscription to (its customer, its timeline); a customer missing
    from `cells` lands in `unknown`."""
    found: dict[Cell, _Cell] = defaultdict(_Cell)
    for customer, changes in _customer_changes(timelines).items():
        _classify(found[cells.get(customer, unknown)], changes)
    figures: dict[tuple[date, str, str], DayFigures] = {}
    for (channel, segment), cell in found.items():
        for day, day_figures in _days(cell, today):
            figures[(day, channel, segment)] = day_figures
    return figures


def _customer_changes(
    timelines: Mapping[str, tuple[str, Sequence[State]]],
) -> dict[str, dict[date, int]]:
    """Each customer's MRR change per day: the sum of its subscriptions' step changes."""
    changes: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for customer, timeline in timelines.values():
        previous = 0
        for day, value in timeline:
            changes[customer][day] += value - previous
            previous = value
    return changes


def _classify(cell: _Cell, changes: Mapping[date, int]) -> None:
    total = 0
    has_paid = False
    for day in sorted(changes):
        change = changes[day]
        after = total + change
        moves = cell.movements[day]
        if total == 0 and after > 0:
            if has_paid:
                moves.mrr_reactivation += after
            else:
                moves.mrr_new += after
                moves.new_customers += 1
            cell.customer_change[day] += 1
            has_paid = True
        elif total > 0 and after == 0:
            moves.mrr_churned += total
            moves.customers_churned += 1
            cell.customer_change[day] -= 1
        elif after > total:
            moves.mrr_expansion += after - total
        elif after < total:
            moves.mrr_contraction += total - after
        cell.mrr_change[day] += change
        total = after


def _days(cell: _Cell, today: date) -> list[tuple[date, DayFigures]]:
    """The cell's figures for every day from its first change to `today`."""
    if not cell.mrr_change:
        return []
    day = min(cell.mrr_change)
    mrr = customers = 0
    result = []
    while day <= today:
        figures = cell.movements.get(day) or DayFigures()
        figures.customers_start, figures.mrr_start = customers, mrr
        customers += cell.customer_change.get(day, 0)
        mrr += cell.mrr_change.get(day, 0)
        figures.customers_end, figures.mrr_end = customers, mrr
        result.append((day, figures))
        day += timedelta(days=1)
    return result
