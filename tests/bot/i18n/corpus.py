"""Thai and Vietnamese questions as people type them, with what each must mean.

Today is 2026-11-25 (a Wednesday). The rows have the shape of the English corpus
(tests/bot/parser/corpus.py): question, what (metric id, or "trend:ID", "explain:ID",
"funnel", "metrics", "help"), period start, period end, filters
("channel=a,b;segment=c" or ""), breakdown ("channel", "segment" or ""), comparison
("previous", "yoy", "none" or "START..END").
"""

from __future__ import annotations

__all__ = ["KNOWN_CHANNELS", "KNOWN_SEGMENTS", "THAI", "TODAY", "VIETNAMESE"]

TODAY = "2026-11-25"
KNOWN_CHANNELS = ("organic", "paid_search", "paid_social", "webinar", "outbound", "referral")
KNOWN_SEGMENTS = ("smb", "mid_market", "enterprise")

OCT = ("2026-10-01", "2026-10-31")
SEP = ("2026-09-01", "2026-09-30")
NOV_TD = ("2026-11-01", "2026-11-25")
Q3 = ("2026-07-01", "2026-09-30")
Q2 = ("2026-04-01", "2026-06-30")
Q4_TD = ("2026-10-01", "2026-11-25")
LAST_WEEK = ("2026-11-16", "2026-11-22")
THIS_WEEK = ("2026-11-23", "2026-11-25")
YEAR_2025 = ("2025-01-01", "2025-12-31")
YTD = ("2026-01-01", "2026-11-25")
LAST_30 = ("2026-10-26", "2026-11-24")
LAST_7 = ("2026-11-18", "2026-11-24")
SIX_MONTHS = ("2026-05-01", "2026-10-31")
THREE_MONTHS = ("2026-08-01", "2026-10-31")
H1 = ("2026-01-01", "2026-06-30")
P, Y = "previous", "yoy"

Row = tuple[str, str, str, str, str, str, str]

