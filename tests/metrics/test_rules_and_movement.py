"""Alert rules read from their words, judged on answers; what drove a change, from SQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from metrics.engine import MetricsContext, Target, compute_many
from metrics.movement import drivers, history
from metrics.periods import Grain, iso_week
from metrics.query import Dimension, Filters
from metrics.rules import Rule, RuleKind, judge, parse_rule
from tests.metrics.rows import put, row

W1, W2 = iso_week(2026, 10), iso_week(2026, 11)


@pytest.mark.parametrize(
    ("text", "ratio", "expected"),
    [
        ("below 0.30", True, Rule(RuleKind.BELOW, threshold=0.30)),
        ("below 30%", True, Rule(RuleKind.BELOW, threshold=0.30)),
        ("drops below 30%", True, Rule(RuleKind.BELOW, threshold=0.30)),
        ("below 30", True, Rule(RuleKind.BELOW, threshold=0.30)),
        ("above 500", False, Rule(RuleKind.ABOVE, threshold=500.0)),
        ("over 500", False, Rule(RuleKind.ABOVE, threshold=500.0)),
        ("drops 20%", False, Rule(RuleKind.DROPS, change=0.20)),
        ("falls by 20 %", False, Rule(RuleKind.DROPS, change=0.20)),
        ("rises 15%", False, Rule(RuleKind.RISES, change=0.15)),
        ("  Misses Target ", False, Rule(RuleKind.MISSES_TARGET)),
        ("unusual", False, Rule(RuleKind.UNUSUAL)),
    ],
)
def test_rules_are_read_from_their_words(text: str, ratio: bool, expected: Rule) -> None:
    assert parse_rule(text, ratio=ratio) == expected


@pytest.mark.parametrize("text", ["", "sometimes", "drops 0%", "below", "drops 20", "<script>"])
def test_unreadable_rules_say_what_is_read(text: str) -> None:
    with pytest.raises(ValueError, match="above X, below X, drops N%, rises N%"):
        parse_rule(text)


def _store(db: Engine) -> None:
    rows = []
    for day in range(7):
        first = date(2026, 3, 2 + day).isoformat()
        second = date(2026, 3, 9 + day).isoformat()
        rows += [
            row(first, channel="paid_search", segment="smb", mqls=100, sqls=40),
            row(first, channel="organic", segment="smb", mqls=100, sqls=40),
            row(first, channel="organic", segment="enterprise", mqls=10, sqls=5),
            row(second, channel="paid_search", segment="smb", mqls=100, sqls=10),
            row(second, channel="organic", segment="smb", mqls=100, sqls=38),
            row(second, channel="organic", segment="enterprise", mqls=10, sqls=5),
        ]
    put(db, rows)


def test_a_sum_moves_by_exactly_its_groups_changes(db: Engine) -> None:
    _store(db)
    found = drivers(db, "sqls", (W2, W1), Filters(), by=Dimension.CHANNEL)
    assert [(item.group, item.contribution) for item in found] == [
        ("paid_search", -210.0),
        ("organic", -14.0),
    ]
    assert (found[0].previous, found[0].value) == (280.0, 70.0)


def test_a_rate_names_the_group_that_broke_it(db: Engine) -> None:
    _store(db)
    found = drivers(db, "mql_to_sql", (W2, W1), Filters(), by=Dimension.CHANNEL)
    assert found[0].group == "paid_search"
    assert found[0].value == pytest.approx(0.10)
    # Leave-one-out: the whole change less what it would have been without paid search.
    total = (10 + 38 + 5) / 210 - (40 + 40 + 5) / 210
    without = (38 + 5) / 110 - (40 + 5) / 110
    assert found[0].contribution == pytest.approx(total - without)
    segments = drivers(db, "mql_to_sql", (W2, W1), Filters(), by=Dimension.SEGMENT)
    assert [item.group for item in segments] == ["smb"]  # enterprise did not move it


def test_history_is_one_value_per_period(db: Engine) -> None:
    _store(db)
    assert history(db, "sqls", [iso_week(2026, 9), W1, W2], Filters()) == [None, 595, 371]


def test_judging_an_answer(db: Engine) -> None:
    _store(db)
    context = MetricsContext(targets=(Target("mql_to_sql", min=0.30, max=None),))
    answer = compute_many(db, ["mql_to_sql"], W2, Filters(), context, compare=W1)["mql_to_sql"]
    assert judge(Rule(RuleKind.BELOW, threshold=0.30), answer).firing
    assert not judge(Rule(RuleKind.ABOVE, threshold=0.30), answer).firing
    assert judge(Rule(RuleKind.DROPS, change=0.20), answer).firing  # 40.5% -> 25.2%
    assert not judge(Rule(RuleKind.RISES, change=0.20), answer).firing
    assert judge(Rule(RuleKind.MISSES_TARGET), answer).firing
    unusual = judge(Rule(RuleKind.UNUSUAL), answer, [0.40, 0.41] * 6, Grain.WEEK)
    assert unusual.firing and unusual.band is not None
    too_short = judge(Rule(RuleKind.UNUSUAL), answer, [0.40] * 11, Grain.WEEK)
    assert not too_short.firing and not too_short.known
    alone = compute_many(db, ["mql_to_sql"], W2, Filters())["mql_to_sql"]
    assert not judge(Rule(RuleKind.MISSES_TARGET), alone).known  # no target: not judged
    assert not judge(Rule(RuleKind.DROPS, change=0.2), alone).known  # no comparison
