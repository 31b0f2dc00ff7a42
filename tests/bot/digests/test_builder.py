"""The digest's content: the engine's own figures, two queries, honest empty weeks,
Slack's limits, restricted metrics."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, event

from bot.answers.context import metrics_context
from bot.core.access import AccessPolicy
from bot.core.config import TargetRule
from bot.digests.builder import Badge, Digest, badge_of, build_digest
from bot.digests.delivery import hidden_in
from bot.digests.render import digest_chart, digest_message, digest_text
from bot.i18n import Language, gettext
from bot.i18n.messages import Wording
from bot.render.blocks import MAX_BLOCKS, validate_blocks
from metrics.answers import BenchmarkCheck, BenchmarkStatus, MetricAnswer
from metrics.articles import ROI_OF_A_SAAS_FUNNEL
from metrics.catalog import CATALOG, Unit
from metrics.engine import compute
from metrics.periods import iso_week
from metrics.query import Filters
from tests.bot.digests.conftest import AS_OF, digest_settings, plan_of, seed_weeks
from tests.conftest import Store
from tests.metrics.rows import put, row

W47 = iso_week(2026, 47)
W46 = iso_week(2026, 46)


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def build(store: Store, as_of: date = AS_OF, **overrides: object) -> Digest:
    settings = digest_settings(store, **overrides)  # type: ignore[arg-type]
    return build_digest(
        store.engine, plan_of(settings), as_of, metrics_context(settings), settings.timezone
    )


def plain(digest: Digest, hidden: frozenset[str] = frozenset()) -> str:
    from rich.console import Console

    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(digest_text(digest, hidden))
    return console.export_text()


def test_figures_are_the_engines_for_the_week_and_the_week_before(store: Store) -> None:
    seed_weeks(store)
    digest = build(store)
    context = metrics_context(digest_settings(store))
    assert digest.week == W47 and digest.has_data
    assert digest.lines
    for line in digest.lines:
        now = compute(store.engine, line.metric, W47, context=context)
        before = compute(store.engine, line.metric, W46, context=context)
        # Equal up to float summation order (PostgreSQL sums doubles in any order).
        assert line.answer.value == pytest.approx(now.value, rel=1e-12), line.metric
        assert line.answer.comparison is not None
        assert line.answer.comparison.value == pytest.approx(before.value, rel=1e-12)
        assert len(line.trend) == 8
        assert line.trend[-1] == pytest.approx(now.value), line.metric
        assert line.trend[-2] == pytest.approx(before.value), line.metric


def test_a_digest_costs_two_queries(store: Store) -> None:
    """Two for the figures, plus two small reads (docs/alerts.md): the targets set from
    Slack, which any process may have changed, and the alerts still firing."""
    seed_weeks(store)
    with counted(store.engine) as statements:
        build(store)
    queries = [text for text in statements if not text.startswith("SET ")]  # PG settings
    reads = [text for text in queries if "team_targets" in text or "alert_evaluations" in text]
    assert len(reads) == 2
    assert len(queries) - len(reads) == 2


def test_week_is_the_last_complete_iso_week_before_as_of(store: Store) -> None:
    assert build(store, as_of=date(2026, 11, 22)).week == W46  # Sunday: W47 not over yet
    assert build(store, as_of=date(2026, 11, 29)).week == W47


def test_empty_week_is_stated_not_hidden(store: Store) -> None:
    put(store.engine, [row("2026-07-03", leads=10)])
    digest = build(store)
    assert not digest.has_data and not digest.empty_store
    text = plain(digest)
    assert "No data for this week yet: no snapshots between 2026-11-16 and 2026-11-22" in text
    assert "funnelbot demo" not in text
    assert text.count("no data for this week yet") == len(digest.lines)
    assert validate_blocks(digest_message(digest).blocks) == []
    assert digest_chart(digest) is None


@pytest.mark.parametrize("language", ["en", "th", "vi"])
def test_an_empty_store_says_to_load_data(store: Store, language: Language) -> None:
    digest = build(store, digests={"marketing": {"channels": ["#m"], "language": language}})
    assert digest.empty_store
    hint = gettext(Wording.EMPTY_STORE, language)
    assert "funnelbot import FILE" in hint
    assert hint in plain(digest)
    assert f"_{hint}_" in json.dumps(digest_message(digest).blocks, ensure_ascii=False)
    if language != "en":
        assert hint != gettext(Wording.EMPTY_STORE, "en")


def test_off_target_and_worse_metrics_need_attention(store: Store) -> None:
    seed_weeks(store)
    digest = build(store, targets={"cac": TargetRule(max=1.0)})
    cac = next(line for line in digest.lines if line.metric == "cac")
    assert cac.badge is Badge.WARN
    assert cac in digest.off_target
    assert all(line.worse for line in digest.wrong_way)
    text = plain(digest)
    attention = text.split("Needs attention")[1]
    assert "Customer acquisition cost is off target" in attention
    assert "Funnel: " in attention


def test_block_kit_within_slack_limits_even_with_the_whole_catalog(store: Store) -> None:
    seed_weeks(store)
    everything = {"board": {"channels": ["#b"], "metrics": sorted(CATALOG)}}
    settings = digest_settings(store, digests=everything)
    digest = build_digest(
        store.engine, plan_of(settings, "board"), AS_OF, metrics_context(settings), "UTC"
    )
    message = digest_message(digest)
    assert validate_blocks(message.blocks) == []
    assert len(message.blocks) <= MAX_BLOCKS
    kinds = [block["type"] for block in message.blocks]
    assert kinds[0] == "header" and kinds[-1] == "actions"
    labels = [element["text"]["text"] for element in message.blocks[-1]["elements"]]
    assert labels == ["Ask about this", "Break down by channel"]


def test_buttons_ask_about_the_digests_week(store: Store) -> None:
    seed_weeks(store)
    message = digest_message(build(store))
    values = [element["value"] for element in message.blocks[-1]["elements"]]
    assert all('"d": "2026-11-23"' in value for value in values)  # "last week" is W47
    assert '"q": "funnel last week"' in values[0]
    assert re.search(r'"q": "\w+ last week by channel"', values[1])


def test_restricted_metrics_only_in_restricted_channels(store: Store) -> None:
    seed_weeks(store)
    digest = build(store)
    policy = AccessPolicy(digest_settings(store).access)
    outside = hidden_in(policy, digest, "#marketing")
    assert outside == {"mrr"}
    assert hidden_in(policy, digest, "CREV0001") == frozenset()
    mrr = next(line for line in digest.lines if line.metric == "mrr")
    shown_mrr = f"*MRR*: USD {mrr.answer.value:,.0f}"
    public = str(digest_message(digest, outside).blocks)
    revenue = str(digest_message(digest, frozenset()).blocks)
    assert shown_mrr not in public and "restricted" in public
    assert shown_mrr in revenue


def test_chart_is_the_funnel_of_the_week(store: Store) -> None:
    seed_weeks(store)
    chart = digest_chart(build(store))
    assert chart is not None
    assert chart.png.startswith(b"\x89PNG") and chart.filename == "funnel.png"
    assert "W47 2026" in chart.title


def test_trend_has_gaps_for_weeks_without_data(store: Store) -> None:
    seed_weeks(store, end=W47.end, weeks=3)
    digest = build(store)
    visitors = next(line for line in digest.lines if line.metric == "visitors")
    assert visitors.trend[:4] == (None, None, None, None)
    assert all(value is not None for value in visitors.trend[-3:])
    assert W47.end - timedelta(weeks=3) < W47.start


def _answer_with(metric_id: str, status: BenchmarkStatus) -> MetricAnswer:
    week = iso_week(2026, 47)
    check = BenchmarkCheck(low=0.2, high=0.3, status=status, sources=(ROI_OF_A_SAAS_FUNNEL,))
    return MetricAnswer(
        metric=metric_id,
        label=metric_id,
        unit=Unit.RATIO,
        period=week,
        filters=Filters(),
        value=0.5,
        reason=None,
        inputs={},
        benchmarks=(check,),
    )


@pytest.mark.parametrize(
    ("metric_id", "status", "badge"),
    [
        ("win_rate", BenchmarkStatus.ABOVE, Badge.OK),  # higher is better: above is fine
        ("win_rate", BenchmarkStatus.BELOW, Badge.WARN),
        ("cac", BenchmarkStatus.ABOVE, Badge.WARN),  # lower is better: above is a concern
        ("cac", BenchmarkStatus.BELOW, Badge.OK),
        ("cac", BenchmarkStatus.WITHIN, Badge.OK),
    ],
)
def test_only_the_wrong_side_of_a_benchmark_needs_attention(
    metric_id: str, status: BenchmarkStatus, badge: Badge
) -> None:
    assert badge_of(_answer_with(metric_id, status)) is badge
