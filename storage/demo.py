"""A deterministic, realistic demo data set of daily snapshots, and big CSVs for benchmarks.

Every pair (channel, segment) gets a daily funnel: visitors with growth, weekly and
yearly seasonality, then stage by stage binomial conversions near the seed benchmarks
(docs/metrics.md). Customers and MRR are stocks carried day to day, so both identities hold
exactly. One story is planted: over the last six weeks, paid_search's MQL->SQL rate
falls steadily to about half while its marketing spend rises.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, func, select

from storage._import_upsert import UpsertCounts, upsert_snapshots
from storage.columns import ALL_COLUMNS
from storage.csv_import import record_batch
from storage.models import snapshots

__all__ = [
    "DEMO_CHANNELS",
    "DEMO_SEED",
    "DEMO_SEGMENTS",
    "STORY_CHANNEL",
    "STORY_DAYS",
    "DemoSummary",
    "StoryHint",
    "demo_start",
    "demo_summary",
    "generate_snapshots",
    "load_demo",
    "write_benchmark_csv",
]

DEMO_SEED = 7
DEMO_CHANNELS = ("organic", "paid_search", "paid_social", "webinar", "outbound", "referral")
DEMO_SEGMENTS = ("smb", "mid_market", "enterprise")
STORY_CHANNEL = "paid_search"
STORY_DAYS = 42
STORY_SQL_RATE_FACTOR = 0.5
STORY_SPEND_FACTOR = 1.6
DEMO_BATCH_NAME = "funnelbot demo"
_STOCK_ARRAYS = (
    "customers_start",
    "customers_churned",
    "mrr_start",
    "mrr_churned",
    "mrr_expansion",
    "mrr_contraction",
)

YEARLY_GROWTH = 0.25
WEEKEND_FACTOR = 0.45  # B2B traffic on Saturdays and Sundays
MONDAY_FACTOR = 1.1
YEARLY_SWING = 0.12  # +-12% over the year, busiest in mid-March ...
PEAK_DAY = 75
HOLIDAY_DIP = 0.4  # ... and a 40% dip around 25 December, about a week wide
HOLIDAY_DAY = 359
HOLIDAY_DAYS = 6
SQL_TO_OPPORTUNITY = 0.65
DEAL_LOST_SHARE = 0.8
TRIAL_TO_PAID = 0.22
TRIAL_TO_PQL = 0.35
TRIAL_ACTIVATION = 0.6
EMAIL_OPEN = 0.25
EMAIL_CLICK_OF_OPENS = 0.14
NPS_SHARES = (0.52, 0.33, 0.15)  # promoters, passives, detractors: NPS about 37
NPS_ANSWERS_PER_DAY = 1.5
DAYS_TO_VALUE = 3.5
DAILY_EXPANSION = 0.0006
DAILY_CONTRACTION = 0.0002
DAILY_REACTIVATION_CHANCE = 0.01


@dataclass(frozen=True, slots=True)
class _Channel:
    visitors: float  # a day's visitors over all segments, at the start
    visitor_to_lead: float
    lead_to_mql: float
    mql_to_sql: float
    cac: float  # target acquisition cost, before the segment factor
    sales_share: float  # part of the spend that is sales spend
    emails: float  # campaign e-mails sent per weekday


@dataclass(frozen=True, slots=True)
class _Segment:
    visitor_share: float
    customers: float  # paying customers at the start, over all channels
    arpa: float  # monthly revenue per account
    annual_churn: float
    trial_rate: float  # of leads
    win_chance: float  # of an opportunity
    cycle_days: float
    cac_factor: float
    demo_rate: float  # of leads


_CHANNELS = {
    "organic": _Channel(2500, 0.015, 0.38, 0.40, 400, 0.2, 900),
    "paid_search": _Channel(1500, 0.022, 0.42, 0.42, 1000, 0.3, 300),
    "paid_social": _Channel(1200, 0.012, 0.36, 0.33, 1200, 0.3, 300),
    "webinar": _Channel(300, 0.06, 0.45, 0.40, 950, 0.4, 600),
    "outbound": _Channel(200, 0.05, 0.40, 0.45, 1700, 0.7, 1200),
    "referral": _Channel(300, 0.05, 0.44, 0.45, 500, 0.3, 100),
}
_SEGMENTS = {
    "smb": _Segment(0.70, 3800, 20, 0.11, 0.35, 0.26, 35, 0.8, 0.05),
    "mid_market": _Segment(0.22, 1000, 45, 0.07, 0.15, 0.22, 75, 1.6, 0.12),
    "enterprise": _Segment(0.08, 250, 120, 0.04, 0.05, 0.18, 140, 4.0, 0.2),
}


def demo_start(end: date) -> date:
    """1 January two years before `end`'s year: at least two full years of history."""
    return date(end.year - 2, 1, 1)


