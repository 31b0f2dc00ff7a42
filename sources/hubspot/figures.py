"""HubSpot objects to daily figures: each contact on the local day it entered each lifecycle
stage, each closed deal on its close date, in the cell of its channel and segment (the
segment's raw value read beforehand: the object's own property, or its company's).

Property values arrive as strings (HubSpot's search API types nothing): dates as ISO 8601
(`2026-03-01T10:15:00.000Z`, or `2026-03-01`) or epoch milliseconds, amounts as decimals.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from enum import StrEnum

from sources.errors import MalformedObjectError
from sources.texts import HubSpotErrors

__all__ = [
    "CONTACT_STAGES",
    "DEAL_COLUMNS",
    "DEFAULT_CHANNELS",
    "UNKNOWN",
    "Cells",
    "ClosedStages",
    "Naming",
    "SegmentObject",
    "Segments",
    "Span",
    "closed_stages",
    "count_contacts",
    "count_deals",
    "new_cells",
    "parse_moment",
]

# Snapshot column ← the contact property dating the day it entered that lifecycle stage.
CONTACT_STAGES: tuple[tuple[str, str], ...] = (
    ("leads", "hs_lifecyclestage_lead_date"),
    ("mqls", "hs_lifecyclestage_marketingqualifiedlead_date"),
    ("sqls", "hs_lifecyclestage_salesqualifiedlead_date"),
    ("opportunities", "hs_lifecyclestage_opportunity_date"),
    ("new_customers", "hs_lifecyclestage_customer_date"),
)
DEAL_COLUMNS = ("deals_won", "deals_lost", "won_deal_value", "sales_cycle_days")
UNKNOWN = "unknown"
MAX_NAME_LENGTH = 100
SECONDS_A_DAY = 86_400
# hs_analytics_source (Original Source) values, named as the store's channels.
DEFAULT_CHANNELS: Mapping[str, str] = {
    "ORGANIC_SEARCH": "organic",
    "PAID_SEARCH": "paid_search",
    "EMAIL_MARKETING": "email",
    "SOCIAL_MEDIA": "social",
    "REFERRALS": "referral",
    "PAID_SOCIAL": "paid_social",
    "DIRECT_TRAFFIC": "direct",
    "OFFLINE": "offline",
    "OTHER_CAMPAIGNS": "other_campaigns",
    "AI_REFERRALS": "ai_referral",
}

RowKey = tuple[date, str, str]
Cells = dict[RowKey, dict[str, float]]
Properties = Mapping[str, str | None]
# The segment property's raw value of each object, by id (absent or None: no value).
Segments = Mapping[str, str | None]


@dataclass(frozen=True, slots=True)
class ClosedStages:
    """The deal stage ids that close a deal won and lost, over every pipeline."""

    won: frozenset[str]
    lost: frozenset[str]


def closed_stages(pipelines: Iterable[Mapping[str, object]]) -> ClosedStages:
    """From GET /crm/v3/pipelines/deals: a closed stage (`metadata.isClosed` "true") is won
    at probability "1.0", lost at "0.0"."""
    won: set[str] = set()
    lost: set[str] = set()
    for pipeline in pipelines:
        stages = pipeline.get("stages")
        for stage in stages if isinstance(stages, list) else []:
            metadata = stage.get("metadata") if isinstance(stage, dict) else None
            if not isinstance(metadata, dict) or str(metadata.get("isClosed")) != "true":
                continue
            probability = float(str(metadata.get("probability", "0")) or 0)
            (won if probability >= 1 else lost).add(str(stage["id"]))
    return ClosedStages(frozenset(won), frozenset(lost))


class SegmentObject(StrEnum):
    """Whose property names the segment: the contact's for its stages and the deal's for its
    close, or the company's each of them is associated with."""

    CONTACT = "contact"
    COMPANY = "company"


