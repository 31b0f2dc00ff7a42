"""`funnelbot query METRIC ...`: the metrics engine with structured arguments, for scripts."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer
from rapidfuzz import process
from rich.table import Table

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
from bot.config import Settings
from metrics.aliases import ALIASES
from metrics.answers import BenchmarkCheck, MetricAnswer
from metrics.catalog import CATALOG, Unit
from metrics.engine import MetricsContext, Target, compute_many
from metrics.periods import Grain, Period, last_unit, parse_period
from metrics.query import CompareKind, Comparison, Dimension, Filters, normalize_name

__all__ = ["format_value", "metrics_context", "query_command"]

_WHERE_KEYS = tuple(dimension.value for dimension in Dimension)
_ALIAS_TO_ID = {phrase: metric_id for metric_id, phrases in ALIASES.items() for phrase in phrases}


def metrics_context(settings: Settings) -> MetricsContext:
    """The engine's view of the settings: gross margin, currency and `[targets]`."""
    targets = tuple(
        Target(
            metric=metric_id,
            min=rule.min,
            max=rule.max,
            segment=None if rule.segment is None else normalize_name(rule.segment),
            channel=None if rule.channel is None else normalize_name(rule.channel),
        )
        for metric_id, rule in settings.targets.items()
    )
    return MetricsContext(
        gross_margin=settings.gross_margin, currency=settings.currency, targets=targets
    )


