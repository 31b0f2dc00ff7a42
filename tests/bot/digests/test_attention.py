"""'Needs attention' lists only moves outside normal variation once 12 weeks of history
exist: the rule of the `unusual` alerts (metrics/variation.py, docs/digests.md)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from bot.answers.context import metrics_context
from bot.digests.builder import build_digest
from tests.bot.digests.conftest import digest_settings, plan_of
from tests.conftest import Store
from tests.metrics.rows import put, row

AS_OF = date(2026, 11, 23)  # the digest covers W47, 16-22 Nov 2026
DIGEST_WEEK = date(2026, 11, 16)


def seed_spend(store: Store, last_week: float, weeks: int = 20) -> None:
    """Marketing spend near 7,000 a week (±5%) for `weeks` weeks, the last of them 7,100,
    then `last_week`."""
    generator = random.Random(5)
    rows = []
    for index in range(weeks, -1, -1):
        start = DIGEST_WEEK - timedelta(weeks=index)
        weekly = generator.gauss(7000, 350)
        weekly = {0: last_week, 1: 7100.0}.get(index, weekly)
        rows += [
            row((start + timedelta(days=day)).isoformat(), marketing_spend=weekly / 7, leads=50)
            for day in range(7)
        ]
    put(store.engine, rows)


def wrong_way(store: Store) -> list[str]:
    """The metrics listed as having moved the wrong way; marketing spend must have got
    visibly worse, so that only the variation rule decides."""
    settings = digest_settings(store, digests={"marketing": {"channels": ["#m"]}})
    digest = build_digest(
        store.engine, plan_of(settings), AS_OF, metrics_context(settings), settings.timezone
    )
    [spend] = [line for line in digest.lines if line.metric == "marketing_spend"]
    assert spend.answer.comparison is not None and spend.answer.comparison.better is False
    return [line.metric for line in digest.wrong_way]


def test_a_rise_inside_normal_variation_needs_no_attention(store: Store) -> None:
    seed_spend(store, last_week=7450.0)  # about +5%: weeks swing that much
    assert "marketing_spend" not in wrong_way(store)


def test_a_rise_outside_normal_variation_needs_attention(store: Store) -> None:
    seed_spend(store, last_week=11000.0)  # +57%: far outside
    assert "marketing_spend" in wrong_way(store)


def test_without_twelve_weeks_of_history_any_visible_worsening_is_listed(store: Store) -> None:
    seed_spend(store, last_week=7450.0, weeks=6)
    assert "marketing_spend" in wrong_way(store)
