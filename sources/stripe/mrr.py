"""The MRR of a subscription (docs/sources.md): each item's amount × quantity normalised to a
month, less forever discounts, taxes excluded; exact fractions, stored as integer millionths
of the currency's minor unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from sources.stripe.objects import Discount, Item

__all__ = [
    "MICROS",
    "counts_as_paying",
    "micros",
    "minor_unit_exponent",
    "monthly",
    "subscription_mrr",
    "to_amount",
]

MICROS = 1_000_000
# How many months one interval is: a year is 12, a week 12/52 (52 weeks a year), a day 12/365.
_MONTHS_PER_INTERVAL = {
    "day": Fraction(12, 365),
    "week": Fraction(12, 52),
    "month": Fraction(1),
    "year": Fraction(12),
}
# Stripe's zero- and three-decimal currencies: amounts are in yen, in thousandths of a dinar.
_ZERO_DECIMAL = frozenset(
    [
        "bif",
        "clp",
        "djf",
        "gnf",
        "jpy",
        "kmf",
        "krw",
        "mga",
        "pyg",
        "rwf",
        "ugx",
        "vnd",
        "vuv",
        "xaf",
        "xof",
        "xpf",
    ]
)
_THREE_DECIMAL = frozenset(["bhd", "jod", "kwd", "omr", "tnd"])


def monthly(amount: Fraction, interval: str, interval_count: int) -> Fraction:
    """An amount billed every `interval_count` `interval`s, per month."""
    return amount / (_MONTHS_PER_INTERVAL[interval] * interval_count)


def subscription_mrr(items: Iterable[Item], discounts: Iterable[Discount]) -> Fraction:
    """The items' monthly amounts (metered items count 0) less the forever discounts, in the
    order Stripe lists them; never below 0."""
    licensed = [item for item in items if not item.metered]
    if not licensed:
        return Fraction(0)
    total = sum((monthly(i.amount, i.interval, i.interval_count) for i in licensed), Fraction(0))
    first = licensed[0]
    for discount in discounts:
        if discount.duration != "forever":
            continue
        if discount.percent_off is not None:
            total *= 1 - discount.percent_off / 100
        if discount.amount_off is not None:
            total -= monthly(Fraction(discount.amount_off), first.interval, first.interval_count)
    return max(total, Fraction(0))


def counts_as_paying(status: str, *, count_past_due: bool) -> bool:
    """`active` counts, `past_due` by default; trials, incomplete, paused, unpaid and
    canceled subscriptions count 0."""
    return status == "active" or (status == "past_due" and count_past_due)


def micros(amount: Fraction) -> int:
    """An amount of the minor unit in millionths of it (half away from zero)."""
    scaled = amount * MICROS
    return int(scaled + Fraction(1, 2)) if scaled >= 0 else -int(-scaled + Fraction(1, 2))


def minor_unit_exponent(currency: str) -> int:
    """Decimals of the currency's minor unit: 2 for usd, 0 for jpy, 3 for kwd."""
    code = currency.lower()
    if code in _ZERO_DECIMAL:
        return 0
    return 3 if code in _THREE_DECIMAL else 2


def to_amount(value: int, currency: str) -> float:
    """Millionths of the minor unit as an amount of the currency (USD 49.99)."""
    return value / 10.0 ** (6 + minor_unit_exponent(currency))
