"""Stripe's objects as the source reads them: parsed from plain dicts into typed values, or
MalformedObjectError naming the object and the field.

Items are read with their Price (`price`) or, from accounts and emulators that still speak
Plans, their Plan (`plan`); the two carry the same terms under different names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sources.errors import MalformedObjectError
from sources.texts import StripeErrors

__all__ = [
    "Customer",
    "Discount",
    "InvoiceLine",
    "Item",
    "Subscription",
    "parse_customer",
    "parse_invoice_lines",
    "parse_subscription",
]

INTERVALS = ("day", "week", "month", "year")
# Invoices whose lines tell what a subscription was billed for (not drafts, not voided).
BILLED_STATUSES = frozenset({"open", "paid", "uncollectible"})


@dataclass(frozen=True, slots=True)
class Item:
    """A subscription item, or an invoice line: what one billing interval costs."""

    amount: Fraction  # in the currency's minor unit, for one interval, before discounts
    interval: str
    interval_count: int
    currency: str
    metered: bool


@dataclass(frozen=True, slots=True)
class Discount:
    percent_off: Fraction | None
    amount_off: int | None  # in the minor unit, per invoice
    duration: str


@dataclass(frozen=True, slots=True)
class Subscription:
    id: str
    customer: str
    status: str
    start_date: int
    trial_end: int | None
    ended_at: int | None
    canceled_at: int | None
    current_period_start: int | None
    cancel_at_period_end: bool
    metadata: Mapping[str, str]
    items: tuple[Item, ...]
    discounts: tuple[Discount, ...]


@dataclass(frozen=True, slots=True)
class Customer:
    id: str
    metadata: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """A line billing a subscription for a period (a proration or not)."""

    invoice: str
    invoice_created: int
    subscription: str
    period_start: int
    proration: bool
    item: Item


class _Fields:
    """Typed access to one object's fields; MalformedObjectError names what is wrong."""

    def __init__(self, kind: str, obj: Mapping[str, Any]) -> None:
        self.kind = kind
        self.obj = obj
        self.id = str(obj.get("id", "?"))

    def fail(self, problem: str) -> MalformedObjectError:
        return MalformedObjectError(
            StripeErrors.MALFORMED.format(kind=self.kind, id=self.id, problem=problem)
        )

    def _typed(self, field: str, kind: type | tuple[type, ...], expected: str) -> Any:
        if field not in self.obj or self.obj[field] is None:
            raise self.fail(StripeErrors.MISSING.format(field=field))
        value = self.obj[field]
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise self.fail(StripeErrors.WRONG_TYPE.format(field=field, expected=expected))
        return value

    def text(self, field: str) -> str:
        value: str = self._typed(field, str, "text")
        return value

    def integer(self, field: str) -> int:
        value: int = self._typed(field, int, "an integer")
        return value

    def flag(self, field: str) -> bool:
        value: bool = self._typed(field, bool, "true or false")
        return value

    def mapping(self, field: str) -> Mapping[str, Any]:
        value: Mapping[str, Any] = self._typed(field, dict, "an object")
        return value

    def optional_integer(self, field: str) -> int | None:
        return None if self.obj.get(field) is None else self.integer(field)

    def optional_mapping(self, field: str) -> Mapping[str, Any] | None:
        return None if self.obj.get(field) is None else self.mapping(field)

    def id_of(self, field: str) -> str:
        """A reference: an id, or the expanded object's id."""
        value = self.obj.get(field)
        if isinstance(value, dict):
            return _Fields(field, value).text("id")
        return self.text(field)

    def metadata(self) -> dict[str, str]:
        found = self.optional_mapping("metadata") or {}
        return {str(key): str(value) for key, value in found.items() if value is not None}

    def nested(self, field: str) -> list[_Fields]:
        """The objects of a list field (`{"data": [...]}`), each with typed access."""
        listed = self.mapping(field).get("data")
        if not isinstance(listed, list) or not all(isinstance(one, dict) for one in listed):
            raise self.fail(
                StripeErrors.WRONG_TYPE.format(field=f"{field}.data", expected="a list")
            )
        return [_Fields(f"{self.kind} {field.rstrip('s')}", one) for one in listed]


def parse_customer(obj: Mapping[str, Any]) -> Customer:
    fields = _Fields("customer", obj)
    return Customer(fields.text("id"), fields.metadata())


def parse_subscription(obj: Mapping[str, Any]) -> Subscription:
    fields = _Fields("subscription", obj)
    items = fields.nested("items")
    return Subscription(
        id=fields.text("id"),
        customer=fields.id_of("customer"),
        status=fields.text("status"),
        start_date=fields.integer("start_date"),
        trial_end=fields.optional_integer("trial_end"),
        ended_at=fields.optional_integer("ended_at"),
        canceled_at=fields.optional_integer("canceled_at"),
        current_period_start=_period_start(fields, items),
        cancel_at_period_end=bool(obj.get("cancel_at_period_end")),
        metadata=fields.metadata(),
        items=tuple(_item(item) for item in items),
        discounts=_discounts(fields),
    )


