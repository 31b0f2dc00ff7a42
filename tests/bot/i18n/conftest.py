"""A store with weekly activity from 2025 to today (2026-11-25), four channel/segment groups."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from metrics.engine import MetricsContext
from tests.bot.i18n.corpus import TODAY
from tests.metrics.rows import put

ASKED_ON = date.fromisoformat(TODAY)
CONTEXT = MetricsContext(currency="THB")
GROUPS = [
    (channel, segment)
    for channel in ("paid_search", "webinar")
    for segment in ("smb", "enterprise")
]


def _week(start: date, index: int, channel: str, segment: str) -> dict[str, Any]:
    """A week of activity; volumes vary by week and group so every figure differs."""
    scale = 1 + (index % 7) / 10 + (0.5 if channel == "webinar" else 0) + (segment == "smb")
    customers = 100 + index
    return {
        "period_start": start,
        "period_end": start + timedelta(days=6),
        "channel": channel,
        "segment": segment,
        **{name: round(value * scale) for name, value in _VOLUMES.items()},
        "marketing_spend": 4000.0 * scale,
        "sales_spend": 2500.0 * scale,
        "won_deal_value": 9000.0 * scale,
        "customers_start": customers,
        "customers_end": customers + 2,
        "mrr_start": 50_000.0 + 400 * index,
        "mrr_end": 50_400.0 + 400 * index,
        "mrr_new": 900.0 * scale,
        "mrr_expansion": 200.0,
        "mrr_contraction": 80.0,
        "mrr_churned": 300.0,
        "mrr_reactivation": 20.0,
    }


_VOLUMES = {
    "visitors": 4000, "leads": 120, "mqls": 50, "sqls": 20, "opportunities": 10,
    "deals_won": 3, "deals_lost": 7, "sales_cycle_days": 120, "demo_requests": 15,
    "trials_started": 40, "trials_converted": 9, "pqls": 12, "activations": 25,
    "time_to_value_days": 75, "emails_sent": 5000, "emails_opened": 1200,
    "emails_clicked": 150, "nps_promoters": 30, "nps_passives": 10, "nps_detractors": 8,
    "new_customers": 5, "customers_churned": 2,
}  # fmt: skip


@pytest.fixture
def weekly(db: Engine) -> Engine:
    """Weeks from Wednesday 2025-01-01 to Wednesday 2026-11-25, four groups each."""
    first = date(2025, 1, 1)
    starts = [first + timedelta(weeks=index) for index in range((ASKED_ON - first).days // 7 + 1)]
    put(
        db,
        [
            _week(start, index, channel, segment)
            for index, start in enumerate(starts)
            for channel, segment in GROUPS
        ],
    )
    return db
