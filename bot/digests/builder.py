"""A typed Digest for one audience and week, from two grouped queries.

One `compute_many` gives every metric of the digest (and the funnel's) for the week with
the previous week as comparison; one `aggregate` over the two years of weeks ending with it
gives every sparkline (its last eight weeks) and the history that tells a move outside
normal variation from noise (metrics/variation.py, the rule of the `unusual` alerts). The
figures are the engine's own, so the digest always says what `funnelbot query` says for the
same week.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import Engine

from bot.alerts.state import Evaluations
from bot.digests.audiences import SHARED_METRICS, AudiencePlan
from bot.digests.texts import Labels
from bot.i18n import Language, use_language
from bot.i18n.formatting import is_negligible
from bot.i18n.localize import localize_metric
from metrics.aggregation import Aggregate, aggregate
from metrics.answers import BenchmarkStatus, FunnelAnswer, MetricAnswer
from metrics.catalog import inputs_of, metric
from metrics.engine import MetricsContext, compute_many, data_range
from metrics.evaluation import evaluate_metric
from metrics.funnel import FUNNEL_METRICS, build_funnel
from metrics.periods import Grain, Period, between, last_unit
from metrics.query import Filters
from metrics.variation import HISTORY, Band, band

__all__ = [
    "TREND_WEEKS",
    "Badge",
    "Digest",
    "DigestLine",
    "DigestSection",
    "badge_of",
    "build_digest",
    "digest_week",
]

TREND_WEEKS = 8
HISTORY_WEEKS = HISTORY[Grain.WEEK]
MAX_OFF_TARGET = 4
MAX_WRONG_WAY = 3
WHOLE_BUSINESS = Filters()


class Badge(StrEnum):
    OK = "ok"
    WARN = "warn"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class DigestLine:
    """One metric: the engine's answer (with last week), its badge, its 8-week trend and
    the band its history predicts for the week (None with fewer than 12 weeks of it)."""

    answer: MetricAnswer
    badge: Badge
    trend: tuple[float | None, ...]
    usual: Band | None = None

    @property
    def metric(self) -> str:
        return self.answer.metric

    @property
    def worse(self) -> bool:
        """Got visibly worse since last week (a change that rounds to zero is no change),
        and, once 12 weeks of history exist, to a value outside its normal variation."""
        comparison = self.answer.comparison
        if comparison is None or comparison.better is not False or comparison.change is None:
            return False
        if is_negligible(comparison.change, self.answer.unit):
            return False
        value = self.answer.value
        return self.usual is None or value is None or self.usual.is_unusual(value)


@dataclass(frozen=True, slots=True)
class DigestSection:
    title: str
    lines: tuple[DigestLine, ...]


@dataclass(frozen=True, slots=True)
class Digest:
    """Everything a renderer needs; no Slack or terminal concerns."""

    audience: str
    title: str
    week: Period
    zone: str
    currency: str
    has_data: bool
    sections: tuple[DigestSection, ...]
    off_target: tuple[DigestLine, ...]
    wrong_way: tuple[DigestLine, ...]
    funnel: FunnelAnswer
    language: Language = "en"
    # No snapshot rows at all: the digest says to load data rather than "no data this week".
    empty_store: bool = False
    # Alerts firing at the end of the week (they post only when they start: docs/alerts.md).
    still_firing: tuple[str, ...] = ()

    @property
    def iso_week(self) -> str:
        year, week, _ = self.week.start.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def lines(self) -> tuple[DigestLine, ...]:
        return tuple(line for section in self.sections for line in section.lines)

    @property
    def metric_ids(self) -> tuple[str, ...]:
        return tuple(line.metric for line in self.lines)


def digest_week(as_of: date) -> Period:
    """The last complete ISO week before `as_of` (a local date)."""
    return last_unit(Grain.WEEK, as_of)


def build_digest(
    engine: Engine,
    plan: AudiencePlan,
    as_of: date,
    context: MetricsContext,
    zone: str,
) -> Digest:
    """The digest in the audience's language: the engine's figures, labels translated."""
    week = digest_week(as_of)
    shown = (*plan.metrics, *SHARED_METRICS)
    found = compute_many(
        engine, (*shown, *FUNNEL_METRICS), week, WHOLE_BUSINESS, context, compare=week.previous()
    )
    weeks = between(week.start - timedelta(weeks=HISTORY_WEEKS), week.end).weeks()
    trends, rows_this_week = _trends(engine, shown, weeks, context)
    with use_language(plan.language):
        answers = found if plan.language == "en" else _localized(found)
        sections = tuple(
            DigestSection(title, tuple(_line(answers[item], trends[item]) for item in metric_ids))
            for title, metric_ids in (
                (plan.title, plan.metrics),
                (Labels.SHARED_SECTION, SHARED_METRICS),
            )
        )
    lines = [line for part in sections for line in part.lines]
    return Digest(
        audience=plan.name,
        title=plan.title,
        week=week,
        zone=zone,
        currency=context.currency,
        has_data=rows_this_week > 0,
        empty_store=rows_this_week == 0 and data_range(engine) is None,
        sections=tuple(part for part in sections if part.lines),
        off_target=tuple(line for line in lines if line.badge is Badge.WARN)[:MAX_OFF_TARGET],
        wrong_way=_most_worsened(lines),
        funnel=build_funnel(week, WHOLE_BUSINESS, answers),
        language=plan.language,
        still_firing=tuple(Evaluations(engine).firing_during(week)),
    )


def _localized(answers: Mapping[str, MetricAnswer]) -> dict[str, MetricAnswer]:
    return {metric_id: localize_metric(answer) for metric_id, answer in answers.items()}


def _trends(
    engine: Engine, metric_ids: Sequence[str], weeks: Sequence[Period], context: MetricsContext
) -> tuple[dict[str, tuple[float | None, ...]], int]:
    """Every metric's value per week from one statement, and the rows of the last week."""
    columns = tuple(dict.fromkeys(name for item in metric_ids for name in inputs_of(item)))
    found = aggregate(engine, columns, weeks, WHOLE_BUSINESS)
    per_week = [_bucket(found, index, columns) for index in range(len(weeks))]
    trends = {
        item: tuple(
            evaluate_metric(
                metric(item), per_week[index], weeks[index], WHOLE_BUSINESS, context.gross_margin
            ).value
            for index in range(len(weeks))
        )
        for item in metric_ids
    }
    return trends, per_week[-1].rows


