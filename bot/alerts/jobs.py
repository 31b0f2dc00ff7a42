"""The worker's alerts job: `alerts check` after each successful source sync, and once a
day at `CHECK_TIME` (for stores filled by CSV imports), and at start for what was missed.

Every run goes through the evaluations and the ledger, so running it more often never
posts twice. A period is judged only once every configured source has synced past it
(`sources_ready`): a check that runs before the day's sync waits instead of recording a
verdict on a half-loaded week.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import Engine

from bot.alerts.check import AlertChecker, CheckReport, checker_for
from bot.alerts.plans import plan_alerts
from bot.alerts.texts import AlertLog, Errors
from bot.core.config import Settings
from bot.digests.schedule import parse_schedule
from bot.syncing.registry import configured_sources
from metrics.periods import Period
from sources.runs import Outcome, RunLedger

__all__ = ["CHECK_TIME", "AlertJobs", "alert_jobs", "sources_ready"]

logger = logging.getLogger("funnelbot.alerts")

CHECK_TIME = "daily 06:00"


def sources_ready(
    engine: Engine, sources: Sequence[str], clock: Callable[[], datetime]
) -> Callable[[Period], str | None]:
    """None when every source in `sources` synced after `period` ended, else why not."""
    runs = RunLedger(engine, clock)

    def ready(period: Period) -> str | None:
        behind = []
        for name in sources:
            latest = runs.latest(name, outcome=Outcome.SUCCEEDED)
            synced = None if latest is None else latest.synced_through
            if synced is None or synced <= period.end:
                behind.append(name)
        if not behind:
            return None
        return Errors.WAITING.format(sources=", ".join(behind), end=period.end.isoformat())

    return ready


class AlertJobs:
    """A companion of the digest worker (bot/digests/worker.py)."""

    def __init__(
        self, checker: AlertChecker, zone: ZoneInfo, clock: Callable[[], datetime]
    ) -> None:
        self.checker = checker
        self.zone = zone
        self._clock = clock

    def run(self) -> CheckReport | None:
        """One check for today (local); never raises, so the scheduler keeps running."""
        today = self._clock().astimezone(self.zone).date()
        try:
            return self.checker.check(today)
        except Exception:  # a job must never kill the scheduler; the next run retries
            logger.exception(AlertLog.JOB_FAILED)
            return None

    def attach(self, scheduler: BaseScheduler) -> None:
        schedule = parse_schedule(CHECK_TIME)
        scheduler.add_job(
            self.run,
            trigger=schedule.trigger(self.zone),
            id="alerts:check",
            name=f"alerts check ({CHECK_TIME})",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
        )

    def catch_up(self) -> None:
        self.run()


def alert_jobs(settings: Settings, engine: Engine, clock: Callable[[], datetime]) -> AlertJobs:
    """The worker's alerts job for every `[alerts.NAME]`; ConfigError for a bad alert."""
    plans = plan_alerts(settings)
    ready = sources_ready(engine, configured_sources(settings), clock)
    checker = checker_for(settings, engine, plans, clock=clock, ready=ready, need_token=False)
    return AlertJobs(checker, settings.zone, clock)
