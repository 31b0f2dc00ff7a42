"""The worker's source jobs: each configured source on its schedule, a failed run retried
with backoff, the admin told by DM, and a run missed while the worker was down made at start.

Every run goes through `run_source`, whose database lock makes a second worker (or a
`funnelbot sync` by hand) skip instead of running the same source twice at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import Engine

from bot.digests.schedule import Schedule, last_fire_at_or_before
from bot.syncing.texts import SyncLog, Texts
from sources.errors import SourceBusyError, SyncError
from sources.runs import Outcome, RunLedger, Trigger
from sources.sync import Source, SyncReport, run_source

__all__ = ["RETRY_DELAYS", "Later", "Notify", "SourceJobs", "SourcePlan"]

logger = logging.getLogger("funnelbot.sources")

# After a failed run: a retry 5 minutes later, then 20, then 80; then the next schedule.
RETRY_DELAYS = (timedelta(minutes=5), timedelta(minutes=20), timedelta(minutes=80))

Notify = Callable[[str, str], None]


class Later(Protocol):
    """Run `job` once, `delay` from now (APScheduler's date trigger in the worker)."""

    def __call__(self, delay: timedelta, job: Callable[[], object], name: str) -> None: ...


@dataclass(frozen=True, slots=True)
class SourcePlan:
    """One configured source: how to build it, and when to run it."""

    name: str
    build: Callable[[], Source[Any]]
    schedule: Schedule


class SourceJobs:
    def __init__(
        self,
        engine: Engine,
        plans: Mapping[str, SourcePlan],
        *,
        zone: ZoneInfo,
        clock: Callable[[], datetime],
        notify: Notify | None = None,
        admin_user: str | None = None,
        later: Later | None = None,
        after: Callable[[], object] | None = None,
    ) -> None:
        self.engine = engine
        self.plans = dict(plans)
        self.zone = zone
        self._clock = clock
        self._later = later
        self._notify = notify
        self._admin = admin_user
        self._after = after  # what follows a successful run (the alerts check)
        self.ledger = RunLedger(engine, clock)

    def attach(self, scheduler: BaseScheduler) -> None:
        """Each source's job on its schedule; retries become one-off jobs of `scheduler`."""
        for name, plan in self.plans.items():
            scheduler.add_job(
                self.run,
                trigger=plan.schedule.trigger(self.zone),
                args=[name],
                id=f"source:{name}",
                name=Texts.JOB_NAME.format(source=name, schedule=plan.schedule.text),
                coalesce=True,
                max_instances=1,
                misfire_grace_time=None,
            )
        if self._later is None:
            self._later = _one_off(scheduler, self._clock)

    def run(self, name: str, attempt: int = 0) -> SyncReport | None:
        """One run of `name` (attempt 0 is the scheduled one); never raises."""
        today = self._clock().astimezone(self.zone).date()
        trigger = Trigger.SCHEDULE if attempt == 0 else Trigger.RETRY
        try:
            report = run_source(
                self.engine, self.plans[name].build(), self.ledger, today=today, trigger=trigger
            )
        except SourceBusyError as error:
            logger.info(SyncLog.BUSY, extra={"source": name, "reason": str(error)})
            return None
        except SyncError as error:
            self._failed(name, attempt, str(error))
            return None
        except Exception:  # a job must never kill the scheduler; the next run starts afresh
            logger.exception(SyncLog.CRASHED, extra={"source": name})
            self._failed(name, attempt, Texts.CRASHED)
            return None
        logger.info(SyncLog.SYNCED, extra={"source": name, "rows_written": report.rows_written})
        if self._after is not None:
            self._after()
        return report

    def _failed(self, name: str, attempt: int, reason: str) -> None:
        retry = RETRY_DELAYS[attempt] if attempt < len(RETRY_DELAYS) else None
        logger.warning(SyncLog.FAILED, extra={"source": name, "reason": reason, "attempt": attempt})
        if retry is not None and self._later is not None:
            retry_name = Texts.RETRY_NAME.format(source=name)
            self._later(retry, lambda: self.run(name, attempt + 1), retry_name)
        if attempt == 0 or retry is None:
            self._tell_admin(name, reason, retry)

    def _tell_admin(self, name: str, reason: str, retry: timedelta | None) -> None:
        if self._notify is None or not self._admin:
            return
        if retry is None:
            text = Texts.ADMIN_GAVE_UP.format(source=name, reason=reason, tries=len(RETRY_DELAYS))
        else:
            at = (self._clock() + retry).astimezone(self.zone).strftime("%H:%M")
            text = Texts.ADMIN_FAILED.format(source=name, reason=reason, at=at)
        self._notify(self._admin, text)

    def missed(self, now: datetime) -> list[str]:
        """Sources whose latest scheduled time passed since their last successful run."""
        due = []
        for name, plan in self.plans.items():
            fired = last_fire_at_or_before(
                plan.schedule.trigger(self.zone), now.astimezone(self.zone)
            )
            latest = self.ledger.latest(name, outcome=Outcome.SUCCEEDED)
            if fired is not None and (latest is None or latest.started_at < fired):
                due.append(name)
        return due

    def catch_up(self) -> None:
        for name in self.missed(self._clock()):
            logger.info(SyncLog.CATCH_UP, extra={"source": name})
            self.run(name)


def _one_off(scheduler: BaseScheduler, clock: Callable[[], datetime]) -> Later:
    def later(delay: timedelta, job: Callable[[], object], name: str) -> None:
        scheduler.add_job(job, trigger="date", run_date=clock() + delay, name=name)

    return later
