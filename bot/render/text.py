"""Replies for the terminal: rich renderables (and plain text for pipes and tests)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import TYPE_CHECKING, assert_never

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from bot.answers.replies import Answered, CatalogReply, HelpReply, Refusal, Reply
from bot.i18n import gettext, keyed_text, use_language
from bot.i18n.formatting import (
    arrow,
    coverage_text,
    format_change,
    format_range,
    format_value,
    input_text,
    is_negligible,
    leader_text,
    name_text,
    period_text,
    point_label,
    reference_text,
    sparkline,
)
from bot.i18n.messages import EXAMPLES_HEADING, Chat, Wording
from metrics.answers import (
    BenchmarkCheck,
    BenchmarkRange,
    ChangeResult,
    ExplainAnswer,
    FunnelAnswer,
    MetricAnswer,
    TargetCheck,
    TrendAnswer,
)
from metrics.catalog import Unit
from metrics.messages import cite

if TYPE_CHECKING:
    from metrics.engine import Answer

__all__ = ["render", "render_plain"]

_GOOD, _BAD, _DIM = "green", "red", "dim"


def render(reply: Reply) -> RenderableType:
    """The reply as rich renderables, in the reply's language."""
    with use_language(reply.language):
        return _render(reply)


def render_plain(reply: Reply, width: int = 100) -> str:
    """The reply as plain text, without colours."""
    console = Console(width=width, color_system=None, file=io.StringIO())
    with console.capture() as captured:
        console.print(render(reply))
    return captured.get()


def _render(reply: Reply) -> RenderableType:
    match reply:
        case Answered():
            return _answered(reply)
        case Refusal():
            return _refusal(reply)
        case HelpReply():
            return _help(reply)
        case CatalogReply():
            return _catalog(reply)
        case _:
            assert_never(reply)


def _refusal(reply: Refusal) -> RenderableType:
    if reply.choices:
        numbered = enumerate(reply.choices, start=1)
        choices = [Text(f"  {number}. {choice.label}") for number, choice in numbered]
        return Group(Text(reply.text, style="bold"), *choices, Text(gettext(Chat.CHOOSE)))
    lines = [Text(reply.text, style="bold"), Text(gettext(EXAMPLES_HEADING))]
    lines += [Text(f"  • {example}") for example in reply.examples]
    return Group(*lines)


def _help(reply: HelpReply) -> RenderableType:
    lines = [Text(reply.title, style="bold"), Text(reply.intro), Text(gettext(EXAMPLES_HEADING))]
    lines += [Text(f"  • {example}") for example in reply.examples]
    return Group(*lines)


def _catalog(reply: CatalogReply) -> RenderableType:
    table = Table(title=reply.title, title_justify="left", show_lines=False)
    for heading in Wording.CATALOG_COLUMNS:
        table.add_column(heading)
    category = ""
    for entry in reply.entries:
        if entry.category != category:
            category = entry.category
            table.add_row(Text(category, style="bold"), "", "", "")
        table.add_row(entry.id, entry.label, entry.unit, ", ".join(entry.aliases))
    return table


def _answered(reply: Answered) -> RenderableType:
    heading = [Text(f"{Wording.UNDERSTOOD} {reply.understood}", style=_DIM)]
    heading += [Text(f"({note})", style=_DIM) for note in reply.notes]
    empty = [Text(Wording.EMPTY_STORE, style="yellow")] if reply.empty_store else []
    return Group(*heading, _answer(reply.answer, reply.currency), *empty)


def _answer(found: Answer, currency: str) -> RenderableType:
    match found:
        case MetricAnswer():
            return _metric(found, currency)
        case FunnelAnswer():
            return _funnel(found, currency)
        case TrendAnswer():
            return _trend(found, currency)
        case ExplainAnswer():
            return _explain(found, currency)
        case _:
            assert_never(found)


def _metric(found: MetricAnswer, currency: str) -> RenderableType:
    parts: list[RenderableType] = [_headline(found, currency)]
    if found.leader is not None and found.rank is not None:
        parts.insert(0, Text(leader_text(found, currency), style="bold"))
    if found.value is None and found.reason:
        parts.append(Text(Wording.NO_VALUE.format(reason=found.reason), style="yellow"))
    if found.comparison is not None:
        parts.append(_change(found, found.comparison, currency))
    parts += [_benchmark(check, found.unit, currency) for check in found.benchmarks]
    if found.target is not None:
        parts.append(_target(found.target, found.unit, currency))
    if found.related:
        related = " · ".join(
            f"{item.label}: {format_value(item.value, item.unit, currency)}"
            for item in found.related
        )
        parts.append(Text(related))
    parts += [Text(f"⚠ {warning}", style="yellow") for warning in found.warnings]
    if found.inputs:
        parts.append(Text(_inputs_text(found.inputs, currency), style=_DIM))
    if found.breakdown is not None:
        parts.append(_breakdown(found, currency))
    return Group(*parts)


def _headline(found: MetricAnswer, currency: str) -> Text:
    text = Text()
    text.append(f"{found.label}: ", style="bold")
    text.append(format_value(found.value, found.unit, currency), style="bold cyan")
    text.append(f"  {period_text(found.period)}", style=_DIM)
    return text


