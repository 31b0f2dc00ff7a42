"""Thai and Vietnamese questions answered end to end on a real store (SQLite and
PostgreSQL): the figure of the English engine, words in the asker's language, rendered
for the terminal and for Slack."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from bot.answers.conversation import respond
from bot.answers.replies import Answered, CatalogReply, HelpReply, Refusal, Reply
from bot.i18n import keyed_text, use_language
from bot.render.blocks import validate_blocks
from bot.render.text import render_plain
from bot.slack.answering import render_reply
from metrics.answers import ExplainAnswer, MetricAnswer
from metrics.catalog import CATALOG
from metrics.engine import answer
from tests.bot.i18n.conftest import ASKED_ON, CONTEXT
from tests.bot.i18n.corpus import THAI, VIETNAMESE, Row

THAI_WORDS = ("ต้นทุนการได้ลูกค้า", "เทียบกับ")
VIETNAMESE_WORDS = ("Chi phí thu hút khách hàng", "so với")


def ask(engine: Engine, question: str) -> Reply:
    return respond(question, engine=engine, context=CONTEXT, today=ASKED_ON)


def _figures(found: Any) -> Any:
    """What must not depend on the language: every number of the answer."""
    data = found.to_json()
    return _without_words(data)


def _without_words(data: Any) -> Any:
    if isinstance(data, dict):
        return {
            key: _without_words(value)
            for key, value in data.items()
            if key not in ("label", "description", "category", "reason", "leak_reason")
        }
    if isinstance(data, list):
        return [_without_words(item) for item in data]
    return data


@pytest.mark.parametrize(("language", "rows"), [("th", THAI), ("vi", VIETNAMESE)])
def test_corpus_answers_match_english_and_render(
    weekly: Engine, language: str, rows: tuple[Row, ...]
) -> None:
    for question, *_ in rows:
        reply = ask(weekly, question)
        assert not isinstance(reply, Refusal), (question, reply)
        assert reply.language == language, question
        if isinstance(reply, Answered):
            english = answer(weekly, reply.query, CONTEXT)
            assert _figures(reply.answer) == _figures(english), question
        assert render_plain(reply).strip(), question
        message = render_reply(reply, ASKED_ON, share=True)
        assert validate_blocks(message.blocks) == [], question


@pytest.mark.parametrize(
    ("question", "words"),
    [("CAC ไตรมาสที่แล้ว", THAI_WORDS), ("CAC quý trước", VIETNAMESE_WORDS)],
)
def test_answers_speak_the_language_of_the_question(
    weekly: Engine, question: str, words: tuple[str, ...]
) -> None:
    reply = ask(weekly, question)
    assert isinstance(reply, Answered)
    text = render_plain(reply)
    assert all(word in text for word in words), text
    assert "Customer acquisition cost" not in text
    slack = str(render_reply(reply, ASKED_ON, share=False).blocks)
    assert words[0] in slack


def test_the_same_question_in_english_stays_english(weekly: Engine) -> None:
    reply = ask(weekly, "cac last quarter")
    assert isinstance(reply, Answered)
    assert reply.language == "en"
    assert "Customer acquisition cost" in render_plain(reply)


@pytest.mark.parametrize(
    ("question", "language", "formula_word"),
    [
        ("cac explain", "en", "Formula:"),
        ("CAC คืออะไร", "th", "สูตร:"),
        ("CAC là gì", "vi", "Công thức:"),
    ],
)
def test_explain_in_three_languages_with_the_same_formula(
    weekly: Engine, question: str, language: str, formula_word: str
) -> None:
    reply = ask(weekly, question)
    assert isinstance(reply, Answered)
    found = reply.answer
    assert isinstance(found, ExplainAnswer)
    assert found.formula_text == CATALOG["cac"].formula_text
    with use_language(reply.language):
        assert found.description == keyed_text("description", "cac", CATALOG["cac"].description)
    text = render_plain(reply)
    assert formula_word in text
    assert found.formula_text in text


@pytest.mark.parametrize(("question", "title"), [("ช่วยด้วย", "ถาม"), ("trợ giúp", "Hỏi")])
def test_help_in_the_language_with_examples_the_bot_understands(
    weekly: Engine, question: str, title: str
) -> None:
    reply = ask(weekly, question)
    assert isinstance(reply, HelpReply)
    assert reply.title.startswith(title)
    for example in reply.examples:
        assert isinstance(ask(weekly, example), Answered | CatalogReply), example


def test_catalog_lists_metrics_in_the_language(weekly: Engine) -> None:
    reply = ask(weekly, "ตัวชี้วัดทั้งหมด")
    assert isinstance(reply, CatalogReply)
    labels = {entry.id: entry.label for entry in reply.entries}
    assert labels["customer_churn_rate"] == "อัตราการเลิกใช้บริการ"


@pytest.mark.parametrize(
    ("question", "sorry"),
    [("เฟอร์นิเจอร์ไตรมาสที่แล้ว", "ขออภัย"), ("bánh mì quý trước", "Xin lỗi")],
)
def test_refusals_in_the_language(weekly: Engine, question: str, sorry: str) -> None:
    reply = ask(weekly, question)
    assert isinstance(reply, Refusal)
    assert reply.text.startswith(sorry)
    assert render_plain(reply).startswith(sorry)


def test_amounts_are_in_the_locale_format(weekly: Engine) -> None:
    reply = ask(weekly, "CAC quý trước")
    assert isinstance(reply, Answered)
    assert isinstance(reply.answer, MetricAnswer)
    assert "฿" in render_plain(reply)
    assert "Quý 3 năm 2026" in render_plain(reply)


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("CAC ไตรมาสที่แล้ว", "วิธีการวัด ROI จากช่องทางการขาย SaaS ของคุณ"),
        ("CAC quý trước", "Cách đo lường ROI từ phễu bán hàng SaaS của bạn"),
    ],
)
def test_benchmarks_name_their_article_in_the_language(
    weekly: Engine, question: str, title: str
) -> None:
    reply = ask(weekly, question)
    assert isinstance(reply, Answered)
    text = render_plain(reply, width=300)
    slack = str(render_reply(reply, ASKED_ON, share=False).blocks)
    assert title in text
    assert title in slack
    assert "seed" not in text + slack
