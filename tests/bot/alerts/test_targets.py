"""Targets from Slack on both databases: read by the parser, over `[targets]` in every
answer (answers, digests, misses-target alerts use the same context), audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.alerts.commands import Asker
from bot.alerts.targets import TargetDesk
from bot.answers.context import metrics_context
from bot.answers.conversation import known_values
from bot.core.config import TargetRule
from metrics.engine import compute
from metrics.periods import iso_week
from metrics.query import Filters
from storage.models import TargetChange
from tests.bot.alerts.conftest import alert_settings, as_of_after, seed_rates
from tests.conftest import Store

ADMIN = Asker("UADMIN09", "C0GROWTH")
W44 = iso_week(2026, 44)
PAID = Filters(channel=("paid_search",))


def test_slack_target_overrides_the_file_and_is_audited(store: Store) -> None:
    seed_rates(store)
    settings = alert_settings(store, targets={"mql_to_sql": TargetRule(min=0.2)})
    context = metrics_context(settings)
    desk = TargetDesk(store.engine, context.targets, admins=frozenset({"UADMIN09"}), command="/f")
    before = compute(store.engine, "mql_to_sql", W44, PAID, context).target
    assert before is not None and before.met  # 23.3% against a minimum of 20%
    reply = desk.change("mql to sql min 30%", ADMIN, as_of_after(6), known_values(store.engine))
    assert "is now above 30.0% (was above 20.0%)" in reply.text
    after = compute(store.engine, "mql_to_sql", W44, PAID, context).target
    assert after is not None and not after.met
    scoped = desk.change(
        "mql to sql for paid search min 10", ADMIN, as_of_after(6), known_values(store.engine)
    )
    assert "(paid search) is now above 10.0%" in scoped.text
    specific = compute(store.engine, "mql_to_sql", W44, PAID, context).target
    assert specific is not None and specific.met and specific.scope == {"channel": "paid_search"}
    cleared = desk.change(
        "mql to sql clear for paid search", ADMIN, as_of_after(6), known_values(store.engine)
    )
    assert "cleared (was above 10.0%); now none" in cleared.text
    with Session(store.engine) as session:
        changes = session.scalars(select(TargetChange).order_by(TargetChange.id)).all()
    assert [(item.old_min, item.new_min, item.channel) for item in changes] == [
        (0.2, 0.3, ""),
        (None, 0.1, "paid_search"),
        (0.1, None, "paid_search"),
    ]


def test_unreadable_targets_say_how(store: Store) -> None:
    seed_rates(store)
    desk = TargetDesk(store.engine, (), admins=frozenset({"UADMIN09"}), command="/funnel")
    known = known_values(store.engine)
    for text, expected in [
        ("cac 500", "I could not find min or max"),
        ("flurbs max 3", "I could not tell which figure"),
        ("cac by channel max 500", "A target is for one figure"),
        ("<!here> max 3", "I could not tell which figure"),
    ]:
        reply = desk.change(text, ADMIN, as_of_after(6), known)
        assert expected in reply.text, (text, reply.text)
        assert "/funnel target cac max 500 for paid search" in reply.text
        assert "<!here>" not in reply.text
    assert "No targets yet" in desk.listing().text
