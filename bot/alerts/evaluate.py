"""One alert on one complete period: the figure, the rule's verdict, the transition from
the period before, and (when it is posted) what drove the move."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import Engine

from bot.alerts.plans import AlertPlan
from bot.alerts.state import Evaluations
from metrics.answers import MetricAnswer
from metrics.engine import MetricsContext, compute_many
from metrics.movement import Driver, drivers, history
from metrics.periods import Period
from metrics.query import Dimension
from metrics.rules import Verdict, judge
from metrics.variation import HISTORY

__all__ = ["Evaluation", "Transition", "evaluate_alert", "history_periods"]


class Transition(StrEnum):
    FIRED = "fired"  # broken now, not the period before: post
    RECOVERED = "recovered"  # fine now, broken the period before: post "back to normal"
    STILL_FIRING = "still firing"  # broken both times: stay quiet
    NORMAL = "normal"  # fine both times

    @property
    def posts(self) -> bool:
        return self in (Transition.FIRED, Transition.RECOVERED)


@dataclass(frozen=True, slots=True)
class Evaluation:
    plan: AlertPlan
    period: Period
    answer: MetricAnswer
    verdict: Verdict
    transition: Transition
    drivers: tuple[Driver, ...] = ()


def history_periods(period: Period, count: int | None = None) -> list[Period]:
    """The `count` periods of the same kind before `period` (as many as `unusual` reads by
    default), oldest first."""
    count = HISTORY[period.grain] if count is None else count
    periods = []
    current = period
    for _ in range(count):
        current = current.previous()
        periods.append(current)
    return periods[::-1]


def evaluate_alert(
    engine: Engine,
    plan: AlertPlan,
    today: date,
    context: MetricsContext,
    evaluations: Evaluations,
    *,
    record: bool = True,
) -> Evaluation:
    """Judge `plan` on the last complete period before `today`; with `record`, the verdict
    is written (or the one already written is used), so re-runs and racing processes agree."""
    period = plan.period(today)
    previous = period.previous()
    answer = compute_many(engine, [plan.metric], period, plan.filters, context, compare=previous)[
        plan.metric
    ]
    past: list[float | None] = []
    if plan.rule.needs_history:
        periods = history_periods(period)
        past = history(engine, plan.metric, periods, plan.filters, context.gross_margin)
    verdict = judge(plan.rule, answer, past, plan.every)
    firing = verdict.firing
    if record:
        firing = evaluations.record(plan.name, period, firing=firing, value=answer.value)
    if firing != verdict.firing:
        verdict = Verdict(firing, verdict.known, verdict.band)
    transition = _transition(firing, evaluations.was_firing(plan.name, period))
    found: tuple[Driver, ...] = ()
    if transition.posts:
        found = _drivers(engine, plan, period, previous, context)
    return Evaluation(plan, period, answer, verdict, transition, found)


def _transition(firing: bool, was_firing: bool) -> Transition:
    if firing:
        return Transition.STILL_FIRING if was_firing else Transition.FIRED
    return Transition.RECOVERED if was_firing else Transition.NORMAL


def _drivers(
    engine: Engine, plan: AlertPlan, period: Period, previous: Period, context: MetricsContext
) -> tuple[Driver, ...]:
    """The channels and segments that contributed most to the change, largest first."""
    found: list[Driver] = []
    for dimension in (Dimension.CHANNEL, Dimension.SEGMENT):
        if len(getattr(plan.filters, dimension.value)) == 1:
            continue  # pinned to one channel (segment): it is the whole change
        found += drivers(
            engine,
            plan.metric,
            (period, previous),
            plan.filters,
            by=dimension,
            gross_margin=context.gross_margin,
        )
    return tuple(sorted(found, key=lambda item: -abs(item.contribution)))