def generate_snapshots(
    end: date,
    *,
    start: date | None = None,
    channels: tuple[str, ...] = DEMO_CHANNELS,
    segments: tuple[str, ...] = DEMO_SEGMENTS,
    seed: int = DEMO_SEED,
) -> pd.DataFrame:
    """Daily rows (ALL_COLUMNS) from `start` to `end` inclusive for every channel x segment.

    Names outside the demo sets borrow the demo profiles in turn (for benchmarks).
    """
    first = demo_start(end) if start is None else start
    days = pd.date_range(first, end, freq="D")
    pairs = [(channel, segment) for channel in channels for segment in segments]
    model = _Model(days, pairs, np.random.default_rng(seed))
    return model.frame()


def _channel_profile(name: str, position: int) -> _Channel:
    return _CHANNELS.get(name) or list(_CHANNELS.values())[position % len(_CHANNELS)]


def _segment_profile(name: str, position: int) -> _Segment:
    return _SEGMENTS.get(name) or list(_SEGMENTS.values())[position % len(_SEGMENTS)]


class _Model:
    """Arrays of shape (days, pairs) for every column."""

    def __init__(
        self, days: pd.DatetimeIndex, pairs: list[tuple[str, str]], rng: np.random.Generator
    ) -> None:
        self.days = days
        self.pairs = pairs
        self.rng = rng
        channel_names = list(dict.fromkeys(channel for channel, _ in pairs))
        segment_names = list(dict.fromkeys(segment for _, segment in pairs))
        self.channel = [_channel_profile(c, channel_names.index(c)) for c, _ in pairs]
        self.segment = [_segment_profile(s, segment_names.index(s)) for _, s in pairs]
        self.story = self._story_ramp()
        self.is_story = np.array([channel == STORY_CHANNEL for channel, _ in pairs])

    def _pair(self, field: str, profiles: list[_Channel] | list[_Segment]) -> np.ndarray:
        return np.array([getattr(profile, field) for profile in profiles], dtype=float)

    def _story_ramp(self) -> np.ndarray:
        """0 before the story's six weeks, rising linearly to 1 on the last day."""
        elapsed = np.arange(len(self.days)) - (len(self.days) - STORY_DAYS)
        return np.clip((elapsed + 1) / STORY_DAYS, 0.0, 1.0)[:, None]

    def _seasonality(self) -> np.ndarray:
        years = np.arange(len(self.days)) / 365.25
        growth = (1 + YEARLY_GROWTH) ** years
        weekday = self.days.day_of_week.to_numpy()
        weekly = np.where(weekday >= 5, WEEKEND_FACTOR, np.where(weekday == 0, MONDAY_FACTOR, 1.0))
        day_of_year = self.days.day_of_year.to_numpy()
        yearly = 1 + YEARLY_SWING * np.cos(2 * np.pi * (day_of_year - PEAK_DAY) / 365.25)
        holidays = 1 - HOLIDAY_DIP * np.exp(-(((day_of_year - HOLIDAY_DAY) / HOLIDAY_DAYS) ** 2))
        return (growth * weekly * yearly * holidays)[:, None]

    def _binomial(self, counts: np.ndarray, rate: np.ndarray | float) -> np.ndarray:
        return self.rng.binomial(counts, np.broadcast_to(rate, counts.shape))

    def _noise(self, shape: tuple[int, ...], sigma: float) -> np.ndarray:
        return self.rng.lognormal(-sigma * sigma / 2, sigma, shape)

    def frame(self) -> pd.DataFrame:
        shape = (len(self.days), len(self.pairs))
        segment_share = self._pair("visitor_share", self.segment)
        level = self._pair("visitors", self.channel) * segment_share * self._seasonality()
        columns: dict[str, np.ndarray] = {}
        columns["visitors"] = self.rng.poisson(level * self._noise(shape, 0.1))
        self._funnel(columns)
        self._product(columns)
        columns["new_customers"] = columns["deals_won"] + columns["trials_converted"]
        self._engagement(columns, segment_share)
        self._spend(columns, level)
        self._stocks(columns)
        return self._as_frame(columns)

    def _funnel(self, columns: dict[str, np.ndarray]) -> None:
        leads = self._binomial(columns["visitors"], self._pair("visitor_to_lead", self.channel))
        mqls = self._binomial(leads, self._pair("lead_to_mql", self.channel))
        sql_rate = self._pair("mql_to_sql", self.channel) * (
            1 - (1 - STORY_SQL_RATE_FACTOR) * self.story * self.is_story
        )
        sqls = self._binomial(mqls, sql_rate)
        opportunities = self._binomial(sqls, SQL_TO_OPPORTUNITY)
        won = self._binomial(opportunities, self._pair("win_chance", self.segment))
        arpa = self._pair("arpa", self.segment)
        columns.update(
            leads=leads,
            mqls=mqls,
            sqls=sqls,
            opportunities=opportunities,
            deals_won=won,
            deals_lost=self._binomial(opportunities - won, DEAL_LOST_SHARE),
            won_deal_value=np.round(won * 12 * arpa * self._noise(won.shape, 0.15), 2),
            sales_cycle_days=np.round(
                won * self._pair("cycle_days", self.segment) * self._noise(won.shape, 0.2)
            ),
            demo_requests=self._binomial(leads, self._pair("demo_rate", self.segment)),
        )

    def _product(self, columns: dict[str, np.ndarray]) -> None:
        trials = self._binomial(columns["leads"], self._pair("trial_rate", self.segment))
        activations = self._binomial(trials, TRIAL_ACTIVATION)
        columns.update(
            trials_started=trials,
            trials_converted=self._binomial(trials, TRIAL_TO_PAID),
            pqls=self._binomial(trials, TRIAL_TO_PQL),
            activations=activations,
            time_to_value_days=np.round(
                activations * DAYS_TO_VALUE * self._noise(activations.shape, 0.3), 1
            ),
        )

    def _engagement(self, columns: dict[str, np.ndarray], segment_share: np.ndarray) -> None:
        weekday = (self.days.day_of_week.to_numpy() < 5)[:, None]
        sent = self.rng.poisson(self._pair("emails", self.channel) * segment_share * weekday)
        opened = self._binomial(sent, EMAIL_OPEN)
        answers = self.rng.poisson(np.broadcast_to(NPS_ANSWERS_PER_DAY * segment_share, sent.shape))
        votes = self.rng.multinomial(answers, NPS_SHARES)
        columns.update(
            emails_sent=sent,
            emails_opened=opened,
            emails_clicked=self._binomial(opened, EMAIL_CLICK_OF_OPENS),
            nps_promoters=votes[..., 0],
            nps_passives=votes[..., 1],
            nps_detractors=votes[..., 2],
        )

    def _spend(self, columns: dict[str, np.ndarray], level: np.ndarray) -> None:
        """Spend follows the expected new customers, so CAC sits near each pair's target."""
        channel_rate = (
            self._pair("visitor_to_lead", self.channel)
            * self._pair("lead_to_mql", self.channel)
            * self._pair("mql_to_sql", self.channel)
            * SQL_TO_OPPORTUNITY
            * self._pair("win_chance", self.segment)
        )
        product_rate = (
            self._pair("visitor_to_lead", self.channel)
            * self._pair("trial_rate", self.segment)
            * TRIAL_TO_PAID
        )
        target = self._pair("cac", self.channel) * self._pair("cac_factor", self.segment)
        story = 1 + (STORY_SPEND_FACTOR - 1) * self.story * self.is_story
        spend = level * (channel_rate + product_rate) * target * story
        spend = spend * self._noise(spend.shape, 0.2)
        sales_share = self._pair("sales_share", self.channel)
        columns["sales_spend"] = np.round(spend * sales_share, 2)
        columns["marketing_spend"] = np.round(spend * (1 - sales_share), 2)

    def _stocks(self, columns: dict[str, np.ndarray]) -> None:
        """Customers and MRR (in cents) carried from each day's end to the next day's start."""
        new = columns["new_customers"]
        shape = new.shape
        arpa_cents = self._pair("arpa", self.segment) * 100
        daily_churn = -np.log1p(-self._pair("annual_churn", self.segment)) / 365.25
        mrr_new = np.round(new * arpa_cents * self._noise(shape, 0.1))
        expansion_rate = DAILY_EXPANSION * self._noise(shape, 0.5)
        contraction_rate = DAILY_CONTRACTION * self._noise(shape, 0.5)
        reactivation = np.round((self.rng.random(shape) < DAILY_REACTIVATION_CHANCE) * arpa_cents)
        stock = {name: np.zeros(shape, dtype=np.int64) for name in _STOCK_ARRAYS}
        customers = self._first_customers()
        mrr = np.round(customers * arpa_cents).astype(np.int64)
        for day in range(shape[0]):
            churned = self.rng.binomial(customers, daily_churn)
            lost = np.minimum(np.round(churned * arpa_cents), mrr)
            expansion = np.round(mrr * expansion_rate[day])
            contraction = np.minimum(np.round(mrr * contraction_rate[day]), mrr - lost)
            for name, values in zip(
                _STOCK_ARRAYS,
                (customers, churned, mrr, lost, expansion, contraction),
                strict=True,
            ):
                stock[name][day] = values
            customers = customers + new[day] - churned
            mrr = mrr + mrr_new[day] + expansion + reactivation[day] - contraction - lost
        movements = mrr_new + stock["mrr_expansion"] + reactivation
        mrr_end = stock["mrr_start"] + movements - stock["mrr_contraction"] - stock["mrr_churned"]
        columns.update(
            customers_start=stock["customers_start"],
            customers_churned=stock["customers_churned"],
            customers_end=stock["customers_start"] + new - stock["customers_churned"],
            mrr_new=mrr_new / 100,
            mrr_reactivation=reactivation / 100,
            mrr_end=mrr_end / 100,
            **{name: stock[name] / 100 for name in _STOCK_ARRAYS[2:]},
        )

    def _first_customers(self) -> np.ndarray:
        visitor_share = self._pair("visitors", self.channel) / sum(
            profile.visitors for profile in _CHANNELS.values()
        )
        return np.round(self._pair("customers", self.segment) * visitor_share).astype(np.int64)

    def _as_frame(self, columns: dict[str, np.ndarray]) -> pd.DataFrame:
        days, pairs = len(self.days), len(self.pairs)
        data: dict[str, object] = {
            "period_start": np.repeat(self.days.to_numpy(), pairs),
            "channel": np.tile([channel for channel, _ in self.pairs], days),
            "segment": np.tile([segment for _, segment in self.pairs], days),
        }
        data["period_end"] = data["period_start"]
        data.update({name: values.reshape(-1) for name, values in columns.items()})
        return pd.DataFrame(data, columns=list(ALL_COLUMNS))


