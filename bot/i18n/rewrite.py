"""A question in any supported language as the English question parser reads it.

The parser is English; Thai and Vietnamese questions are rewritten into its canonical
words (metric ids, "last quarter", "by channel", "q3 2026") before it runs, so every
rule of the grammar holds in all three languages.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType

from bot.i18n.detect import Language, detect_language
from bot.i18n.thai import thai_to_english
from bot.i18n.vietnamese import vietnamese_to_english

__all__ = ["question_in_english", "to_english"]

_REWRITERS: MappingProxyType[Language, Callable[[str], str]] = MappingProxyType(
    {"th": thai_to_english, "vi": vietnamese_to_english}
)


def to_english(text: str, language: Language) -> str:
    """`text` in canonical English words; English text is returned unchanged."""
    rewrite = _REWRITERS.get(language)
    return text if rewrite is None else rewrite(text)


def question_in_english(text: str, max_chars: int) -> str:
    """A question of any language in canonical English; a text over `max_chars` is
    returned as is, for the parser to refuse before any work is spent on it."""
    if len(text) > max_chars:
        return text
    return to_english(text, detect_language(text))
