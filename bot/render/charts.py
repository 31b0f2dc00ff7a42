"""PNG charts of trends, breakdowns and the funnel (matplotlib's Agg backend).

Figures are built with the object API (no pyplot state), so charts can be drawn from
several threads at once. Digests reuse `funnel_chart`. Every chart is drawn in the
language of its reply: the title names the metric, the filters and the period as the
answer does, and numbers and dates are written as in the text answer.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import TYPE_CHECKING, Literal, assert_never

import matplotlib
from fontpkg_noto_sans_thai import FAMILY as THAI_FAMILY
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator

from bot.i18n import Language, keyed_text, use_language
from bot.i18n.formatting import (
    day_text,
    filter_parts,
    format_value,
    month_text,
    name_text,
    period_text,
    point_label,
)
from bot.i18n.messages import Understood, Wording
from metrics.answers import Coverage, ExplainAnswer, FunnelAnswer, MetricAnswer, TrendAnswer
from metrics.catalog import Unit
from metrics.periods import Grain, Period

if TYPE_CHECKING:
    from metrics.engine import Answer

__all__ = [
    "Chart",
    "breakdown_chart",
    "chart_for",
    "funnel_chart",
    "trend_chart",
    "trend_figure",
]

SIZE_INCHES = (8.0, 4.0)
DPI = 110
LINE_COLOUR = "#1264a3"
BAR_COLOUR = "#2eb67d"
LEAK_COLOUR = "#e01e5a"
THAI_FONT_FILE = "NotoSansThai[wdth,wght].ttf"
# Digits an axis label may get after the decimal mark to tell its ticks apart.
MAX_AXIS_DECIMALS = 6
ZERO = 1e-12


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


def _chart(figure: Figure, filename: str) -> Chart:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return Chart(buffer.getvalue(), figure.axes[0].get_title(), filename)


def _value_labels(values: Sequence[float], unit: Unit, currency: str) -> list[str]:
    """Axis labels for `values` in the active language, with the fewest decimals (from
    none) at which no two labels are the same: 0.10%, 0.15%, 0.20%, not 0.1%, 0.2%, 0.2%."""
    labels: list[str] = []
    for decimals in range(MAX_AXIS_DECIMALS + 1):
        labels = [format_value(value, unit, currency, decimals=decimals) for value in values]
        if len(set(labels)) == len(labels):
            break
    return labels


class _ValueTicks(Formatter):
    """Tick labels in a unit and a language, distinct at the precision they are shown."""

    def __init__(self, unit: Unit, currency: str, language: Language) -> None:
        self.unit, self.currency, self.language = unit, currency, language

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        # -0.0 and 1e-17 from the tick arithmetic are zero
        ticks = [0.0 if abs(value) < ZERO else float(value) for value in values]
        with use_language(self.language):
            return _value_labels(ticks, self.unit, self.currency)

    def __call__(self, x: float, pos: int | None = None) -> str:
        with use_language(self.language):
            return format_value(x, self.unit, self.currency)


def _value_axis(axis: Axis, unit: Unit, currency: str, language: Language) -> None:
    axis.set_major_locator(MaxNLocator(nbins="auto", integer=unit is Unit.COUNT))
    axis.set_major_formatter(_ValueTicks(unit, currency, language))


def _title(*parts: str) -> str:
    return Understood.SEPARATOR.join(part for part in parts if part)


def trend_chart(answer: TrendAnswer, currency: str, language: Language) -> Chart:
    """The series as a line with markers; missing points leave gaps, and a point that
    covers part of its week or month is hollow, reached by a dashed line."""
    figure = trend_figure(answer, currency, language)
    return _chart(figure, f"{answer.metric}-trend.png")


def trend_figure(answer: TrendAnswer, currency: str, language: Language) -> Figure:
    """The figure `trend_chart` draws."""
    with use_language(language):
        figure = _figure()
        axes = figure.add_subplot()
        positions = range(len(answer.points))
        values = [float("nan") if point.value is None else point.value for point in answer.points]
        whole = [
            value if point.coverage is Coverage.WHOLE else float("nan")
            for point, value in zip(answer.points, values, strict=True)
        ]
        partial = [
            index
            for index, point in enumerate(answer.points)
            if point.coverage is not Coverage.WHOLE and point.value is not None
        ]
        axes.plot(positions, values, linestyle="--", color=LINE_COLOUR)
        axes.plot(positions, whole, marker="o", color=LINE_COLOUR)
        if partial:
            axes.plot(
                partial,
                [values[index] for index in partial],
                linestyle="none",
                marker="o",
                markerfacecolor="white",
                color=LINE_COLOUR,
                label=Wording.CHART_INCOMPLETE,
            )
            axes.legend(loc="best", fontsize=8, frameon=False)
        labels = [_tick(point.period, answer.grain) for point in answer.points]
        axes.set_xticks(positions, labels, rotation=45, ha="right", fontsize=8)
        _value_axis(axes.yaxis, answer.unit, currency, language)
        title = _title(answer.label, *filter_parts(answer.filters), period_text(answer.period))
        _finish(axes, title, "both")
    return figure


def breakdown_chart(answer: MetricAnswer, language: Language) -> Chart:
    """One horizontal bar per group, in the engine's order (best first)."""
    groups = answer.breakdown or ()
    dimension = next(iter(groups[0].group)) if groups else ""
    with use_language(language):
        names = [name_text(next(iter(group.group.values()))) for group in groups]
        values = [group.value or 0.0 for group in groups]
        figure = _figure()
        axes = figure.add_subplot()
        positions = range(len(names))
        axes.barh(positions, values, color=BAR_COLOUR)
        axes.set_yticks(positions, names, fontsize=8)
        axes.invert_yaxis()
        _value_axis(axes.xaxis, answer.unit, answer.currency, language)
        by = Understood.BY.format(dimension=keyed_text("dimension", dimension, dimension))
        title = _title(answer.label, by, *filter_parts(answer.filters), period_text(answer.period))
        _finish(axes, title, "x")
    return _chart(figure, f"{answer.metric}-by-{dimension}.png")


