"""`alerts check` in-process on both databases against the fake Slack: it fires once,
stays quiet while firing, says when it recovers, never posts twice (re-runs, racing
processes), records a dead channel and tells the admin without stopping the others."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.alerts.check import Delivered
from bot.alerts.evaluate import Transition
from bot.alerts.jobs import AlertJobs
from bot.answers.context import metrics_context
from bot.answers.conversation import respond
from bot.answers.replies import Answered
from bot.core.config import DigestAudience
from bot.digests.audiences import plan_audiences
from bot.digests.builder import Digest, build_digest
from bot.digests.render import digest_message
from bot.render.blocks import ButtonQuestion
from storage.engine import make_engine
from storage.models import AlertEvaluation, DigestDelivery
from testkit.fakeslack import FakeSlack
from tests.bot.alerts.conftest import (
    ADMIN,
    GROWTH,
    Clock,
    alert_settings,
    as_of_after,
    make_checker,
    rate_rows,
    seed_rates,
    week_start,
)
from tests.conftest import Store
from tests.metrics.rows import replace_all

TWO_ALERTS: dict[str, dict[str, Any]] = {
    "paid_search_leak": {
        "metric": "mql_to_sql",
        "where": {"channel": ["paid_search"]},
        "when": "below 30%",
        "every": "week",
        "channels": ["CDEAD0001", GROWTH],
    },
    "sqls_drop": {
        "metric": "sqls",
        "when": "drops 20%",
        "every": "week",
        "channels": [GROWTH],
    },
}


def alerts_in(fake: FakeSlack, channel: str = GROWTH) -> list[dict[str, Any]]:
    return [item for item in fake.messages(channel) if item.get("metadata")]


def text_of(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks"), ensure_ascii=False)


def metadata_of(message: dict[str, Any]) -> Any:
    raw = message["metadata"]
    return json.loads(raw) if isinstance(raw, str) else raw


def test_fires_once_with_figure_period_rule_previous_and_drivers(
    store: Store, fake_slack: FakeSlack, clock: Clock
) -> None:
    seed_rates(store)
    settings = alert_settings(store, fake_slack)
    report = make_checker(settings, store, clock).check(as_of_after(3))
    [result] = report.results
    assert result.evaluation is not None
    assert result.evaluation.transition is Transition.FIRED
    assert [item.outcome for item in result.deliveries] == [Delivered.SENT]
    [message] = alerts_in(fake_slack)
    text = text_of(message)
    assert "MQL-to-SQL conversion alert: paid_search_leak" in text
    # 0.20 × 100 + 8 of 120 MQLs on paid search: 23.3%, the week before (0.41): 40.8%.
    assert "*23.3%* in W44 2026 (26 Oct – 1 Nov 2026) · time zone Europe/Berlin" in text
    assert "Rule: below 30.0% · broken" in text
    assert "The week before, W43 2026 (19 Oct – 25 Oct 2026): 40.8% (change −17.5 pp)" in text
    # Paid search is the alert's scope, so the drivers are its segments: smb broke.
    assert "segment *smb*: 41.0% → 20.0% (contributed −17.5 pp)" in text
    assert "enterprise" not in text.split("What drove the change")[1]
    assert metadata_of(message) == {
        "event_type": "funnelbot_alert",
        "event_payload": {
            "alert": "paid_search_leak",
            "channel": GROWTH,
            "period": week_start(3).isoformat(),
        },
    }


def test_buttons_ask_the_trend_and_the_breakdown_the_parser_reads(
    store: Store, fake_slack: FakeSlack, clock: Clock
) -> None:
    seed_rates(store)
    settings = alert_settings(store, fake_slack)
    make_checker(settings, store, clock).check(as_of_after(3))
    [message] = alerts_in(fake_slack)
    [buttons] = [block for block in message["blocks"] if block["type"] == "actions"]
    labels = [element["text"]["text"] for element in buttons["elements"]]
    assert labels == ["Trend", "Breakdown"]
    for element in buttons["elements"]:
        asked = ButtonQuestion.from_value(element["value"])
        assert asked.asked_on == as_of_after(3)
        reply = respond(
            asked.question,
            engine=store.engine,
            context=metrics_context(settings),
            today=asked.asked_on,
        )
        assert isinstance(reply, Answered), (asked.question, reply)
        assert reply.answer.filters.channel == ("paid_search",)


def test_stays_quiet_while_firing_and_says_when_it_recovers(
    store: Store, fake_slack: FakeSlack, clock: Clock
) -> None:
    seed_rates(store)
    settings = alert_settings(store, fake_slack)
    transitions = []
    for index in range(7):
        [result] = make_checker(settings, store, clock).check(as_of_after(index)).results
        assert result.evaluation is not None
        transitions.append(result.evaluation.transition)
    assert transitions == [
        Transition.NORMAL,
        Transition.NORMAL,
        Transition.NORMAL,
        Transition.FIRED,
        Transition.STILL_FIRING,
        Transition.RECOVERED,
        Transition.NORMAL,
    ]
    posted = alerts_in(fake_slack)
    assert len(posted) == 2
    recovered = text_of(posted[1])
    assert "Back to normal: paid_search_leak" in recovered
    assert "Rule: below 30.0% · holds again" in recovered
    assert "W46 2026" in recovered


def test_re_runs_post_nothing_more(store: Store, fake_slack: FakeSlack, clock: Clock) -> None:
    seed_rates(store)
    settings = alert_settings(store, fake_slack)
    make_checker(settings, store, clock).check(as_of_after(3))
    clock.advance(hours=3)
    [again] = make_checker(settings, store, clock).check(as_of_after(3)).results
    assert [item.outcome for item in again.deliveries] == [Delivered.ALREADY_SENT]
    # A later day of the same week judges the same complete week.
    [later] = make_checker(settings, store, clock).check(as_of_after(3).replace(day=6)).results
    assert later.evaluation is not None and later.evaluation.period.start == week_start(3)
    assert len(alerts_in(fake_slack)) == 1


def test_verdict_on_record_wins_over_revised_data(
    store: Store, fake_slack: FakeSlack, clock: Clock
) -> None:
    """A week judged once keeps its verdict, so a re-run after the data changed cannot
    post a second 'fired' or a 'back to normal' that never was."""
    seed_rates(store)
    settings = alert_settings(store, fake_slack)
    make_checker(settings, store, clock).check(as_of_after(3))
    replace_all(store.engine, rate_rows((0.40,) * 7))  # W44 now reads healthy
    [result] = make_checker(settings, store, clock).check(as_of_after(3)).results
    assert result.evaluation is not None and result.evaluation.verdict.firing
    with Session(store.engine) as session:
        assert len(session.scalars(select(AlertEvaluation)).all()) == 1


def test_three_racing_processes_post_once(
    store: Store, fake_slack: FakeSlack, clock: Clock
) -> None:
    seed_rates(store)
    settings = alert_settings(store, fake_slack, TWO_ALERTS)
    start = threading.Barrier(3)
    outcomes: list[Delivered] = []

    def process(number: int) -> None:
        engine = make_engine(store.url)
        try:
            own = type(store)(engine, store.url, store.schema)
            checker = make_checker(settings, own, clock, owner=f"host:{number}")
            start.wait()
            for result in checker.check(as_of_after(3)).results:
                outcomes.extend(item.outcome for item in result.deliveries)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=process, args=(number,)) for number in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(alerts_in(fake_slack)) == 2  # both alerts fired on W44, once each
    assert len(alerts_in(fake_slack, "CDEAD0001")) == 1
    assert outcomes.count(Delivered.SENT) == 3


def test_dead_channel_is_recorded_and_dmed_and_stops_nothing(
    store: Store, fake_slack: FakeSlack, clock: Clock
) -> None:
    seed_rates(store)
    fake_slack.fail_channel("CDEAD0001", "not_in_channel")
    settings = alert_settings(store, fake_slack, TWO_ALERTS)
    report = make_checker(settings, store, clock).check(as_of_after(3))
    assert [(name, item.channel, item.error) for name, item in report.failed] == [
        ("paid_search_leak", "CDEAD0001", "not_in_channel")
    ]
    assert len(alerts_in(fake_slack)) == 2  # the leak in #growth, and the SQL drop
    [dm] = fake_slack.messages(ADMIN)
    assert "paid_search_leak" in dm["text"] and "not_in_channel" in dm["text"]
    with Session(store.engine) as session:
        rows = {row.channel: row for row in session.scalars(select(DigestDelivery))}
    assert rows["CDEAD0001"].status == "failed"
    assert rows["CDEAD0001"].audience == "alert:paid_search_leak"


def test_dry_run_records_and_posts_nothing(
    store: Store, fake_slack: FakeSlack, clock: Clock
) -> None:
    seed_rates(store)
    settings = alert_settings(store, fake_slack)
    [result] = make_checker(settings, store, clock).check(as_of_after(3), dry_run=True).results
    assert result.evaluation is not None and result.evaluation.transition is Transition.FIRED
    assert fake_slack.messages(GROWTH) == []
    with Session(store.engine) as session:
        assert session.scalars(select(AlertEvaluation)).all() == []


def test_worker_job_checks_the_local_week_across_dst_ends(
    store: Store, fake_slack: FakeSlack
) -> None:
    """Monday 26 Oct 2026 00:30 in Berlin (CET since Sunday 03:00 CEST) is still Sunday
    in UTC: the job judges W44's week before, W43, not W42."""
    seed_rates(store)
    settings = alert_settings(store, fake_slack)
    clock = Clock(datetime(2026, 10, 25, 23, 30, tzinfo=UTC))
    jobs = AlertJobs(make_checker(settings, store, clock), settings.zone, clock)
    report = jobs.run()
    assert report is not None
    [result] = report.results
    assert result.evaluation is not None
    assert result.evaluation.period.start == week_start(2)  # W43: 19-25 Oct, 7 days
    assert result.evaluation.period.days == 7


