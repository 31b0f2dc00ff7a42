"""Alerts made from Slack, kept in `slack_alerts` with who made them and where."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row, delete, insert, select, update

from bot.core.clock import utc_now
from bot.i18n import Language, as_language
from metrics.query import Filters
from storage.models import SlackAlert

__all__ = ["NewAlert", "SlackAlerts", "StoredAlert"]

_ROW = SlackAlert


@dataclass(frozen=True, slots=True)
class NewAlert:
    metric: str
    filters: Filters
    rule: str
    every: str
    post_to: str
    text: str
    created_by: str
    created_in: str
    language: Language = "en"


@dataclass(frozen=True, slots=True)
class StoredAlert:
    id: int
    alert: NewAlert
    created_at: datetime
    paused: bool

    @property
    def name(self) -> str:
        """Its name in the ledger and in messages; `#` cannot start a TOML bare key."""
        return f"{self.alert.metric}#{self.id}"


class SlackAlerts:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utc_now) -> None:
        self.engine = engine
        self._clock = clock

    def add(self, alert: NewAlert) -> StoredAlert:
        now = self._clock()
        values = {
            "metric": alert.metric,
            "channels": " ".join(alert.filters.channel),
            "segments": " ".join(alert.filters.segment),
            "rule": alert.rule,
            "every": alert.every,
            "post_to": alert.post_to,
            "text": alert.text,
            "created_by": alert.created_by,
            "created_in": alert.created_in,
            "created_at": now,
            "paused": False,
            "language": alert.language,
        }
        with self.engine.begin() as connection:
            found = connection.execute(insert(_ROW).values(values).returning(_ROW.id))
            new_id = int(found.scalar_one())
        return StoredAlert(new_id, alert, now, paused=False)

    def all(self) -> list[StoredAlert]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(_ROW).order_by(_ROW.id)).all()
        return [_stored(row) for row in rows]

    def get(self, alert_id: int) -> StoredAlert | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(_ROW).where(_ROW.id == alert_id)).first()
        return None if row is None else _stored(row)

    def set_paused(self, alert_id: int, *, paused: bool) -> bool:
        statement = update(_ROW).where(_ROW.id == alert_id).values(paused=paused)
        with self.engine.begin() as connection:
            return connection.execute(statement).rowcount == 1

    def remove(self, alert_id: int) -> bool:
        with self.engine.begin() as connection:
            return connection.execute(delete(_ROW).where(_ROW.id == alert_id)).rowcount == 1


def _stored(row: Row[Any]) -> StoredAlert:
    values = row._mapping
    alert = NewAlert(
        metric=values["metric"],
        filters=Filters(
            channel=tuple(values["channels"].split()), segment=tuple(values["segments"].split())
        ),
        rule=values["rule"],
        every=values["every"],
        post_to=values["post_to"],
        text=values["text"],
        created_by=values["created_by"],
        created_in=values["created_in"],
        language=as_language(values["language"]),
    )
    created = values["created_at"]
    return StoredAlert(values["id"], alert, created, paused=bool(values["paused"]))