@app.command("query")
def query_command(
    metric_name: Annotated[str, typer.Argument(metavar="METRIC", help="A catalog metric id.")],
    *,
    period: Annotated[
        str | None,
        typer.Option(help="2026-03, 2026-Q3, 2026-H1, 2026, 2026-W47, A..B, last month, qtd…"),
    ] = None,
    where: Annotated[
        list[str] | None, typer.Option(help="channel=NAME or segment=NAME (repeatable).")
    ] = None,
    by: Annotated[Dimension | None, typer.Option(help="Break the value down.")] = None,
    compare: Annotated[str, typer.Option(help="previous, yoy, none or a period.")] = "previous",
    as_of: AsOfOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON answer.")] = False,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Compute one metric (default: the last complete month, compared with the one before)."""
    settings = settings_for(database_url)
    today = parse_as_of(as_of, settings)
    metric_id = _metric_id(metric_name)
    question_period = _period(period, today) if period else last_unit(Grain.MONTH, today)
    comparison = _comparison(compare, today)
    filters = _filters(where or [])
    engine = open_store(settings)
    result = compute_many(
        engine,
        [metric_id],
        question_period,
        filters,
        metrics_context(settings),
        compare=comparison.resolve(question_period),
        by=by,
    )[metric_id]
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        _print(result)


def _metric_id(raw: str) -> str:
    candidate = normalize_name(raw)
    if candidate in CATALOG:
        return candidate
    phrase = " ".join(raw.lower().split())
    if phrase in _ALIAS_TO_ID:
        return _ALIAS_TO_ID[phrase]
    matches = process.extract(candidate, list(CATALOG), limit=3, score_cutoff=60)
    hint = f"; did you mean {', '.join(match[0] for match in matches)}?" if matches else ""
    fail(f"unknown metric {raw!r}{hint} (`funnelbot ask metrics` lists them all)")


def _period(raw: str, today: date) -> Period:
    try:
        return parse_period(raw, today)
    except ValueError as error:
        fail(str(error))


def _comparison(raw: str, today: date) -> Comparison:
    word = raw.strip().lower()
    if word in (CompareKind.PREVIOUS.value, CompareKind.YEAR_AGO.value, CompareKind.NONE.value):
        return Comparison(CompareKind(word))
    return Comparison(CompareKind.PERIOD, _period(raw, today))


def _filters(pairs: list[str]) -> Filters:
    chosen: dict[str, list[str]] = {key: [] for key in _WHERE_KEYS}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        key = key.strip().lower()
        if not separator or key not in chosen or not value.strip():
            fail(f"--where takes channel=NAME or segment=NAME, not {pair!r}")
        chosen[key].append(normalize_name(value))
    return Filters(
        channel=tuple(dict.fromkeys(chosen["channel"])),
        segment=tuple(dict.fromkeys(chosen["segment"])),
    )


_FORMATS: dict[Unit, str] = {
    Unit.RATIO: "{value:.1%}",
    Unit.CURRENCY: "{currency} {value:,.2f}",
    Unit.CURRENCY_PER_DAY: "{currency} {value:,.2f}/day",
    Unit.MULTIPLE: "{value:.2f}×",
    Unit.DAYS: "{value:,.1f} days",
    Unit.MONTHS: "{value:,.1f} months",
    Unit.SCORE: "{value:.1f}",
    Unit.COUNT: "{value:,.0f}",
}


def format_value(value: float | None, unit: str, currency: str) -> str:
    """A value for people: 25.0%, USD 412.50, 3.20×, 45.0 days; n/a for None."""
    if value is None:
        return "n/a"
    return _FORMATS[Unit(unit)].format(value=value, currency=currency)


def _change_text(answer: MetricAnswer) -> str | None:
    comparison = answer.comparison
    if comparison is None:
        return None
    previous = format_value(comparison.value, answer.unit, answer.currency)
    if comparison.change is None:
        return f"vs {comparison.period.label}: {previous} ({comparison.reason or 'no change'})"
    if answer.unit == Unit.RATIO:
        change = f"{comparison.change * 100:+.1f} pp"
    else:
        change = f"{comparison.change:+,.2f}"
    if comparison.change_pct is not None:
        change += f", {comparison.change_pct:+.1%}"
    verdict = {True: " better", False: " worse", None: ""}[comparison.better]
    return f"vs {comparison.period.label}: {previous} ({change}){verdict}"


def _benchmark_text(check: BenchmarkCheck, unit: str, currency: str) -> str:
    def shown(value: float | None) -> str:
        return format_value(value, unit, currency)

    if check.low is None:
        span = f"up to {shown(check.high)}"
    elif check.high is None:
        span = f"from {shown(check.low)}"
    else:
        span = f"{shown(check.low)} – {shown(check.high)}"
    scope = f" for {check.scope}" if check.scope else ""
    return f"{check.status.value} the typical range {span}{scope} ({check.source})"


def _print(answer: MetricAnswer) -> None:
    scope = ", ".join(
        f"{key} {' or '.join(names)}" for key, names in answer.filters.as_dict().items()
    )
    heading = f"[bold]{answer.label}[/bold] · {answer.period.label}" + (
        f" · {scope}" if scope else ""
    )
    out_console.print(heading)
    value = format_value(answer.value, answer.unit, answer.currency)
    out_console.print(
        f"  {value}" + (f"  ({answer.reason})" if answer.reason else ""), markup=False
    )
    lines = [_change_text(answer)]
    for item in answer.related:
        lines.append(f"{item.label}: {format_value(item.value, item.unit, answer.currency)}")
        lines += [
            f"  {_benchmark_text(check, item.unit, answer.currency)}" for check in item.benchmarks
        ]
    lines += [_benchmark_text(check, answer.unit, answer.currency) for check in answer.benchmarks]
    if answer.target is not None:
        lines.append(f"target: {'met' if answer.target.met else 'missed'}")
    lines += [f"warning: {warning}" for warning in answer.warnings]
    for line in lines:
        if line:
            out_console.print(f"  {line}", markup=False)
    if answer.breakdown:
        _print_breakdown(answer)


def _print_breakdown(answer: MetricAnswer) -> None:
    table = Table(show_edge=False, box=None, padding=(0, 2))
    table.add_column(next(iter(answer.breakdown[0].group)) if answer.breakdown else "")
    table.add_column("value", justify="right")
    for group in answer.breakdown or ():
        value = format_value(group.value, answer.unit, answer.currency)
        table.add_row(
            next(iter(group.group.values())),
            value if group.reason is None else f"{value} ({group.reason})",
        )
    out_console.print(table)
