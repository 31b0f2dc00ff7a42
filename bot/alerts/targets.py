"""`/funnel target …` and `/funnel targets`: team targets set from Slack by the admins of
`[access] admins`, stored in `team_targets` over `[targets]`, every change audited in
`target_changes` (who, when, where, old and new)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, Engine, delete, insert, select, update

from bot.alerts.commands import Asker, figure_query
from bot.alerts.texts import TargetReplies
from bot.alerts.words import in_command_english
from bot.core.clock import utc_now
from bot.i18n import active_language, keyed_text
from bot.i18n.formatting import filter_parts, format_range
from bot.parser import KnownValues, NotUnderstood
from bot.render.blocks import Block, SlackMessage, escaped, header, section
from metrics.catalog import CATALOG, Unit
from metrics.checks import Target
from metrics.query import Filters, Intent
from metrics.targets import merged, stored_targets
from storage.models import TargetChange
from storage.tables import team_targets

__all__ = ["TargetDesk"]

_BOUND = re.compile(
    r"\b(max|maximum|at most|no more than|min|minimum|at least)\s+(-?\d+(?:\.\d+)?)\s*(%?)"
)
_CLEAR = re.compile(r"\b(clear|remove|unset|none)\b")
_LOWER = ("min", "minimum", "at least")
_ANY = ""


@dataclass(frozen=True, slots=True)
class _Request:
    metric: str
    channel: str
    segment: str
    min: float | None
    max: float | None
    clear: bool


class TargetDesk:
    def __init__(
        self,
        engine: Engine,
        configured: Sequence[Target],
        *,
        admins: frozenset[str],
        command: str,
        currency: str = "USD",
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.engine = engine
        self.configured = tuple(configured)
        self._admins = admins
        self._command = command
        self._currency = currency
        self._clock = clock

    def change(self, text: str, asker: Asker, today: date, known: KnownValues) -> SlackMessage:
        if asker.user not in self._admins:
            return _plain(TargetReplies.ADMINS_ONLY)
        request = _read(text, today, known)
        if isinstance(request, str):
            return _plain(f"{request}\n{TargetReplies.HOW.format(command=self._command)}")
        old = self._current(request)
        self._write(request, asker, old)
        figure = _figure(request.metric, request.channel, request.segment)
        if request.clear:
            now = self._current(request)
            return _plain(
                TargetReplies.CLEARED.format(
                    figure=figure,
                    old=self._range(request.metric, old),
                    now=self._range(request.metric, now),
                )
            )
        new = Target(request.metric, request.min, request.max)
        return _plain(
            TargetReplies.SET.format(
                figure=figure,
                new=self._range(request.metric, new),
                old=self._range(request.metric, old),
            )
        )

    def listing(self) -> SlackMessage:
        stored = {_key(item) for item in stored_targets(self.engine)}
        setters = self._setters()
        blocks: list[Block] = [header(TargetReplies.LIST_HEADER)]
        for target in merged(self.configured, stored_targets(self.engine)):
            key = _key(target)
            origin = (
                TargetReplies.SET_BY.format(user=setters.get(key, "?"))
                if key in stored
                else TargetReplies.FROM_FILE
            )
            figure = _figure(target.metric, target.channel or _ANY, target.segment or _ANY)
            line = TargetReplies.LINE.format(
                figure=figure, range=self._range(target.metric, target), origin=origin
            )
            blocks.append(section(line))
        if len(blocks) == 1:
            how = TargetReplies.HOW.format(command=self._command)
            return _plain(f"{TargetReplies.NO_TARGETS} {how}")
        return SlackMessage(TargetReplies.LIST_HEADER, tuple(blocks))

    def _range(self, metric_id: str, target: Target | None) -> str:
        if target is None or (target.min is None and target.max is None):
            return TargetReplies.NONE_BEFORE
        unit = CATALOG[metric_id].unit
        return format_range(target.min, target.max, unit, self._currency)

    def _current(self, request: _Request) -> Target | None:
        """The target that applies to exactly this metric and scope now."""
        key = (request.metric, request.channel, request.segment)
        found = {_key(item): item for item in merged(self.configured, stored_targets(self.engine))}
        return found.get(key)

    def _write(self, request: _Request, asker: Asker, old: Target | None) -> None:
        now = self._clock()
        columns = team_targets.c
        where = (
            (columns.metric == request.metric)
            & (columns.channel == request.channel)
            & (columns.segment == request.segment)
        )
        with self.engine.begin() as connection:
            exists = connection.execute(select(columns.metric).where(where)).first() is not None
            if request.clear:
                connection.execute(delete(team_targets).where(where))
            elif exists:
                values = {
                    "min": request.min,
                    "max": request.max,
                    "set_by": asker.user,
                    "set_at": now,
                }
                connection.execute(update(team_targets).where(where).values(values))
            else:
                connection.execute(insert(team_targets).values(_row(request, asker.user, now)))
            _audit(connection, request, asker, old, now)

    def _setters(self) -> dict[tuple[str, str, str], str]:
        columns = team_targets.c
        statement = select(columns.metric, columns.channel, columns.segment, columns.set_by)
        with self.engine.connect() as connection:
            return {
                (r.metric, r.channel, r.segment): r.set_by for r in connection.execute(statement)
            }


def _row(request: _Request, user: str, now: datetime) -> dict[str, object]:
    return {
        "metric": request.metric,
        "channel": request.channel,
        "segment": request.segment,
        "min": request.min,
        "max": request.max,
        "set_by": user,
        "set_at": now,
    }


def _audit(
    connection: Connection, request: _Request, asker: Asker, old: Target | None, now: datetime
) -> None:
    connection.execute(
        insert(TargetChange).values(
            at=now,
            user_id=asker.user,
            channel_id=asker.channel,
            metric=request.metric,
            channel=request.channel,
            segment=request.segment,
            old_min=None if old is None else old.min,
            old_max=None if old is None else old.max,
            new_min=None if request.clear else request.min,
            new_max=None if request.clear else request.max,
        )
    )


def _read(text: str, today: date, known: KnownValues) -> _Request | str:
    cleaned = in_command_english(text, active_language()).lower()
    bound = _BOUND.search(cleaned)
    clear = _CLEAR.search(cleaned) if bound is None else None
    if bound is None and clear is None:
        return TargetReplies.NO_BOUND.format(text=escaped(text.strip()))
    found = bound or clear
    assert found is not None
    figure = (cleaned[: found.start()] + " " + cleaned[found.end() :]).strip()
    parsed = figure_query(f"{figure} last month", today, known) if figure else None
    if parsed is None or isinstance(parsed, NotUnderstood):
        reason = parsed.reason if isinstance(parsed, NotUnderstood) else ""
        return TargetReplies.NO_FIGURE.format(text=escaped(figure), reason=reason).rstrip(": ")
    query = parsed.query
    filters = query.filters
    if (
        query.intent is not Intent.METRIC
        or query.metric is None
        or query.by is not None
        or len(filters.channel) > 1
        or len(filters.segment) > 1
    ):
        return TargetReplies.ONE_SCOPE
    channel = filters.channel[0] if filters.channel else _ANY
    segment = filters.segment[0] if filters.segment else _ANY
    if bound is None:
        return _Request(query.metric, channel, segment, None, None, clear=True)
    value = float(bound[2])
    if bound[3] or (CATALOG[query.metric].unit is Unit.RATIO and abs(value) > 1):
        value /= 100
    lower = bound[1] in _LOWER
    return _Request(
        query.metric, channel, segment, value if lower else None, None if lower else value, False
    )


def _figure(metric_id: str, channel: str, segment: str) -> str:
    parts = filter_parts(
        Filters(channel=(channel,) if channel else (), segment=(segment,) if segment else ())
    )
    label = keyed_text("label", metric_id, CATALOG[metric_id].label)
    return f"*{label}*" + (f" ({escaped(', '.join(parts))})" if parts else "")


def _key(target: Target) -> tuple[str, str, str]:
    return (target.metric, target.channel or _ANY, target.segment or _ANY)


def _plain(text: str) -> SlackMessage:
    return SlackMessage(text, (section(text),))