def funnel_chart(answer: FunnelAnswer, language: Language) -> Chart:
    """Stage volumes as bars; the stage the biggest leak flows into is highlighted."""
    with use_language(language):
        labels = [stage.volume.label for stage in answer.stages]
        values = [stage.volume.value or 0.0 for stage in answer.stages]
        colours = [_stage_colour(answer, index) for index in range(len(answer.stages))]
        figure = _figure()
        axes = figure.add_subplot()
        bars = axes.bar(range(len(labels)), values, color=colours)
        axes.bar_label(bars, [format_value(value, Unit.COUNT, "") for value in values], fontsize=8)
        axes.set_xticks(range(len(labels)), labels, fontsize=8)
        if all(value > 0 for value in values):
            axes.set_yscale("log")  # visitors and deals won differ by orders of magnitude
            axes.set_ylim(bottom=1)
        axes.yaxis.set_visible(False)  # the bars are labelled
        title = _title(
            Wording.CHART_FUNNEL, *filter_parts(answer.filters), period_text(answer.period)
        )
        _finish(axes, title, "y")
    return _chart(figure, "funnel.png")


def _tick(period: Period, grain: Grain) -> str:
    """A short axis label: the first day of a week, the month of a month, the quarter."""
    if grain is Grain.WEEK:
        return day_text(period.start)
    return month_text(period.start) if grain is Grain.MONTH else point_label(period)


def _stage_colour(answer: FunnelAnswer, index: int) -> str:
    conversion = answer.stages[index].conversion
    leaking = conversion is not None and conversion.metric == answer.biggest_leak
    return LEAK_COLOUR if leaking else BAR_COLOUR


def _finish(axes: Axes, title: str, grid: Literal["both", "x", "y"]) -> None:
    axes.set_title(title)
    axes.grid(axis=grid, alpha=0.3)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def chart_for(answer: Answer, currency: str, language: Language) -> Chart | None:
    """The chart an answer deserves, in `language`: trends, breakdowns and the funnel;
    None otherwise."""
    match answer:
        case TrendAnswer():
            values = _has_values(point.value for point in answer.points)
            return trend_chart(answer, currency, language) if values else None
        case MetricAnswer():
            return breakdown_chart(answer, language) if answer.breakdown else None
        case FunnelAnswer():
            return funnel_chart(answer, language)
        case ExplainAnswer():
            return None
        case _:
            assert_never(answer)


def _has_values(values: Iterable[float | None]) -> bool:
    return any(value is not None for value in values)