THAI: tuple[Row, ...] = (
    # the seed article's metric names, no spaces, polite particles
    ("ต้นทุนการได้ลูกค้าเดือนที่แล้วเท่าไหร่ครับ", "cac", *OCT, "", "", P),
    ("ต้นทุนการได้มาซึ่งลูกค้า ไตรมาสที่แล้ว", "cac", *Q3, "", "", P),
    ("CAC ไตรมาสที่แล้ว ตามช่องทาง", "cac", *Q3, "", "channel", P),
    ("cac ของ smb ปีนี้ค่ะ", "cac", *YTD, "segment=smb", "", P),
    ("ขอดู CAC ช่องทาง paid search เดือนนี้หน่อยครับ", "cac", *NOV_TD, "channel=paid_search", "", P),
    ("CACเดือนที่แล้วเทียบกับปีที่แล้ว", "cac", *OCT, "", "", Y),
    ("ค่าใช้จ่ายในการได้ลูกค้า Q3 2026", "cac", *Q3, "", "", P),
    ("อัตราการเลิกใช้บริการเดือนที่แล้ว", "customer_churn_rate", *OCT, "", "", P),
    ("อัตราการเลิกใช้บริการของ smb ปีนี้", "customer_churn_rate", *YTD, "segment=smb", "", P),
    ("churn ไตรมาสที่แล้ว แยกตามกลุ่มลูกค้า", "customer_churn_rate", *Q3, "", "segment", P),
    (
        "อัตราการเลิกใช้งาน enterprise ไตรมาสนี้ค่ะ",
        "customer_churn_rate",
        *Q4_TD,
        "segment=enterprise",
        "",
        P,
    ),
    ("อัตราการเลิกใช้บริการรายปี ปีนี้", "customer_churn_annualized", *YTD, "", "", P),
    ("มูลค่าตลอดอายุการใช้งานของลูกค้าเดือนที่แล้ว", "ltv", *OCT, "", "", P),
    ("มูลค่าลูกค้าตลอดชีวิต ของ smb", "ltv", *OCT, "segment=smb", "", P),
    ("LTV ไตรมาส 3 ปี 2569", "ltv", *Q3, "", "", P),
    ("LTV:CAC ไตรมาสที่แล้วครับ", "ltv_cac", *Q3, "", "", P),
    ("อัตราส่วน LTV ต่อ CAC ปีนี้", "ltv_cac", *YTD, "", "", P),
    ("อัตราการชนะเดือนที่แล้ว", "win_rate", *OCT, "", "", P),
    ("อัตราการชนะ ตามช่องทาง ไตรมาสที่แล้ว", "win_rate", *Q3, "", "channel", P),
    ("win rate ช่องทาง webinar ปีนี้", "win_rate", *YTD, "channel=webinar", "", P),
    ("อัตราปิดการขายสัปดาห์ที่แล้ว", "win_rate", *LAST_WEEK, "", "", P),
    ("รายได้ประจำเดือนเดือนที่แล้ว", "mrr", *OCT, "", "", P),
    ("MRR เดือนนี้เท่าไหร่คะ", "mrr", *NOV_TD, "", "", P),
    ("mrr ไตรมาส 3 ปี 2026", "mrr", *Q3, "", "", P),
    ("MRR ปีนี้เทียบปีที่แล้ว", "mrr", *YTD, "", "", P),
    ("ARR ปีที่แล้ว", "arr", *YEAR_2025, "", "", P),
    ("การเติบโตของรายได้ประจำเดือน ไตรมาสที่แล้ว", "mrr_growth", *Q3, "", "", P),
    ("คะแนนผู้สนับสนุนสุทธิไตรมาสที่แล้ว", "nps", *Q3, "", "", P),
    ("NPS ของ enterprise ปีนี้ครับ", "nps", *YTD, "segment=enterprise", "", P),
    ("อัตราการแปลงจาก MQL เป็น SQL เดือนที่แล้ว", "mql_to_sql", *OCT, "", "", P),
    (
        "MQL เป็น SQL ช่องทาง paid search 30 วันที่ผ่านมา",
        "mql_to_sql",
        *LAST_30,
        "channel=paid_search",
        "",
        P,
    ),
    ("mql->sql ตามช่องทาง เดือนนี้", "mql_to_sql", *NOV_TD, "", "channel", P),
    ("จำนวน MQL สัปดาห์ที่แล้ว", "mqls", *LAST_WEEK, "", "", P),
    ("SQL เดือนที่แล้ว", "sqls", *OCT, "", "", P),
    ("ลีดใหม่ 7 วันที่ผ่านมา", "leads", *LAST_7, "", "", P),
    ("ผู้เข้าชมเว็บไซต์เดือนนี้", "visitors", *NOV_TD, "", "", P),
    ("อัตราการแปลงเว็บไซต์ไตรมาสที่แล้ว", "visitor_to_lead", *Q3, "", "", P),
    ("อัตราการแปลงจากลีดเป็นลูกค้า ปีนี้", "lead_to_customer", *YTD, "", "", P),
    ("อัตราการแปลงจากการทดลองใช้ฟรีเดือนที่แล้ว", "trial_to_paid", *OCT, "", "", P),
    ("อัตราการเปิดอีเมลสัปดาห์ที่แล้ว", "email_open_rate", *LAST_WEEK, "", "", P),
    ("อัตราการคลิกอีเมล เดือนกันยายน 2569", "email_ctr", *SEP, "", "", P),
    ("ระยะเวลาคืนทุน ของ smb ปีนี้", "payback_months", *YTD, "segment=smb", "", P),
    ("payback ไตรมาสที่แล้ว", "payback_months", *Q3, "", "", P),
    ("รอบการขายเฉลี่ย enterprise ปีนี้", "avg_sales_cycle", *YTD, "segment=enterprise", "", P),
    ("ขนาดดีลเฉลี่ยเดือนที่แล้ว ตามกลุ่มลูกค้า", "avg_deal_size", *OCT, "", "segment", P),
    ("ลูกค้าใหม่เดือนนี้กี่ราย", "new_customers", *NOV_TD, "", "", P),
    ("ค่าใช้จ่ายการตลาดไตรมาสที่แล้ว", "marketing_spend", *Q3, "", "", P),
    ("การรักษารายได้สุทธิ ปีที่แล้ว", "nrr", *YEAR_2025, "", "", P),
    ("CAC เดือนที่แล้ว เทียบกับไตรมาส 2 ปี 2026", "cac", *OCT, "", "", "2026-04-01..2026-06-30"),
    ("cac ครึ่งปีแรก ปี 2026", "cac", *H1, "", "", P),
    # intents
    ("กรวยการขายเดือนที่แล้ว", "funnel", *OCT, "", "", P),
    ("ฟันเนล ไตรมาสที่แล้วครับ", "funnel", *Q3, "", "", P),
    ("แนวโน้ม CAC 6 เดือนที่ผ่านมา", "trend:cac", *SIX_MONTHS, "", "", P),
    ("แนวโน้มอัตราการเลิกใช้บริการ", "trend:customer_churn_rate", *SIX_MONTHS, "", "", P),
    ("เทรนด์ MRR ย้อนหลัง 3 เดือน", "trend:mrr", *THREE_MONTHS, "", "", P),
    ("CAC คืออะไร", "explain:cac", *OCT, "", "", P),
    ("อธิบาย LTV หน่อยครับ", "explain:ltv", *OCT, "", "", P),
    ("อัตราการเลิกใช้บริการคำนวณยังไง", "explain:customer_churn_rate", *OCT, "", "", P),
    ("คะแนนผู้สนับสนุนสุทธิหมายถึงอะไรคะ", "explain:nps", *OCT, "", "", P),
    ("ช่วยด้วย", "help", *OCT, "", "", P),
    ("วิธีใช้", "help", *OCT, "", "", P),
    ("มีตัวชี้วัดอะไรบ้าง", "metrics", *OCT, "", "", P),
    ("ตัวชี้วัดทั้งหมด", "metrics", *OCT, "", "", P),
)

