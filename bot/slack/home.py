"""The App Home tab: key figures of the last complete week and month, how to ask, the
catalog. Restricted metrics are shown only to people allowed to see them; the admin also
sees each source's last run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.core.access import Audience
from bot.i18n.formatting import arrow, format_change, format_value
from bot.i18n.messages import EXAMPLES
from bot.render.blocks import Block, context, divider, header, section
from bot.render.texts import BETTER_MARKS
from bot.slack.texts import Home
from metrics.answers import MetricAnswer
from metrics.catalog import CATALOG
from metrics.engine import compute_many
from metrics.periods import Grain, last_unit
from metrics.query import Filters
from sources.runs import Outcome, RunLedger

if TYPE_CHECKING:
    from bot.slack.answering import Answerer

__all__ = ["HOME_METRICS", "NO_ADMIN", "AdminView", "home_view", "sources_section"]

HOME_METRICS = (
    "leads",
    "mqls",
    "new_customers",
    "mql_to_sql",
    "win_rate",
    "cac",
    "ltv_cac",
    "customer_churn_rate",
    "mrr",
)


_UTC = ZoneInfo("UTC")


@dataclass(frozen=True, slots=True)
class AdminView:
    """Who sees the sources' runs in App Home, and which sources."""

    admins: frozenset[str] = frozenset()
    sources: tuple[str, ...] = ()
    zone: ZoneInfo = _UTC


NO_ADMIN = AdminView()


def home_view(
    answerer: Answerer, audience: Audience, admin: AdminView = NO_ADMIN
) -> dict[str, Any]:
    """The `views.publish` view for one person."""
    policy = answerer.policy
    hidden = policy.restricted(HOME_METRICS) if not policy.may_view(audience.user_id) else ()
    shown = [metric_id for metric_id in HOME_METRICS if metric_id not in hidden]
    today = answerer.today()
    blocks: list[Block] = [header(Home.TITLE)]
    for template, grain in ((Home.WEEK, Grain.WEEK), (Home.MONTH, Grain.MONTH)):
        period = last_unit(grain, today)
        found = compute_many(
            answerer.engine, shown, period, Filters(), answerer.metrics, compare=period.previous()
        )
        blocks.append(section(template.format(period=period.label), _kpi_fields(found)))
    if hidden:
        blocks.append(context(Home.HIDDEN))
    if audience.user_id in admin.admins and admin.sources:
        ledger = RunLedger(answerer.engine, answerer.clock)
        blocks += [divider(), sources_section(ledger, admin.sources, admin.zone)]
    blocks += [divider(), *_guide(answerer.command)]
    return {"type": "home", "blocks": blocks}


def _kpi_fields(found: dict[str, MetricAnswer]) -> list[str]:
    fields = [_kpi(answer) for answer in found.values()]
    return fields or [Home.NO_DATA]


def _kpi(answer: MetricAnswer) -> str:
    value = format_value(answer.value, answer.unit, answer.currency)
    line = f"*{answer.label}*\n{value}"
    comparison = answer.comparison
    if comparison is not None and comparison.change is not None:
        change = format_change(
            comparison.change, comparison.change_pct, answer.unit, answer.currency
        )
        line += (
            f"  {arrow(comparison.change, answer.unit)} {change} {BETTER_MARKS[comparison.better]}"
        )
    return line


def _guide(command: str) -> list[Block]:
    examples = "\n".join(f"• `{command} {example}`" for example in EXAMPLES)
    metrics = ", ".join(f"`{metric_id}`" for metric_id in CATALOG)
    return [
        section(Home.HOW_TO_ASK.format(command=command)),
        section(Home.EXAMPLES.format(examples=examples)),
        section(Home.CATALOG.format(metrics=metrics)),
    ]


def sources_section(ledger: RunLedger, names: Sequence[str], zone: ZoneInfo) -> Block:
    """Each source's last run: when, its outcome, the rows it wrote, why it failed."""
    lines = []
    for name in names:
        run = ledger.latest(name)
        if run is None:
            lines.append(Home.SOURCE_NEVER.format(source=name))
            continue
        when = run.started_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        line = Home.SOURCE_RUN.format(
            source=name, when=when, outcome=run.outcome.value, rows=run.rows_written
        )
        if run.outcome is Outcome.FAILED:
            line += Home.SOURCE_FAILED.format(reason=run.detail)
        lines.append(line)
    return section(Home.SOURCES.format(lines="\n".join(lines)))
