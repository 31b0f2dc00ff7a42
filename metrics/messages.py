"""Every sentence the metrics engine says to people: reasons, warnings, leak verdicts.

The sentences are English templates. A caller that answers in another language installs a
`Translator` (`worded`) that translates the templates and labels periods and metrics; the
engine itself stays free of any translation machinery.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from metrics.articles import Article
from metrics.periods import Period

__all__ = [
    "ENGLISH",
    "Translator",
    "cite",
    "flow_gap",
    "leak_below_range",
    "leak_lowest",
    "leak_none",
    "no_snapshots",
    "not_finite",
    "out_of_range",
    "period_text",
    "quoted_title",
    "source_title",
    "stock_gap",
    "unanswerable_intent",
    "unknown_input",
    "unsupported_trend_grain",
    "where",
    "worded",
    "zero_denominator",
]


def _same(template: str) -> str:
    return template


def _english_period(period: Period) -> str:
    return period.label


def _english_name(_context: str, _key: str, english: str) -> str:
    return english


@dataclass(frozen=True, slots=True)
class Translator:
    """How sentences are worded: template translation, period labels, and names kept
    under a context and key (a metric's "label", a "dimension")."""

    translate: Callable[[str], str] = _same
    period: Callable[[Period], str] = _english_period
    keyed: Callable[[str, str, str], str] = _english_name


ENGLISH = Translator()
_wording: ContextVar[Translator | None] = ContextVar("metrics_wording", default=None)


@contextmanager
def worded(wording: Translator) -> Iterator[None]:
    """Word the engine's sentences with `wording` within the block."""
    token = _wording.set(wording)
    try:
        yield
    finally:
        _wording.reset(token)


def _current() -> Translator:
    return _wording.get() or ENGLISH


def _(template: str) -> str:
    return _current().translate(template)


def period_text(period: Period) -> str:
    return _current().period(period)


def metric_text(metric_id: str, english: str) -> str:
    return _current().keyed("label", metric_id, english)


def where(period: Period, filters: dict[str, list[str]]) -> str:
    """ "in Q3 2026" or "for channel organic or webinar in Q3 2026"."""
    scoped = _(" and ").join(
        f"{_current().keyed('dimension', dimension, dimension)} {_(' or ').join(names)}"
        for dimension, names in filters.items()
    )
    if scoped:
        return _("for {scoped} in {period}").format(scoped=scoped, period=period_text(period))
    return _("in {period}").format(period=period_text(period))


def no_snapshots(place: str) -> str:
    return _("no snapshots {where}").format(where=place)


def unknown_input(name: str, place: str) -> str:
    return _("{name} unknown (no data) {where}").format(name=name, where=place)


def stock_gap(name: str, missing: int, groups: int, period: Period) -> str:
    return _(
        "{name} unknown for {missing} of {groups} channel/segment groups in {period} "
        "(empty in the row that sets the stock)"
    ).format(name=name, missing=missing, groups=groups, period=period_text(period))


def flow_gap(name: str, missing: int, rows: int, period: Period) -> str:
    return _(
        "{name} is empty in {missing} of {rows} rows in {period}; the sum covers the other rows"
    ).format(name=name, missing=missing, rows=rows, period=period_text(period))


def zero_denominator(when_zero: str, period: Period) -> str:
    """`when_zero` ("no MQLs") with the period appended, or put in place of `{period}`."""
    phrase = _(when_zero)
    if "{period}" in phrase:
        return phrase.format(period=period_text(period))
    return _("{phrase} in {period}").format(phrase=phrase, period=period_text(period))


def not_finite(period: Period) -> str:
    return _("the value is not a finite number in {period}").format(period=period_text(period))


def out_of_range(period: Period) -> str:
    return _("the value is out of range in {period}").format(period=period_text(period))


def source_title(source: Article) -> str:
    """The article's title for the reader: its own in its language, else translated."""
    return _(source.title_en)


def quoted_title(source: Article) -> str:
    return _("“{title}”").format(title=source_title(source))


def cite(sources: Iterable[Article]) -> str:
    """ "“How to measure ROI from your SaaS sales funnel”, side-business.com"; several
    articles are joined with "and"."""
    return _(" and ").join(_cited(source) for source in sources)


def _cited(source: Article) -> str:
    if not source.publisher:
        return quoted_title(source)
    return _("{title}, {publisher}").format(title=quoted_title(source), publisher=source.publisher)


def leak_below_range(
    metric_id: str,
    label: str,
    *,
    value: float,
    shortfall: float,
    low: float,
    sources: tuple[Article, ...],
) -> str:
    return _(
        "{label} is {value:.1%}, {shortfall:.0%} below the low end of its typical range "
        "({low:.1%}, {source})"
    ).format(
        label=metric_text(metric_id, label),
        value=value,
        shortfall=shortfall,
        low=low,
        source=cite(sources),
    )


def leak_lowest(metric_id: str, label: str, value: float) -> str:
    return _(
        "no stage is below its typical range; {label} is the lowest conversion ({value:.1%})"
    ).format(label=metric_text(metric_id, label), value=value)


def leak_none(period: Period) -> str:
    return _("no stage conversion can be computed for {period}").format(period=period_text(period))


def unanswerable_intent(intent: str) -> str:
    return f"the metrics engine does not answer {intent!r} questions"


def unsupported_trend_grain(grain: str) -> str:
    return f"a trend is shown per week or per month, not per {grain}"