def _bucket(
    found: Mapping[tuple[int, str | None], Aggregate], index: int, columns: tuple[str, ...]
) -> Aggregate:
    return found.get((index, None)) or Aggregate.empty(columns)


def _line(answer: MetricAnswer, history: tuple[float | None, ...]) -> DigestLine:
    """`history` ends with the digest's week; the weeks before it give the band."""
    usual = band(history[:-1], Grain.WEEK)
    return DigestLine(answer, badge_of(answer), history[-TREND_WEEKS:], usual)


def badge_of(answer: MetricAnswer) -> Badge:
    if answer.value is None:
        return Badge.NONE
    if answer.target is not None:
        return Badge.OK if answer.target.met else Badge.WARN
    if not answer.benchmarks:
        return Badge.NONE
    # Beyond the range on the good side (a win rate above 30%) is no cause for concern.
    wrong_side = (
        BenchmarkStatus.ABOVE if metric(answer.metric).lower_is_better else (BenchmarkStatus.BELOW)
    )
    worrying = any(check.status is wrong_side for check in answer.benchmarks)
    return Badge.WARN if worrying else Badge.OK


def _most_worsened(lines: Sequence[DigestLine]) -> tuple[DigestLine, ...]:
    """The metrics that got worse, the largest relative change first."""
    worse = [line for line in lines if line.worse]

    def size(line: DigestLine) -> float:
        comparison = line.answer.comparison
        change_pct = None if comparison is None else comparison.change_pct
        return abs(change_pct) if change_pct is not None else 0.0

    return tuple(sorted(worse, key=size, reverse=True)[:MAX_WRONG_WAY])