@dataclass(frozen=True, slots=True)
class Naming:
    """How an object's channel and segment are read and named."""

    channel_property: str
    channels: Mapping[str, str] = field(default_factory=dict)
    segment_property: str | None = None
    segments: Mapping[str, str] = field(default_factory=dict)
    segment_object: SegmentObject = SegmentObject.CONTACT

    @property
    def own_segment_property(self) -> str | None:
        """The segment property read on contacts and deals themselves, if any."""
        return self.segment_property if self.segment_object is SegmentObject.CONTACT else None

    @property
    def company_segment_property(self) -> str | None:
        """The segment property read on the companies, if any."""
        return self.segment_property if self.segment_object is SegmentObject.COMPANY else None

    def cell(self, properties: Properties, segment: str | None) -> tuple[str, str]:
        """The channel from `properties`, the segment from its raw value."""
        channel = _named(properties.get(self.channel_property), self.channels, DEFAULT_CHANNELS)
        return channel, _named(segment, self.segments, {})


def _named(raw: str | None, mapping: Mapping[str, str], defaults: Mapping[str, str]) -> str:
    """`mapping`'s name for the value, else the default one, else the value normalized;
    empty is unknown."""
    text = (raw or "").strip()
    return mapping.get(text) or defaults.get(text.upper()) or _normalized(text) or UNKNOWN


def _normalized(name: str) -> str:
    """Lower-case, trimmed, runs of spaces and hyphens as `_` (as a CSV import does)."""
    return re.sub(r"[\s-]+", "_", name.strip().lower())[:MAX_NAME_LENGTH]


def parse_moment(kind: str, object_id: str, name: str, value: str | None) -> datetime | None:
    """A HubSpot date or datetime property (None when unset)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if text.isdigit():
            return datetime.fromtimestamp(int(text) / 1000, UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        raise MalformedObjectError(
            HubSpotErrors.BAD_VALUE.format(
                kind=kind, id=object_id, field=name, value=value, expected="a date"
            )
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _amount(object_id: str, value: str | None) -> float:
    if value is None or not value.strip():
        return 0.0
    try:
        amount = float(value)
    except ValueError:
        amount = -1.0
    if not amount >= 0:
        raise MalformedObjectError(
            HubSpotErrors.BAD_VALUE.format(
                kind="deal", id=object_id, field="amount", value=value, expected="an amount ≥ 0"
            )
        )
    return amount


@dataclass(frozen=True, slots=True)
class Span:
    """The local days counted: [first, last], in `zone`."""

    first: date
    last: date
    zone: tzinfo

    def day_of(self, moment: datetime | None) -> date | None:
        if moment is None:
            return None
        day = moment.astimezone(self.zone).date()
        return day if self.first <= day <= self.last else None


def count_contacts(
    contacts: Mapping[str, Properties],
    stages: Iterable[tuple[str, str]],
    naming: Naming,
    span: Span,
    cells: Cells,
    *,
    segments: Segments,
) -> None:
    """Add each contact, once per stage, on the day it entered it."""
    stages = tuple(stages)
    for contact_id, properties in contacts.items():
        cell = naming.cell(properties, segments.get(contact_id))
        for column, name in stages:
            moment = parse_moment("contact", contact_id, name, properties.get(name))
            day = span.day_of(moment)
            if day is not None:
                figures = cells[(day, *cell)]
                figures[column] = figures.get(column, 0) + 1


def count_deals(
    deals: Mapping[str, Properties],
    stages: ClosedStages,
    naming: Naming,
    span: Span,
    cells: Cells,
    *,
    segments: Segments,
) -> None:
    """Add each closed deal on its close day: won (its amount, its days from create to
    close) or lost."""
    for deal_id, properties in deals.items():
        stage = properties.get("dealstage") or ""
        closed = parse_moment("deal", deal_id, "closedate", properties.get("closedate"))
        day = span.day_of(closed)
        if day is None or closed is None or stage not in stages.won | stages.lost:
            continue
        figures = cells[(day, *naming.cell(properties, segments.get(deal_id)))]
        if stage in stages.lost:
            figures["deals_lost"] = figures.get("deals_lost", 0) + 1
            continue
        created = parse_moment("deal", deal_id, "createdate", properties.get("createdate"))
        cycle = 0.0 if created is None else max((closed - created).total_seconds(), 0.0)
        figures["deals_won"] = figures.get("deals_won", 0) + 1
        figures["won_deal_value"] = figures.get("won_deal_value", 0) + _amount(
            deal_id, properties.get("amount")
        )
        figures["sales_cycle_days"] = figures.get("sales_cycle_days", 0) + cycle / SECONDS_A_DAY


def new_cells() -> Cells:
    return defaultdict(dict)
