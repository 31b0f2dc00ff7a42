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
from typing import TYPE_CHECKING

from bot.i18n.vocabulary import Vocabulary, Word, build_vocabulary, translate
from bot.i18n.words_th import FILLERS, METRICS, MONTHS, PHRASES, STAGE_LINKS, STAGES

if TYPE_CHECKING:
    from pythainlp.util import Trie

__all__ = ["thai_to_english", "tokenize"]

_BUDDHIST_ERA_OFFSET = 543
_FIRST_BUDDHIST_ERA_YEAR = 2400
# A two-digit year from 43 on is Buddhist era (ปี68 = 2568 = 2025), below it Common era.
_FIRST_SHORT_BUDDHIST_YEAR = 43
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
)  # fmt: skip
_UNITS = {
    "วัน": "days", "สัปดาห์": "weeks", "อาทิตย์": "weeks", "เดือน": "months",
    "ไตรมาส": "quarters", "ปี": "years",
}  # fmt: skip
_UNIT = "|".join(_UNITS)
_COUNTED = "|".join(unit for unit in _UNITS if unit != "ปี")
_ERA = r"(?:พ\.?\s?ศ\.?|ค\.?\s?ศ\.?)?"
# A year after a period: four digits, or two ("ต.ค. 68"), but not a count ("ไตรมาส3 30วัน").
_YEAR_DIGITS = rf"(\d{{4}}|\d{{2}})(?!\d|\s*(?:{_UNIT}))"
_YEAR = rf"(?:\s*(?:ปี|/)?\s*{_ERA}\s*{_YEAR_DIGITS})?"
_MONTH_NAMES = {name: index for index, names in enumerate(MONTHS) for name in names}
_MONTH = "|".join(re.escape(name) for name in sorted(_MONTH_NAMES, key=len, reverse=True))
_DAY = r"(?<![\d/])(\d{1,2})"
# "ตั้งแต่ X ถึง Y" is a range ("from X to Y"); "ตั้งแต่ X (ถึงตอนนี้)" is "since X".
_UNTIL_NOW = r"(?:ตอนนี้|ปัจจุบัน|วันนี้)"
_FROM_TO = re.compile(rf"ตั้งแต่(?=(?:(?!ตั้งแต่).)*?(?:ถึง| to )(?!\s*{_UNTIL_NOW}))")
_STAGE = "|".join(re.escape(name) for name in sorted(STAGES, key=len, reverse=True))
_LINK = "|".join(re.escape(link) for link in sorted(STAGE_LINKS, key=len, reverse=True))
# "ลีด(ที่ได้)กลายเป็นลูกค้า", "จาก sql เป็น opp": the first stage in English, then "to".
_STAGE_TO_STAGE = re.compile(
    rf"(?:จาก\s*)?(?<![a-z])({_STAGE})\s*(?:ที่)?(?:ได้)?\s*(?:{_LINK})\s*(?=(?:{_STAGE})(?![a-z]))"
)
# NFKC (which the English parser applies) spells ำ as ํ + า; the dictionary spells it ำ.
_NIKHAHIT_AA, _SARA_AM = "\u0e4d\u0e32", "\u0e33"
_THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+")
_OTHER_WORD = re.compile(r"[^\s\u0e00-\u0e7f]+")


def _year(text: str | None) -> str:
    """A written year in the Common era ("" when none was written)."""
    if not text:
        return ""
    number = int(text)
    if len(text) == 2:
        short_buddhist = number >= _FIRST_SHORT_BUDDHIST_YEAR
        return str(number + 2500 - _BUDDHIST_ERA_OFFSET if short_buddhist else number + 2000)
    return str(number - _BUDDHIST_ERA_OFFSET if number >= _FIRST_BUDDHIST_ERA_YEAR else number)


def _quarter(found: re.Match[str]) -> str:
    return f" q{found.group(1)} {_year(found.group(2))} "


def _half(found: re.Match[str]) -> str:
    number = 1 if found.group(1) == "แรก" else 2
    return f" h{number} {_year(found.group(2))} "


def _half_number(found: re.Match[str]) -> str:
    return f" h{found.group(1)} {_year(found.group(2))} "