def _change(found: MetricAnswer, change: ChangeResult, currency: str) -> Text:
    quiet = change.better is None or is_negligible(change.change or 0.0, found.unit)
    style = "" if quiet else (_GOOD if change.better else _BAD)
    previous = format_value(change.value, found.unit, currency)
    if change.change is None:
        reason = change.reason or Wording.NO_CHANGE
        return Text(
            Wording.VERSUS_NONE.format(period=change.period.label, value=previous, reason=reason),
            style=_DIM,
        )
    delta = format_change(change.change, change.change_pct, found.unit, currency)
    line = Wording.VERSUS.format(
        arrow=arrow(change.change, found.unit),
        change=delta,
        period=change.period.label,
        value=previous,
    )
    return Text(line, style=style)


def _benchmark(check: BenchmarkCheck, unit: Unit, currency: str) -> Text:
    scope = f" ({gettext(check.scope)})" if check.scope else ""
    status = Wording.BENCHMARK_STATUS[check.status.value]
    return Text(
        Wording.BENCHMARK.format(
            status=status,
            range=format_range(check.low, check.high, unit, currency),
            scope=scope,
            source=cite(check.sources),
        )
    )


def _target(target: TargetCheck, unit: Unit, currency: str) -> Text:
    wanted = format_range(target.min, target.max, unit, currency)
    status = Wording.TARGET_MET if target.met else Wording.TARGET_MISSED
    return Text(
        Wording.TARGET.format(status=status, range=wanted), style=_GOOD if target.met else _BAD
    )


def _inputs_text(inputs: Mapping[str, float | None], currency: str) -> str:
    shown = ", ".join(
        f"{name} {input_text(name, value, currency)}" for name, value in inputs.items()
    )
    return f"{Wording.INPUTS} {shown}"


def _breakdown(found: MetricAnswer, currency: str) -> Table:
    table = Table(show_header=True, box=None, padding=(0, 2))
    dimension = next(iter(found.breakdown[0].group), "group") if found.breakdown else "group"
    table.add_column(keyed_text("dimension", dimension, dimension))
    table.add_column(found.label, justify="right")
    table.add_column("", style=_DIM)
    for group in found.breakdown or ():
        name = ", ".join(name_text(value) for value in group.group.values())
        table.add_row(name, format_value(group.value, found.unit, currency), group.reason or "")
    return table


def _funnel(found: FunnelAnswer, currency: str) -> RenderableType:
    table = Table(
        title=Wording.FUNNEL_TITLE.format(period=period_text(found.period)),
        title_justify="left",
        box=None,
        padding=(0, 2),
    )
    for heading, justify in Wording.FUNNEL_COLUMNS:
        table.add_column(heading, justify=justify)  # type: ignore[arg-type]
    for stage in found.stages:
        volume = stage.volume
        conversion = stage.conversion
        leak = conversion is not None and conversion.metric == found.biggest_leak
        table.add_row(
            volume.label,
            format_value(volume.value, volume.unit, currency),
            "" if conversion is None else format_value(conversion.value, conversion.unit, currency),
            Wording.LEAK_MARK if leak else "",
            style=_BAD if leak else "",
        )
    return Group(table, Text(f"{Wording.LEAK} {found.leak_reason}", style="bold"))


def _trend(found: TrendAnswer, currency: str) -> RenderableType:
    values = [point.value for point in found.points]
    title = Text()
    title.append(f"{found.label}  ", style="bold")
    title.append(sparkline(values), style="cyan")
    table = Table(box=None, padding=(0, 2))
    table.add_column(Wording.TREND_PERIOD)
    table.add_column(found.label, justify="right")
    table.add_column("", style=_DIM)
    for point in found.points:
        table.add_row(
            point_label(point.period),
            format_value(point.value, found.unit, currency),
            point.reason or "" if point.value is None else coverage_text(point, found.grain),
        )
    return Group(title, table)


def _explain(found: ExplainAnswer, currency: str) -> RenderableType:
    parts: list[RenderableType] = [
        Text(found.label, style="bold"),
        Text(found.description),
        Text(f"{Wording.FORMULA} {found.formula_text}"),
        Text(Wording.DIRECTION_LOWER if found.lower_is_better else Wording.DIRECTION_HIGHER),
    ]
    value = format_value(found.value, found.unit, currency)
    period = period_text(found.period)
    parts.append(Text(Wording.EXPLAIN_VALUE.format(period=period, value=value), style="cyan"))
    if found.value is None and found.reason:
        parts.append(Text(Wording.NO_VALUE.format(reason=found.reason), style="yellow"))
    if found.inputs:
        parts.append(Text(_inputs_text(found.inputs, currency), style=_DIM))
    parts += [
        Text(f"{item.label}: {format_value(item.value, item.unit, currency)}", style=_DIM)
        for item in found.components
    ]
    parts += [_typical_range(item, found.unit, currency) for item in found.benchmarks]
    if found.target is not None:
        parts.append(_target(found.target, found.unit, currency))
    sources = dict.fromkeys(source for item in found.benchmarks for source in item.sources)
    if sources:
        parts.append(Text(Wording.SOURCES, style=_DIM))
        parts += [Text(f"  {reference_text(source)}", style=_DIM) for source in sources]
    return Group(*parts)


def _typical_range(item: BenchmarkRange, unit: Unit, currency: str) -> Text:
    scope = f" ({gettext(item.scope)})" if item.scope else ""
    note = f"; {gettext(item.note)}" if item.note else ""
    text = Wording.TYPICAL.format(
        range=format_range(item.low, item.high, unit, currency),
        scope=scope,
        source=cite(item.sources),
        note=note,
    )
    return Text(text)
