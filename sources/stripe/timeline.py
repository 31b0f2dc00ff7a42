"""A subscription's MRR over time: a step function of local days, `[(valid_from, micros)]`
(0 before the first step), read from Stripe's objects and merged with what was stored.

From the objects alone (docs/sources.md, "History"): nothing before `start_date`; 0 during
a trial (until `trial_end`); the amounts of the invoices' period lines until the current
period, then the subscription's items; 0 from `ended_at` (canceled), and from the current
period's start for `unpaid`, `paused` and (unless counted) `past_due`. An incremental run
keeps the stored history before the last run's day and takes the objects' view from then on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo

from sources.stripe.mrr import counts_as_paying, micros, subscription_mrr
from sources.stripe.objects import Discount, InvoiceLine, Subscription

__all__ = ["State", "history_of", "local_day", "merged", "normalised", "observed", "value_at"]

State = tuple[date, int]
NEVER_PAID = frozenset({"incomplete", "incomplete_expired", "trialing"})
ENDED = frozenset({"canceled"})


def local_day(epoch: int, zone: tzinfo) -> date:
    return datetime.fromtimestamp(epoch, zone).date()


def history_of(
    lines: Sequence[InvoiceLine], discounts: Sequence[Discount], zone: tzinfo
) -> list[State]:
    """What the subscription was billed per month at each invoice period's start (proration
    lines aside; the newest invoice for a period), less today's forever discounts."""
    by_period: dict[int, list[InvoiceLine]] = {}
    for line in sorted(lines, key=lambda one: (one.invoice_created, one.invoice)):
        if line.proration:
            continue
        group = by_period.setdefault(line.period_start, [])
        if group and group[0].invoice != line.invoice:
            group.clear()
        group.append(line)
    return [
        (local_day(start, zone), micros(subscription_mrr([ln.item for ln in group], discounts)))
        for start, group in sorted(by_period.items())
    ]


def observed(
    subscription: Subscription,
    history: Sequence[State],
    *,
    zone: tzinfo,
    count_past_due: bool,
    today: date,
) -> list[State]:
    """The subscription's timeline as its object (and its invoices' `history`) tell it."""
    if subscription.status in NEVER_PAID:
        return []
    start = local_day(subscription.start_date, zone)
    trial_end = subscription.trial_end
    paid_from = max(start, local_day(trial_end, zone)) if trial_end is not None else start
    period = subscription.current_period_start
    current_from = max(paid_from, local_day(period, zone)) if period is not None else paid_from
    current = micros(subscription_mrr(subscription.items, subscription.discounts))
    earlier = [(day, value) for day, value in history if paid_from <= day < current_from]
    steps = [(paid_from, earlier[0][1] if earlier else current), *earlier]
    steps.append((current_from, current))
    stop = _stop(subscription, zone, count_past_due=count_past_due, current_from=current_from)
    if stop is not None:
        steps = [step for step in steps if step[0] < stop] + [(stop, 0)]
    return normalised(step for step in steps if step[0] <= today)


def _stop(
    subscription: Subscription, zone: tzinfo, *, count_past_due: bool, current_from: date
) -> date | None:
    """The day it stopped counting: its end, or the start of a period it does not pay."""
    if subscription.status in ENDED:
        moment = subscription.ended_at or subscription.canceled_at or subscription.start_date
        return local_day(moment, zone)
    if counts_as_paying(subscription.status, count_past_due=count_past_due):
        return None
    return current_from


def merged(stored: Sequence[State], seen: Sequence[State], cutoff: date | None) -> list[State]:
    """The stored history before `cutoff`, what the objects say from it on (all of it for
    a full run, or a subscription never stored)."""
    if cutoff is None or not stored:
        return list(seen)
    kept = [state for state in stored if state[0] < cutoff]
    later = [state for state in seen if state[0] > cutoff]
    return normalised([*kept, (cutoff, value_at(seen, cutoff)), *later])


def value_at(timeline: Sequence[State], day: date) -> int:
    value = 0
    for valid_from, micros_ in timeline:
        if valid_from > day:
            break
        value = micros_
    return value


def normalised(steps: Iterable[State]) -> list[State]:
    """Sorted by day, the last step of a day kept, repeated values and leading zeros dropped."""
    by_day: dict[date, int] = {}
    for day, value in steps:
        by_day[day] = value
    result: list[State] = []
    previous = 0
    for day in sorted(by_day):
        if by_day[day] != previous:
            result.append((day, by_day[day]))
            previous = by_day[day]
    return result
