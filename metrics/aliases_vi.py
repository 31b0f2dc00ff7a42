"""Vietnamese words for metrics, periods, filters and intents, as data.

`METRICS` names each catalog metric the way the seed article (seed 003) and Vietnamese
teams write it; `PHRASES` maps other words to the English parser's canonical words;
`FILLERS` are particles and question words that carry nothing for the query (nhé, ạ,
bao nhiêu). Everything is written with its diacritics; questions and phrases are compared
folded (diacritics removed, đ read as d), so "ty le roi bo" matches "tỷ lệ rời bỏ".
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["FILLERS", "METRICS", "PHRASES"]

METRICS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "visitors": ("lượt truy cập", "lưu lượng truy cập", "người truy cập", "số lượt truy cập"),
        "leads": ("khách hàng tiềm năng", "số khách hàng tiềm năng", "lead mới", "số lead"),
        "mqls": (
            "khách hàng tiềm năng đủ điều kiện tiếp thị",
            "tiếp thị khách hàng tiềm năng đủ điều kiện",
        ),
        "sqls": ("khách hàng tiềm năng đủ điều kiện bán hàng",),
        "opportunities": ("cơ hội bán hàng", "số cơ hội", "cơ hội"),
        "deals_won": ("số thương vụ thắng", "thương vụ thắng", "deal thắng"),
        "deals_lost": ("thương vụ thua", "deal thua"),
        "demo_requests": ("yêu cầu demo", "số yêu cầu demo"),
        "trials_started": ("dùng thử", "lượt dùng thử", "số lượt dùng thử"),
        "trials_converted": ("dùng thử chuyển đổi", "lượt dùng thử trả phí"),
        "pqls": ("khách hàng tiềm năng đủ điều kiện sản phẩm",),
        "activations": ("kích hoạt", "lượt kích hoạt"),
        "new_customers": ("khách hàng mới", "số khách hàng mới"),
        "customers_churned": ("khách hàng rời bỏ", "số khách hàng rời bỏ", "khách hàng hủy"),
        "emails_sent": ("email đã gửi", "số email gửi", "email gửi đi"),
        "marketing_spend": ("chi phí tiếp thị", "chi phí marketing", "ngân sách marketing"),
        "sales_spend": ("chi phí bán hàng",),
        "total_spend": ("tổng chi phí", "tổng chi phí thu hút", "tổng ngân sách"),
        "customers": ("số khách hàng", "khách hàng trả tiền", "tổng số khách hàng"),
        "visitor_to_lead": (
            "tỷ lệ chuyển đổi trang web",
            "tỷ lệ chuyển đổi website",
            "tỷ lệ chuyển đổi người truy cập",
            "chuyển đổi trang web",
        ),
        "lead_to_mql": ("tỷ lệ chuyển đổi lead sang mql", "lead sang mql", "lead thành mql"),
        "mql_to_sql": ("tỷ lệ chuyển đổi mql sang sql", "mql sang sql", "mql thành sql"),
        "sql_to_opportunity": ("sql sang cơ hội", "sql thành cơ hội"),
        "win_rate": ("tỷ lệ thắng", "tỷ lệ chốt deal", "tỷ lệ chốt đơn", "tỷ lệ chốt"),
        "lead_to_customer": (
            "tỷ lệ chuyển đổi khách hàng tiềm năng thành khách hàng",
            "tỷ lệ chuyển đổi lead thành khách hàng",
            "lead thành khách hàng",
        ),
        "trial_to_paid": (
            "tỷ lệ chuyển đổi dùng thử",
            "dùng thử sang trả phí",
            "tỷ lệ dùng thử thành trả phí",
        ),
        "pql_rate": ("tỷ lệ pql",),
        "activation_rate": ("tỷ lệ kích hoạt",),
        "email_open_rate": ("tỷ lệ mở email", "tỷ lệ mở"),
        "email_ctr": ("tỷ lệ nhấp email", "tỷ lệ nhấp", "tỷ lệ click email"),
        "avg_deal_size": ("giá trị thương vụ trung bình", "giá trị deal trung bình"),
        "avg_sales_cycle": ("chu kỳ bán hàng trung bình", "chu kỳ bán hàng"),
        "sales_velocity": ("tốc độ bán hàng",),
        "time_to_value": ("thời gian đến giá trị", "thời gian tạo giá trị"),
        "cac": (
            "chi phí thu hút khách hàng",
            "chi phí mua lại khách hàng",
            "chi phí có được khách hàng",
            "chi phí để có khách hàng",
        ),
        "arpa": ("doanh thu trung bình trên mỗi tài khoản", "doanh thu trung bình mỗi khách hàng"),
        "new_arpa": ("doanh thu trung bình mỗi khách hàng mới",),
        "ltv": (
            "giá trị trọn đời của khách hàng",
            "giá trị trọn đời khách hàng",
            "giá trị vòng đời khách hàng",
            "giá trị trọn đời",
        ),
        "ltv_cac": ("tỷ lệ ltv trên cac", "ltv trên cac", "ltv so với cac"),
        "payback_months": ("thời gian hoàn vốn", "thời gian hoàn vốn cac", "hoàn vốn"),
        "funnel_roi": ("roi của phễu", "roi phễu bán hàng", "lợi tức đầu tư"),
        "mrr": ("doanh thu định kỳ hàng tháng", "doanh thu định kỳ tháng", "doanh thu định kỳ"),
        "arr": ("doanh thu định kỳ hàng năm", "doanh thu định kỳ năm"),
        "net_new_mrr": ("mrr mới ròng", "mrr thuần mới"),
        "mrr_growth": ("tăng trưởng mrr", "tăng trưởng doanh thu định kỳ"),
        "mrr_growth_monthly": ("tăng trưởng mrr hàng tháng",),
        "customer_churn_rate": (
            "tỷ lệ khách hàng rời bỏ",
            "tỷ lệ rời bỏ",
            "tỷ lệ hủy bỏ",
            "tỷ lệ hủy",
            "tỷ lệ churn",
        ),
        "customer_churn_monthly": ("tỷ lệ rời bỏ hàng tháng", "churn hàng tháng"),
        "customer_churn_annualized": ("tỷ lệ rời bỏ hàng năm", "churn hàng năm"),
        "revenue_churn": ("tỷ lệ rời bỏ doanh thu", "doanh thu rời bỏ", "churn doanh thu"),
        "nrr": ("tỷ lệ giữ chân doanh thu ròng", "giữ chân doanh thu ròng"),
        "quick_ratio": ("hệ số nhanh", "tỷ số nhanh"),
        "nps": ("chỉ số nps", "điểm nps", "chỉ số khuyến nghị ròng", "điểm khuyến nghị ròng"),
    }
)

PHRASES: Mapping[str, str] = MappingProxyType(
    {
        # periods
        "tháng trước": "last month",
        "tháng rồi": "last month",
        "tháng vừa rồi": "last month",
        "tháng vừa qua": "last month",
        "tháng này": "this month",
        "quý trước": "last quarter",
        "quý rồi": "last quarter",
        "quý vừa rồi": "last quarter",
        "quý này": "this quarter",
        "năm nay": "this year",
        "năm này": "this year",
        "năm ngoái": "last year",
        "năm trước": "last year",
        "năm rồi": "last year",
        "tuần trước": "last week",
        "tuần rồi": "last week",
        "tuần này": "this week",
        "từ đầu năm": "ytd",
        "từ đầu năm đến nay": "ytd",
        "từ đầu tháng": "mtd",
        "từ đầu quý": "qtd",
        "cùng kỳ năm ngoái": "last year",
        "cùng kỳ năm trước": "last year",
        # breakdowns and filters
        "theo kênh": "by channel",
        "từng kênh": "by channel",
        "mỗi kênh": "by channel",
        "chia theo kênh": "by channel",
        "theo phân khúc": "by segment",
        "từng phân khúc": "by segment",
        "chia theo phân khúc": "by segment",
        "theo": "by",
        "kênh": "channel",
        "phân khúc": "segment",
        "doanh nghiệp lớn": "enterprise",
        "doanh nghiệp nhỏ": "smb",
        "tìm kiếm trả phí": "paid search",
        "giới thiệu": "referral",
        "hội thảo trực tuyến": "webinar",
        # comparisons
        "so với": "vs",
        "so sánh với": "vs",
        "so sánh": "compare",
        # intents
        "phễu": "funnel",
        "phễu bán hàng": "funnel",
        "phễu chuyển đổi": "funnel",
        "xu hướng": "trend",
        "diễn biến": "trend",
        "theo tuần": "weekly",
        "hàng tuần": "weekly",
        "theo tháng": "monthly",
        "là gì": "explain",
        "giải thích": "explain",
        "định nghĩa": "explain",
        "tính thế nào": "explain",
        "tính như thế nào": "explain",
        "cách tính": "explain",
        "trợ giúp": "help",
        "giúp đỡ": "help",
        "hướng dẫn": "help",
        "danh sách chỉ số": "metrics",
        "các chỉ số": "metrics",
        "có những chỉ số nào": "metrics",
    }
)

FILLERS: frozenset[str] = frozenset(
    {
        "nhé", "ạ", "nhỉ", "vậy", "thế", "ơi", "bao nhiêu", "là", "của", "cho", "tôi", "mình",
        "em", "anh", "chị", "xem", "xem giúp", "cho xem", "cho biết", "giúp", "với", "thì",
        "trong", "ở", "của chúng ta", "chúng ta", "công ty", "hiện tại", "bây giờ", "ra sao",
        "thế nào", "như thế nào", "được", "không", "hả", "đi", "nha", "nhé ạ", "cho em",
        "cho mình", "số liệu", "chỉ số", "tổng", "các", "những", "và", "hay", "nào", "có",
        "muốn", "biết", "xem giúp mình", "từ", "đạt", "bao", "nhiêu", "số",
    }
)  # fmt: skip
