"""The words of `/funnel alert`, `target` and `subscribe` in Thai and Vietnamese.

A command is named by its English word or by its Thai or Vietnamese one (`/funnel
แจ้งเตือน …`, `/funnel cảnh báo …`), and the language it is answered in is the word's,
or else the language of what follows it (`bot.i18n.detect_language`), as for questions.
The rules, bounds, frequencies and schedules are then rewritten into the English words
the commands read ("ต่ำกว่า" → "below", "mỗi thứ hai" → "every monday"); the figure and the
question stay as typed, for `bot.i18n.to_english` and the parser.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from bot.i18n import Language, detect_language

__all__ = ["COMMAND_START", "Command", "Verb", "in_command_english", "read_command"]


class Verb(StrEnum):
    ALERT = "alert"
    ALERTS = "alerts"
    TARGET = "target"
    TARGETS = "targets"
    SUBSCRIBE = "subscribe"
    SUBSCRIPTIONS = "subscriptions"


_VERBS: Mapping[str, tuple[Verb, Language]] = MappingProxyType(
    {
        "alert": (Verb.ALERT, "en"),
        "alerts": (Verb.ALERTS, "en"),
        "target": (Verb.TARGET, "en"),
        "targets": (Verb.TARGETS, "en"),
        "subscribe": (Verb.SUBSCRIBE, "en"),
        "subscriptions": (Verb.SUBSCRIPTIONS, "en"),
        "รายการแจ้งเตือน": (Verb.ALERTS, "th"),
        "แจ้งเตือน": (Verb.ALERT, "th"),
        "รายการเป้าหมาย": (Verb.TARGETS, "th"),
        "ตั้งเป้า": (Verb.TARGET, "th"),
        "เป้าหมาย": (Verb.TARGET, "th"),
        "รายการสมัครรับ": (Verb.SUBSCRIPTIONS, "th"),
        "สมัครรับ": (Verb.SUBSCRIBE, "th"),
        "danh sách cảnh báo": (Verb.ALERTS, "vi"),
        "cảnh báo": (Verb.ALERT, "vi"),
        "danh sách mục tiêu": (Verb.TARGETS, "vi"),
        "mục tiêu": (Verb.TARGET, "vi"),
        "danh sách đăng ký": (Verb.SUBSCRIPTIONS, "vi"),
        "đăng ký": (Verb.SUBSCRIBE, "vi"),
    }
)
_VERB_WORDS = sorted(_VERBS, key=len, reverse=True)
# Whether a slash command's text manages alerts, targets or subscriptions.
COMMAND_START = re.compile(
    r"^\s*(?:" + "|".join(re.escape(word) for word in _VERB_WORDS) + r")(?=\s|$)",
    re.IGNORECASE,
)

# Thai is written without spaces between words: a word is replaced wherever it occurs.
_THAI = {
    "ต่ำกว่าเป้า": "misses target", "ไม่ถึงเป้า": "misses target", "พลาดเป้า": "misses target",
    "ต่ำกว่า": "below", "น้อยกว่า": "below", "สูงกว่า": "above", "มากกว่า": "above",
    "ลดลง": "drops", "เพิ่มขึ้น": "rises", "ผิดปกติ": "unusual",
    "สูงสุด": "max", "ไม่เกิน": "max", "ต่ำสุด": "min", "อย่างน้อย": "min", "ล้าง": "clear",
    "ทุกวันทำงาน": "every weekday", "วันธรรมดา": "every weekday",
    "ทุกวันจันทร์": "every monday", "ทุกวันอังคาร": "every tuesday", "ทุกวันพุธ": "every wednesday",
    "ทุกวันพฤหัสบดี": "every thursday", "ทุกวันพฤหัส": "every thursday",
    "ทุกวันศุกร์": "every friday", "ทุกวันเสาร์": "every saturday", "ทุกวันอาทิตย์": "every sunday",
    "วันจันทร์": "monday", "วันอังคาร": "tuesday", "วันพุธ": "wednesday",
    "วันพฤหัสบดี": "thursday", "วันพฤหัส": "thursday", "วันศุกร์": "friday",
    "วันเสาร์": "saturday", "วันอาทิตย์": "sunday",
    "ทุกวันที่": "every day-of-month", "ทุกวัน": "daily", "รายวัน": "daily",
    "ทุกสัปดาห์": "weekly", "รายสัปดาห์": "weekly", "ทุกเดือน": "monthly", "รายเดือน": "monthly",
    "และ": "and", "เวลา": "at", "สำหรับ": "for",
}  # fmt: skip
# Vietnamese is matched folded (no diacritics), phrase by phrase: "moi" alone may be
# "mới" (new), so "every" is read only before a day's name.
_VIETNAMESE_DAYS = {
    "thu hai": "monday", "thu ba": "tuesday", "thu tu": "wednesday", "thu nam": "thursday",
    "thu sau": "friday", "thu bay": "saturday", "chu nhat": "sunday",
    "ngay lam viec": "weekday", "ngay trong tuan": "weekday",
}  # fmt: skip
_VIETNAMESE = {
    "khong dat muc tieu": "misses target", "truot muc tieu": "misses target",
    "duoi": "below", "thap hon": "below", "tren": "above", "vuot": "above", "cao hon": "above",
    "giam": "drops", "tang": "rises", "bat thuong": "unusual",
    "toi da": "max", "toi thieu": "min", "xoa": "clear",
    "hang ngay": "daily", "moi ngay": "daily", "hang tuan": "weekly", "moi tuan": "weekly",
    "hang thang": "monthly", "moi thang": "monthly", "luc": "at", "va": "and",
    **_VIETNAMESE_DAYS,
    **{f"{every} {day}": f"every {english}" for day, english in _VIETNAMESE_DAYS.items()
       for every in ("moi", "hang", "cac")},
}  # fmt: skip
_LONGEST_PHRASE = max(len(phrase.split()) for phrase in _VIETNAMESE)
# "in #growth": ใน / ที่ (Thai), trong / vào / ở (Vietnamese) before a channel.
_IN_CHANNEL = re.compile(r"(?:ใน|ที่|\btrong|\bvào|\bvao|\bở)\s*(?=<#|#)")
_DAY_OF_MONTH = re.compile(r"every day-of-month\s*(\d{1,2})")


@dataclass(frozen=True, slots=True)
class Command:
    verb: Verb
    rest: str
    language: Language


def read_command(text: str) -> Command | None:
    """The command `text` names, what follows its word, and the language to answer in."""
    found = COMMAND_START.match(text)
    if found is None:
        return None
    verb, language = _VERBS[found[0].strip().lower()]
    rest = text[found.end() :].strip()
    if language == "en" and rest:
        language = detect_language(rest)
    return Command(verb, rest, language)


def in_command_english(text: str, language: Language) -> str:
    """`text` with the Thai or Vietnamese words of rules, bounds and schedules in English."""
    if language != "en":
        text = _IN_CHANNEL.sub(" in ", text)
    if language == "th":
        for word in sorted(_THAI, key=len, reverse=True):
            text = text.replace(word, f" {_THAI[word]} ")
        text = _DAY_OF_MONTH.sub(r"every \1th", text)
    elif language == "vi":
        text = _vietnamese(text)
    return " ".join(text.split())


def _vietnamese(text: str) -> str:
    words = text.split()
    folded = [_folded(word) for word in words]
    out: list[str] = []
    index = 0
    while index < len(words):
        for size in range(_LONGEST_PHRASE, 0, -1):
            phrase = " ".join(folded[index : index + size])
            if phrase in _VIETNAMESE and index + size <= len(words):
                out.append(_VIETNAMESE[phrase])
                index += size
                break
        else:
            out.append(words[index])
            index += 1
    return " ".join(out)


def _folded(word: str) -> str:
    stripped = unicodedata.normalize("NFD", word.casefold()).replace("đ", "d")
    return "".join(char for char in stripped if unicodedata.category(char) != "Mn")
