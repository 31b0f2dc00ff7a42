"""Vietnamese questions to canonical English, with or without diacritics.

Questions and phrases are compared folded: lower-case, diacritics removed, đ read as d,
so "tỷ lệ rời bỏ" and "ty le roi bo" are the same words. Numbers and dates are read by
pattern on the folded text ("quý 3 năm 2026", "tháng 9/2026", "30 ngày qua").
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from bot.i18n.vocabulary import Vocabulary, Word, build_vocabulary, translate
from metrics.aliases_vi import FILLERS, METRICS, PHRASES

__all__ = ["fold", "vietnamese_to_english"]

_ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
)  # fmt: skip
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_UNITS = {"ngay": "days", "tuan": "weeks", "thang": "months", "quy": "quarters"}
_UNIT = "|".join(_UNITS)
_YEAR = r"(?:\s*(?:nam|/|-|,)?\s*(\d{4}))?"
# Typed without diacritics these are English words people mix in, not Vietnamese fillers.
_ENGLISH_WHEN_PLAIN = frozenset({"cac"})
_WORD = re.compile(r"[^\s?!,;.]+(?:\.[^\s?!,;.]+)*")


def _fold_char(char: str) -> str:
    if char == "đ":
        return "d"
    base = "".join(
        part for part in unicodedata.normalize("NFD", char) if unicodedata.category(part) != "Mn"
    )
    return base if len(base) == 1 else char


def fold(text: str) -> str:
    """Lower-case without diacritics: "Tỷ lệ rời bỏ tháng trước" -> "ty le roi bo thang truoc".

    Character for character, so positions in the folded text are positions in the typed one.
    """
    return "".join(_fold_char(char) for char in unicodedata.normalize("NFC", text.casefold()))


def _quarter(found: re.Match[str]) -> str:
    written = found.group(1)
    number = _ROMAN.get(written) or int(written)
    return f" q{number} {found.group(2) or ''} "


def _half(found: re.Match[str]) -> str:
    number = 1 if found.group(1) == "dau" else 2
    return f" h{number} {found.group(2) or ''} "


def _last_n(found: re.Match[str]) -> str:
    return f" last {found.group(1)} {_UNITS[found.group(2)]} "


def _month(found: re.Match[str]) -> str:
    number = int(found.group(1))
    if not 1 <= number <= 12:
        return found.group()
    if found.group(2):
        return f" {found.group(2)}-{number:02d} "
    return f" {_ENGLISH_MONTHS[number - 1]} "


def _year(found: re.Match[str]) -> str:
    return f" {found.group(1)} "


_PATTERNS = (
    (re.compile(rf"\bquy\s*([1-4]|iv|iii|ii|i)\b{_YEAR}"), _quarter),
    (re.compile(r"\b(?:6 thang|nua) (dau|cuoi) nam(?:\s*(\d{4}))?"), _half),
    (re.compile(rf"\b(\d{{1,4}})\s*({_UNIT})\s*(?:qua|gan day|gan nhat|vua qua|truoc)\b"), _last_n),
    (re.compile(r"\bthang\s*(\d{1,2})()\s*nam nay\b"), _month),
    (re.compile(rf"\bthang\s*(\d{{1,2}})\b{_YEAR}"), _month),
    (re.compile(r"\bnam\s*(\d{4})\b"), _year),
)


def _apply_patterns(typed: str) -> str:
    """`typed` with its periods in English; patterns match the folded text, same positions."""
    for pattern, english in _PATTERNS:
        pieces: list[str] = []
        last = 0
        for found in pattern.finditer(fold(typed)):
            pieces += [typed[last : found.start()], english(found)]
            last = found.end()
        typed = "".join([*pieces, typed[last:]])
    return typed


@cache
def _vocabulary() -> Vocabulary:
    return build_vocabulary(
        METRICS, PHRASES, FILLERS, key=fold, joiner=" ", size=lambda phrase: len(phrase.split())
    )


def _is_filler(word: Word) -> bool:
    plain = word.typed == word.key
    return word.key in _vocabulary().fillers and not (plain and word.key in _ENGLISH_WHEN_PLAIN)


def _words(text: str) -> list[Word]:
    """Typed words paired with their folded keys, periods already rewritten."""
    typed = _apply_patterns(unicodedata.normalize("NFC", text.casefold()))
    return [Word(word, fold(word)) for word in _WORD.findall(typed)]


def vietnamese_to_english(text: str) -> str:
    """A Vietnamese question in the English parser's words: "tỷ lệ rời bỏ theo kênh tháng
    trước" -> "customer_churn_rate by channel last month"."""
    return translate(_words(text), _vocabulary(), is_filler=_is_filler)
