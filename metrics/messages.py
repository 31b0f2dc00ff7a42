"""Every sentence the metrics engine says to people: reasons, warnings, leak verdicts."""

from __future__ import annotations

__all__ = [
    "flow_gap",
    "leak_below_range",
    "leak_lowest",
    "leak_none",
    "no_snapshots",
    "not_finite",
    "out_of_range",
    "stock_gap",
    "unanswerable_intent",
    "unknown_input",
    "unsupported_trend_grain",
    "zero_denominator",
]


def no_snapshots(where: str) -> str:
    return f"no snapshots {where}"


def unknown_input(name: str, where: str) -> str:
    return f"{name} unknown (no data) {where}"


def stock_gap(name: str, missing: int, groups: int, period_label: str) -> str:
    return (
        f"{name} unknown for {missing} of {groups} channel/segment groups in {period_label} "
        "(empty in the row that sets the stock)"
    )


def flow_gap(name: str, missing: int, rows: int, period_label: str) -> str:
    return (
        f"{name} is empty in {missing} of {rows} rows in {period_label}; "
        "the sum covers the other rows"
    )


def zero_denominator(when_zero: str, period_label: str) -> str:
    """`when_zero` ("no MQLs") with the period appended, or put in place of `{period}`."""
    if "{period}" in when_zero:
        return when_zero.format(period=period_label)
    return f"{when_zero} in {period_label}"


def not_finite(period_label: str) -> str:
    return f"the value is not a finite number in {period_label}"


def out_of_range(period_label: str) -> str:
    return f"the value is out of range in {period_label}"


def leak_below_range(label: str, value: float, shortfall: float, low: float, source: str) -> str:
    return (
        f"{label} is {value:.1%}, {shortfall:.0%} below the low end of its typical range "
        f"({low:.1%}, {source})"
    )


def leak_lowest(label: str, value: float) -> str:
    return f"no stage is below its typical range; {label} is the lowest conversion ({value:.1%})"


def leak_none(period_label: str) -> str:
    return f"no stage conversion can be computed for {period_label}"


def unanswerable_intent(intent: str) -> str:
    return f"the metrics engine does not answer {intent!r} questions"


def unsupported_trend_grain(grain: str) -> str:
    return f"a trend is shown per week or per month, not per {grain}"
