"""`funnelbot digest` (one audience, now or as a dry run) and `funnelbot worker`."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from bot.alerts.jobs import alert_jobs
from bot.alerts.subscriptions import subscription_jobs
from bot.answers.context import metrics_context
from bot.cli import app
from bot.cli._chart import NO_DIGEST_CHART, ChartOption, digest_chart_of, write_chart
from bot.cli._common import (
    AsOfOption,
    DatabaseUrlOption,
    fail,
    open_store,
    out_console,
    parse_as_of,
    settings_for,
)
from bot.core.access import AccessPolicy
from bot.core.clock import utc_now
from bot.core.config import ConfigError, Settings
from bot.core.logs import configure_logging
from bot.digests.audiences import AudiencePlan, plan_audiences
from bot.digests.builder import Digest, build_digest
from bot.digests.delivery import DeliveryReport, Outcome, deliverer_for, hidden_in
from bot.digests.render import digest_message, digest_text, has_chart
from bot.digests.texts import Errors, Labels
from bot.digests.worker import Companion, DigestWorker
from bot.syncing.registry import source_jobs

__all__ = ["digest_command", "worker_command"]


@app.command("digest")
def digest_command(
    audience: Annotated[
        str, typer.Option("--audience", help="An audience: a digests.NAME table of funnelbot.toml.")
    ],
    *,
    as_of: AsOfOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be posted; record nothing.")
    ] = False,
    blocks: Annotated[
        bool, typer.Option("--blocks", help="With --dry-run: print the Slack payloads as JSON.")
    ] = False,
    chart: ChartOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Post again even where it was already delivered.")
    ] = False,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Build and post one audience's digest for the last complete week before --as-of."""
    settings = settings_for(database_url)
    if chart is not None and not dry_run:
        fail(Errors.CHART_NEEDS_DRY_RUN)
    plan = _plan(settings, audience)
    today = parse_as_of(as_of, settings)
    engine = open_store(settings)
    if dry_run:
        digest = build_digest(engine, plan, today, metrics_context(settings), settings.timezone)
        _preview(settings, plan, digest, as_json=blocks)
        if chart is not None:
            write_chart(digest_chart_of(digest), chart, NO_DIGEST_CHART)
        return
    if not plan.channels:
        fail(Errors.NO_CHANNELS.format(audience=plan.name))
    try:
        deliverer = deliverer_for(settings, engine)
    except ConfigError as error:
        fail(str(error))
    configure_logging(settings)
    report = deliverer.deliver(plan, today, force=force)
    _print_report(report)
    if report.failed:
        channels = ", ".join(f"{item.channel} ({item.error})" for item in report.failed)
        fail(Errors.SOME_FAILED.format(count=len(report.failed), channels=channels))


@app.command("worker")
def worker_command(database_url: DatabaseUrlOption = None) -> None:
    """Post every audience's digest, sync every source and check every alert on its
    schedule (and what was missed while down)."""
    settings = settings_for(database_url)
    plans = _plans(settings)
    engine = open_store(settings)
    try:
        deliverer = deliverer_for(settings, engine)
        alerts = alert_jobs(settings, engine, utc_now)
        notify = deliverer.sender.notify
        sources = source_jobs(settings, engine, notify, utc_now, after=alerts.run)
        subscriptions = subscription_jobs(settings, engine, deliverer.sender, utc_now)
    except ConfigError as error:
        fail(str(error))
    configure_logging(settings)
    companions: list[Companion] = [sources, alerts, subscriptions]
    DigestWorker(deliverer, plans, settings.zone, utc_now, companions).run_until_signalled()


def _plans(settings: Settings, *, defaults: bool = False) -> dict[str, AudiencePlan]:
    try:
        return plan_audiences(settings, defaults=defaults)
    except ConfigError as error:
        fail(str(error))


def _plan(settings: Settings, name: str) -> AudiencePlan:
    plans = _plans(settings, defaults=True)
    if name in plans:
        return plans[name]
    fail(Errors.UNKNOWN_AUDIENCE.format(name=name, known=", ".join(sorted(plans))))


def _preview(settings: Settings, plan: AudiencePlan, digest: Digest, *, as_json: bool) -> None:
    policy = AccessPolicy(settings.access)
    if as_json:
        payloads = [
            _payload(digest, channel, hidden_in(policy, digest, channel))
            for channel in plan.channels
        ] or [_payload(digest, None, hidden_in(policy, digest, ""))]
        typer.echo(json.dumps(payloads, ensure_ascii=False, indent=2))
        return
    versions: dict[frozenset[str], list[str]] = {}
    for channel in plan.channels:
        versions.setdefault(hidden_in(policy, digest, channel), []).append(channel)
    for hidden, channels in versions.items():
        out_console().print(Labels.POSTED_TO.format(channels=", ".join(channels)), style="dim")
        out_console().print(digest_text(digest, hidden))
    if not plan.channels:
        # Previewed as a channel would get it: restricted metrics hidden.
        nowhere = Labels.POSTED_NOWHERE.format(audience=plan.name)
        out_console().print(nowhere, style="dim", markup=False)
        out_console().print(digest_text(digest, hidden_in(policy, digest, "")))
    if has_chart(digest):
        out_console().print(Labels.CHART_NOTE, style="dim")


def _payload(digest: Digest, channel: str | None, hidden: frozenset[str]) -> dict[str, object]:
    message = digest_message(digest, hidden)
    return {"channel": channel, "text": message.text, "blocks": list(message.blocks)}


def _print_report(report: DeliveryReport) -> None:
    for item in report.results:
        detail = item.error if item.outcome is Outcome.FAILED else item.message_ts
        suffix = f" ({detail})" if detail else ""
        out_console().print(
            f"{report.audience} {report.week.label} → {item.channel}: {item.outcome.value}{suffix}",
            markup=False,
        )