def test_worker_job_checks_the_local_week_across_dst_starts(store: Store) -> None:
    """Monday 30 Mar 2026 00:30 in Berlin (CEST since Sunday) is 29 Mar 22:30 UTC."""
    settings = alert_settings(store)
    clock = Clock(datetime(2026, 3, 29, 22, 30, tzinfo=UTC))
    jobs = AlertJobs(make_checker(settings, store, clock), settings.zone, clock)
    report = jobs.run()
    assert report is not None
    [result] = report.results
    assert result.evaluation is not None
    assert result.evaluation.period.label.startswith("W13 2026 (23 Mar")
    assert result.evaluation.transition is Transition.NORMAL  # no data: nothing to judge


def test_unusual_needs_twelve_weeks_then_flags_the_break(
    store: Store, fake_slack: FakeSlack, clock: Clock
) -> None:
    steady = (0.40, 0.42, 0.41, 0.39, 0.40, 0.43, 0.41, 0.40, 0.42, 0.39, 0.41, 0.40)
    seed_rates(store, (*steady, 0.20))
    unusual = {"leak": {**TWO_ALERTS["paid_search_leak"], "when": "unusual"}}
    unusual["leak"]["channels"] = [GROWTH]
    settings = alert_settings(store, fake_slack, unusual)
    [early] = make_checker(settings, store, clock).check(as_of_after(10), dry_run=True).results
    assert early.evaluation is not None and not early.evaluation.verdict.known  # 10 weeks
    [result] = make_checker(settings, store, clock).check(as_of_after(12)).results
    assert result.evaluation is not None
    assert result.evaluation.transition is Transition.FIRED
    band = result.evaluation.verdict.band
    assert band is not None and band.history == 12
    [message] = alerts_in(fake_slack)
    assert "Rule: outside its normal range" in text_of(message)


def test_the_weekly_digest_lists_what_is_still_firing(
    store: Store, fake_slack: FakeSlack, clock: Clock
) -> None:
    seed_rates(store)
    settings = alert_settings(
        store, fake_slack, digests={"marketing": DigestAudience(channels=[GROWTH])}
    )
    plan = plan_audiences(settings)["marketing"]
    for index in range(6):
        make_checker(settings, store, clock).check(as_of_after(index))
    context = metrics_context(settings)
    quiet_week = build_digest(store.engine, plan, as_of_after(4), context, settings.timezone)
    assert quiet_week.still_firing == ("paid_search_leak",)
    assert "Alert still firing: paid_search_leak" in digest_text_of(quiet_week)
    recovered = build_digest(store.engine, plan, as_of_after(5), context, settings.timezone)
    assert recovered.still_firing == ()


def digest_text_of(digest: Digest) -> str:
    return json.dumps(digest_message(digest).blocks, ensure_ascii=False)
