"""The HubSpot source: contacts by the day they entered each lifecycle stage and deals by
the day they closed won or lost, read through the CRM search API (and, for a segment from
a company property, their companies), counted per day, channel and segment, and written as
the source's columns in the run's transaction.

A run reads from the last synced day less `overlap_days` (a stage date HubSpot set late),
or the whole history for the first run and `--full`; the days it reads are rewritten whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import partial

from sqlalchemy import Connection, or_, select

from sources.daily import write_daily_rows
from sources.errors import SyncError
from sources.hubspot.client import HubSpotApi, Json, Properties
from sources.hubspot.companies import company_values
from sources.hubspot.figures import (
    CONTACT_STAGES,
    DEAL_COLUMNS,
    Cells,
    ClosedStages,
    Naming,
    Segments,
    Span,
    closed_stages,
    count_contacts,
    count_deals,
    new_cells,
)
from sources.hubspot.search import Found, Window, search_all
from sources.sync import SyncContext, Written
from sources.texts import HubSpotErrors, HubSpotLabels
from storage._import_upsert import begin_snapshot_write
from storage.columns import ValueType, measure
from storage.models import snapshots
from storage.ownership import claim_columns

__all__ = ["BEGINNING", "OWNER", "HubSpotFetched", "HubSpotOptions", "HubSpotSource"]

OWNER = "hubspot"
# The first day a full run reads.
BEGINNING = date(1970, 1, 1)
RowKey = tuple[date, str, str]
Row = tuple[float | int | None, ...]


@dataclass(frozen=True, slots=True)
class HubSpotOptions:
    naming: Naming
    new_customers: bool = True
    overlap_days: int = 7

    @property
    def stages(self) -> tuple[tuple[str, str], ...]:
        return tuple(
            stage for stage in CONTACT_STAGES if self.new_customers or stage[0] != "new_customers"
        )

    @property
    def columns(self) -> tuple[str, ...]:
        return (*(column for column, _ in self.stages), *DEAL_COLUMNS)


@dataclass(frozen=True, slots=True)
class HubSpotFetched:
    """The figures of every cell of the days read, and what was read."""

    cells: Cells
    first: date
    last: date
    since: date | None
    contacts: int
    deals: int
    pipelines: int
    companies: int | None = None  # read for a segment from a company property

    def summary(self) -> str:
        since = "" if self.since is None else HubSpotLabels.SINCE.format(since=self.since)
        read = HubSpotLabels.READ.format(
            contacts=self.contacts, deals=self.deals, pipelines=self.pipelines, since=since
        )
        if self.companies is None:
            return read
        return read + HubSpotLabels.COMPANIES.format(companies=self.companies)


@dataclass(frozen=True, slots=True)
class _Segmented:
    """Each contact's and deal's raw segment value, and how many companies were read for
    them (None: the segment is not a company's)."""

    contacts: Segments
    deals: Segments
    companies: int | None = None


class HubSpotSource:
    name = OWNER

    def __init__(self, api: HubSpotApi, options: HubSpotOptions, *, zone: tzinfo) -> None:
        self.api = api
        self.options = options
        self.zone = zone

    def fetch(self, context: SyncContext) -> HubSpotFetched:
        try:
            return self._fetch(context)
        finally:
            self.api.close()

    def _fetch(self, context: SyncContext) -> HubSpotFetched:
        since = None
        if context.cutoff is not None:
            since = max(context.cutoff - timedelta(days=self.options.overlap_days), BEGINNING)
        first = BEGINNING if since is None else since
        window = Window(self._midnight(first), self._midnight(context.today + timedelta(days=1)))
        pipelines = self.api.deal_pipelines()
        stages = closed_stages(pipelines)
        if not stages.won and not stages.lost:
            raise SyncError(HubSpotErrors.NO_CLOSED_STAGES)
        contacts = search_all(self.api, "contacts", self._contacts, window, context.renew)
        deals = search_all(self.api, "deals", partial(self._deals, stages), window, context.renew)
        segmented = self._segments(contacts, deals, context)
        span = Span(first, context.today, self.zone)
        naming = self.options.naming
        cells = new_cells()
        stages_counted = self.options.stages
        count_contacts(contacts, stages_counted, naming, span, cells, segments=segmented.contacts)
        count_deals(deals, stages, naming, span, cells, segments=segmented.deals)
        counts = (len(contacts), len(deals), len(pipelines))
        return HubSpotFetched(
            dict(cells), first, context.today, since, *counts, segmented.companies
        )

    def _segments(self, contacts: Found, deals: Found, context: SyncContext) -> _Segmented:
        naming = self.options.naming
        company_property = naming.company_segment_property
        if company_property is not None:
            objects = {"contacts": contacts, "deals": deals}
            read = company_values(self.api, objects, company_property, context.renew)
            return _Segmented(read.values["contacts"], read.values["deals"], read.companies)
        own = naming.own_segment_property
        if own is None:
            return _Segmented({}, {})
        return _Segmented(_values(contacts, own), _values(deals, own))

    def _midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), self.zone)

    def _properties(self, *names: str) -> list[str]:
        naming = self.options.naming
        extra = [naming.channel_property, naming.own_segment_property]
        return list(dict.fromkeys([*names, *(name for name in extra if name)]))

    def _contacts(self, window: Window) -> Json:
        names = [name for _, name in self.options.stages]
        return {
            "filterGroups": [{"filters": _between(name, window)} for name in names],
            "properties": self._properties(*names),
            "sorts": [{"propertyName": "hs_object_id", "direction": "ASCENDING"}],
        }

    def _deals(self, stages: ClosedStages, window: Window) -> Json:
        closed = sorted(stages.won | stages.lost)
        filters = [
            *_between("closedate", window),
            {"propertyName": "dealstage", "operator": "IN", "values": closed},
        ]
        return {
            "filterGroups": [{"filters": filters}],
            "properties": self._properties("dealstage", "amount", "closedate", "createdate"),
            "sorts": [{"propertyName": "hs_object_id", "direction": "ASCENDING"}],
        }

    def write(
        self, connection: Connection, fetched: HubSpotFetched, context: SyncContext
    ) -> Written:
        begin_snapshot_write(connection)
        columns = self.options.columns
        claim_columns(connection, OWNER, columns)
        wanted = {key: _row(figures, columns) for key, figures in fetched.cells.items()}
        rows = _changed(connection, wanted, columns, fetched.first, fetched.last)
        if not rows:
            return Written(0, (HubSpotLabels.UNCHANGED,))
        counts = write_daily_rows(connection, rows, columns, owner=OWNER)
        days = [key[0] for key in rows]
        line = HubSpotLabels.WROTE.format(
            rows=len(rows),
            inserted=counts.inserted,
            replaced=counts.replaced,
            first=min(days),
            last=max(days),
        )
        return Written(len(rows), (line,))


