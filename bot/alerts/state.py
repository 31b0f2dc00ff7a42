"""Each alert's verdict on each period, written once (`alert_evaluations`).

The first process to judge an (alert, period) inserts the row; the UNIQUE constraint
makes a racing process fail and read the winner's verdict instead, so every process
agrees on whether the alert started firing, kept firing or recovered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from bot.core.clock import utc_now
from metrics.periods import Period
from storage.models import AlertEvaluation

__all__ = ["Evaluations"]

_ROW = AlertEvaluation


class Evaluations:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utc_now) -> None:
        self.engine = engine
        self._clock = clock

    def record(
        self, alert: str, period: Period, *, firing: bool, value: float | None, detail: str = ""
    ) -> bool:
        """The verdict on record for (alert, period): `firing` when this call wrote it,
        the earlier (or racing) writer's otherwise."""
        values = {
            "alert": alert,
            "period_start": period.start,
            "period_end": period.end,
            "firing": firing,
            "value": value,
            "detail": detail,
            "evaluated_at": self._clock(),
        }
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(_ROW).values(values))
        except IntegrityError:
            stored = self.verdict(alert, period)
            return firing if stored is None else stored
        return firing

    def verdict(self, alert: str, period: Period) -> bool | None:
        """The recorded verdict on (alert, period), None when it was never judged."""
        statement = select(_ROW.firing).where(
            _ROW.alert == alert, _ROW.period_start == period.start
        )
        with self.engine.connect() as connection:
            found = connection.scalar(statement)
        return None if found is None else bool(found)

    def was_firing(self, alert: str, period: Period) -> bool:
        """Whether the alert was firing on its latest judged period before `period`
        (False when it was never judged: a new alert that is broken posts once)."""
        statement = (
            select(_ROW.firing)
            .where(_ROW.alert == alert, _ROW.period_start < period.start)
            .order_by(_ROW.period_start.desc())
            .limit(1)
        )
        with self.engine.connect() as connection:
            return bool(connection.scalar(statement))

    def firing_during(self, period: Period) -> list[str]:
        """The alerts whose latest verdict on a period ending within `period` is firing:
        what is still firing at the end of a digest's week."""
        ends = (_ROW.period_end >= period.start) & (_ROW.period_end <= period.end)
        latest = (
            select(_ROW.alert, func.max(_ROW.period_end).label("end"))
            .where(ends)
            .group_by(_ROW.alert)
            .subquery()
        )
        statement = (
            select(_ROW.alert)
            .join(latest, (_ROW.alert == latest.c.alert) & (_ROW.period_end == latest.c.end))
            .where(_ROW.firing.is_(True))
            .order_by(_ROW.alert)
        )
        with self.engine.connect() as connection:
            return list(connection.scalars(statement))

    def firing(self, alerts: Iterable[str]) -> set[str]:
        """The alerts among `alerts` whose latest judged period is firing (for digests)."""
        names = list(alerts)
        latest = (
            select(_ROW.alert, func.max(_ROW.period_start).label("start"))
            .where(_ROW.alert.in_(names))
            .group_by(_ROW.alert)
            .subquery()
        )
        statement = (
            select(_ROW.alert)
            .join(latest, (_ROW.alert == latest.c.alert) & (_ROW.period_start == latest.c.start))
            .where(_ROW.firing.is_(True))
        )
        with self.engine.connect() as connection:
            return set(connection.scalars(statement))
