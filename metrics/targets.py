"""Targets set from Slack (`team_targets`) over the configured ones (`[targets]`).

A stored target replaces the configured target of the same metric and scope (channel,
segment); the others stay. Read with one small query when a context asks for it
(`MetricsContext.stored_targets`), so every process sees a change at its next answer.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError, ProgrammingError

from metrics.checks import Target
from storage.tables import team_targets

__all__ = ["merged", "stored_targets"]

_ANY = ""


def stored_targets(engine: Engine) -> tuple[Target, ...]:
    """Every target set from Slack; none in a store without the table (never migrated)."""
    columns = team_targets.c
    statement = select(columns.metric, columns.channel, columns.segment, columns.min, columns.max)
    try:
        with engine.connect() as connection:
            rows = connection.execute(statement).all()
    except (OperationalError, ProgrammingError):
        return ()
    return tuple(
        Target(
            metric=row.metric,
            min=row.min,
            max=row.max,
            segment=row.segment or None,
            channel=row.channel or None,
        )
        for row in rows
    )


def merged(configured: Iterable[Target], stored: Iterable[Target]) -> tuple[Target, ...]:
    """`stored` over `configured`: one target per (metric, channel, segment)."""
    found = {_key(target): target for target in configured}
    found.update({_key(target): target for target in stored})
    return tuple(found.values())


def _key(target: Target) -> tuple[str, str, str]:
    return (target.metric, target.channel or _ANY, target.segment or _ANY)
