"""What `funnelbot demo` shows after loading data: sample answers and digest previews."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from rich.console import Group, RenderableType
from rich.rule import Rule
from sqlalchemy import Engine

from bot.answers.context import metrics_context
from bot.answers.conversation import known_values, respond
from bot.core.config import DigestAudience, Settings
from bot.digests.audiences import plan_audiences
from bot.digests.builder import build_digest
from bot.digests.render import digest_text
from bot.render.text import render

__all__ = ["DEMO_AUDIENCES", "SAMPLE_QUESTIONS", "digest_previews", "sample_answers"]

SAMPLE_QUESTIONS: tuple[str, ...] = (
    "what's our CAC for paid search last quarter?",
    "mql to sql by channel last 6 weeks",
    "chrun smb ytd",
    "funnel last month",
)
DEMO_AUDIENCES: tuple[str, ...] = ("marketing", "sales")
DEMO_CHANNEL = "#{audience} (preview)"


def sample_answers(engine: Engine, settings: Settings, today: date) -> Iterator[RenderableType]:
    """Each sample question and the bot's answer to it, as the terminal shows them."""
    context = metrics_context(settings)
    known = known_values(engine)
    for question in SAMPLE_QUESTIONS:
        reply = respond(question, engine=engine, context=context, today=today, known=known)
        yield Group(Rule(f"you: {question}", align="left", style="cyan"), render(reply))


def _with_demo_audiences(settings: Settings) -> Settings:
    audiences = {
        name: DigestAudience(channels=[DEMO_CHANNEL.format(audience=name)])
        for name in DEMO_AUDIENCES
    }
    audiences.update(settings.digests)
    return settings.model_copy(update={"digests": audiences})


def digest_previews(engine: Engine, settings: Settings, today: date) -> Iterator[RenderableType]:
    """The marketing and sales digests for the last complete week, as `--dry-run` prints them."""
    demo_settings = _with_demo_audiences(settings)
    context = metrics_context(demo_settings)
    for name, plan in plan_audiences(demo_settings).items():
        if name in DEMO_AUDIENCES:
            digest = build_digest(engine, plan, today, context, demo_settings.timezone)
            title = f"weekly digest preview: {name}"
            yield Group(Rule(title, align="left", style="magenta"), digest_text(digest))
