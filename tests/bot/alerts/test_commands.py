"""Alerts made from Slack: read by the question parser, stored with who and where, listed
with Pause/Delete, checked like the file's, and hostile text answered helpfully."""

from __future__ import annotations

import json

import pytest

from bot.alerts.commands import AlertAction, AlertDesk, Asker
from bot.alerts.evaluate import Transition
from bot.answers.conversation import known_values
from bot.core.access import AccessPolicy
from bot.core.config import AccessRules
from bot.render.blocks import SlackMessage
from testkit.fakeslack import FakeSlack
from tests.bot.alerts.conftest import (
    GROWTH,
    Clock,
    alert_settings,
    as_of_after,
    make_checker,
    seats,
    seed_rates,
)
from tests.conftest import Store

ASKER = Asker("UMAKER01", GROWTH)
TODAY = as_of_after(6)


def desk(store: Store, access: AccessRules | None = None) -> AlertDesk:
    return AlertDesk(
        store.engine,
        {},
        policy=AccessPolicy(access),
        admins=frozenset({"UADMIN01"}),
        command="/funnel",
        seat_of=seats(),
    )


def text_of(message: SlackMessage) -> str:
    return json.dumps(message.blocks, ensure_ascii=False)


def test_an_alert_made_from_slack_is_read_by_the_parser_and_stored(store: Store) -> None:
    seed_rates(store)
    reply = desk(store).create(
        "when mql to sql for paid search drops below 30% weekly",
        ASKER,
        TODAY,
        known_values(store.engine),
    )
    assert "Alert *mql_to_sql#1* saved: *MQL-to-SQL conversion* (paid search) below 30.0%" in (
        reply.text
    )
    assert f"posted in <#{GROWTH}>" in reply.text
    [stored] = desk(store).store.all()
    assert stored.alert.metric == "mql_to_sql"
    assert stored.alert.filters.channel == ("paid_search",)
    assert (stored.alert.every, stored.alert.created_by, stored.alert.created_in) == (
        "week",
        "UMAKER01",
        GROWTH,
    )


def test_it_fires_once_into_its_channel_stays_quiet_and_recovers(
    store: Store, fake_slack: FakeSlack, clock: Clock
) -> None:
    seed_rates(store)
    desk(store).create(
        "mql to sql for paid search drops below 30% weekly",
        ASKER,
        TODAY,
        known_values(store.engine),
    )
    settings = alert_settings(store, fake_slack, alerts={})
    transitions = []
    for index in range(7):
        report = make_checker(settings, store, clock).check(as_of_after(index))
        [result] = report.results
        assert result.evaluation is not None
        transitions.append(result.evaluation.transition)
    assert transitions.count(Transition.FIRED) == 1
    assert transitions.count(Transition.RECOVERED) == 1
    fired, recovered = fake_slack.messages(GROWTH)
    assert "mql_to_sql#1" in fired["text"] and "23.3%" in fired["text"]
    assert "What drove the change" in text_of_message(fired)
    assert "Back to normal" in recovered["text"]


def text_of_message(message: dict[str, object]) -> str:
    return json.dumps(message.get("blocks"), ensure_ascii=False)


def test_listing_pausing_and_deleting(store: Store, fake_slack: FakeSlack, clock: Clock) -> None:
    seed_rates(store)
    alerts = desk(store)
    alerts.create("cac above 500 monthly", ASKER, TODAY, known_values(store.engine))
    listing = text_of(alerts.listing())
    assert "*cac#1*: *Customer acquisition cost* above USD 500" in listing
    assert "every month" in listing and "made by <@UMAKER01>" in listing
    assert "alert_pause:1" in listing and "alert_delete:1" in listing
    refused = alerts.act(AlertAction.PAUSE, 1, "USOMEONE")
    assert "Only the person who made an alert" in refused.text
    paused = text_of(alerts.act(AlertAction.PAUSE, 1, "UMAKER01"))
    assert "paused" in paused and "alert_resume:1" in paused
    settings = alert_settings(store, fake_slack, alerts={})
    assert make_checker(settings, store, clock).current_plans() == {}
    alerts.act(AlertAction.RESUME, 1, "UADMIN01")
    assert list(make_checker(settings, store, clock).current_plans()) == ["cac#1"]
    alerts.act(AlertAction.DELETE, 1, "UMAKER01")
    assert alerts.store.all() == []
    assert "No alerts yet" in alerts.listing().text
    assert "no longer exists" in alerts.act(AlertAction.DELETE, 1, "UMAKER01").text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "I could not find the rule"),
        ("when <!channel> goes wild", "I could not find the rule in “when &lt;!channel&gt;"),
        ("below 30%", "I could not tell which figure to watch"),
        ("when flurbs drop below 30%", "I could not tell which figure to watch in “flurbs"),
        ("cac by channel above 500", "An alert watches one figure"),
        ("x" * 5000 + " below 3", "I could not tell which figure"),
    ],
)
def test_hostile_or_unreadable_text_gets_a_helpful_reply(
    store: Store, text: str, expected: str
) -> None:
    reply = desk(store).create(text, ASKER, TODAY, known_values(store.engine))
    assert expected in reply.text
    assert "/funnel alert when mql to sql for paid search drops below 30% weekly" in reply.text
    assert "<!channel>" not in reply.text
    assert desk(store).store.all() == []


def test_a_restricted_metric_is_refused_outside_revenue_channels(store: Store) -> None:
    access = AccessRules(restricted_metrics=["mrr"], restricted_channels=["CREV0001"])
    reply = desk(store, access).create(
        "mrr drops 10% monthly", ASKER, TODAY, known_values(store.engine)
    )
    assert "MRR is restricted here" in reply.text or "restricted here" in reply.text
    allowed = desk(store, access).create(
        "mrr drops 10% monthly", Asker("U1", "CREV0001"), TODAY, known_values(store.engine)
    )
    assert "saved" in allowed.text


@pytest.mark.parametrize(
    ("text", "every"),
    [
        ("sqls unusual daily", "day"),
        ("mql to sql for paid search below 30% every day", "day"),
        ("sqls drops 20% weekly", "week"),
        ("cac above 500 monthly", "month"),
    ],
)
def test_every_frequency_can_be_made_from_slack(store: Store, text: str, every: str) -> None:
    seed_rates(store)
    reply = desk(store).create(text, ASKER, TODAY, known_values(store.engine))
    assert f"checked on each complete {every}" in reply.text, reply.text
    [stored] = desk(store).store.all()
    assert stored.alert.every == every
