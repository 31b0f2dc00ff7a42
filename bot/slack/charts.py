"""PNG charts of trends, breakdowns and the funnel (matplotlib's Agg backend).

Figures are built with the object API (no pyplot state), so charts can be drawn from
several threads at once. Digests reuse `trend_chart`.
"""

from __future__ import annotations

import calendar
import io
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from typing import Literal

import matplotlib
from fontpkg_noto_sans_thai import FAMILY as THAI_FAMILY
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from bot.formatting import format_value, name_text
from metrics.answers import FunnelAnswer, MetricAnswer, TrendAnswer
from metrics.periods import Grain, Period

__all__ = ["Chart", "breakdown_chart", "chart_for", "funnel_chart", "trend_chart"]

SIZE_INCHES = (8.0, 4.0)
DPI = 110
LINE_COLOUR = "#1264a3"
BAR_COLOUR = "#2eb67d"
LEAK_COLOUR = "#e01e5a"
THAI_FONT_FILE = "NotoSansThai[wdth,wght].ttf"


def _use_fonts() -> None:
    """DejaVu Sans (Latin, Vietnamese) falling back to Noto Sans Thai for Thai labels."""
    font_manager.fontManager.addfont(
        str(files("fontpkg_noto_sans_thai") / "files" / THAI_FONT_FILE)
    )
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", THAI_FAMILY]


_use_fonts()


@dataclass(frozen=True, slots=True)
class Chart:
    """A rendered chart and how to name it in Slack."""

    png: bytes
    title: str
    filename: str


def _figure() -> Figure:
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="tight")
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _value_axis(unit: str, currency: str) -> FuncFormatter:
    return FuncFormatter(lambda value, _position: format_value(value, unit, currency))


def trend_chart(answer: TrendAnswer, currency: str) -> Chart:
    """The series as a line with markers; missing points leave gaps."""
    figure = _figure()
    axes = figure.add_subplot()
    labels = [_tick(point.period, answer.grain) for point in answer.points]
    values = [float("nan") if point.value is None else point.value for point in answer.points]
    axes.plot(range(len(values)), values, marker="o", color=LINE_COLOUR)
    axes.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=8)
    axes.yaxis.set_major_formatter(_value_axis(answer.unit, currency))
    title = f"{answer.label} · {answer.period.label}"
    _finish(axes, title, "both")
    return Chart(_png(figure), title, f"{answer.metric}-trend.png")


def breakdown_chart(answer: MetricAnswer) -> Chart:
    """One horizontal bar per group, in the engine's order (best first)."""
    groups = answer.breakdown or ()
    names = [name_text(next(iter(group.group.values()))) for group in groups]
    values = [group.value or 0.0 for group in groups]
    figure = _figure()
    axes = figure.add_subplot()
    positions = range(len(names))
    axes.barh(positions, values, color=BAR_COLOUR)
    axes.set_yticks(positions, names, fontsize=8)
    axes.invert_yaxis()
    axes.xaxis.set_major_formatter(_value_axis(answer.unit, answer.currency))
    dimension = next(iter(groups[0].group)) if groups else ""
    title = f"{answer.label} by {dimension} · {answer.period.label}"
    _finish(axes, title, "x")
    return Chart(_png(figure), title, f"{answer.metric}-by-{dimension}.png")


def funnel_chart(answer: FunnelAnswer) -> Chart:
    """Stage volumes as bars; the stage the biggest leak flows into is highlighted."""
    labels = [stage.volume.label for stage in answer.stages]
    values = [stage.volume.value or 0.0 for stage in answer.stages]
    colours = [_stage_colour(answer, index) for index in range(len(answer.stages))]
    figure = _figure()
    axes = figure.add_subplot()
    bars = axes.bar(range(len(labels)), values, color=colours)
    axes.bar_label(bars, [format_value(value, "count", "") for value in values], fontsize=8)
    axes.set_xticks(range(len(labels)), labels, fontsize=8)
    if all(value > 0 for value in values):
        axes.set_yscale("log")  # visitors and deals won differ by orders of magnitude
        axes.set_ylim(bottom=1)
    axes.yaxis.set_visible(False)  # the bars are labelled
    title = f"Funnel · {answer.period.label}"
    _finish(axes, title, "y")
    return Chart(_png(figure), title, "funnel.png")


def _tick(period: Period, grain: Grain) -> str:
    """A short axis label: the first day of a week, the month of a month."""
    start = period.start
    if grain is Grain.WEEK:
        return f"{start.day} {calendar.month_abbr[start.month]}"
    return f"{calendar.month_abbr[start.month]} {start.year}"


def _stage_colour(answer: FunnelAnswer, index: int) -> str:
    conversion = answer.stages[index].conversion
    leaking = conversion is not None and conversion.metric == answer.biggest_leak
    return LEAK_COLOUR if leaking else BAR_COLOUR


def _finish(axes: Axes, title: str, grid: Literal["both", "x", "y"]) -> None:
    axes.set_title(title)
    axes.grid(axis=grid, alpha=0.3)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def chart_for(answer: object, currency: str) -> Chart | None:
    """The chart an answer deserves: trends, breakdowns and the funnel; None otherwise."""
    if isinstance(answer, TrendAnswer) and _has_values(point.value for point in answer.points):
        return trend_chart(answer, currency)
    if isinstance(answer, MetricAnswer) and answer.breakdown:
        return breakdown_chart(answer)
    if isinstance(answer, FunnelAnswer):
        return funnel_chart(answer)
    return None


def _has_values(values: Iterable[float | None]) -> bool:
    return any(value is not None for value in values)
