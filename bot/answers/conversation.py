"""One question in, one reply out: parse, ask the metrics engine, wrap. Never raises for text.

The channel and segment names the parser recognises are read from the store unless the
caller passes them (the Slack app may cache them).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from bot.answers.replies import Answered, Reply, catalog_reply, help_reply, refusal
from bot.i18n import Language, active_language, detect_language, use_language
from bot.i18n.localize import localize
from bot.parser import KnownValues, NotUnderstood, parse
from metrics.engine import MetricsContext, answer, data_range, dimension_values
from metrics.query import Dimension, Intent

__all__ = ["known_values", "respond", "store_is_empty"]


def known_values(engine: Engine) -> KnownValues:
    """The channel and segment names present in the store."""
    return KnownValues(
        channels=tuple(dimension_values(engine, Dimension.CHANNEL)),
        segments=tuple(dimension_values(engine, Dimension.SEGMENT)),
    )


def store_is_empty(engine: Engine, known: KnownValues | None = None) -> bool:
    """No snapshot rows at all (nothing loaded yet). A store whose names are known has
    rows, so only an empty or unknown list of names costs a query."""
    if known is not None and (known.channels or known.segments):
        return False
    return data_range(engine) is None


def respond(
    text: str,
    *,
    engine: Engine,
    context: MetricsContext,
    today: date,
    known: KnownValues | None = None,
    language: Language | None = None,
) -> Reply:
    """The reply to one question asked on `today` (the asker's local date), in `language`
    or else the language of the question (a follow-up button keeps the asker's language)."""
    names = known if known is not None else known_values(engine)
    with use_language(language or detect_language(text)):
        parsed = parse(text, today=today, known=names)
        if isinstance(parsed, NotUnderstood):
            return refusal(text, parsed, empty_store=store_is_empty(engine, names))
        query = parsed.query
        if query.intent is Intent.HELP:
            return help_reply()
        if query.intent is Intent.CATALOG:
            return catalog_reply()
        found = localize(answer(engine, query, context))
        return Answered(
            text,
            query,
            parsed.understood,
            found,
            context.currency,
            parsed.notes,
            active_language(),
            empty_store=store_is_empty(engine, names),
        )
