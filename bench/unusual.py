"""False alarms of `unusual` on the demo data (docs/alerts.md, "Unusual").

    .venv/bin/python -m bench.unusual [--end 2026-11-29]

Loads the demo store (seed 7, two years and eleven months of daily rows ending on `--end`,
a Sunday) into a temporary SQLite file and judges every complete week of every digest
metric against the weeks before it, as the `unusual` rule and the digest's "needs
attention" do. The demo's only planted story is paid search's MQL->SQL rate halving (and
its spend rising 60%) over the last six weeks, so a week flagged before those six weeks is
a false alarm. For comparison it counts the weeks the digest's former rule ("moved the
wrong way": any visible change for the worse) would have flagged.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from bot.digests.audiences import DEFAULT_METRICS, SHARED_METRICS
from bot.i18n.formatting import is_negligible
from metrics.catalog import metric
from metrics.movement import history
from metrics.periods import Grain, Period, iso_week
from metrics.query import Filters
from metrics.variation import HISTORY, MIN_HISTORY, band
from storage.demo import STORY_CHANNEL, STORY_DAYS, load_demo
from storage.engine import make_engine
from storage.migrate import upgrade

__all__ = ["main"]

STORY_WEEKS = STORY_DAYS // 7


@dataclass(frozen=True, slots=True)
class Tally:
    metric: str
    judged: int
    unusual: int
    worse: int
    story_flagged: int


def weeks_until(end: date, first: date) -> list[Period]:
    weeks = []
    current = iso_week(*end.isocalendar()[:2])
    while current.start >= first:
        weeks.append(current)
        current = current.previous()
    return weeks[::-1]


def tally(metric_id: str, values: Sequence[float | None]) -> Tally:
    lower = metric(metric_id).lower_is_better
    unit = metric(metric_id).unit
    judged = unusual = worse = story = 0
    quiet_until = len(values) - STORY_WEEKS
    for index in range(MIN_HISTORY, len(values)):
        value, before = values[index], values[index - 1]
        found = band(values[max(0, index - HISTORY[Grain.WEEK]) : index], Grain.WEEK)
        if value is None or found is None:
            continue
        flagged = found.is_unusual(value)
        if index >= quiet_until:
            story += flagged
            continue
        judged += 1
        unusual += flagged
        if before is not None and not is_negligible(value - before, unit):
            worse += (value < before) != lower
    return Tally(metric_id, judged, unusual, worse, story)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 11, 29))
    end = parser.parse_args().end
    metrics = tuple(
        dict.fromkeys([*DEFAULT_METRICS["marketing"], *DEFAULT_METRICS["sales"], *SHARED_METRICS])
    )
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'demo.db'}")
        upgrade(engine)
        load_demo(engine, end)
        weeks = weeks_until(end, date(end.year - 2, 1, 1) + timedelta(days=7))
        rows = [tally(item, history(engine, item, weeks, Filters())) for item in metrics]
        story = history(engine, "mql_to_sql", weeks, Filters(channel=(STORY_CHANNEL,)))
        engine.dispose()
    print(f"{'metric':<24}{'weeks':>6}{'unusual':>9}{'worse':>7}{'story':>7}")
    for item in rows:
        print(
            f"{item.metric:<24}{item.judged:>6}{item.unusual:>9}{item.worse:>7}"
            f"{item.story_flagged:>5}/{STORY_WEEKS}"
        )
    judged = sum(item.judged for item in rows)
    unusual = sum(item.unusual for item in rows)
    worse = sum(item.worse for item in rows)
    print(f"false alarms of unusual: {unusual}/{judged} = {unusual / judged:.1%} of metric-weeks")
    print(f"former 'moved the wrong way': {worse}/{judged} = {worse / judged:.1%}")
    leak = tally("mql_to_sql", story)
    print(
        f"paid search MQL->SQL: {leak.unusual}/{leak.judged} false alarms, "
        f"{leak.story_flagged}/{STORY_WEEKS} story weeks flagged"
    )


if __name__ == "__main__":
    main()
