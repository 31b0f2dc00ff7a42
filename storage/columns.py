"""The snapshot columns of docs/data.md, declared once and used by models, import and export."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "ALL_COLUMNS",
    "KEY_COLUMNS",
    "MEASURE_COLUMNS",
    "ColumnKind",
    "MeasureColumn",
    "ValueType",
    "measure",
]

KEY_COLUMNS: tuple[str, ...] = ("period_start", "period_end", "channel", "segment")


class ColumnKind(StrEnum):
    FLOW = "flow"
    STOCK = "stock"


class ValueType(StrEnum):
    COUNT = "count"
    AMOUNT = "amount"
    DAYS = "days"


@dataclass(frozen=True, slots=True)
class MeasureColumn:
    name: str
    kind: ColumnKind
    value_type: ValueType
    meaning: str


def _flow(name: str, value_type: ValueType, meaning: str) -> MeasureColumn:
    return MeasureColumn(name, ColumnKind.FLOW, value_type, meaning)


def _stock(name: str, value_type: ValueType, meaning: str) -> MeasureColumn:
    return MeasureColumn(name, ColumnKind.STOCK, value_type, meaning)


_C, _A, _D = ValueType.COUNT, ValueType.AMOUNT, ValueType.DAYS

MEASURE_COLUMNS: tuple[MeasureColumn, ...] = (
    _flow("visitors", _C, "website visitors"),
    _flow("leads", _C, "new leads"),
    _flow("mqls", _C, "marketing-qualified leads"),
    _flow("sqls", _C, "sales-qualified leads"),
    _flow("opportunities", _C, "opportunities opened"),
    _flow("deals_won", _C, "opportunities closed won"),
    _flow("deals_lost", _C, "opportunities closed lost"),
    _flow("won_deal_value", _A, "first-year contract value of deals won"),
    _flow("sales_cycle_days", _D, "sum over deals won of days from open to close"),
    _flow("demo_requests", _C, "demos requested"),
    _flow("trials_started", _C, "free trials started"),
    _flow("trials_converted", _C, "trials that became paid"),
    _flow("pqls", _C, "product-qualified leads"),
    _flow("activations", _C, "users reaching the activation event"),
    _flow("time_to_value_days", _D, "sum over activations of days from sign-up to activation"),
    _flow("emails_sent", _C, "campaign e-mails sent"),
    _flow("emails_opened", _C, "unique e-mail opens"),
    _flow("emails_clicked", _C, "unique e-mail clicks"),
    _flow("nps_promoters", _C, "NPS answers 9-10"),
    _flow("nps_passives", _C, "NPS answers 7-8"),
    _flow("nps_detractors", _C, "NPS answers 0-6"),
    _flow("new_customers", _C, "customers who started paying"),
    _flow("customers_churned", _C, "customers who stopped paying"),
    _flow("marketing_spend", _A, "marketing acquisition spend"),
    _flow("sales_spend", _A, "sales acquisition spend"),
    _flow("mrr_new", _A, "MRR from new customers"),
    _flow("mrr_expansion", _A, "MRR expansion"),
    _flow("mrr_contraction", _A, "MRR contraction"),
    _flow("mrr_churned", _A, "MRR churned"),
    _flow("mrr_reactivation", _A, "MRR reactivated"),
    _stock("customers_start", _C, "paying customers at the start of the period"),
    _stock("customers_end", _C, "paying customers at the end of the period"),
    _stock("mrr_start", _A, "MRR at the start of the period"),
    _stock("mrr_end", _A, "MRR at the end of the period"),
)

_BY_NAME = {column.name: column for column in MEASURE_COLUMNS}

ALL_COLUMNS: tuple[str, ...] = KEY_COLUMNS + tuple(column.name for column in MEASURE_COLUMNS)


def measure(name: str) -> MeasureColumn:
    """The declaration of one measure column; KeyError for an unknown name."""
    return _BY_NAME[name]
