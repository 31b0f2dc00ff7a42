"""`unusual`: the robust z-score after a seasonal median, on generated series whose
anomalies are known, so its hit rate and its false alarms are measured, not hoped for."""

from __future__ import annotations

import random

import pytest

from metrics.periods import Grain
from metrics.variation import MIN_HISTORY, THRESHOLD, band


def flagged(series: list[float], grain: Grain, start: int = MIN_HISTORY) -> list[int]:
    """The indices whose value is outside the band of the values before them."""
    hits = []
    for index in range(start, len(series)):
        found = band(series[:index], grain)
        assert found is not None
        if found.is_unusual(series[index]):
            hits.append(index)
    return hits


def noisy(count: int, seed: int, level: float = 100.0, spread: float = 5.0) -> list[float]:
    generator = random.Random(seed)
    return [generator.gauss(level, spread) for _ in range(count)]


@pytest.mark.parametrize("seed", range(5))
def test_planted_anomalies_are_found_and_noise_is_left_alone(seed: int) -> None:
    series = noisy(160, seed)
    planted = {40: +45.0, 77: -40.0, 120: +50.0, 150: -45.0}  # 8-10 standard deviations
    for index, move in planted.items():
        series[index] += move
    hits = flagged(series, Grain.WEEK)
    assert set(planted) <= set(hits)
    false_alarms = [index for index in hits if index not in planted]
    # A normal value is beyond 3.5 robust deviations about 0.05% of the time; with the
    # band estimated from 26 points allow 2% of the 144 judged points at most.
    assert len(false_alarms) <= 3, false_alarms


def test_one_outlier_in_the_history_does_not_widen_the_band() -> None:
    history = noisy(30, seed=7)
    clean = band(history, Grain.WEEK)
    history[-3] += 500.0  # a huge outlier two periods ago
    polluted = band(history, Grain.WEEK)
    assert clean is not None and polluted is not None
    assert polluted.scale < clean.scale * 1.2
    assert polluted.is_unusual(clean.baseline + 8 * clean.scale)


def test_days_are_compared_with_the_same_weekday() -> None:
    # Weekdays near 100, weekends near 40: a Saturday at 40 is normal, a Tuesday at 40 not.
    generator = random.Random(3)
    series = [
        generator.gauss(40 if day % 7 in (5, 6) else 100, 3) for day in range(8 * 7)
    ]  # day 0 is a Monday
    saturday = band(series[: 8 * 7 - 2], Grain.DAY)  # the next day is index 54: a Saturday
    assert saturday is not None and not saturday.is_unusual(40.0)
    tuesday = band(series[: 7 * 7 + 1], Grain.DAY)  # index 50: a Tuesday
    assert tuesday is not None and tuesday.is_unusual(40.0)


def test_weeks_use_the_same_week_of_the_year_once_two_years_exist() -> None:
    # A December peak every year (weeks 48-51 of 52 at 200, the rest near 100).
    generator = random.Random(11)
    series = [
        generator.gauss(200 if week % 52 in (48, 49, 50, 51) else 100, 4)
        for week in range(2 * 52 + 48)
    ]
    found = band(series, Grain.WEEK)  # the next week is week 48 of the third year
    assert found is not None
    assert not found.is_unusual(200.0)
    assert found.is_unusual(100.0)


def test_fewer_than_twelve_periods_judge_nothing() -> None:
    assert band([1.0] * (MIN_HISTORY - 1), Grain.WEEK) is None
    assert band([None] * 20 + [1.0] * (MIN_HISTORY - 1), Grain.WEEK) is None
    assert band([1.0] * MIN_HISTORY, Grain.WEEK) is not None


def test_a_flat_history_still_flags_a_real_move_but_not_rounding() -> None:
    found = band([0.25] * 20, Grain.WEEK)
    assert found is not None
    assert not found.is_unusual(0.2505)
    assert found.is_unusual(0.20)
    assert found.score(0.20) < -THRESHOLD
