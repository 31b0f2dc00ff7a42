"""The metrics engine's own sentences (why a value is missing) in the asker's language."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from bot.answers.conversation import respond
from bot.answers.replies import Answered, Reply
from metrics.answers import MetricAnswer
from metrics.engine import MetricsContext
from tests.metrics.rows import put, row

TODAY = date(2026, 11, 25)
CONTEXT = MetricsContext()


def _metric_answer(reply: Reply) -> MetricAnswer:
    assert isinstance(reply, Answered)
    assert isinstance(reply.answer, MetricAnswer)
    return reply.answer


@pytest.fixture
def no_mqls_in_october(db: Engine) -> Engine:
    put(db, [row("2026-10-05", leads=40, mqls=0, sqls=0)])
    return db


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("mql to sql last month", "no MQLs in October 2026"),
        ("MQL to SQL เดือนที่แล้ว", "ไม่มี MQL ใน ตุลาคม 2026"),
        ("ty le chuyen doi mql sang sql thang truoc", "không có MQL trong Tháng 10 năm 2026"),
    ],
)
def test_a_zero_denominator_is_explained_in_the_language_of_the_question(
    no_mqls_in_october: Engine, question: str, reason: str
) -> None:
    found = _metric_answer(
        respond(question, engine=no_mqls_in_october, context=CONTEXT, today=TODAY)
    )
    assert found.value is None
    assert found.reason == reason


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("cac ไตรมาสที่แล้ว", ("ไม่มีข้อมูล", "ไตรมาส 2 ปี 2026")),
        ("cac quý trước", ("không có dữ liệu", "Quý 2 năm 2026")),
        ("cac quý trước kênh organic", ("không có dữ liệu cho kênh organic", "Quý 2 năm 2026")),
    ],
)
def test_a_period_without_data_is_explained_in_the_language_of_the_question(
    db: Engine, question: str, words: tuple[str, ...]
) -> None:
    put(db, [row("2026-08-01", marketing_spend=1000.0, new_customers=4)])
    comparison = _metric_answer(
        respond(question, engine=db, context=CONTEXT, today=TODAY)
    ).comparison
    assert comparison is not None
    assert comparison.reason is not None
    for word in words:
        assert word in comparison.reason
