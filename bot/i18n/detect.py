"""Which language a question is written in: Thai, Vietnamese or English.

Thai is told by its script. Vietnamese by the letters only it uses (ă, ơ, ư, đ, tone
marks), or, when typed without diacritics ("ty le roi bo thang truoc"), by its words.
"""

from __future__ import annotations

import re
import unicodedata

from bot.core.languages import LANGUAGES, Language

__all__ = ["LANGUAGES", "Language", "as_language", "detect_language", "is_language"]

_THAI = re.compile(r"[\u0e00-\u0e7f]")
_VIETNAMESE_LETTERS = frozenset(
    "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
# Vietnamese words written without diacritics that English questions do not contain.
_VIETNAMESE_WORDS = frozenset(
    {
        "thang", "truoc", "quy", "nam", "ngoai", "tuan", "ngay", "qua", "theo", "kenh",
        "phan", "khuc", "khach", "hang", "doanh", "thu", "ty", "le", "roi", "bo", "phi",
        "hut", "gia", "tri", "tron", "doi", "chuyen", "hoan", "von", "xu", "huong", "giai",
        "thich", "giup", "nhe", "bao", "nhieu", "cua", "voi", "cung", "ky", "tiep", "thi",
        "dinh", "tieu", "chi", "trang", "web", "ban", "tiem", "nang", "moi", "dung", "thuong",
        "vu", "huy", "mot", "hai", "gi", "sao", "nhu", "nao", "toi", "minh", "xem", "nay",
        "la", "tinh", "duoc", "khong", "tong", "trung", "binh", "sang", "nhat", "tu", "den",
        "gio", "hom", "chot", "mat", "lau",
    }
)  # fmt: skip
# Words of that list no English question contains: one of them is enough.
_ONLY_VIETNAMESE = frozenset(
    {
        "cua", "cach", "duoc", "nhieu", "truoc", "quy", "thang", "tuan", "ngay", "kenh",
        "khuc", "khach", "bao", "nhu", "tinh", "nhat", "trung", "binh", "gio", "hom", "chot",
        "khong", "voi", "cung", "xem", "minh", "giup", "nguoi", "nhe", "huong", "nay",
        "cuoi", "sang", "dau", "theo", "bn", "hqua", "kh", "xai", "ntn",
    }
)  # fmt: skip
_WORD = re.compile(r"[a-z]+")
_MIN_VIETNAMESE_WORDS = 2


def _folded_words(text: str) -> list[str]:
    stripped = unicodedata.normalize("NFD", text.casefold())
    plain = "".join(char for char in stripped if unicodedata.category(char) != "Mn")
    return _WORD.findall(plain.replace("đ", "d"))


def detect_language(text: str) -> Language:
    """ "th" for Thai script, "vi" for Vietnamese (with or without diacritics), else "en"."""
    if _THAI.search(text):
        return "th"
    lowered = unicodedata.normalize("NFC", text.casefold())
    if any(char in _VIETNAMESE_LETTERS for char in lowered):
        return "vi"
    words = set(_folded_words(lowered))
    found = words & _VIETNAMESE_WORDS
    enough = len(found) >= _MIN_VIETNAMESE_WORDS or bool(words & _ONLY_VIETNAMESE)
    return "vi" if enough else "en"


def is_language(code: str) -> bool:
    """Whether `code` is a language the bot answers in."""
    return code in LANGUAGES


def as_language(code: str) -> Language:
    """`code` as a supported language (configuration is validated before it gets here)."""
    for language in LANGUAGES:
        if language == code:
            return language
    raise ValueError(f"unsupported language {code!r}")