def _last_n(found: re.Match[str]) -> str:
    return f" last {found.group(1)} {_UNITS[found.group(2)]} "


def _month(name: str) -> str:
    return _ENGLISH_MONTHS[_MONTH_NAMES[name]]


def _month_name(found: re.Match[str]) -> str:
    return f" {_month(found.group(1))} {_year(found.group(2))} "


def _days_of_month(found: re.Match[str]) -> str:
    first, last, month, year = found.groups()
    return f" {first} {_month(month)} {_year(year)} to {last} {_month(month)} {_year(year)} "


def _day_of_month(found: re.Match[str]) -> str:
    return f" {found.group(1)} {_month(found.group(2))} {_year(found.group(3))} "


def _day_number(found: re.Match[str]) -> str:
    """A day written d/m or d/m/y, as Thai write it; left as typed when it is no date."""
    day, month, year = int(found.group(1)), int(found.group(2)), found.group(3)
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return found.group(0)
    return f" {day} {_ENGLISH_MONTHS[month - 1]} {_year(year)} "


def _month_number(found: re.Match[str]) -> str:
    return f" {_year(found.group(2))}-{int(found.group(1)):02d} "


def _numbered_month(found: re.Match[str]) -> str:
    """ "เดือน 9 (ปี 2569)": a month by its number, of that year or the latest one begun."""
    name = _ENGLISH_MONTHS[int(found.group(1)) - 1]
    return f" {name} {_year(found.group(2))} "


def _bare_year(found: re.Match[str]) -> str:
    return f" {_year(found.group(1))} "


def _stage_link(found: re.Match[str]) -> str:
    return f" {STAGES[found.group(1)]} to "