def _period_start(fields: _Fields, items: list[_Fields]) -> int | None:
    """On the subscription, or (API versions from 2025) on each item."""
    on_subscription = fields.optional_integer("current_period_start")
    if on_subscription is not None:
        return on_subscription
    starts = [item.optional_integer("current_period_start") for item in items]
    known = [start for start in starts if start is not None]
    return min(known) if known else None


def _item(fields: _Fields) -> Item:
    """The terms of an item or a line: its Price, or its Plan, times its quantity."""
    quantity = fields.optional_integer("quantity")
    if fields.obj.get("price") is not None:
        price = _Fields("price", fields.mapping("price"))
        recurring = _Fields(f"price {price.id} recurring", price.mapping("recurring"))
        unit, terms = _unit_amount(price, "unit_amount"), recurring
    else:
        plan = _Fields("plan", fields.mapping("plan"))
        unit, terms = _unit_amount(plan, "amount"), plan
    interval = terms.text("interval")
    if interval not in INTERVALS:
        raise terms.fail(StripeErrors.WRONG_TYPE.format(field="interval", expected="day…year"))
    count = terms.integer("interval_count")
    if count < 1:
        raise terms.fail(StripeErrors.WRONG_TYPE.format(field="interval_count", expected="≥ 1"))
    metered = terms.obj.get("usage_type") == "metered"
    source = price if fields.obj.get("price") is not None else plan
    return Item(
        amount=unit * (quantity if quantity is not None else 1),
        interval=interval,
        interval_count=count,
        currency=source.text("currency").lower(),
        metered=metered,
    )


def _unit_amount(terms: _Fields, field: str) -> Fraction:
    """The per-unit amount (the `_decimal` twin keeps fractions of the minor unit)."""
    if terms.obj.get("billing_scheme") == "tiered":
        raise terms.fail(StripeErrors.TIERED)
    decimal = terms.obj.get(f"{field}_decimal")
    if isinstance(decimal, str):
        try:
            return Fraction(decimal)
        except ValueError:
            raise terms.fail(
                StripeErrors.WRONG_TYPE.format(field=f"{field}_decimal", expected="a number")
            ) from None
    amount = terms.integer(field)
    if amount < 0:
        raise terms.fail(StripeErrors.WRONG_TYPE.format(field=field, expected="≥ 0"))
    return Fraction(amount)


def _discounts(fields: _Fields) -> tuple[Discount, ...]:
    """`discount` and any expanded `discounts`, each once."""
    found: dict[str, Discount] = {}
    candidates = [fields.obj.get("discount"), *(fields.obj.get("discounts") or [])]
    for raw in candidates:
        if isinstance(raw, dict):
            discount = _Fields("discount", raw)
            found.setdefault(discount.id, _discount(discount))
    return tuple(found.values())


def _discount(fields: _Fields) -> Discount:
    coupon = _Fields("coupon", fields.mapping("coupon"))
    percent = coupon.obj.get("percent_off")
    if percent is not None and not isinstance(percent, int | float):
        raise coupon.fail(StripeErrors.WRONG_TYPE.format(field="percent_off", expected="a number"))
    return Discount(
        percent_off=None if percent is None else Fraction(str(percent)),
        amount_off=coupon.optional_integer("amount_off"),
        duration=coupon.text("duration"),
    )


def parse_invoice_lines(obj: Mapping[str, Any]) -> tuple[list[InvoiceLine], bool]:
    """The subscription lines of a billed invoice, and whether more lines are to be paged."""
    fields = _Fields("invoice", obj)
    if fields.text("status") not in BILLED_STATUSES:
        return [], False
    created = fields.integer("created")
    lines = [
        line
        for raw in fields.nested("lines")
        if (line := parse_invoice_line(fields.id, created, raw.obj)) is not None
    ]
    return lines, bool(fields.mapping("lines").get("has_more"))


def parse_invoice_line(invoice: str, created: int, obj: Mapping[str, Any]) -> InvoiceLine | None:
    """A line billing a subscription, or None (a one-off invoice item)."""
    fields = _Fields(f"invoice {invoice} line", obj)
    subscription = obj.get("subscription")
    if not isinstance(subscription, str | dict) or (
        obj.get("price") is None and obj.get("plan") is None
    ):
        return None
    period = _Fields("period", fields.mapping("period"))
    return InvoiceLine(
        invoice=invoice,
        invoice_created=created,
        subscription=fields.id_of("subscription"),
        period_start=period.integer("start"),
        proration=bool(obj.get("proration")),
        item=_item(fields),
    )
