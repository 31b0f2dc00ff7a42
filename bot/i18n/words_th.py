"""Thai words for metrics, periods, filters and intents, as data.

`METRICS` names each catalog metric the way the seed article (seed 000) and Thai teams
write it; `PHRASES` maps other words to the English parser's canonical words (an empty
English phrase carries nothing: "ถึงตอนนี้", "กี่ราย"); `FILLERS` are particles and
question words that carry nothing for the query (ครับ, ค่ะ, เท่าไหร่). `STAGES` and
`STAGE_LINKS` read "ลีดเป็นลูกค้า" as "leads to customers": the links are only "to"
between two funnel stages. Phrases are written without spaces: Thai questions are
tokenised with pythainlp and matched with spaces removed. English words typed inside
Thai text (CAC, MQL, win rate, Google Ads) are read by the English parser itself and
need no entry here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["FILLERS", "METRICS", "MONTHS", "PHRASES", "STAGES", "STAGE_LINKS"]

METRICS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "visitors": (
            "ผู้เข้าชมเว็บไซต์", "จำนวนผู้เข้าชม", "ผู้เข้าชม", "ทราฟฟิก", "ทราฟฟิค", "ผู้เยี่ยมชม",
            "คนเข้าเว็บ", "คนเข้าเว็บไซต์", "คนเข้าชมเว็บ", "คนเข้าชม", "ผู้เข้าเว็บ", "ยอดเข้าชม",
            "ยอดผู้เข้าชม", "คนเข้ามาดูเว็บไซต์", "คนเข้ามาดูเว็บ", "คนเข้ามาเว็บไซต์", "คนเข้ามาเว็บ",
            "คนดูเว็บไซต์", "คนดูเว็บ", "คนที่เข้าเว็บ", "คนที่เข้าเว็บไซต์",
        ),
        "leads": (
            "ลีด", "จำนวนลีด", "ลีดใหม่", "ผู้มุ่งหวัง", "ยอดลีด", "ลูกค้าเป้าหมาย", "คนกรอกฟอร์ม",
            "กรอกฟอร์ม", "คนทิ้งข้อมูลติดต่อ", "ทิ้งข้อมูลติดต่อไว้", "ทิ้งข้อมูลติดต่อ",
            "คนกรอกฟอร์มทิ้งข้อมูลติดต่อไว้",
        ),
        "mqls": ("ลีดที่มีคุณสมบัติด้านการตลาด", "ลีดคุณภาพทางการตลาด"),
        "sqls": ("ลีดที่มีคุณสมบัติในการขาย", "ลีดที่มีคุณสมบัติด้านการขาย"),
        "opportunities": ("โอกาสการขาย", "จำนวนโอกาสการขาย", "ดีลในไปป์ไลน์", "โอกาสขาย", "ดีลใหม่",
            "ดีลเปิดใหม่", "ดีลที่เปิดใหม่",
        ),
        "deals_won": (
            "ดีลที่ปิดได้", "ดีลที่ชนะ", "จำนวนดีลที่ปิดได้", "ปิดดีลได้", "ปิดดีล", "ดีลที่ปิด",
            "ดีลปิด", "ดีลชนะ", "ชนะดีล", "ปิดการขายได้",
        ),
        "deals_lost": (
            "ดีลที่แพ้", "ดีลที่เสีย", "ดีลหลุด", "ดีลที่หลุด", "ดีลแพ้", "แพ้ดีล", "เสียดีล",
            "ดีลที่เสียไป", "ดีลหาย", "ดีลที่หายไป", "ดีลที่หลุดไป",
        ),
        "demo_requests": (
            "คำขอเดโม", "การขอเดโม", "ขอเดโม", "นัดเดโม", "เดโม", "สาธิตการใช้งาน",
            "ขอให้เซลส์สาธิตการใช้งาน", "ขอให้สาธิต", "คนขอเดโม",
        ),
        "trials_started": (
            "การทดลองใช้ฟรี", "จำนวนผู้ทดลองใช้", "ผู้ทดลองใช้", "ทดลองใช้ฟรี", "ทดลองใช้",
            "สมัครทดลองใช้", "เทรียล", "เริ่มtrial", "เริ่มทดลองใช้", "เริ่มเทรียล",
        ),
        "trials_converted": ("ผู้ทดลองใช้ที่จ่ายเงิน",),
        "pqls": ("ลีดที่มีคุณสมบัติผลิตภัณฑ์", "ลีดที่มีคุณสมบัติสินค้า"),
        "activations": (
            "การเปิดใช้งาน", "จำนวนการเปิดใช้งาน", "เปิดใช้งาน", "ลูกค้าเปิดใช้งาน",
            "ลูกค้าที่เปิดใช้งาน",
        ),
        "new_customers": ("ลูกค้าใหม่", "จำนวนลูกค้าใหม่"),
        "customers_churned": (
            "ลูกค้าที่เลิกใช้", "จำนวนลูกค้าที่เลิกใช้", "ลูกค้าที่ยกเลิก", "ลูกค้าหาย", "ลูกค้าหายไป",
            "ลูกค้าที่หายไป", "ลูกค้าที่เสียไป", "ลูกค้าเลิกใช้", "ลูกค้ายกเลิก", "คนยกเลิก",
            "คนเลิกใช้", "ลูกค้าเลิกใช้บริการ", "เลิกใช้บริการ", "ลูกค้าที่เลิกใช้บริการ", "ยกเลิกบริการ",
        ),
        "emails_sent": (
            "อีเมลที่ส่ง", "จำนวนอีเมลที่ส่ง", "ส่งอีเมล", "การส่งอีเมล", "อีเมลที่ส่งออก",
            "อีเมลที่ส่งไป", "ส่งเมล", "จำนวนอีเมล",
        ),
        "emails_opened": ("อีเมลที่เปิด", "จำนวนการเปิดอีเมล", "เปิดอีเมล"),
        "emails_clicked": ("อีเมลที่คลิก", "จำนวนคลิกอีเมล", "คลิกอีเมล"),
        "nps_promoters": ("ผู้สนับสนุน", "จำนวนผู้สนับสนุน", "โปรโมเตอร์"),
        "nps_passives": ("ผู้เป็นกลาง", "กลุ่มเฉยๆ"),
        "nps_detractors": ("ผู้ไม่สนับสนุน", "ผู้ต่อต้าน", "ดีแทรกเตอร์"),
        "won_deal_value": (
            "มูลค่าดีลที่ปิดได้", "มูลค่าดีลที่ชนะ", "มูลค่าดีลที่ปิด", "มูลค่าการปิดดีล", "บุ๊กกิ้ง",
            "ยอดบุ๊กกิ้ง",
        ),
        "marketing_spend": (
            "ค่าใช้จ่ายการตลาด", "งบการตลาด", "ค่าโฆษณา", "ค่าการตลาด", "เงินการตลาด",
            "ใช้เงินการตลาด", "ใช้งบการตลาด", "ค่าใช้จ่ายด้านการตลาด", "ค่าใช้จ่ายฝ่ายการตลาด", "ค่าแอด",
        ),
        "sales_spend": (
            "ค่าใช้จ่ายการขาย", "งบการขาย", "ค่าใช้จ่ายฝ่ายขาย", "ค่าใช้จ่ายด้านการขาย",
            "ค่าใช้จ่ายทีมขาย", "ค่าใช้จ่ายเซลส์", "งบเซลส์", "ค่าใช้จ่ายฝ่ายเซลส์",
            "ค่าใช้จ่ายทีมเซลส์",
        ),
        "total_spend": (
            "ค่าใช้จ่ายทั้งหมด", "ค่าใช้จ่ายรวม", "งบรวม", "ทั้งการตลาดและฝ่ายขาย",
        ),
        "customers": (
            "จำนวนลูกค้า", "ลูกค้าที่จ่ายเงิน", "ฐานลูกค้า", "ลูกค้าจ่ายเงิน", "ลูกค้าที่ยังจ่ายเงินอยู่",
            "ลูกค้าที่ยังจ่ายเงิน", "ลูกค้าที่จ่ายเงินอยู่",
        ),
        "visitor_to_lead": ("อัตราการแปลงเว็บไซต์", "อัตราการแปลงของเว็บไซต์"),
        "win_rate": ("วินเรท", "อัตราการชนะ", "อัตราการปิดการขาย", "อัตราปิดการขาย", "อัตราการปิด",
                     "อัตราชนะ", "อัตราปิดดีล", "อัตราการปิดดีล"),
        "trial_to_paid": (
            "อัตราการแปลงจากการทดลองใช้ฟรี",
            "อัตราการแปลงทดลองใช้",
            "ทดลองใช้ฟรีแล้วจ่ายเงิน",
            "ทดลองใช้แล้วจ่ายเงิน",
            "ทดลองแล้วจ่ายเงิน",
            "ทดลองใช้แล้วซื้อ",
            "ทดลองใช้ฟรีแล้วซื้อ",
            "ทดลองใช้แล้วเป็นลูกค้า", "ทดลองใช้แล้วจ่ายเงินจริง",
            "ผู้ทดลองใช้ที่เปลี่ยนเป็นลูกค้าแบบชำระเงิน",
        ),
        "pql_rate": ("อัตราpql", "อัตราลีดที่มีคุณสมบัติผลิตภัณฑ์"),
        "activation_rate": ("อัตราการเปิดใช้งาน",),
        "email_open_rate": (
            "อัตราการเปิดอีเมล", "อัตราเปิดอีเมล", "อัตราการเปิด", "อัตราเปิด", "openrateอีเมล",
            "openrateของอีเมล",
        ),
        "email_ctr": (
            "อัตราการคลิกอีเมล", "อัตราคลิกอีเมล", "อัตราการคลิกผ่านอีเมล", "อัตราการคลิก",
            "อัตราคลิก", "ctrอีเมล", "ctrของอีเมล", "อีเมลctr", "clickrateอีเมล",
        ),
        "avg_deal_size": (
            "ขนาดดีลเฉลี่ย", "มูลค่าดีลเฉลี่ย", "ดีลเฉลี่ย", "ขนาดดีล", "ดีลละกี่บาท", "เฉลี่ยดีลละ", "ดีลละ",
        ),
        "avg_sales_cycle": (
            "รอบการขายเฉลี่ย", "ระยะเวลารอบการขาย", "รอบการขาย", "วงจรการขาย", "ใช้เวลาปิด",
            "ใช้เวลาปิดดีล", "ใช้เวลาปิดการขาย", "เวลาปิดดีล", "เวลาในการปิดดีล", "ระยะเวลาปิดดีล",
            "ระยะเวลาในการปิดดีล", "ระยะเวลาปิดการขาย", "ปิดดีลใช้เวลา",
        ),
        "sales_velocity": ("ความเร็วของสายการขาย", "ความเร็วการขาย", "ความเร็วในการขาย"),
        "time_to_value": (
            "ระยะเวลาสู่คุณค่า", "เวลาจนเห็นคุณค่า", "ตั้งแต่สมัครจนถึงการใช้งานจริงครั้งแรก",
            "สมัครจนถึงการใช้งานจริง",
        ),
        "cac": (
            "ต้นทุนการได้ลูกค้า",
            "ต้นทุนการได้มาซึ่งลูกค้า",
            "ค่าใช้จ่ายในการได้ลูกค้า",
            "ต้นทุนการหาลูกค้า",
            "ต้นทุนต่อลูกค้าใหม่",
            "ต้นทุนต่อลูกค้า",
            "ต้นทุนต่อราย",
            "ต้นทุนหาลูกค้า",
            "ค่าหาลูกค้า", "เสียเงินไปเท่าไหร่กว่าจะได้ลูกค้าหนึ่งราย", "กว่าจะได้ลูกค้าหนึ่งราย",
            "ได้ลูกค้าหนึ่งราย", "ต่อลูกค้าหนึ่งราย", "กว่าจะได้ลูกค้าใหม่หนึ่งราย", "ได้ลูกค้าใหม่หนึ่งราย",
        ),
        "arpa": (
            "รายได้เฉลี่ยต่อบัญชี", "รายได้เฉลี่ยต่อลูกค้า", "รายได้ต่อลูกค้า", "รายได้ต่อบัญชี",
            "ลูกค้ารายนึงจ่ายเราเดือนละ", "ลูกค้าหนึ่งรายจ่ายเดือนละ", "จ่ายเราเดือนละ",
        ),
        "new_arpa": ("รายได้เฉลี่ยต่อลูกค้าใหม่", "arpaลูกค้าใหม่", "arpaของลูกค้าใหม่", "arpuลูกค้าใหม่"),
        "ltv": (
            "มูลค่าตลอดอายุการใช้งานของลูกค้า",
            "มูลค่าลูกค้าตลอดชีวิต",
            "มูลค่าตลอดชีพของลูกค้า",
            "มูลค่าตลอดอายุลูกค้า",
        ),
        "ltv_cac": (
            "อัตราส่วนltvต่อcac", "ltvต่อcac", "อัตราส่วนมูลค่าลูกค้าต่อต้นทุน",
            "อัตราส่วนมูลค่าตลอดอายุลูกค้าต่อต้นทุนการได้มาซึ่งลูกค้า",
        ),
        "payback_months": (
            "ระยะเวลาคืนทุน", "ระยะคืนทุน", "ระยะเวลาคืนทุนcac", "คืนทุน", "ระยะเวลาคืนทุนของcac",
            "paybackของcac", "paybackcac",
        ),
        "funnel_roi": ("roiของช่องทางการขาย", "ผลตอบแทนจากการลงทุน", "roiของกรวยการขาย"),
        "mrr": (
            "รายได้ประจำเดือน", "รายได้ประจำรายเดือน", "รายได้ที่เกิดซ้ำรายเดือน", "รายได้ประจำ",
        ),
        "arr": ("รายได้ประจำปี", "รายได้ที่เกิดซ้ำรายปี", "รายได้ประจำรายปี"),
        "net_new_mrr": ("mrrใหม่สุทธิ", "รายได้ประจำเดือนใหม่สุทธิ"),
        "mrr_new": ("รายได้ประจำเดือนใหม่",),
        "mrr_churned": ("รายได้ที่หายไป", "รายได้ที่เสียไป", "mrrที่หายไป", "mrrที่เสียไป"),
        "mrr_growth": ("การเติบโตของรายได้ประจำเดือน", "การเติบโตของmrr", "mrrโต"),
        "mrr_growth_monthly": ("การเติบโตของmrrรายเดือน",),
        "customer_churn_rate": (
            "อัตราการเลิกใช้บริการ",
            "อัตราการเลิกใช้งาน",
            "อัตราลูกค้าเลิกใช้",
            "อัตราการยกเลิก",
            "การเลิกใช้บริการ",
            "อัตราการเลิกใช้",
            "อัตราลูกค้าหาย",
            "อัตราการสูญเสียลูกค้า",
            "อัตราchurn",
        ),
        "customer_churn_monthly": (
            "อัตราการเลิกใช้บริการรายเดือน", "churnรายเดือน", "churnต่อเดือน", "churnเฉลี่ยต่อเดือน",
            "churnเฉลี่ยรายเดือน", "churnเฉลี่ยเดือนละ", "churnเดือนละ",
        ),
        "customer_churn_annualized": (
            "อัตราการเลิกใช้บริการรายปี", "churnรายปี", "churnต่อปี", "churnแบบรายปี",
            "churnแบบannualized", "churnคิดเป็นรายปี",
        ),
        "revenue_churn": ("การสูญเสียรายได้", "อัตราการสูญเสียรายได้", "churnรายได้"),
        "nrr": ("การรักษารายได้สุทธิ", "อัตราการรักษารายได้สุทธิ"),
        "quick_ratio": ("อัตราส่วนด่วน",),
        "nps": ("คะแนนผู้สนับสนุนสุทธิ", "คะแนนnps"),
    }
)  # fmt: skip

MONTHS: tuple[tuple[str, ...], ...] = (
    ("มกราคม", "ม.ค.", "มกรา"),
    ("กุมภาพันธ์", "ก.พ.", "กุมภา"),
    ("มีนาคม", "มี.ค.", "มีนา"),
    ("เมษายน", "เม.ย.", "เมษา"),
    ("พฤษภาคม", "พ.ค.", "พฤษภา"),
    ("มิถุนายน", "มิ.ย.", "มิถุนา"),
    ("กรกฎาคม", "ก.ค.", "กรกฎา", "กรกฏาคม", "กรกฏา"),
    ("สิงหาคม", "ส.ค.", "สิงหา"),
    ("กันยายน", "ก.ย.", "กันยา"),
    ("ตุลาคม", "ต.ค.", "ตุลา"),
    ("พฤศจิกายน", "พ.ย.", "พฤศจิกา", "พฤศจิ"),
    ("ธันวาคม", "ธ.ค.", "ธันวา"),
)

# Funnel stages as typed in Thai questions, and the English stage word each one is.
STAGES: Mapping[str, str] = MappingProxyType(
    {
        "ผู้เข้าชมเว็บไซต์": "visitors", "ผู้เข้าชม": "visitors", "คนเข้าเว็บไซต์": "visitors",
        "คนเข้าเว็บ": "visitors", "คนเข้าชม": "visitors", "ทราฟฟิก": "visitors",
        "visitors": "visitors", "visitor": "visitors", "traffic": "visitors",
        "ลีด": "leads", "leads": "leads", "lead": "leads",
        "mqls": "mqls", "mql": "mqls", "sqls": "sqls", "sql": "sqls",
        "โอกาสการขาย": "opportunities", "โอกาสขาย": "opportunities",
        "opportunities": "opportunities", "opportunity": "opportunities",
        "opps": "opportunities", "opp": "opportunities",
        "ลูกค้าที่จ่ายเงิน": "customers", "ลูกค้าจ่ายเงิน": "customers", "ลูกค้า": "customers",
        "ปิดการขาย": "customers", "ปิดดีล": "customers", "customers": "customers",
        "customer": "customers", "won": "customers", "paying": "customers",
        "ทดลองใช้ฟรี": "trials", "ทดลองใช้": "trials", "trials": "trials", "trial": "trials",
        "จ่ายเงิน": "paid", "ชำระเงิน": "paid", "paid": "paid",
    }
)  # fmt: skip
# Words that mean "to" between two stages ("mql ไป sql"); the first six always do, the
# others carry nothing elsewhere.
# Links that say "to" wherever they stand; the short ones only between two stages.
_LINKS_ANYWHERE = (
    "จนกลายเป็น", "ไปจนเป็น", "จนเป็น", "กลายเป็น", "แปลงเป็น", "เปลี่ยนเป็น", "ไปเป็น", "ไปถึง",
    "ไปสู่",
)  # fmt: skip
STAGE_LINKS: tuple[str, ...] = (*_LINKS_ANYWHERE, "สู่", "เป็น", "ไป", "ถึง", "→", "->", "to")

_TO_DATE = {"ปี": "ytd", "เดือน": "mtd", "ไตรมาส": "qtd", "สัปดาห์": "wtd"}
_UNTIL_NOW = ("ถึงตอนนี้", "จนถึงตอนนี้", "ถึงปัจจุบัน", "จนถึงปัจจุบัน", "ถึงวันนี้", "จนถึงวันนี้")
_PERIODS = {
    "เดือนที่แล้ว": "last month", "เดือนก่อน": "last month", "เดือนที่ผ่านมา": "last month",
    "เดือนก่อนหน้า": "last month", "เดือนล่าสุด": "last month", "เดือนนี้": "this month",
    "ไตรมาสที่แล้ว": "last quarter", "ไตรมาสก่อน": "last quarter",
    "ไตรมาสที่ผ่านมา": "last quarter", "ไตรมาสก่อนหน้า": "last quarter",
    "ไตรมาสล่าสุด": "last quarter", "ไตรมาสนี้": "this quarter",
    "ปีนี้": "this year", "ปีที่แล้ว": "last year", "ปีก่อน": "last year",
    "ปีที่ผ่านมา": "last year", "ปีกลาย": "last year", "ปีก่อนหน้า": "last year",
    "สัปดาห์ที่แล้ว": "last week", "สัปดาห์ก่อน": "last week", "สัปดาห์ที่ผ่านมา": "last week",
    "สัปดาห์ก่อนหน้า": "last week", "อาทิตย์ที่แล้ว": "last week", "อาทิตย์ก่อน": "last week",
    "อาทิตย์ที่ผ่านมา": "last week", "สัปดาห์นี้": "this week", "อาทิตย์นี้": "this week",
    "ไตรมาสแรก": "q1", "ไตรมาสสุดท้าย": "q4", "สัปดาห์ของ": "week of",
    "สัปดาห์ที่เริ่ม": "week of", "อาทิตย์ของ": "week of", "อาทิตย์ที่เริ่ม": "week of",
    "ช่วงนี้": "lately", "ช่วงหลังนี้": "lately", "ช่วงหลังๆ": "lately", "ระยะนี้": "lately",
    "หลังๆนี้": "lately", "เมื่อวาน": "yesterday", "เมื่อวานนี้": "yesterday", "วันนี้": "today",
    **{f"{since}ต้น{unit}{until}": to_date for unit, to_date in _TO_DATE.items()
       for since in ("ตั้งแต่", "") for until in ("", *_UNTIL_NOW) if since or until},
    "ตั้งแต่": "since", "ถึง": "to", "จนถึง": "to", "ระหว่าง": "from",
    **{until: "so far" for until in _UNTIL_NOW},
    **{link: "to" for link in _LINKS_ANYWHERE},
    # the future: refused by the English parser, so it must be said in English
    "เดือนหน้า": "next month", "ไตรมาสหน้า": "next quarter", "ปีหน้า": "next year",
    "สัปดาห์หน้า": "next week", "อาทิตย์หน้า": "next week", "พรุ่งนี้": "tomorrow",
    "ถัดไป": "next", "คาดการณ์": "forecast", "พยากรณ์": "forecast", "ประมาณการ": "forecast",
    "ทำนาย": "forecast", "คาดว่า": "forecast",
}  # fmt: skip

_DIMENSIONS = {
    "ช่องทาง": "channel", "แชนแนล": "channel", "channel": "channel",
    "กลุ่มลูกค้า": "segment", "กลุ่ม": "segment", "เซกเมนต์": "segment", "เซ็กเมนต์": "segment",
    "segment": "segment", "ประเภทลูกค้า": "segment",
}  # fmt: skip
# Breakdowns the store does not have ("เซลส์คนไหน"): said in English so they are refused.
_OTHER_DIMENSIONS = {
    "เซลส์": "sales rep", "พนักงานขาย": "sales rep", "ทีมขาย": "sales rep", "คน": "person",
    "แคมเปญ": "campaign", "ทีม": "team", "ประเทศ": "country", "จังหวัด": "region",
    "สินค้า": "product", "แพ็กเกจ": "plan", "แพ็คเกจ": "plan",
}  # fmt: skip
_WHICH = ("ไหน", "ใด")
_EACH = ("ตาม", "แยกตาม", "แยก", "ราย", "แต่ละ")
_FROM = ("จาก", "มาจาก")
_BREAKDOWNS = {
    **{f"{word}{which}": f"by {dimension}" for word, dimension in _DIMENSIONS.items()
       for which in _WHICH},
    **{f"{source}{word}{which}": f"by {dimension}" for word, dimension in _DIMENSIONS.items()
       for source in _FROM for which in _WHICH},
    **{f"{each}{word}": f"by {dimension}" for word, dimension in _DIMENSIONS.items()
       for each in _EACH},
    **{f"{word}{which}": f"for each {other}" for word, other in _OTHER_DIMENSIONS.items()
       for which in (*_WHICH, "คนไหน", "คนใด", "แต่ละคน")},
    **{f"แต่ละ{word}": f"for each {other}" for word, other in _OTHER_DIMENSIONS.items()},
    "แยกตาม": "by", "ทุกช่องทาง": "all channels", "ทุกกลุ่ม": "all segments", **_DIMENSIONS,
}  # fmt: skip

_SEGMENTS = {
    "smb": ("smb", "sme", "เอสเอ็มอี", "รายย่อย", "รายเล็ก", "ธุรกิจขนาดเล็ก", "บริษัทขนาดเล็ก",
            "ธุรกิจเล็ก", "บริษัทเล็ก"),
    "enterprise": ("enterprise", "องค์กร", "องค์กรใหญ่", "องค์กรขนาดใหญ่", "รายใหญ่",
                   "บริษัทใหญ่", "บริษัทขนาดใหญ่", "เอ็นเตอร์ไพรส์"),
    "mid market": ("mid-market", "midmarket", "ขนาดกลาง", "องค์กรขนาดกลาง", "ธุรกิจขนาดกลาง",
                   "บริษัทขนาดกลาง", "รายกลาง", "มิดมาร์เก็ต"),
}  # fmt: skip
_CHANNELS = {
    "organic": ("ออร์แกนิก", "ออแกนิก", "ออร์แกนิค", "ออแกนิค"),
    "paid search": ("ค้นหาแบบเสียเงิน", "โฆษณาค้นหา", "โฆษณากูเกิล", "กูเกิลแอด", "กูเกิ้ลแอด",
                    "กูเกิลแอดส์", "แอดกูเกิล"),
    "paid social": ("โฆษณาโซเชียล", "โฆษณาเฟซบุ๊ก", "เฟซบุ๊กแอด", "แอดเฟซบุ๊ก", "เฟซบุ๊ก",
                    "เฟสบุ๊ค", "เฟสบุ๊ก", "โซเชียล"),
    "webinar": ("เว็บบินาร์", "สัมมนาออนไลน์"),
    "events": ("อีเวนต์", "อีเว้นท์", "อีเวนท์", "งานอีเวนต์", "งานสัมมนา", "งานแสดงสินค้า"),
    "outbound": ("เอาท์บาวด์", "เอาต์บาวด์"),
    "referral": ("การแนะนำ", "บอกต่อ", "การบอกต่อ", "ลูกค้าแนะนำ", "รีเฟอรัล"),
    "partner": ("พาร์ทเนอร์", "พาร์ตเนอร์", "พันธมิตร", "คู่ค้า"),
    "email": ("อีเมล", "อีเมล์"),
}  # fmt: skip
_VALUES = {
    **{f"{prefix}{name}": segment for segment, names in _SEGMENTS.items() for name in names
       for prefix in ("", "กลุ่ม", "กลุ่มลูกค้า")},
    # "ลูกค้าองค์กร": the customers of a segment, which the English parser reads as that
    # segment beside another metric ("ltv customers enterprise") and as a count alone.
    **{f"{prefix}{name}": f"customers {segment}" for segment, names in _SEGMENTS.items()
       for name in names for prefix in ("ลูกค้า", "ลูกค้ากลุ่ม")},
    **{name: channel for channel, names in _CHANNELS.items() for name in names},
    "จาก": "from", "มาจาก": "from", "ผ่าน": "via", "ผ่านทาง": "via", "ใน": "in",
    "ลูกค้าเก่า": "", "ลูกค้าเดิม": "", "และ": "and", "กับ": "and",
}  # fmt: skip

_SAME_PERIOD = ("ช่วง", "ช่วงเวลา", "เดือน", "ไตรมาส", "สัปดาห์", "อาทิตย์", "ครึ่งปี")
_A_YEAR_AGO = ("ปีที่แล้ว", "ปีก่อน", "ปีที่ผ่านมา", "ปีกลาย", "เมื่อปีที่แล้ว")
_VS = ("เทียบกับ", "เทียบ", "เปรียบเทียบกับ", "เมื่อเทียบกับ")
_COMPARISONS = {
    **{vs: "vs" for vs in _VS},
    **{f"{vs}{unit}ก่อนหน้า": "vs previous" for vs in _VS
       for unit in ("", "ช่วง", "เดือน", "ไตรมาส", "สัปดาห์", "อาทิตย์")},
    **{f"{unit}เดียวกัน{of}{year}": "same period last year" for unit in _SAME_PERIOD
       for of in ("", "ของ") for year in _A_YEAR_AGO},
    "ปีต่อปี": "yoy", "เดือนต่อเดือน": "mom", "ไตรมาสต่อไตรมาส": "qoq",
    "ไม่ต้องเทียบ": "no comparison", "ไม่ต้องเปรียบเทียบ": "no comparison",
    "ไม่เทียบ": "no comparison", "ไม่เปรียบเทียบ": "no comparison",
    "เยอะกว่า": "more than", "มากกว่า": "more than", "สูงกว่า": "more than",
    "น้อยกว่า": "less than", "ต่ำกว่า": "less than", "ดีกว่า": "better than",
    "แย่กว่า": "worse than", "กว่า": "than",
    "ลดลงจาก": "vs", "เพิ่มขึ้นจาก": "vs", "ลดจาก": "vs", "เพิ่มจาก": "vs",
}  # fmt: skip

# Words that pick a variant of a metric ("churn" monthly, "mrr" new) or a ranking.
_MRR_MOVEMENTS = {
    "ลูกค้าเก่าที่กลับมาใช้ใหม่": "reactivation", "ลูกค้าเก่าที่กลับมา": "reactivation",
    "ลูกค้าที่กลับมา": "reactivation", "ลูกค้าที่กลับมาใช้ใหม่": "reactivation",
    "กลับมาใช้ใหม่": "reactivation", "กลับมาใช้บริการ": "reactivation",
    "กลับมาสมัคร": "reactivation", "ลูกค้าใหม่": "new", "การขยาย": "expansion",
    "ขยาย": "expansion", "อัปเซล": "expansion", "อัพเซล": "expansion", "อัปเกรด": "expansion",
    "อัพเกรด": "expansion", "ดาวน์เกรด": "contraction", "ลดแพ็กเกจ": "contraction",
    "ลดแพ็คเกจ": "contraction", "หดตัว": "contraction", "upsell": "expansion",
    "upgrade": "expansion", "downgrade": "contraction", "หด": "contraction",
    "ถามตัวเลขอะไรได้บ้าง": "metrics", "บอทนี้": "",
    "อัปเกรดแพ็กเกจแล้วจ่ายเพิ่มทุกเดือน": "expansion mrr", "อัปเกรดแพ็กเกจ": "expansion mrr",
    "อัปเกรดแพ็คเกจ": "expansion mrr", "จ่ายเพิ่มทุกเดือน": "expansion mrr", "ลูกค้าเก่าที่": "",
}  # fmt: skip
_MODIFIERS = {
    **{name: english for name, english in _MRR_MOVEMENTS.items() if name != "ลูกค้าใหม่"},
    **{f"{source}{whose}{name}": english for name, english in _MRR_MOVEMENTS.items()
       for source in _FROM for whose in ("", "ลูกค้า", "ลูกค้าที่")},
    **{f"ลูกค้า{name}": english for name, english in _MRR_MOVEMENTS.items()
       if not name.startswith("ลูกค้า")},
    "ใหม่": "new", "เฉลี่ย": "average", "โดยเฉลี่ย": "average",
    "เฉลี่ยต่อเดือน": "monthly", "เฉลี่ยเดือนละ": "monthly", "เฉลี่ยรายเดือน": "monthly",
    "ต่อเดือน": "per month", "เดือนละ": "per month", "ต่อ": "per", "รายปี": "annualized",
    "ต่อปี": "annualized", "คิดเป็นรายปี": "annualized", "โต": "growth", "เติบโต": "growth",
    "การเติบโต": "growth", "เพิ่มขึ้น": "growth", "เลิกใช้": "churned", "ยกเลิก": "cancelled",
    "หาย": "lost", "หายไป": "lost", "หลุด": "lost", "เสีย": "lost", "เสียไป": "lost", "สูญเสีย": "lost",
    "ยอดchurn": "churned", "จากchurn": "churned", "จากการchurn": "churned",
    "จากการยกเลิก": "churned", "จากการเลิกใช้": "churned",
    "เยอะสุด": "most", "เยอะที่สุด": "most", "มากสุด": "most", "มากที่สุด": "most",
    "สูงสุด": "highest", "สูงที่สุด": "highest", "ดีสุด": "best", "ดีที่สุด": "best",
    "เวิร์คสุด": "best", "เวิร์กสุด": "best", "แย่สุด": "worst", "แย่ที่สุด": "worst",
    "ต่ำสุด": "lowest", "ต่ำที่สุด": "lowest", "น้อยสุด": "least", "น้อยที่สุด": "least",
    "ถูกสุด": "cheapest", "ถูกที่สุด": "cheapest", "แพงสุด": "costliest",
    "แพงที่สุด": "costliest", "สุด": "most", "ที่สุด": "most", "อันดับ": "rank",
    "จัดอันดับ": "rank", "รบกวนสอบถาม": "", "ขอสอบถาม": "", "สอบถาม": "", "แค่": "only",
    "ไม่เอา": "excluding", "ของที่เหลือ": "", "ที่เหลือ": "", "เทียบกันหน่อย": "compare",
    "เทียบกัน": "compare", "ภาคเหนือ": "northern", "ภาคใต้": "southern", "ภาคอีสาน": "region",
    "ภาคกลาง": "region", "ภาคตะวันออก": "region", "ปิดdeal": "closed deals",
    "ปิดdeals": "closed deals",
    "ท็อป": "top", "คุ้มค่า": "cost effective", "คุ้มค่าสุด": "most cost effective",
    "คุ้มค่าที่สุด": "most cost effective", "คุ้มสุด": "most cost effective",
    "คุ้มที่สุด": "most cost effective", "มีประสิทธิภาพ": "effective", "ประสิทธิภาพ": "effective",
    "คุ้มไหม": "", "คุ้มมั้ย": "", "นานแค่ไหน": "", "คุ้มค่าไหม": "", "คุ้มค่ามั้ย": "",
    # words that change what is asked: said in English so the parser refuses them
    "ไม่รวม": "excluding", "ยกเว้น": "excluding", "ไม่นับ": "excluding", "นอกจาก": "excluding",
    "ไม่ใช่": "not", "ไม่": "not", "งบประมาณ": "budget", "เป้า": "target",
    "เป้าหมาย": "target", "ทาร์เก็ต": "target",
}  # fmt: skip

_COUNTERS = (
    "ตัว", "ราย", "คน", "ฉบับ", "ครั้ง", "วัน", "เดือน", "สัปดาห์", "อาทิตย์", "ปี", "คะแนน",
    "บาท", "เท่า", "ชิ้น", "อัน", "บัญชี", "แห่ง",
)  # fmt: skip
_INTENTS = {
    "กรวยการขาย": "funnel", "ช่องทางการขาย": "funnel", "ฟันเนล": "funnel", "รั่ว": "leak",
    "แนวโน้ม": "trend", "เทรนด์": "trend", "กราฟ": "trend", "ชาร์ต": "trend",
    "แผนภูมิ": "trend", "รายสัปดาห์": "weekly", "รายเดือน": "monthly",
    "รายไตรมาส": "quarterly", "คอนเวิร์ต": "convert", "คอนเวิร์ท": "convert",
    "แต่ละเดือน": "by month", "ทุกเดือน": "by month", "แต่ละสัปดาห์": "by week",
    "คืออะไร": "explain", "หมายถึงอะไร": "explain", "หมายความว่าอะไร": "explain",
    "แปลว่าอะไร": "explain", "อธิบาย": "explain", "คำนวณยังไง": "explain",
    "คำนวณอย่างไร": "explain", "คิดยังไง": "explain", "คิดอย่างไร": "explain",
    "คิดแบบไหน": "explain", "นับยังไง": "explain", "นับอย่างไร": "explain",
    "นับจากอะไร": "explain", "นับแบบไหน": "explain", "รายวัน": "daily",
    "แต่ละวัน": "by day", "คำนวณจากอะไร": "explain", "คิดจากอะไร": "explain",
    "คำนวณ": "calculated", "สูตร": "explain", "สูตรคำนวณ": "explain", "นิยาม": "explain",
    "ความหมาย": "explain", "ตามเวลา": "over time", "ตามช่วงเวลา": "over time",
    "เปลี่ยนไปยังไง": "trend", "เปลี่ยนแปลงยังไง": "trend", "ใช้บอทนี้ยังไง": "how to use",
    "ใช้บอทยังไง": "how to use", "เราเป็นยังไงบ้าง": "how are we doing",
    "ตอนนี้เราเป็นยังไงบ้าง": "how are we doing", "ยอดสมัคร": "signups", "สมัคร": "signups",
    "ช่วยด้วย": "help", "ช่วยเหลือ": "help", "วิธีใช้": "help", "วิธีใช้งาน": "help",
    "ใช้ยังไง": "help", "ใช้งานยังไง": "help", "ใช้งานอย่างไร": "help", "ถามยังไง": "help",
    "ถามอย่างไร": "help", "ถามได้ยังไง": "help", "วิธีถาม": "help", "คู่มือ": "help",
    "ตัวอย่างคำถาม": "examples", "ทำอะไรได้บ้าง": "what can you do", "สวัสดี": "hello",
    "ตัวชี้วัดทั้งหมด": "metrics", "รายการตัวชี้วัด": "metrics", "มีตัวชี้วัดอะไรบ้าง": "metrics",
    "เมตริกทั้งหมด": "metrics", "ตัวชี้วัด": "metrics", "เมตริก": "metrics",
    "ถามอะไรได้บ้าง": "metrics", "ดูอะไรได้บ้าง": "metrics", "มีข้อมูลอะไรบ้าง": "metrics",
    # words a careful colleague asks back about
    "ลูกค้า": "customers", "ดีล": "deals", "รายได้": "revenue", "ยอดขาย": "sales",
    "ต้นทุน": "cost", "ค่าใช้จ่าย": "spend", "ใช้จ่าย": "spending", "ใช้เงิน": "spending",
    "ไปป์ไลน์": "pipeline",
    "อัตราการแปลง": "conversion rate", "อัตราแปลง": "conversion rate",
    "คอนเวอร์ชัน": "conversion", "การรักษาลูกค้า": "retention", "ลีดคุณภาพ": "qualified leads",
    "ลีดที่มีคุณภาพ": "qualified leads", "อัตรา": "rate", "เปอร์เซ็นต์": "percent",
    "กี่เปอร์เซ็นต์": "percent", "กี่%": "percent",
    "สิ้น": "end of",
    "ณ สิ้น": "at the end of",
    "แบบเสียเงิน": "paid", "เสียเงิน": "paid", "ปิดดีลชนะ": "deals_won",
    "ปิดดีลได้": "deals_won", "ปิดดีล": "deals_won",
    "ดีขึ้นหรือแย่ลง": "getting better or worse", "แย่ลงหรือดีขึ้น": "getting better or worse",
    "ดีขึ้นไหม": "improving", "ดีขึ้นมั้ย": "improving", "คลิก": "clicked",
    "คนคลิก": "clicked", "เปิดอ่าน": "opened", "คนเปิด": "opened", "ยาวแค่ไหน": "how long",
    "นานแค่ไหน": "how long",
    "ยิงแอด": "ad spend", "ค่ายิงแอด": "ad spend", "หมดไป": "spent", "ใช้งบ": "spending",
    "มาร์เก็ตติ้ง": "marketing", "ทำไม": "why", "เว็บ": "website", "เข้าเว็บ": "website",
    "เว็บไซต์": "website", "ปิดดีลได้มูลค่า": "won deal value", "มูลค่าดีลที่ปิดได้": "won deal value",
    "มูลค่าดีล": "deal value", "สัปดาห์วันที่": "week of", "สัปดาห์ที่มีวันที่": "week of",
    "ดีขึ้นกว่า": "vs", "แย่ลงกว่า": "vs", "ปีงบนี้": "this year", "ปีงบ": "year",
    "ลูกค้าหนีไป": "customers churned", "ลูกค้าหนี": "customers churned",
    "ที่ฝ่ายขายรับเป็น": "to", "สัดส่วน": "share", "ลีดที่ผ่านการคัดกรอง": "qualified leads",
    "ยอดใช้จ่ายการตลาด": "marketing spend",
    "ไม่นับสัปดาห์นี้": "", "ไม่รวมสัปดาห์นี้": "", "ไม่นับเดือนนี้": "", "ไม่รวมเดือนนี้": "",
    "จัดอันดับ": "rank", "ตาม": "by", "สั้นที่สุด": "shortest", "ยาวที่สุด": "longest",
    "แบบสำรวจ": "survey", "สำรวจ": "survey", "ใช้ไป": "spent", "งบ": "",
    "ประชุมบอร์ด": "", "บอร์ด": "", "เป็นรายเดือน": "by month", "เป็นรายสัปดาห์": "by week",
    "ดูรายเดือน": "by month", "งบการตลาด": "marketing", "งบมาร์เก็ตติ้ง": "marketing",
    "ยอดดีลที่ปิดได้": "closed deals total", "ยอดปิดดีล": "closed deals total",
    "โฆษณา": "ads", "มูลค่า": "worth", "มูลค่ารวม": "total value", "ใหญ่แค่ไหน": "",
}  # fmt: skip

PHRASES: Mapping[str, str] = MappingProxyType(
    {
        **{name: stage for name, stage in STAGES.items() if not name.isascii()},
        **_PERIODS,
        **_BREAKDOWNS,
        **_VALUES,
        **_COMPARISONS,
        **_MODIFIERS,
        **{f"กี่{counter}": "how many" for counter in _COUNTERS},
        **_INTENTS,
    }
)

FILLERS: frozenset[str] = frozenset(
    {
        "ครับ", "ค่ะ", "คะ", "นะ", "นะครับ", "นะคะ", "จ้า", "จ้ะ", "ครับผม", "หน่อย", "ขอ",
        "ขอดู", "ดู", "เท่าไหร่", "เท่าไร", "เท่าไร่", "เท่าใด", "กี่", "เป็น", "อยู่", "ที่", "ของ",
        "เรา", "ของเรา", "บริษัท", "ให้", "บ้าง", "ไหม", "มั้ย", "อะไร", "ช่วย", "บอก", "แสดง",
        "สำหรับ", "การ", "ตอนนี้", "ล่าสุด", "ค่า", "ตัวเลข", "รวม", "ทั้งหมด", "ได้",
        "ไหมครับ", "ไหมคะ", "หรือ", "เช็ค", "เช็ก", "อยากรู้", "อยากทราบ", "ว่า", "ช่วง",
        "ดูหน่อย", "จำนวน", "ราย", "คน", "กี่ราย", "แล้ว", "มี", "เป็นยังไง", "ยังไง", "อย่างไร",
        "คือ", "รวมกัน", "ทั้ง", "ไป", "มา", "เข้า", "เข้ามา", "จริง", "จริงๆ", "ใช้", "แบบ",
        "ตัว", "ฉบับ", "ณ", "ตอน", "ปิด", "งาน", "เพราะ", "ขึ้น", "บอท", "รึเปล่า", "หรือเปล่า",
        "หรือไม่", "มั้ยครับ",
        "มั้ยคะ", "โอเค", "ป่ะ", "กว่าจะ", "เฉพาะ", "เต็ม", "รวมเป็นเงิน", "เป็นเงิน", "อีกแล้ว",
        "บ่นว่า", "อยากได้",
        "คิดเป็น", "สุดท้าย", "ที่เราส่งไป", "ที่ส่งไป", "อ่ะ", "งับ", "555", "เฮ้ย", "อืม",
        "คุ้ม", "ยอด", "พิมพ์", "ถาม", "ด้วย", "เลย", "คะแนน", "ประมาณ", "ปัจจุบัน",
        "ไหน", "แคมเปญ", "เรื่อง", "ได้รับ", "ได้มา", "เก่า", "เดิม", "ทั้งปี", "นิดนึง", "วันที่", "ตรงไหน",
        "แค่ไหน", "จะ", "เพิ่ม", "ลดลง", "พี่", "น้อง", "ผู้บริหาร", "หัวหน้า", "บอส", "เตรียม",
        "ถามมา", "รู้สึก", "เหมือน", "ทีม", "รบกวน", "เอาไป", "เอา", "ใส่", "สไลด์", "ประชุม",
        "เช้า", "ออก", "พอดี", "เพิ่ง", "ย้าย", "ยัง", "งง", "งงๆ", "ๆ", "บานปลาย", "ตก", "เยอะ",
        "ขนาดนี้", "รวมทั้ง", "หนึ่ง", "สรุป", "ช้าลง", "ช้า", "หาร", "แยก", "เป็นไง", "เป็นไงบ้าง",
    }
)  # fmt: skip