def load_demo(engine: Engine, end: date) -> UpsertCounts | None:
    """Load the demo data ending at `end` into an empty store; None (nothing done) otherwise."""
    with engine.begin() as connection:
        if connection.execute(select(snapshots.c.id).limit(1)).first() is not None:
            return None
        counts = upsert_snapshots(connection, [generate_snapshots(end)])
        record_batch(
            connection,
            file_name=f"{DEMO_BATCH_NAME} (seed {DEMO_SEED}, ending {end})",
            checksum=hashlib.sha256(f"demo:{DEMO_SEED}:{end}".encode()).hexdigest(),
            counts=counts,
        )
    return counts


@dataclass(frozen=True, slots=True)
class StoryHint:
    """The planted story as the store shows it: the first vs the last two weeks of six."""

    channel: str
    sql_rate_before: float
    sql_rate_after: float
    spend_before: float
    spend_after: float


@dataclass(frozen=True, slots=True)
class DemoSummary:
    rows: int
    first_day: date | None
    last_day: date | None
    channels: tuple[str, ...]
    segments: tuple[str, ...]
    last_month_start: date
    last_month_new_customers: int | None
    story: StoryHint | None


def demo_summary(engine: Engine, today: date) -> DemoSummary:
    """What the store holds, the new customers of the last complete month, and the story."""
    month_start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    month_end = today.replace(day=1) - timedelta(days=1)
    column = snapshots.c
    with engine.connect() as connection:
        rows, first_day, last_day = connection.execute(
            select(func.count(), func.min(column.period_start), func.max(column.period_start))
        ).one()
        channels = connection.execute(select(column.channel).distinct().order_by(column.channel))
        segments = connection.execute(select(column.segment).distinct().order_by(column.segment))
        new_customers = connection.execute(
            select(func.sum(column.new_customers)).where(
                column.period_start.between(month_start, month_end)
            )
        ).scalar_one()
        story = None if last_day is None else _story_hint(connection, last_day)
    return DemoSummary(
        rows=int(rows),
        first_day=first_day,
        last_day=last_day,
        channels=tuple(channels.scalars()),
        segments=tuple(segments.scalars()),
        last_month_start=month_start,
        last_month_new_customers=None if new_customers is None else int(new_customers),
        story=story,
    )


