"""`use_language`: build or render a reply in one language, the engine's sentences too."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bot.i18n.active import SOURCE_LANGUAGE, activate, deactivate
from bot.i18n.catalogs import gettext, keyed_text
from bot.i18n.detect import Language
from bot.i18n.formats import period_label
from metrics.messages import ENGLISH, Translator, worded

__all__ = ["use_language"]


# The engine's sentences, worded in whichever language `use_language` made active.
_LOCALIZED = Translator(gettext, period_label, keyed_text)


@contextmanager
def use_language(language: Language) -> Iterator[None]:
    """Build or render in `language` within the block, the metrics engine's sentences too."""
    token = activate(language)
    try:
        with worded(ENGLISH if language == SOURCE_LANGUAGE else _LOCALIZED):
            yield
    finally:
        deactivate(token)
