"""Block Kit stays within Slack's limits on the largest answers; follow-ups read back."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.answers.conversation import respond
from bot.answers.replies import Answered
from bot.parser import KnownValues, Parsed, parse
from bot.render.blocks import Block, explain_blocks, header, section, trend_blocks, validate_blocks
from bot.render.charts import chart_for
from bot.slack.answering import render_reply
from bot.slack.followups import followups_for
from metrics.answers import BenchmarkRange, Coverage, ExplainAnswer, TrendAnswer, TrendPoint
from metrics.articles import ROI_OF_A_SAAS_FUNNEL, SAAS_MARKETING_METRICS
from metrics.catalog import Unit
from metrics.engine import MetricsContext
from metrics.periods import Grain, between, iso_week, quarter, this_unit
from metrics.query import Filters
from tests.conftest import Store
from tests.metrics.rows import put, row

TODAY = date(2026, 11, 25)
CHANNELS = [f"channel_{index:03d}_with_a_rather_long_name" for index in range(120)]
LARGEST = [
    "cac 2026-10 by channel",
    "funnel last month",
    "metrics",
    "help",
    "trend cac 2025-01-01 to 2026-10-31",
    "explain ltv_cac",
    "chrun rate for zzz qqq",
    "cac ltv",
]


@pytest.fixture
def big_store(store: Store) -> Store:
    put(
        store.engine,
        [
            row("2026-10-01", "2026-10-31", channel, "smb", marketing_spend=100.0 + index,
                sales_spend=50.0, new_customers=index + 1, visitors=1000, leads=100, mqls=40,
                sqls=10, opportunities=5, deals_won=2)
            for index, channel in enumerate(CHANNELS)
        ],
    )  # fmt: skip
    return store


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
@pytest.mark.parametrize("question", LARGEST)
def test_largest_answers_fit_slack_limits(big_store: Store, question: str) -> None:
    reply = respond(question, engine=big_store.engine, context=MetricsContext(), today=TODAY)
    message = render_reply(reply, TODAY, share=True)
    assert validate_blocks(message.blocks) == []
    assert message.text


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_big_breakdown_is_summarised_and_charted(big_store: Store) -> None:
    reply = respond("cac 2026-10 by channel", engine=big_store.engine, context=MetricsContext(),
                    today=TODAY)  # fmt: skip
    text = str(render_reply(reply, TODAY, share=False).blocks)
    assert "more" in text
    assert isinstance(reply, Answered)
    chart = chart_for(reply.answer, "USD", reply.language)
    assert chart is not None and chart.png.startswith(b"\x89PNG")


def test_validate_blocks_names_each_broken_limit() -> None:
    too_many: list[Block] = [section("x")] * 51
    assert validate_blocks(too_many) == ["51 blocks (at most 50)"]
    long_header = header("h")
    long_header["text"]["text"] = "h" * 151
    long_section = section("s")
    long_section["text"]["text"] = "s" * 3001
    empty_section: Block = {"type": "section"}
    problems = validate_blocks([long_header, long_section, empty_section])
    assert problems == [
        "block 0: header of 151 characters (at most 150)",
        "block 1: section text of 3001 characters (at most 3000)",
        "block 2: empty section text",
    ]
    assert validate_blocks([section("", ["*October 2026*"])]) == []


KNOWN = KnownValues(channels=("paid_search", "organic"), segments=("smb", "enterprise"))


@pytest.mark.parametrize(
    "question",
    [
        "cac for paid search q3 2026",
        "churn for smb last month vs last year",
        "win rate 2026-01-01 to 2026-02-15 by segment",
        "mql to sql ytd",
        "ltv:cac h1 2026",
    ],
)
def test_follow_up_questions_read_back_to_the_same_question(question: str) -> None:
    asked = parse(question, today=TODAY, known=KNOWN)
    assert isinstance(asked, Parsed)
    for followup in followups_for(asked.query):
        again = parse(followup.question, today=TODAY, known=KNOWN)
        assert isinstance(again, Parsed), followup
        if again.query.intent is asked.query.intent:
            assert again.query.metric == asked.query.metric
            assert again.query.filters == asked.query.filters
            assert (again.query.period.start, again.query.period.end) == (
                asked.query.period.start,
                asked.query.period.end,
            )


def test_explain_links_each_source_article() -> None:
    explained = ExplainAnswer(
        metric="ltv_cac", label="LTV:CAC", unit=Unit.MULTIPLE, category="Unit economics",
        description="Lifetime value per unit of acquisition cost.", formula_text="ltv / cac",
        lower_is_better=False, period=quarter(2026, 3), filters=Filters(), value=3.2,
        reason=None, inputs={}, components=(), target=None, gross_margin=1.0,
        benchmarks=(BenchmarkRange(3, 5, (ROI_OF_A_SAAS_FUNNEL, SAAS_MARKETING_METRICS), "",
                                   "3:1 is healthy", None),),
    )  # fmt: skip
    blocks = explain_blocks(explained)
    assert validate_blocks(blocks) == []
    text = json.dumps(blocks, ensure_ascii=False)
    assert (
        "<https://side-business.com/?p=4975|“How to measure ROI from your SaaS sales funnel”> "
        "(วิธีการวัด ROI จากช่องทางการขาย SaaS ของคุณ), side-business.com"
    ) in text
    assert "“Key SaaS marketing metrics” (Các số liệu tiếp thị SaaS quan trọng)" in text
    assert "seed" not in text


def test_a_trend_table_marks_the_unfinished_month() -> None:
    points = (
        TrendPoint(iso_week(2026, 46), 128.0, None),
        TrendPoint(iso_week(2026, 47), 91.0, None),
        TrendPoint(between(date(2026, 11, 23), TODAY), 52.0, None, Coverage.SO_FAR),
    )
    trend = TrendAnswer("new_customers", "New customers", Unit.COUNT,
                        this_unit(Grain.MONTH, TODAY), Filters(), Grain.WEEK, points)  # fmt: skip
    table = trend_blocks(trend, "USD")[-1]["text"]["text"]
    last = table.strip("`").splitlines()[-1]
    assert last.split()[-4:] == ["(3", "of", "7", "days)"]
    assert "so far" in last
    assert table.strip("`").splitlines()[0].startswith("Period")
