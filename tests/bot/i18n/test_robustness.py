"""Any text in any of the three scripts is read without an exception."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.i18n import detect_language, to_english
from bot.parser import KnownValues, parse

THAI_AND_VIETNAMESE = (
    "กขคงจฉชซญดตถทธนบปผพฟมยรลวสหอฮะัาำิีึืุูเแโใไ่้๊๋็์ๆ๐๑๒๓๔๕๖๗๘๙"
    "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
TEXT = st.text(
    alphabet=st.sampled_from(THAI_AND_VIETNAMESE + "abcdeqy0123456789 /:-.,?"), max_size=120
)
WORDS = st.lists(
    st.sampled_from(
        ["ไตรมาส", "ปี", "2569", "3", "เดือน", "ที่แล้ว", "quý", "năm", "tháng", "9/2026", "qua",
         "ngày", "30", "CAC", "ครึ่งปีแรก", "ย้อนหลัง", "iii", "theo", "kênh", "ตามช่องทาง"]
    ),
    max_size=12,
).map(" ".join)  # fmt: skip
KNOWN = KnownValues(channels=("paid_search",), segments=("smb",))


@settings(max_examples=150, deadline=None)
@given(TEXT | WORDS)
def test_any_text_is_rewritten_and_parsed_without_error(text: str) -> None:
    language = detect_language(text)
    assert isinstance(to_english(text, language), str)
    parse(text, today=date(2026, 11, 25), known=KNOWN)