def _values(found: Mapping[str, Properties], name: str) -> dict[str, str | None]:
    return {object_id: properties.get(name) for object_id, properties in found.items()}


def _between(name: str, window: Window) -> list[Json]:
    return [
        {"propertyName": name, "operator": "GTE", "value": window.start_ms},
        {"propertyName": name, "operator": "LT", "value": window.end_ms},
    ]


def _is_count(name: str) -> bool:
    return measure(name).value_type is ValueType.COUNT


def _row(figures: dict[str, float], columns: tuple[str, ...]) -> Row:
    """Every column of the source known in a cell it writes: 0 when nothing happened."""
    return tuple(
        int(figures.get(name, 0)) if _is_count(name) else round(figures.get(name, 0.0), 6)
        for name in columns
    )


def _changed(
    connection: Connection,
    wanted: dict[RowKey, Row],
    columns: tuple[str, ...],
    first: date,
    last: date,
) -> dict[RowKey, Row]:
    """The daily rows of [first, last] whose columns differ from `wanted`, and those holding
    HubSpot values `wanted` no longer has (cleared: a contact moved to another channel)."""
    table = snapshots.c
    owned = [table[name] for name in columns]
    statement = select(table.period_start, table.channel, table.segment, *owned).where(
        table.period_start == table.period_end,
        table.period_start.between(first, last),
        or_(*(column.is_not(None) for column in owned)),
    )
    existing = {
        (row[0], row[1], row[2]): _stored(tuple(row[3:]), columns)
        for row in connection.execute(statement)
    }
    changed = {key: row for key, row in wanted.items() if existing.get(key) != row}
    cleared: Row = (None,) * len(columns)
    changed.update({key: cleared for key in existing if key not in wanted})
    return changed


def _stored(values: tuple[object, ...], columns: tuple[str, ...]) -> Row:
    return tuple(
        None
        if value is None
        else int(value)  # type: ignore[call-overload]
        if _is_count(name)
        else round(float(value), 6)  # type: ignore[arg-type]
        for name, value in zip(columns, values, strict=True)
    )