VIETNAMESE: tuple[Row, ...] = (
    # the seed article's metric names, with and without diacritics
    ("chi phí thu hút khách hàng tháng trước", "cac", *OCT, "", "", P),
    ("chi phi thu hut khach hang thang truoc", "cac", *OCT, "", "", P),
    ("Chi phí mua lại khách hàng (CAC) quý trước", "cac", *Q3, "", "", P),
    ("CAC quý trước theo kênh", "cac", *Q3, "", "channel", P),
    ("cac quy truoc theo kenh nhe", "cac", *Q3, "", "channel", P),
    ("CAC phân khúc smb năm nay ạ", "cac", *YTD, "segment=smb", "", P),
    ("CAC kênh paid search tháng này", "cac", *NOV_TD, "channel=paid_search", "", P),
    ("cac thang nay so voi cung ky nam ngoai", "cac", *NOV_TD, "", "", Y),
    ("CAC quý 3 năm 2026", "cac", *Q3, "", "", P),
    ("CAC quý III/2026 cho smb", "cac", *Q3, "segment=smb", "", P),
    ("tỷ lệ khách hàng rời bỏ tháng trước", "customer_churn_rate", *OCT, "", "", P),
    ("ty le roi bo thang truoc", "customer_churn_rate", *OCT, "", "", P),
    ("Tỷ lệ rời bỏ theo phân khúc quý trước nhé", "customer_churn_rate", *Q3, "", "segment", P),
    ("tỷ lệ hủy bỏ enterprise năm nay", "customer_churn_rate", *YTD, "segment=enterprise", "", P),
    ("churn tháng 9/2026", "customer_churn_rate", *SEP, "", "", P),
    ("tỷ lệ rời bỏ hàng năm năm nay", "customer_churn_annualized", *YTD, "", "", P),
    ("giá trị trọn đời của khách hàng tháng trước", "ltv", *OCT, "", "", P),
    ("gia tri tron doi cua khach hang quy truoc", "ltv", *Q3, "", "", P),
    ("CLV phân khúc smb", "ltv", *OCT, "segment=smb", "", P),
    ("LTV:CAC năm nay", "ltv_cac", *YTD, "", "", P),
    ("tỷ lệ LTV trên CAC quý trước", "ltv_cac", *Q3, "", "", P),
    ("tỷ lệ chuyển đổi trang web tháng trước", "visitor_to_lead", *OCT, "", "", P),
    ("ty le chuyen doi trang web quy nay", "visitor_to_lead", *Q4_TD, "", "", P),
    ("thời gian hoàn vốn quý trước", "payback_months", *Q3, "", "", P),
    ("thoi gian hoan von phan khuc smb nam nay", "payback_months", *YTD, "segment=smb", "", P),
    ("doanh thu định kỳ hàng tháng tháng trước", "mrr", *OCT, "", "", P),
    ("MRR tháng này bao nhiêu vậy", "mrr", *NOV_TD, "", "", P),
    ("mrr tháng 9/2026 so với tháng trước", "mrr", *SEP, "", "", P),
    ("MRR năm nay so với năm ngoái", "mrr", *YTD, "", "", P),
    ("ARR năm ngoái", "arr", *YEAR_2025, "", "", P),
    ("tỷ lệ thắng tháng trước", "win_rate", *OCT, "", "", P),
    ("ty le thang theo kenh quy truoc", "win_rate", *Q3, "", "channel", P),
    ("win rate kênh webinar năm nay", "win_rate", *YTD, "channel=webinar", "", P),
    ("tỷ lệ chốt deal tuần trước", "win_rate", *LAST_WEEK, "", "", P),
    ("MQL sang SQL tháng trước", "mql_to_sql", *OCT, "", "", P),
    (
        "mql sang sql kenh paid search 30 ngay qua",
        "mql_to_sql",
        *LAST_30,
        "channel=paid_search",
        "",
        P,
    ),
    ("mql->sql theo kênh tháng này", "mql_to_sql", *NOV_TD, "", "channel", P),
    ("số MQL tuần trước", "mqls", *LAST_WEEK, "", "", P),
    ("SQL tháng trước", "sqls", *OCT, "", "", P),
    ("khách hàng tiềm năng 7 ngày qua", "leads", *LAST_7, "", "", P),
    ("lượt truy cập tháng này", "visitors", *NOV_TD, "", "", P),
    (
        "tỷ lệ chuyển đổi khách hàng tiềm năng thành khách hàng năm nay",
        "lead_to_customer",
        *YTD,
        "",
        "",
        P,
    ),
    ("tỷ lệ mở email tuần trước", "email_open_rate", *LAST_WEEK, "", "", P),
    ("tỷ lệ nhấp email tháng 9 năm 2026", "email_ctr", *SEP, "", "", P),
    (
        "chu kỳ bán hàng trung bình enterprise năm nay",
        "avg_sales_cycle",
        *YTD,
        "segment=enterprise",
        "",
        P,
    ),
    ("khách hàng mới tháng này", "new_customers", *NOV_TD, "", "", P),
    ("chi phí marketing quý trước", "marketing_spend", *Q3, "", "", P),
    ("NPS quý trước", "nps", *Q3, "", "", P),
    ("chỉ số NPS của enterprise năm nay ạ", "nps", *YTD, "segment=enterprise", "", P),
    ("tăng trưởng MRR quý trước", "mrr_growth", *Q3, "", "", P),
    ("CAC tháng trước so với quý 2 năm 2026", "cac", *OCT, "", "", "2026-04-01..2026-06-30"),
    ("cac 6 tháng đầu năm 2026", "cac", *H1, "", "", P),
    # intents
    ("phễu tháng trước", "funnel", *OCT, "", "", P),
    ("phễu bán hàng quý trước nhé", "funnel", *Q3, "", "", P),
    ("xu hướng CAC 6 tháng qua", "trend:cac", *SIX_MONTHS, "", "", P),
    ("xu huong ty le roi bo", "trend:customer_churn_rate", *SIX_MONTHS, "", "", P),
    ("xu hướng MRR 3 tháng gần đây", "trend:mrr", *THREE_MONTHS, "", "", P),
    ("CAC là gì", "explain:cac", *OCT, "", "", P),
    ("giải thích LTV giúp mình", "explain:ltv", *OCT, "", "", P),
    ("tỷ lệ rời bỏ tính thế nào", "explain:customer_churn_rate", *OCT, "", "", P),
    ("thoi gian hoan von la gi", "explain:payback_months", *OCT, "", "", P),
    ("trợ giúp", "help", *OCT, "", "", P),
    ("hướng dẫn", "help", *OCT, "", "", P),
    ("danh sách chỉ số", "metrics", *OCT, "", "", P),
)
