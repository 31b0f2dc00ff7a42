"""A store with nothing loaded says so (and how to load data) instead of a bare n/a: in
the answer, the refusal, the terminal and Slack, in the asker's language."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import Engine

from bot.answers.conversation import respond, store_is_empty
from bot.answers.replies import Answered, Refusal
from bot.parser import KnownValues
from bot.render.text import render_plain
from bot.slack.answering import render_reply
from metrics.engine import MetricsContext
from tests.metrics.rows import put, row

TODAY = date(2026, 11, 25)
CONTEXT = MetricsContext(currency="EUR")
HINTS = {
    "en": "The store has no data yet, so every figure is n/a: load the demo data with "
    "`funnelbot demo` or your own with `funnelbot import FILE`.",
    "th": "ยังไม่มีข้อมูลในฐานข้อมูล ตัวเลขทุกตัวจึงไม่มีค่า: โหลดข้อมูลตัวอย่างด้วย "
    "`funnelbot demo` หรือข้อมูลของคุณเองด้วย `funnelbot import FILE`",
    "vi": "Kho dữ liệu chưa có dữ liệu nên mọi số liệu đều không có: nạp dữ liệu mẫu bằng "
    "`funnelbot demo` hoặc dữ liệu của bạn bằng `funnelbot import FILE`.",
}


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("cac last quarter", "en"),
        ("funnel last month", "en"),
        ("trend leads last 6 weeks", "en"),
        ("CAC ไตรมาสที่แล้ว", "th"),
        ("cac quý trước", "vi"),
    ],
)
def test_an_empty_store_says_why_everything_is_n_a(
    db: Engine, question: str, language: str
) -> None:
    reply = respond(question, engine=db, context=CONTEXT, today=TODAY)
    assert isinstance(reply, Answered) and reply.language == language
    assert reply.empty_store
    assert HINTS[language] in render_plain(reply, width=400)
    message = render_reply(reply, TODAY, share=False)
    assert HINTS[language] in json.dumps(message.blocks, ensure_ascii=False)


def test_a_refusal_in_an_empty_store_says_no_channel_is_known_yet(db: Engine) -> None:
    reply = respond("cac for paid search last quarter", engine=db, context=CONTEXT, today=TODAY)
    assert isinstance(reply, Refusal)
    assert reply.text.endswith(HINTS["en"])
    assert HINTS["en"] in render_reply(reply, TODAY, share=False).text


def test_a_store_with_rows_says_nothing_of_the_kind(db: Engine) -> None:
    put(db, [row("2026-07-03", channel="paid_search", new_customers=10)])
    # A period without rows is still n/a with its reason, but the store is not empty.
    reply = respond("cac last month", engine=db, context=CONTEXT, today=TODAY)
    assert isinstance(reply, Answered) and not reply.empty_store
    assert "funnelbot demo" not in render_plain(reply, width=400)
    assert "funnelbot demo" not in json.dumps(render_reply(reply, TODAY, share=False).blocks)
    refused = respond("cac for tiktok", engine=db, context=CONTEXT, today=TODAY)
    assert isinstance(refused, Refusal) and "funnelbot demo" not in refused.text


def test_known_names_spare_the_query(db: Engine) -> None:
    # The Slack app caches the names: a store known to have channels is not asked again.
    assert not store_is_empty(db, KnownValues(channels=("organic",)))
    assert store_is_empty(db, KnownValues())
    assert store_is_empty(db)
