"""`respond`: a question in, a reply out, on a real store (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from bot.answers.conversation import known_values, respond
from bot.answers.replies import Answered, CatalogReply, HelpReply, Refusal, Reply
from bot.parser import KnownValues
from metrics.answers import ExplainAnswer, FunnelAnswer, MetricAnswer, TrendAnswer
from metrics.catalog import CATALOG
from metrics.engine import MetricsContext
from tests.bot.parser.corpus import QUESTIONS, REFUSALS
from tests.metrics.rows import put, row

TODAY = date(2026, 11, 25)
CONTEXT = MetricsContext(currency="EUR")


@pytest.fixture
def filled(db: Engine) -> Engine:
    put(
        db,
        [
            row("2026-07-03", channel="paid_search", segment="smb", marketing_spend=30_000.0,
                sales_spend=20_000.0, new_customers=100),
            row("2026-04-10", channel="paid_search", segment="smb", marketing_spend=20_000.0,
                sales_spend=10_000.0, new_customers=75),
            row("2026-08-01", channel="organic", segment="enterprise", marketing_spend=1_000.0,
                sales_spend=0.0, new_customers=10),
            row("2026-10-05", channel="organic", segment="enterprise", visitors=1000, leads=30,
                mqls=12, sqls=4, opportunities=2, deals_won=1, deals_lost=3),
        ],
    )  # fmt: skip
    return db


def ask(engine: Engine, question: str) -> Reply:
    return respond(question, engine=engine, context=CONTEXT, today=TODAY)


def answered(engine: Engine, question: str) -> Answered:
    reply = ask(engine, question)
    assert isinstance(reply, Answered), reply
    return reply


def test_the_store_names_are_known(filled: Engine) -> None:
    assert known_values(filled) == KnownValues(
        channels=("organic", "paid_search"), segments=("enterprise", "smb")
    )


def test_a_metric_question_is_answered_with_its_reading(filled: Engine) -> None:
    reply = answered(filled, "CAC last quarter for paid search?")
    found = reply.answer
    assert isinstance(found, MetricAnswer)
    assert found.value == pytest.approx(500.0)
    assert found.comparison is not None
    assert found.comparison.value == pytest.approx(400.0)
    assert reply.currency == "EUR"
    assert reply.understood == (
        "Customer acquisition cost (cac) · paid search · Q3 2026 (1 Jul – 30 Sep 2026) vs Q2 2026"
    )


def test_all_channels_together(filled: Engine) -> None:
    found = answered(filled, "cac q3 2026").answer
    assert isinstance(found, MetricAnswer)
    assert found.value == pytest.approx(51_000 / 110)


def test_a_breakdown_has_one_group_per_channel(filled: Engine) -> None:
    found = answered(filled, "cac by channel last quarter").answer
    assert isinstance(found, MetricAnswer)
    assert found.breakdown is not None
    groups = {group.group["channel"]: group.value for group in found.breakdown}
    assert groups == pytest.approx({"paid_search": 500.0, "organic": 100.0})


def test_a_misspelling_is_answered_and_noted(filled: Engine) -> None:
    reply = answered(filled, "custmer acquisition cost q3 2026 from paid serch")
    assert reply.query.metric == "cac"
    assert reply.query.filters.channel == ("paid_search",)
    assert len(reply.notes) == 2


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("funnel last month", FunnelAnswer),
        ("trend cac this year", TrendAnswer),
        ("explain cac", ExplainAnswer),
        ("win rate", MetricAnswer),
    ],
)
def test_each_intent_gets_its_answer(filled: Engine, question: str, kind: type) -> None:
    assert isinstance(answered(filled, question).answer, kind)


def test_help_and_catalog(filled: Engine) -> None:
    assert isinstance(ask(filled, "help"), HelpReply)
    catalog = ask(filled, "metrics")
    assert isinstance(catalog, CatalogReply)
    assert {entry.id for entry in catalog.entries} == set(CATALOG)


def test_an_unknown_channel_is_refused_with_suggestions(filled: Engine) -> None:
    reply = ask(filled, "cac from paid display")
    assert isinstance(reply, Refusal)
    assert reply.did_you_mean == ("paid search",)
    assert len(reply.examples) == 3


def test_a_misspelt_channel_is_read_as_meant(filled: Engine) -> None:
    reply = answered(filled, "cac from paid serach engines")
    assert reply.query.filters.channel == ("paid_search",)
    assert "read 'serach' as 'search'" in reply.notes


def test_no_question_makes_respond_raise(filled: Engine) -> None:
    questions = [question for question, _ in REFUSALS] + [row[0] for row in QUESTIONS[::7]]
    for question in questions:
        reply = ask(filled, question)
        assert isinstance(reply, Answered | Refusal | HelpReply | CatalogReply)
