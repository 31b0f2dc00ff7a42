"""Thai questions to canonical English: numbers and dates by pattern, words by pythainlp.

Thai is written without spaces between words, so the Thai runs of a question are cut
into words by pythainlp's dictionary tokeniser (`newmm`, offline), with a dictionary
extended by our metric and period phrases so compounds such as ต้นทุนการได้ลูกค้า stay
one word. Runs in other scripts (CAC, paid search, q3 2026) are kept as typed.
Buddhist-era years (2569) are read as Common-era years (2026).
"""

from __future__ import annotations

import re
from functools import cache

from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize
from pythainlp.util import Trie, dict_trie

from bot.i18n.vocabulary import Vocabulary, Word, build_vocabulary, translate
from metrics.aliases_th import FILLERS, METRICS, MONTHS, PHRASES

__all__ = ["thai_to_english", "tokenize"]

_BUDDHIST_ERA_OFFSET = 543
_FIRST_BUDDHIST_ERA_YEAR = 2400
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
)  # fmt: skip
_ERA = r"(?:พ\.?\s?ศ\.?|ค\.?\s?ศ\.?)?"
_YEAR = rf"(?:\s*(?:ปี|/)?\s*{_ERA}\s*(\d{{4}}))?"
_UNITS = {"วัน": "days", "สัปดาห์": "weeks", "อาทิตย์": "weeks", "เดือน": "months"}
_UNIT = "|".join(_UNITS)
_MONTH_NAMES = {name: index for index, names in enumerate(MONTHS) for name in names}
_MONTH = "|".join(re.escape(name) for name in sorted(_MONTH_NAMES, key=len, reverse=True))
# NFKC (which the English parser applies) spells ำ as ํ + า; the dictionary spells it ำ.
_NIKHAHIT_AA, _SARA_AM = "\u0e4d\u0e32", "\u0e33"
_THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+")
_OTHER_WORD = re.compile(r"[^\s\u0e00-\u0e7f]+")


def _year(text: str | None) -> str:
    """A written year in the Common era ("" when none was written)."""
    if not text:
        return ""
    number = int(text)
    return str(number - _BUDDHIST_ERA_OFFSET if number >= _FIRST_BUDDHIST_ERA_YEAR else number)


def _quarter(found: re.Match[str]) -> str:
    return f" q{found.group(1)} {_year(found.group(2))} "


def _half(found: re.Match[str]) -> str:
    number = 1 if found.group(1) == "แรก" else 2
    return f" h{number} {_year(found.group(2))} "


def _last_n(found: re.Match[str]) -> str:
    return f" last {found.group(1)} {_UNITS[found.group(2)]} "


def _month_name(found: re.Match[str]) -> str:
    return f" {_ENGLISH_MONTHS[_MONTH_NAMES[found.group(1)]]} {_year(found.group(2))} "


def _month_number(found: re.Match[str]) -> str:
    return f" {_year(found.group(2))}-{int(found.group(1)):02d} "


def _bare_year(found: re.Match[str]) -> str:
    return f" {_year(found.group(1))} "


_PATTERNS = (
    (re.compile(rf"ไตรมาส(?:ที่)?\s*([1-4]){_YEAR}"), _quarter),
    (re.compile(rf"ครึ่ง(?:ปี)?(แรก|หลัง)(?:\s*(?:ของ)?\s*ปี\s*{_ERA}\s*(\d{{4}}))?"), _half),
    (re.compile(rf"(?:ย้อนหลัง|ล่าสุด)\s*(\d{{1,4}})\s*({_UNIT})"), _last_n),
    (re.compile(rf"(\d{{1,4}})\s*({_UNIT})\s*(?:ที่ผ่านมา|ล่าสุด|ย้อนหลัง|หลังสุด)"), _last_n),
    (re.compile(rf"(?:เดือน\s*)?({_MONTH}){_YEAR}"), _month_name),
    (re.compile(r"(?:เดือน\s*)?(?<!\d)(\d{1,2})\s*/\s*(\d{4})"), _month_number),
    (re.compile(rf"ปี\s*{_ERA}\s*(\d{{4}})"), _bare_year),
    (re.compile(r"(?<!\d)(2[4-6]\d\d)(?!\d)"), _bare_year),
)


def _thai_parts(phrase: str) -> list[str]:
    return _THAI_RUN.findall(phrase)


@cache
def _dictionary() -> Trie:
    """pythainlp's word list plus every Thai piece of our phrases."""
    ours = {*PHRASES, *FILLERS, *(name for names in MONTHS for name in names)}
    ours.update(name for names in METRICS.values() for name in names)
    pieces = {piece for phrase in ours for piece in _thai_parts(phrase)}
    return dict_trie(set(thai_words()) | pieces)


@cache
def _vocabulary() -> Vocabulary:
    return build_vocabulary(METRICS, PHRASES, FILLERS, key=str.casefold, joiner="", size=len)


def tokenize(text: str) -> list[str]:
    """Thai runs cut into words with pythainlp; other runs split on spaces."""
    tokens: list[str] = []
    position = 0
    for run in _THAI_RUN.finditer(text):
        tokens += _OTHER_WORD.findall(text[position : run.start()])
        tokens += word_tokenize(
            run.group(), custom_dict=_dictionary(), engine="newmm", keep_whitespace=False
        )
        position = run.end()
    tokens += _OTHER_WORD.findall(text[position:])
    return tokens


def _is_filler(word: Word) -> bool:
    return word.key in _vocabulary().fillers


def thai_to_english(text: str) -> str:
    """A Thai question in the English parser's words: "CAC ไตรมาสที่แล้ว ตามช่องทาง" ->
    "cac last quarter by channel" (Latin words kept as typed, lower-cased)."""
    rewritten = text.translate(_THAI_DIGITS).replace(_NIKHAHIT_AA, _SARA_AM).casefold()
    for pattern, english in _PATTERNS:
        rewritten = pattern.sub(english, rewritten)
    words = [Word(token, token) for token in tokenize(rewritten)]
    return translate(words, _vocabulary(), is_filler=_is_filler)
