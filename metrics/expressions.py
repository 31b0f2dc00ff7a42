"""Metric formulas as data: small expression trees evaluated over aggregated inputs.

A formula never sees a row. The database aggregates the snapshot columns a formula
needs (`inputs_of`), and `evaluate` combines those aggregates in Python. Every failure
(an unknown input, a zero denominator) becomes a value of None with a human reason,
never an exception, `inf` or `NaN`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from metrics import messages
from metrics.periods import Period

__all__ = [
    "Add",
    "Const",
    "Div",
    "Expr",
    "GrossMargin",
    "Input",
    "Min",
    "Months",
    "Mul",
    "Outcome",
    "Pow",
    "Ref",
    "Scope",
    "Stock",
    "Sub",
    "Sum",
    "columns_of",
    "evaluate",
    "refs_of",
]


@dataclass(frozen=True, slots=True)
class Sum:
    """A flow column summed over the question's rows."""

    column: str


@dataclass(frozen=True, slots=True)
class Stock:
    """A stock column: `*_start` from each group's first row, `*_end` from its last row."""

    column: str


@dataclass(frozen=True, slots=True)
class Ref:
    """Another catalog metric, evaluated over the same rows."""

    metric: str


@dataclass(frozen=True, slots=True)
class Const:
    value: float


@dataclass(frozen=True, slots=True)
class Months:
    """months(P) of the question's period."""


@dataclass(frozen=True, slots=True)
class GrossMargin:
    """The configured gross margin (1.0 unless the team sets it)."""


@dataclass(frozen=True, slots=True)
class Add:
    terms: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Sub:
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Mul:
    factors: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Div:
    """`numerator / denominator`; `when_zero` says why a zero denominator has no value.

    The period's label is appended to `when_zero`, or put in place of `{period}`.
    """

    numerator: Expr
    denominator: Expr
    when_zero: str


@dataclass(frozen=True, slots=True)
class Pow:
    base: Expr
    exponent: Expr


@dataclass(frozen=True, slots=True)
class Min:
    left: Expr
    right: Expr


Expr = Sum | Stock | Ref | Const | Months | GrossMargin | Add | Sub | Mul | Div | Pow | Min


@dataclass(frozen=True, slots=True)
class Outcome:
    """A computed value, or None and the reason it cannot be computed."""

    value: float | None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Input:
    """An aggregated column: its value, or None and why it is unknown."""

    value: float | None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Scope:
    """What a formula is evaluated against: aggregated inputs and the period's facts."""

    inputs: Mapping[str, Input]
    months: float
    gross_margin: float
    period: Period
    formula_of: Callable[[str], Expr]


def columns_of(expr: Expr, formula_of: Callable[[str], Expr]) -> tuple[str, ...]:
    """Every snapshot column `expr` reads (through referenced metrics), in formula order."""
    match expr:
        case Sum(column) | Stock(column):
            return (column,)
        case Ref(metric):
            return columns_of(formula_of(metric), formula_of)
        case _:
            found = (name for child in _children(expr) for name in columns_of(child, formula_of))
            return tuple(dict.fromkeys(found))


def refs_of(expr: Expr) -> tuple[str, ...]:
    """The metrics `expr` refers to directly, in order of appearance."""
    if isinstance(expr, Ref):
        return (expr.metric,)
    return tuple(name for child in _children(expr) for name in refs_of(child))


def _children(expr: Expr) -> tuple[Expr, ...]:
    match expr:
        case Add(terms):
            return terms
        case Mul(factors):
            return factors
        case Sub(left, right) | Min(left, right):
            return (left, right)
        case Div(numerator, denominator, _):
            return (numerator, denominator)
        case Pow(base, exponent):
            return (base, exponent)
        case _:
            return ()


def evaluate(expr: Expr, scope: Scope) -> Outcome:
    """The value of `expr`; unknown inputs and zero denominators give None and a reason."""
    outcome = _evaluate(expr, scope)
    if outcome.value is not None and not math.isfinite(outcome.value):
        return Outcome(None, messages.not_finite(scope.period))
    return outcome


def _evaluate(expr: Expr, scope: Scope) -> Outcome:
    match expr:
        case Sum(column) | Stock(column):
            found = scope.inputs[column]
            return Outcome(found.value, found.reason)
        case Ref(metric):
            return _evaluate(scope.formula_of(metric), scope)
        case Const() | Months() | GrossMargin():
            return Outcome(_constant(expr, scope))
        case Div(numerator, denominator, when_zero):
            return _divide(numerator, denominator, when_zero, scope)
        case _:
            return _combine(expr, scope)


def _constant(expr: Const | Months | GrossMargin, scope: Scope) -> float:
    if isinstance(expr, Const):
        return expr.value
    return scope.months if isinstance(expr, Months) else scope.gross_margin


def _divide(numerator: Expr, denominator: Expr, when_zero: str, scope: Scope) -> Outcome:
    below = _evaluate(denominator, scope)
    if below.value is None:
        return below
    above = _evaluate(numerator, scope)
    if above.value is None:
        return above
    if below.value == 0:
        return Outcome(None, messages.zero_denominator(when_zero, scope.period))
    return Outcome(above.value / below.value)


_OPERATORS: dict[type, Callable[[list[float]], float]] = {
    Add: math.fsum,
    Sub: lambda values: values[0] - values[1],
    Mul: math.prod,
    Min: min,
    Pow: lambda values: float(values[0] ** values[1]),
}


def _combine(expr: Expr, scope: Scope) -> Outcome:
    values: list[float] = []
    for child in _children(expr):
        outcome = _evaluate(child, scope)
        if outcome.value is None:
            return outcome
        values.append(outcome.value)
    try:
        return Outcome(_OPERATORS[type(expr)](values))
    except (OverflowError, ZeroDivisionError, ValueError, TypeError):
        return Outcome(None, messages.out_of_range(scope.period))