# A polite particle, a space, more Thai: the sentence ended ("…หน่อยครับ ผู้บริหารจะเอาไป…"),
# so what follows may be the asker's context.
_SENTENCE_END = re.compile(r"(ครับ|ค่ะ|คะ|จ้า|จ้ะ)\s+(?=[\u0e01-\u0e4e])")
# A space between two Thai words ends a phrase, as a comma would ("ตัวเลขดูแปลกๆนะ รบกวน…").
_PHRASE_END = re.compile(r"(?<=[\u0e01-\u0e4e])\s+(?=[\u0e01-\u0e4e])")
# "npsQ3": a Latin word glued to the quarter after it (Thai leaves no space between them).
_GLUED_PERIOD = re.compile(r"([a-z]{2,})(q[1-4]|h[12])(?![a-z])")
_PATTERNS = (
    (re.compile(r"(?<=\d),(?=\d{3}(?!\d))"), lambda _found: ""),  # 8,000 is 8000
    # a threshold in a yes-or-no question, said as the English parser reads it
    (re.compile(r"(?:เกิน|ทะลุ|มากกว่า|สูงกว่า)\s*(?=\d)"), lambda _found: " above "),
    (re.compile(r"(?:ต่ำกว่า|น้อยกว่า|ไม่ถึง)\s*(?=\d)"), lambda _found: " below "),
    (re.compile(r"ถึง\s*(?=\d[\d,.]*\s*%)"), lambda _found: " hit "),
    (re.compile(r"(\d)\s*ล้าน"), lambda found: f"{found.group(1)}m "),
    (re.compile(r"(\d)\s*พัน"), lambda found: f"{found.group(1)}k "),
    (re.compile(r"(\d)\s*บาท"), lambda found: f"{found.group(1)} "),
    (re.compile(rf"ไตรมาส(?:ที่)?\s*([1-4]){_YEAR}"), _quarter),
    (
        re.compile(rf"(?<![a-z])h\s*([12])\s*/\s*{_ERA}\s*{_YEAR_DIGITS}", re.IGNORECASE),
        _half_number,
    ),
    (
        re.compile(r"(?<![a-z])(wk|week|month|quarter|qtr|year|yr)\s*นี้"),
        lambda found: f" this {found.group(1)} ",
    ),
    (
        re.compile(r"(?<![a-z])(wk|week|month|quarter|qtr|year|yr)\s*ที่แล้ว"),
        lambda found: f" last {found.group(1)} ",
    ),
    (re.compile(rf"(?<![a-z])q\s*([1-4])\s*/\s*{_ERA}\s*{_YEAR_DIGITS}", re.IGNORECASE), _quarter),
    (re.compile(rf"ครึ่ง(?:ปี)?(แรก|หลัง)(?:\s*(?:ของ)?\s*ปี\s*{_ERA}\s*{_YEAR_DIGITS})?"), _half),
    (re.compile(rf"(?:ย้อนหลัง|ล่าสุด)\s*(\d{{1,4}})\s*({_UNIT})"), _last_n),
    (
        re.compile(rf"(?<![qQ\d])(\d{{1,4}})\s*({_UNIT})\s*(?:ที่ผ่านมา|ที่แล้ว|ล่าสุด|ย้อนหลัง|หลังสุด)"),
        _last_n,
    ),
    # "สัปดาห์ที่มีวันที่ 5 พ.ย.": the week of that day
    (
        re.compile(
            rf"(?:สัปดาห์|อาทิตย์)\s*(?:ที่มี|ของ)?\s*(?:วันที่)?\s*(?={_DAY}\s*(?:เดือน\s*)?(?:{_MONTH}))"
        ),
        lambda _found: " week of ",
    ),
    (re.compile(rf"{_DAY}\s*[-–]\s*(\d{{1,2}})\s*(?:เดือน\s*)?({_MONTH}){_YEAR}"), _days_of_month),
    (re.compile(rf"(?:วันที่\s*)?{_DAY}\s*(?:เดือน\s*)?({_MONTH}){_YEAR}"), _day_of_month),
    (re.compile(rf"(?:เดือน\s*)?({_MONTH}){_YEAR}"), _month_name),
    (re.compile(rf"{_DAY}\s*/\s*(\d{{1,2}})(?:\s*/\s*(\d{{4}}|\d{{2}}))?(?![\d/])"), _day_number),
    (re.compile(r"(?:เดือน\s*)?(?<!\d)(\d{1,2})\s*/\s*(\d{4})"), _month_number),
    (
        re.compile(rf"เดือน(?:ที่)?\s*(1[0-2]|0?[1-9])(?![\d/]|\s*(?:{_COUNTED})){_YEAR}"),
        _numbered_month,
    ),
    (re.compile(rf"ปี\s*{_ERA}\s*{_YEAR_DIGITS}"), _bare_year),
    (re.compile(r"(?<!\d)(2[4-6]\d\d)(?!\d)"), _bare_year),
    (_FROM_TO, lambda _found: " from "),
    (_STAGE_TO_STAGE, _stage_link),
)


@cache
def _dictionary() -> Trie:
    """pythainlp's word list plus our all-Thai phrases (a phrase mixed with Latin words
    is cut at the Latin words anyway, and its Thai pieces alone would glue to neighbours).
    pythainlp is imported on first use: a question without Thai never pays for it."""
    from pythainlp.corpus import thai_words
    from pythainlp.util import dict_trie

    ours = {*PHRASES, *FILLERS, *(name for names in METRICS.values() for name in names)}
    return dict_trie(set(thai_words()) | {phrase for phrase in ours if _THAI_RUN.fullmatch(phrase)})


@cache
def _vocabulary() -> Vocabulary:
    return build_vocabulary(METRICS, PHRASES, FILLERS, key=str.casefold, joiner="", size=len)


def tokenize(text: str) -> list[str]:
    """Thai runs cut into words with pythainlp; other runs split on spaces."""
    from pythainlp.tokenize import word_tokenize

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
    rewritten = _SENTENCE_END.sub(r"\1 . ", rewritten)
    rewritten = _GLUED_PERIOD.sub(r"\1 \2", rewritten)
    for pattern, english in _PATTERNS:
        rewritten = pattern.sub(english, rewritten)
    rewritten = _PHRASE_END.sub(" , ", rewritten)  # after the periods, which spaces split
    words = [Word(token, token) for token in tokenize(rewritten)]
    return " ".join(translate(words, _vocabulary(), is_filler=_is_filler).split())
