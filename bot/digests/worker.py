"""`funnelbot worker`: every audience on its wall-clock schedule, plus catch-up at start,
and the companions (the sources' jobs) on the same scheduler.

Jobs go through the ledger, so a second worker, a web process running a scheduler by
mistake or a manual `funnelbot digest` never make a digest go out twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler

from bot.core.stopping import stopping_on_signals
from bot.digests.audiences import AudiencePlan
from bot.digests.builder import digest_week
from bot.digests.delivery import Deliverer, DeliveryReport
from bot.digests.schedule import last_fire_at_or_before
from bot.digests.texts import DigestLog

__all__ = ["Companion", "DigestWorker"]

logger = logging.getLogger("funnelbot.digests")

MISFIRE_GRACE_SECONDS = None  # a run missed while suspended runs as soon as it can


class Companion(Protocol):
    """Other jobs the worker runs: added to its scheduler, caught up after the digests."""

    def attach(self, scheduler: BackgroundScheduler) -> None: ...

    def catch_up(self) -> None: ...


class DigestWorker:
    def __init__(
        self,
        deliverer: Deliverer,
        plans: Mapping[str, AudiencePlan],
        zone: ZoneInfo,
        clock: Callable[[], datetime],
        companions: Sequence[Companion] = (),
    ) -> None:
        self.deliverer = deliverer
        self.plans = dict(plans)
        self.zone = zone
        self._clock = clock
        self.companions = tuple(companions)

    def run_audience(self, name: str) -> DeliveryReport | None:
        """One scheduled run: the last complete week before today (local), via the ledger."""
        today = self._clock().astimezone(self.zone).date()
        try:
            return self.deliverer.deliver(self.plans[name], today)
        except Exception:  # a job must never kill the scheduler; the next run retries
            logger.exception(DigestLog.JOB_FAILED, extra={"audience": name})
            return None

    def missed(self, now: datetime) -> list[str]:
        """Audiences whose latest scheduled run covered the week that is still the latest."""
        local_now = now.astimezone(self.zone)
        latest_week = digest_week(local_now.date())
        due = []
        for name, plan in self.plans.items():
            fired = last_fire_at_or_before(plan.schedule.trigger(self.zone), local_now)
            if fired is not None and digest_week(fired.astimezone(self.zone).date()) == latest_week:
                due.append(name)
        return due

    def catch_up(self) -> list[DeliveryReport]:
        """Send what a down worker missed; already delivered channels are skipped."""
        reports = []
        for name in self.missed(self._clock()):
            logger.info(DigestLog.CATCH_UP, extra={"audience": name})
            report = self.run_audience(name)
            if report is not None:
                reports.append(report)
        return reports

    def scheduler(self) -> BackgroundScheduler:
        scheduler = BackgroundScheduler(timezone=self.zone)
        for name, plan in self.plans.items():
            scheduler.add_job(
                self.run_audience,
                trigger=plan.schedule.trigger(self.zone),
                args=[name],
                id=f"digest:{name}",
                name=f"{name} digest ({plan.schedule.text})",
                coalesce=True,
                max_instances=1,
                misfire_grace_time=MISFIRE_GRACE_SECONDS,
            )
        for companion in self.companions:
            companion.attach(scheduler)
        return scheduler

    def run_until_signalled(self) -> None:
        """Catch up, then run the schedule until SIGTERM/SIGINT; in-flight jobs finish."""
        stop = threading.Event()
        with stopping_on_signals(stop.set):
            scheduler = self.scheduler()
            scheduler.start()
            try:
                logger.info(DigestLog.WORKER_START, extra={"audience": ", ".join(self.plans)})
                if not stop.is_set():
                    self.catch_up()
                for companion in self.companions:
                    if not stop.is_set():
                        companion.catch_up()
                stop.wait()
                logger.info(DigestLog.WORKER_STOP)
            finally:
                scheduler.shutdown(wait=True)