def _story_hint(connection: Connection, last_day: date) -> StoryHint | None:
    window_start = last_day - timedelta(days=STORY_DAYS - 1)
    early = _sql_rate_and_spend(connection, window_start, window_start + timedelta(days=13))
    late = _sql_rate_and_spend(connection, last_day - timedelta(days=13), last_day)
    if early is None or late is None:
        return None
    return StoryHint(STORY_CHANNEL, early[0], late[0], early[1], late[1])


def _sql_rate_and_spend(
    connection: Connection, first: date, last: date
) -> tuple[float, float] | None:
    column = snapshots.c
    mqls, sqls, spend = connection.execute(
        select(
            func.sum(column.mqls), func.sum(column.sqls), func.sum(column.marketing_spend)
        ).where(column.channel == STORY_CHANNEL, column.period_start.between(first, last))
    ).one()
    if not mqls or sqls is None or spend is None:
        return None
    return float(sqls) / float(mqls), float(spend)


BENCHMARK_DAYS = 3 * 365
BENCHMARK_CHANNELS_PER_BLOCK = 20


def write_benchmark_csv(path: Path, rows: int, *, end: date = date(2026, 10, 31)) -> int:
    """A CSV of `rows` daily rows (3 years x as many channels as needed x 3 segments),
    written block by block so memory stays small. Returns the rows written."""
    days = min(BENCHMARK_DAYS, rows)
    start = end - timedelta(days=days - 1)
    channel_count = math.ceil(rows / (days * len(DEMO_SEGMENTS)))
    names = tuple(f"channel_{number:04d}" for number in range(channel_count))
    written = 0
    for block_start in range(0, channel_count, BENCHMARK_CHANNELS_PER_BLOCK):
        block = names[block_start : block_start + BENCHMARK_CHANNELS_PER_BLOCK]
        frame = generate_snapshots(end, start=start, channels=block, seed=block_start)
        frame = frame.head(rows - written)
        frame.to_csv(
            path,
            mode="w" if written == 0 else "a",
            header=written == 0,
            index=False,
            date_format="%Y-%m-%d",
        )
        written += len(frame)
    return written
