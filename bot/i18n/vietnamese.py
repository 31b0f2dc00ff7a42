"""Vietnamese questions to canonical English, with or without diacritics.

Questions and phrases are compared folded: lower-case, diacritics removed, đ read as d,
so "tỷ lệ rời bỏ" and "ty le roi bo" are the same words. Numbers, dates and the named
periods (`PERIODS`) are read by pattern on the folded text first ("quý 3 năm 2026",
"Q3/2026", "từ 1/9 đến 15/10" day first, "tuần bắt đầu từ 12/10", "từ tháng 3 đến nay",
"30 ngày qua", "tháng trước"); the other phrases are then matched longest first within
each clause (no phrase spans a comma).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from bot.i18n.vocabulary import Vocabulary, Word, build_vocabulary, translate
from bot.i18n.words_vi import (
    FILLERS,
    METRICS,
    NEVER_FOLDED,
    NOT_DATES,
    PERIODS,
    PHRASES,
    WHEN_MARKED,
)

__all__ = ["fold", "vietnamese_to_english"]

_ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
)  # fmt: skip
# A month named alone; "may" alone the parser reads as the verb.
_ALONE = {5: "in may"}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "sau": 6, "bay": 7, "tam": 8, "chin": 9}
_UNITS = {"ngay": "days", "tuan": "weeks", "thang": "months", "quy": "quarters", "nam": "years"}
_UNIT = "|".join(_UNITS)
_COUNT = "|".join([r"\d{1,4}", *_NUMBER_WORDS])
_YEAR = r"(?:\s*(?:nam|/|-|,)?\s*(\d{4})|\s+nam nay)?"
_DATE = r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\d/])"
_DAY = rf"(?:ngay\s+)?{_DATE}"
# A period already in English, as the patterns below write it.
_PERIOD = (
    rf"(?:\d{{1,2}} |in )?(?:{'|'.join(_ENGLISH_MONTHS)})(?: \d{{4}})?|\d{{4}}-\d\d(?:-\d\d)?"
    r"|[qh][1-4](?: \d{4})?|\d{4}"
)
# Typed without diacritics these are English words people mix in (and the patterns write:
# "in may", "so far"), not the Vietnamese fillers "các", "mấy" and "số".
_ENGLISH_WHEN_PLAIN = frozenset({"cac", "may", "so", "roi"})
_MARKED_ENGLISH = frozenset(WHEN_MARKED.values())
_CLAUSE = re.compile(r"([,;?!]|\.(?=\s|$))")
_ENDS = {";": ".", "?": ".", "!": ".", ".": ".", ",": ","}
_NO_DATE = re.compile(rf"(?<!\w)(?:{'|'.join(NOT_DATES)})(?!\w)")
_WORD = re.compile(r"[^\s?!,;.()]+(?:\.[^\s?!,;.()]+)*")
# "tỉ lệ" and "tỷ lệ", "kì" and "kỳ", "quí" and "quý" are the same words.
_I_FOR_Y = re.compile(r"\b([tklmhs]|qu)i\b")
_Y_FOR_I = str.maketrans("iíìỉĩị", "yýỳỷỹỵ")
_SHORT_I = re.compile("(?:[tklmhs]|qu)[iíìỉĩị]")


def _fold_char(char: str) -> str:
    if char == "đ":
        return "d"
    base = "".join(
        part for part in unicodedata.normalize("NFD", char) if unicodedata.category(part) != "Mn"
    )
    return base if len(base) == 1 else char


def fold(text: str) -> str:
    """Lower-case without diacritics: "Tỷ lệ rời bỏ tháng trước" -> "ty le roi bo thang truoc".

    Character for character, so positions in the folded text are positions in the typed one;
    the spellings "tỉ" and "tỷ" fold alike ("ty").
    """
    folded = "".join(_fold_char(char) for char in unicodedata.normalize("NFC", text.casefold()))
    return _I_FOR_Y.sub(r"\1y", folded)


def spelled(word: str) -> str:
    """A word with its marks, as compared: "tỉ" and "tỷ" are one spelling."""
    word = unicodedata.normalize("NFC", word.casefold())
    if _SHORT_I.fullmatch(word):
        return word[:-1] + word[-1].translate(_Y_FOR_I)
    return word


def _quarter(found: re.Match[str]) -> str:
    written = found.group(1)
    number = _ROMAN.get(written) or int(written)
    return f" q{number} {found.group(2) or ''} "


def _half(found: re.Match[str]) -> str:
    number = 1 if found.group(1) == "dau" else 2
    year = found.group(2) or ("last year" if found.group(3) else "")
    return f" h{number} {year} "


def _last_n(found: re.Match[str]) -> str:
    count = _NUMBER_WORDS.get(found.group(1)) or found.group(1)
    return f" last {count} {_UNITS[found.group(2)]} "


def _next_n(found: re.Match[str]) -> str:
    return f" next {found.group(1)} {_UNITS[found.group(2)]} "


def _month(found: re.Match[str]) -> str:
    number = int(found.group(1))
    if not 1 <= number <= 12:
        return found.group()
    if found.group(2):
        return f" {found.group(2)}-{number:02d} "
    if found.group().endswith("nam nay"):
        return f" {_ENGLISH_MONTHS[number - 1]} this year "
    return f" {_ALONE.get(number, _ENGLISH_MONTHS[number - 1])} "


def _year(found: re.Match[str]) -> str:
    return f" {found.group(1)} "


def _day_words(day: str, month: str, year: str | None) -> str | None:
    """A day written day first ("15/10", "15/10/2026") as the parser reads it, if valid."""
    if not (1 <= int(day) <= 31 and 1 <= int(month) <= 12):
        return None
    if year:
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return f"{int(day)} {_ENGLISH_MONTHS[int(month) - 1]}"


def _day(found: re.Match[str]) -> str:
    written = _day_words(*found.group(1, 2, 3))
    return found.group() if written is None else f" {written} "


def _days(found: re.Match[str]) -> str:
    first, last = _day_words(*found.group(1, 2, 3)), _day_words(*found.group(4, 5, 6))
    return found.group() if first is None or last is None else f" from {first} to {last} "


def _week_of(found: re.Match[str]) -> str:
    written = _day_words(*found.group(1, 2, 3))
    return found.group() if written is None else f" week of {written} "


def _since(found: re.Match[str]) -> str:
    return f" since {found.group(1)} "


def _from_to(found: re.Match[str]) -> str:
    return f" from {found.group(1)} to {found.group(2)} "


def _words_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """Any of `phrases` as whole words of the folded text, the longest first."""
    keys = sorted((fold(phrase).split() for phrase in phrases), key=len, reverse=True)
    return re.compile(
        r"\b(?:" + "|".join(r"\s+".join(map(re.escape, key)) for key in keys) + r")\b"
    )


_PERIOD_WORDS = {" ".join(fold(phrase).split()): english for phrase, english in PERIODS.items()}


def _named_period(found: re.Match[str]) -> str:
    return f" {_PERIOD_WORDS[' '.join(found.group().split())]} "


_PATTERNS = (
    (re.compile(r"(?<=\d)[.,](?=\d{3}(?!\d))"), lambda _found: ""),  # 5.000 and 5,000 are 5000
    # a threshold in a yes-or-no question, said as the English parser reads it
    (re.compile(r"\b(?:hon|vuot qua|vuot|tren|nhieu hon)\s+(?=\d)"), lambda _found: " above "),
    (re.compile(r"\b(?:duoi|it hon|khong toi|chua toi)\s+(?=\d)"), lambda _found: " below "),
    (
        re.compile(r"\b(?:dat|cham|cham moc|toi)\s+(?=\d[\d,.]*\s*(?:%|trieu|ty|k\b))"),
        lambda _found: " hit ",
    ),
    (re.compile(r"(\d)\s*(?:trieu|tr)\b"), lambda found: f"{found.group(1)}m "),
    (re.compile(r"(\d)\s*ty\b"), lambda found: f"{found.group(1)}bn "),
    (re.compile(r"(\d)\s*(?:nghin|ngan)\b"), lambda found: f"{found.group(1)}k "),
    (re.compile(rf"\b(?:tu\s+)?{_DAY}\s*(?:den|toi|-|–)\s*{_DAY}"), _days),
    (re.compile(rf"\btuan\s+(?:bat dau\s+|co\s+|chua\s+)?(?:tu\s+)?{_DAY}"), _week_of),
    (re.compile(r"\bngay\s+(\d{1,2})\s+thang\s+(\d{1,2})(?:\s*(?:nam|/|,)?\s*(\d{4}))?"), _day),
    (re.compile(rf"\b{_DAY}"), _day),
    (re.compile(rf"\b(?:quy|q)\s*([1-4]|iv|iii|ii|i)\b{_YEAR}"), _quarter),
    (
        re.compile(
            r"\b(?:6 thang|nua|nua nam) (dau|cuoi)(?: nam)?(?:\s*(\d{4})|\s+nay|\s+(ngoai|truoc))?"
        ),
        _half,
    ),
    # before the months: "theo tháng 12 tháng gần nhất" is by month, the last 12 months
    (
        re.compile(
            rf"\b({_COUNT})\s*({_UNIT})\s*(?:tron ven\s*|day du\s*)?"
            r"(?:qua|gan day|gan nhat|vua qua|vua roi|truoc|tro lai day)\b"
        ),
        _last_n,
    ),
    (re.compile(rf"\b(?:thang\s*|t)(\d{{1,2}})\b{_YEAR}"), _month),
    (re.compile(r"\b(\d{1,2})/(\d{4})\b"), _month),
    (re.compile(rf"\b(\d{{1,4}})\s*({_UNIT})\s*(?:toi|sap toi|tiep theo|sau)\b"), _next_n),
    (re.compile(r"\bnam\s*(\d{4})\b"), _year),
    (_words_pattern(PERIODS), _named_period),
    (re.compile(rf"\btu\s+({_PERIOD})\s+(?:den|toi)\s+({_PERIOD})\b"), _from_to),
    (re.compile(rf"\btu\s+({_PERIOD})\b"), _since),
    # "biểu đồ mrr 6 tháng": a count of units with nothing after them is the last ones
    (re.compile(rf"\b(\d{{1,2}})\s*({_UNIT})\b(?!\s*\w)"), _last_n),
)


def _apply_patterns(typed: str) -> str:
    """`typed` with its periods in English; patterns match the folded text, same positions,
    except where the marks say it is no date ("deal thắng 7 ngày qua" is no "tháng 7")."""
    for pattern, english in _PATTERNS:
        pieces: list[str] = []
        last = 0
        for found in pattern.finditer(fold(typed)):
            if _NO_DATE.search(typed, found.start(), found.end()):
                continue
            pieces += [typed[last : found.start()], english(found)]
            last = found.end()
        typed = "".join([*pieces, typed[last:]])
    return typed


@cache
def _vocabulary() -> Vocabulary:
    """The phrases, with the fillers of several words as phrases that read as nothing."""
    silent = {filler: "" for filler in FILLERS if " " in filler}
    return build_vocabulary(
        METRICS,
        {**silent, **PHRASES},
        FILLERS,
        key=fold,
        joiner=" ",
        size=lambda phrase: len(phrase.split()),
        spelled=spelled,
    )


def _is_filler(word: Word) -> bool:
    if word.key not in _vocabulary().fillers or word.typed in _MARKED_ENGLISH:
        return False
    return not (word.typed == word.key and word.key in _ENGLISH_WHEN_PLAIN)


# "anh Minh chốt được bao nhiêu deal": a form of address and a capitalised name doing the
# selling is a person, and figures per person are a breakdown the store cannot make ("em
# Lan hỏi CAC" only says who is asking).
_ADDRESSED = re.compile(
    r"(?i:\b(?:anh|chị|chi|em|bạn|cô|chú|ông|bà|sếp)\s+)(\w+)"
    r"(?=(?i:\s+(?:đã\s+|đang\s+)?(?:chốt|ký|bán|thắng|mang về|đem về|kéo về|đạt|mất)))"
)


def _person(found: re.Match[str]) -> str:
    name = found.group(1)
    return " rep " if name[:1].isupper() and name[1:].islower() else found.group(0)


def _word(typed: str) -> Word:
    key = typed if typed in NEVER_FOLDED else fold(typed)
    return Word(WHEN_MARKED.get(typed, typed), key)


def _clauses(text: str) -> list[tuple[list[Word], str]]:
    """Typed words paired with their folded keys, periods already rewritten, clause by
    clause (no phrase spans a comma), each with the mark that ends it; a word that means
    something else only with its marks ("tới", not "tôi") is typed as its English."""
    named = _ADDRESSED.sub(_person, unicodedata.normalize("NFC", text))
    typed = _apply_patterns(named.casefold())
    pieces = _CLAUSE.split(typed)
    return [
        ([_word(written) for written in _WORD.findall(clause)], end)
        for clause, end in zip(pieces[::2], [*pieces[1::2], ""], strict=True)
    ]


def vietnamese_to_english(text: str) -> str:
    """A Vietnamese question in the English parser's words: "tỷ lệ rời bỏ theo kênh tháng
    trước" -> "customer_churn_rate by channel last month". A sentence ends where it did, so
    the parser can tell the question from the asker's context."""
    english = [
        f"{translate(words, _vocabulary(), is_filler=_is_filler)} {_ENDS.get(end, '')}"
        for words, end in _clauses(text)
    ]
    return " ".join(" ".join(english).split())
