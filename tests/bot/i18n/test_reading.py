"""Language detection, Thai tokenisation, Vietnamese folding and the rewrite to English."""

from __future__ import annotations

import pytest

from bot.i18n import detect_language, to_english
from bot.i18n.messages import HELP_EXAMPLES
from bot.i18n.thai import tokenize
from bot.i18n.vietnamese import fold
from tests.bot.parser.corpus import QUESTIONS


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("CAC ไตรมาสที่แล้ว", "th"),
        ("ต้นทุนการได้ลูกค้า", "th"),
        ("tỷ lệ rời bỏ tháng trước", "vi"),
        ("ty le roi bo thang truoc", "vi"),
        ("cac thang nay", "vi"),
        ("chi phí", "vi"),
        ("cac last quarter by channel", "en"),
        ("churn by segment this year vs last year", "en"),
        ("nps", "en"),
    ],
)
def test_language_is_detected(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_english_questions_stay_english() -> None:
    english = [question for question, *_ in QUESTIONS] + list(HELP_EXAMPLES)
    assert [text for text in english if detect_language(text) != "en"] == []


def test_thai_compounds_stay_one_word() -> None:
    assert tokenize("ต้นทุนการได้ลูกค้าเดือนที่แล้วเท่าไหร่ครับ") == [
        "ต้นทุนการได้ลูกค้า",
        "เดือนที่แล้ว",
        "เท่าไหร่",
        "ครับ",
    ]


def test_latin_runs_inside_thai_are_kept_whole() -> None:
    assert tokenize("ช่องทาง paid search ไตรมาส") == ["ช่องทาง", "paid", "search", "ไตรมาส"]


@pytest.mark.parametrize(
    ("thai", "english"),
    [
        # a space between two Thai words ends a phrase, as a comma would
        ("CAC ไตรมาสที่แล้ว ตามช่องทาง", "cac last quarter , by channel"),
        ("mrr ไตรมาส 3 ปี 2569", "mrr q3 2026"),
        ("mrr ไตรมาส ๓ ปี ๒๕๖๙", "mrr q3 2026"),
        ("nps เดือนกันยายน พ.ศ. 2569", "nps september 2026"),
        ("leads 7 วันที่ผ่านมา", "leads last 7 days"),
        ("cac ครึ่งปีหลัง ปี 2026", "cac h2 2026"),
        ("จํานวนลูกค้าใหม่", "new_customers"),
        ("ลีดเป็นลูกค้า ตั้งแต่ 3 ก.พ. ถึง 17 มี.ค.", "leads to customers from 3 february to 17 march"),
        ("ลีดตั้งแต่มีนาถึงตอนนี้", "leads since march so far"),
        ("ลีด 1-15 ต.ค.", "leads 1 october to 15 october"),
        ("ลีด 1/10 ถึง 15/10", "leads 1 october to 15 october"),
        ("mrr ต.ค. 68", "mrr october 2025"),
        ("sql 2ไตรมาสล่าสุด", "sql last 2 quarters"),
        ("ช่องทางไหนได้ลูกค้าใหม่มากที่สุด", "by channel new_customers most"),
        ("ลีดจากไลน์เดือนนี้กี่ตัว", "leads from ไลน์ this month how many"),
        ("คาดการณ์ลีดเดือนหน้า", "forecast leads next month"),
        ("ลูกค้าใหม่เดือนนี้ เทียบกับเดือนก่อนหน้า", "new_customers this month , vs previous"),
    ],
)
def test_thai_periods_and_metrics_become_english(thai: str, english: str) -> None:
    assert to_english(thai, "th") == english


def test_vietnamese_folds_to_plain_letters() -> None:
    assert fold("Tỷ lệ rời bỏ Đầu tháng") == "ty le roi bo dau thang"
    assert len(fold("Quý trước")) == len("Quý trước")


@pytest.mark.parametrize(
    ("vietnamese", "english"),
    [
        ("tỷ lệ rời bỏ tháng trước", "customer_churn_rate last month"),
        ("ty le roi bo thang truoc", "customer_churn_rate last month"),
        ("CAC quý III/2026", "cac q3 2026"),
        ("mrr tháng 9/2026", "mrr 2026-09"),
        ("mrr tháng 9 năm nay", "mrr september this year"),
        # a word typed with its marks is that word: "mỗi" (each), never "mới" (new)
        ("mrr mỗi tháng", "mrr per month"),
        ("mrr moi thang truoc", "mrr_new last month"),
        ("lead từ quảng cáo Google", "lead from google ads"),
        ("leads 30 ngày qua", "leads last 30 days"),
        ("phân khúc smb kênh paid search", "segment smb channel paid search"),
        ("cac của các kênh", "cac channel"),
        ("tong chi phi theo kenh Q3/2026", "total_spend by channel q3 2026"),
        ("Số MQL từ 1/9 đến 15/10", "number of mql from 1 september to 15 october"),
        ("MQL sang SQL tuần bắt đầu từ 12/10", "mql_to_sql week of 12 october"),
        ("PQL rate từ T3 đến nay", "pql rate since march so far"),
        ("win rate từ tháng 3 đến tháng 5", "win rate from march to in may"),
        ("CAC từ đầu năm đến giờ", "cac ytd"),
        ("lead hôm qua", "lead yesterday"),
        ("bao nhiêu deal tháng trước", "deals last month"),
        ("ti le tu lead len SQL", "rate from lead to sql"),
        ("Tôi muốn xem lead tới SQL", "lead to sql"),
        ("mrr moi (new mrr)", "mrr_new new mrr"),
        ("tỷ lệ churn trung bình mỗi tháng", "customer_churn_monthly"),
        ("kenh nao ra nhieu khach moi nhat", "by channel new_customers most"),
        (
            "Tỷ lệ mở email tuần trước thôi, khỏi so sánh nhé",
            "email_open_rate last week , no comparison",
        ),
        ("CAC có tăng không, so sánh với tháng trước", "cac tăng , vs last month"),
        ("CAC tháng sau dự kiến", "cac next month forecast"),
        ("CAC không tính paid search", "cac excluding paid search"),
    ],
)
def test_vietnamese_periods_and_metrics_become_english(vietnamese: str, english: str) -> None:
    assert to_english(vietnamese, "vi") == english


@pytest.mark.parametrize(
    ("text", "language"), [("CAC ไตรมาสที่แล้วเฟอร์นิเจอร์", "th"), ("cac tháng trước bánh mì", "vi")]
)
def test_unknown_words_are_kept_as_typed(text: str, language: str) -> None:
    assert to_english(text, language).endswith(("เฟอร์นิเจอร์", "bánh mì"))  # type: ignore[arg-type]


def test_english_is_not_rewritten() -> None:
    assert to_english("CAC last quarter?", "en") == "CAC last quarter?"
