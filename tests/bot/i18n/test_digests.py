"""Digests in the audience's language: the English figures, translated words, valid Block Kit."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from rich.console import Console
from sqlalchemy import Engine

from bot.digests.audiences import DEFAULT_METRICS, AudiencePlan
from bot.digests.builder import Digest, build_digest
from bot.digests.render import digest_message, digest_text
from bot.digests.schedule import parse_schedule
from bot.i18n import Language
from bot.render.blocks import validate_blocks
from tests.bot.i18n.conftest import ASKED_ON, CONTEXT

ENGLISH_PLAN = AudiencePlan(
    "marketing", ("#marketing",), parse_schedule("mon 09:00"), DEFAULT_METRICS["marketing"]
)
WORDS = {
    "th": ("ต้นทุนการได้ลูกค้า", "KPI ร่วม", "ต้องให้ความสนใจ"),
    "vi": ("Chi phí thu hút khách hàng", "KPI chung", "Cần chú ý"),
}


def build(engine: Engine, language: Language) -> Digest:
    return build_digest(engine, replace(ENGLISH_PLAN, language=language), ASKED_ON, CONTEXT, "UTC")


def figures(digest: Digest) -> list[tuple[object, ...]]:
    """Every number of every line: value, last week's value, badge and sparkline."""
    return [
        (
            line.metric,
            line.answer.value,
            None if line.answer.comparison is None else line.answer.comparison.value,
            line.badge,
            line.trend,
        )
        for line in digest.lines
    ]


def terminal(digest: Digest) -> str:
    console = Console(width=140, color_system=None, file=io.StringIO())
    with console.capture() as captured:
        console.print(digest_text(digest))
    return captured.get()


@pytest.mark.parametrize("language", ["th", "vi"])
def test_a_digest_in_the_audience_language_has_the_english_figures(
    weekly: Engine, language: Language
) -> None:
    english, local = build(weekly, "en"), build(weekly, language)
    assert figures(local) == figures(english)
    message = digest_message(local)
    assert validate_blocks(message.blocks) == []
    slack, text = str(message.blocks), terminal(local)
    assert all(word in slack and word in text for word in WORDS[language]), text
    assert "Customer acquisition cost" not in text


def test_an_english_digest_stays_english(weekly: Engine) -> None:
    text = terminal(build(weekly, "en"))
    assert "Customer acquisition cost" in text
    assert "Needs attention" in text
