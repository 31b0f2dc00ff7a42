"""`funnelbot alerts check [--as-of DATE] [--dry-run]`."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.alerts.check import AlertChecker, AlertResult, CheckReport, checker_for
from bot.alerts.evaluate import Transition
from bot.alerts.jobs import sources_ready
from bot.alerts.plans import AlertPlan, plan_alerts
from bot.alerts.render import alert_text
from bot.alerts.texts import Errors
from bot.cli import app
from bot.cli._common import (
    AsOfOption,
    DatabaseUrlOption,
    fail,
    open_store,
    out_console,
    parse_as_of,
    settings_for,
)
from bot.core.clock import utc_now
from bot.core.config import ConfigError, Settings
from bot.core.logs import configure_logging
from bot.syncing.registry import configured_sources

__all__ = ["alerts_app", "check_command"]

alerts_app = typer.Typer(help="Alerts: figures checked on every complete period.")
app.add_typer(alerts_app, name="alerts")


@alerts_app.command("check")
def check_command(
    *,
    as_of: AsOfOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be posted; record nothing.")
    ] = False,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Evaluate every alert for the last complete period before --as-of; post those that
    start firing or recover."""
    settings = settings_for(database_url)
    plans = _plans(settings)
    today = parse_as_of(as_of, settings)
    engine = open_store(settings)
    ready = sources_ready(engine, configured_sources(settings), utc_now)
    checker = checker_for(settings, engine, plans, ready=ready, need_token=False)
    if not checker.current_plans():
        fail(Errors.NO_ALERTS)
    if checker.sender is None and not dry_run:
        fail(Errors.NO_TOKEN)
    configure_logging(settings)
    report = checker.check(today, dry_run=dry_run)
    _print(report, checker, dry_run=dry_run)
    if report.failed:
        deliveries = ", ".join(
            f"{name} → {item.channel} ({item.error})" for name, item in report.failed
        )
        fail(Errors.SOME_FAILED.format(count=len(report.failed), deliveries=deliveries))


def _plans(settings: Settings) -> dict[str, AlertPlan]:
    try:
        return plan_alerts(settings)
    except ConfigError as error:
        fail(str(error))


def _print(report: CheckReport, checker: AlertChecker, *, dry_run: bool) -> None:
    for result in report.results:
        out_console().print(_line(result), markup=False)
        evaluation = result.evaluation
        if dry_run and evaluation is not None and evaluation.transition.posts:
            out_console().print(alert_text(evaluation, checker.zone), markup=False)


def _line(result: AlertResult) -> str:
    evaluation = result.evaluation
    if evaluation is None:
        return f"{result.name}: {result.waiting or result.error}"
    head = f"{result.name} {evaluation.period.label}: {evaluation.transition.value}"
    if evaluation.transition is Transition.NORMAL or not result.deliveries:
        return head
    posted = ", ".join(
        f"{item.channel} {item.outcome.value}" + (f" ({item.error})" if item.error else "")
        for item in result.deliveries
    )
    return f"{head} → {posted}"
