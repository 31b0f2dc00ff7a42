"""Thai and Vietnamese beside English: reading questions, and speaking the asker's language.

Reading: `detect_language` tells the language of a question and `to_english` rewrites a
Thai or Vietnamese question into the English parser's canonical words (the parser
itself stays English). Speaking: message catalogs under `locales/` (gettext .po files
read at run time) and babel formatting, selected by the language active in the context
(`use_language`).
"""

from __future__ import annotations

from bot.i18n.active import active_language
from bot.i18n.catalogs import (
    TranslatedMapping,
    gettext,
    keyed_text,
    translated,
    translated_examples,
)
from bot.i18n.detect import LANGUAGES, Language, as_language, detect_language, is_language
from bot.i18n.formats import period_label
from bot.i18n.rewrite import question_in_english, to_english
from bot.i18n.scope import use_language

__all__ = [
    "LANGUAGES",
    "Language",
    "TranslatedMapping",
    "active_language",
    "as_language",
    "detect_language",
    "gettext",
    "is_language",
    "keyed_text",
    "period_label",
    "question_in_english",
    "to_english",
    "translated",
    "translated_examples",
    "use_language",
]
