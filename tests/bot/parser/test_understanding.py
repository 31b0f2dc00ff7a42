"""The parser against the questions of people who never read it, and the capabilities the
understanding issue names: composed readings, asking back, periods written any way."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from bot.parser import NotUnderstood, Parsed, parse, read_period
from metrics.query import Dimension, Intent, Rank
from testkit.understanding import KNOWN, LANGUAGES, TODAY, Outcome, grade, load

# The dev half as measured on 2026-12-03 (docs/benchmarks.md); a change that reads fewer
# of these questions right, or misreads more, fails here. The held-out half is never used.
# The floors fell a point on 2026-12-03 when the persona batches dev-j to dev-m (written
# in styles no earlier batch had) joined the dev half.
DEV_FLOOR = {"en": 0.96, "th": 0.96, "vi": 0.96}
# The English misreads left: two are judgements the corpus writers disagree on (spending "on
# paid search" as its marketing spend, which ten rows say and one does not; "nps over the
# past 12 months" as a trend, where other rows read "over the last N" as one figure); two are
# open ("how's email doing" answered with e-mails sent; "average customers" choosing the
# monthly churn in a definition question); one reads "LinkedIn only" as paid social, which
# the vocabulary declares (docs/questions.md) and one writer thought a channel we lack; a
# person typed in lower case is no name we can tell ("how many deals did jess close"); "did
# we get worse at closing enterprise deals" answers the deals won, not the win rate.
DEV_MOST_MISREADS = {"en": 7, "th": 0, "vi": 0}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_dev_half_is_read_at_least_as_well_as_recorded(language: str) -> None:
    rows = load(language, "dev")
    outcomes = Counter(grade(row, parse(row.question, today=TODAY, known=KNOWN)) for row in rows)
    assert outcomes[Outcome.RIGHT] / len(rows) >= DEV_FLOOR[language]
    assert outcomes[Outcome.MISREAD] <= DEV_MOST_MISREADS[language]


def _read(question: str) -> Parsed:
    result = parse(question, today=TODAY, known=KNOWN)
    assert isinstance(result, Parsed), result
    return result


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("what fraction of site visitors turn into leads", "visitor_to_lead"),
        ("of the MQLs from events, how many got to SQL", "mql_to_sql"),
        ("lead-to-paying-customer percentage", "lead_to_customer"),
        ("SQL→won rate for outbound", "sql_to_customer"),
        ("lead to sql last quarter", "lead_to_sql"),
        ("average monthly churn", "customer_churn_monthly"),
        ("average churn per month for enterprise in H1?", "customer_churn_monthly"),
        ("annualised churn", "customer_churn_annualized"),
        ("month-over-month MRR growth", "mrr_growth_monthly"),
        ("new MRR", "mrr_new"),
        ("net new MRR", "net_new_mrr"),
        ("how many MQLs did webinars generate?", "mqls"),
        ("how long do outbound deals take to close?", "avg_sales_cycle"),
        ("total visitors from social", "visitors"),
        ("sales spend by segment", "sales_spend"),
        ("opportunities created this month", "opportunities"),
        ("bookings last quarter", "won_deal_value"),
        ("ARPU for new customers in september", "new_arpa"),
        ("churned MRR lost to churn in q3", "mrr_churned"),
        ("mean time until customers see value", "time_to_value"),
    ],
)
def test_spans_compose_into_one_metric(question: str, metric: str) -> None:
    assert _read(question).query.metric == metric


def test_words_around_a_clear_reading_are_ignored_and_said() -> None:
    read = _read("average cac for smb pls, need it for the board deck")
    assert read.query.metric == "cac"
    assert read.query.filters.segment == ("smb",)
    assert any("board deck" in note for note in read.notes)


@pytest.mark.parametrize(
    ("question", "metric", "read_as"),
    [
        ("oppertunities created in octobr", "opportunities", "read 'octobr' as 'october'"),
        ("anual churn enterprize 2025", "customer_churn_annualized", "as 'enterprise'"),
        ("webniar leads mtd", "leads", "read 'webniar' as 'webinar'"),
        ("avrage sales cyle for mid-market", "avg_sales_cycle", "read 'cyle' as 'cycle'"),
    ],
)
def test_misspelt_words_are_read_as_meant_and_said(
    question: str, metric: str, read_as: str
) -> None:
    read = _read(question)
    assert read.query.metric == metric
    assert any(read_as in note for note in read.notes)


@pytest.mark.parametrize("question", ["cust last month", "quote cac", "cac for the hands"])
def test_real_words_and_short_ones_are_never_spelt_into_ours(question: str) -> None:
    result = parse(question, today=TODAY, known=KNOWN)
    notes = result.notes if isinstance(result, Parsed) else ()
    assert not any(note.startswith("read") for note in notes)


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("how many new logos did we land in q3 🚀", "new_customers"),
        ("number of the lead coming from organic", "leads"),
    ],
)
def test_emoji_are_no_words_and_a_source_word_before_a_name_filters(
    question: str, metric: str
) -> None:
    query = _read(question).query
    assert (query.metric, query.by) == (metric, None)


def test_a_sentence_of_context_is_set_aside_whole() -> None:
    read = _read("asking because the CFO wants it for the review: what's LTV to CAC for SMB?")
    assert (read.query.metric, read.query.filters.segment) == ("ltv_cac", ("smb",))
    assert any("asking because" in note for note in read.notes)


def test_a_sentence_that_could_change_the_question_is_not_set_aside() -> None:
    assert isinstance(parse("not this one. cac q3", today=TODAY, known=KNOWN), NotUnderstood)


@pytest.mark.parametrize(
    ("question", "segments"),
    [
        ("arpa excluding enterprise, q3", ("smb", "mid_market")),
        ("churn except smb and enterprise", ("mid_market",)),
        ("churn for smb and enterprise without smb", ("enterprise",)),
    ],
)
def test_excluded_values_leave_the_others(question: str, segments: tuple[str, ...]) -> None:
    assert _read(question).query.filters.segment == segments


def test_excluding_every_value_is_refused() -> None:
    result = parse("churn excluding smb, mid market and enterprise", today=TODAY, known=KNOWN)
    assert isinstance(result, NotUnderstood)
    assert "leaves no channel or segment" in result.reason


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("new mrr this quarter (not net)", "mrr_new"),
        ("opp to closed-won conversion (not win rate pls) for q3", "opportunity_to_customer"),
        ("net new MRR last quarter, not gross new", "net_new_mrr"),
    ],
)
def test_a_figure_named_only_to_be_ruled_out_is_set_aside(question: str, metric: str) -> None:
    read = _read(question)
    assert read.query.metric == metric
    assert any("ignored 'not" in note for note in read.notes)


@pytest.mark.parametrize(
    ("question", "offered"),
    [
        ("how many customers in Q3", {"customers", "new_customers"}),
        ("customers from partners in q3", {"customers", "new_customers"}),
        ("growth last quarter?", {"mrr_growth", "net_new_mrr"}),
        ("lead conversion for enterprise", {"lead_to_mql", "lead_to_customer"}),
    ],
)
def test_words_a_period_makes_ambiguous_are_asked_back(question: str, offered: set[str]) -> None:
    result = parse(question, today=TODAY, known=KNOWN)
    assert isinstance(result, NotUnderstood), result
    assert offered <= {choice.metric for choice in result.choices}


@pytest.mark.parametrize(
    "question",
    ["how many customers do we have", "customers at the end of q3", "paying customers in q3"],
)
def test_customers_at_a_point_are_the_stock(question: str) -> None:
    assert _read(question).query.metric == "customers"


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("NDR for H2 so far", "2026-07-01", "2026-11-25"),
        ("activations in ISO week 40", "2026-09-28", "2026-10-04"),
        ("how many SQLs did we get since the start of Q3", "2026-07-01", "2026-11-25"),
    ],
)
def test_periods_written_around_a_period(question: str, start: str, end: str) -> None:
    period = _read(question).query.period
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


@pytest.mark.parametrize(
    ("question", "by", "rank"),
    [
        ("cheapest channel to acquire customers", Dimension.CHANNEL, Rank.LOWEST),
        ("top channels by new customers this year", Dimension.CHANNEL, Rank.HIGHEST),
        ("which segment has the best LTV", Dimension.SEGMENT, Rank.HIGHEST),
        ("which channel has the worst cac", Dimension.CHANNEL, Rank.HIGHEST),
    ],
)
def test_rankings_are_breakdowns_with_an_end(question: str, by: Dimension, rank: Rank) -> None:
    query = _read(question).query
    assert (query.by, query.rank) == (by, rank)


@pytest.mark.parametrize(
    "question",
    ["marketing budget last month", "marketing newsletter open rate", "sales cycle for smb"],
)
def test_words_of_a_metric_phrase_are_no_filter(question: str) -> None:
    assert "mid_market" not in _read(question).query.filters.segment


@pytest.mark.parametrize(
    ("question", "shown"),
    [
        ("cac from tiktok", "tiktok"),
        ("cac for paid serch and tiktok", "tiktok"),
        ("churn for the startup segment", "startup"),
        ("reddit + facebook ads spend last quarter", "reddit"),
        ("cac; drop table snapshots. what is cac", "drop table"),
        ("email unsubscribe rate last month", "unsubscribe"),
        ("cost per lead for paid social in Q3", "cost per lead"),
        ("win rate by sales rep for q3", "sales rep"),
        ("what will mrr be in december", "will"),
    ],
)
def test_what_cannot_be_answered_is_refused_never_misread(question: str, shown: str) -> None:
    result = parse(question, today=TODAY, known=KNOWN)
    assert isinstance(result, NotUnderstood), result
    assert shown in " | ".join((result.unknown_part, result.reason, *result.did_you_mean))


@pytest.mark.parametrize(
    ("question", "offered"),
    [
        ("conversion rate for webinars last month", {"visitor_to_lead", "trial_to_paid"}),
        ("sql rate for outbound", {"mql_to_sql", "sql_to_opportunity"}),
        ("deal value in q3", {"won_deal_value", "avg_deal_size"}),
        ("cac and churn for smb", {"cac", "customer_churn_rate"}),
    ],
)
def test_several_readings_are_asked_back(question: str, offered: set[str]) -> None:
    result = parse(question, today=TODAY, known=KNOWN)
    assert isinstance(result, NotUnderstood), result
    assert offered <= {choice.metric for choice in result.choices}


@pytest.mark.parametrize(
    "question", ["conversion rate for webinars last month", "cac and churn for smb"]
)
def test_each_choice_reads_as_its_metric_with_the_rest_of_the_question(question: str) -> None:
    asked = parse(question, today=TODAY, known=KNOWN)
    assert isinstance(asked, NotUnderstood)
    for choice in asked.choices:
        query = _read(choice.question).query
        assert query.metric == choice.metric
        assert query.filters.channel or query.filters.segment


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("from 3 feb to 17 mar", "2026-02-03", "2026-03-17"),
        ("between 2026-04-06 and 2026-06-14", "2026-04-06", "2026-06-14"),
        ("the week of 12 October", "2026-10-12", "2026-10-18"),
        ("yesterday", "2026-11-24", "2026-11-24"),
        ("this quarter so far", "2026-10-01", "2026-11-25"),
        ("Q2/2026", "2026-04-01", "2026-06-30"),
        ("in Q1", "2026-01-01", "2026-03-31"),
        ("q4 last year", "2025-10-01", "2025-12-31"),
        ("1-15 oct", "2026-10-01", "2026-10-15"),
        ("since march", "2026-03-01", "2026-11-25"),
        ("10/1 - 10/15", "2026-10-01", "2026-10-15"),
        ("from 1/10 to 15/10", "2026-10-01", "2026-10-15"),
        ("10/15/26", "2026-10-15", "2026-10-15"),
        ("12/20 - 1/10", "2025-12-20", "2026-01-10"),
        ("5/5", "2026-05-05", "2026-05-05"),
        ("since last december", "2025-12-01", "2026-11-25"),
        ("last november", "2025-11-01", "2025-11-30"),
    ],
)
def test_periods_read_in_every_form(text: str, start: str, end: str) -> None:
    period = read_period(text, TODAY)
    assert (period.start, period.end) == (date.fromisoformat(start), date.fromisoformat(end))


@pytest.mark.parametrize("text", ["cac march", "next month", "", "q3 vs q2"])
def test_what_is_not_one_period_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        read_period(text, TODAY)


@pytest.mark.parametrize("text", ["10/1", "since 3/4/2026", "13/13"])
def test_a_slash_date_that_reads_both_ways_or_neither_is_refused_by_name(text: str) -> None:
    asked = parse(f"leads {text}", today=TODAY, known=KNOWN)
    assert isinstance(asked, NotUnderstood)
    assert text.rsplit(maxsplit=1)[-1] in asked.reason


def test_than_last_year_is_a_comparison_not_the_period() -> None:
    query = _read("are we spending more than last year").query
    assert query.metric == "total_spend"
    assert (query.period.start, query.period.end) == (date(2026, 10, 1), date(2026, 10, 31))
    assert query.compare.resolve(query.period) == query.period.year_ago()


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("are we spending more on marketing than last year?", "marketing_spend"),
        ("how much did we spend on sales in q3", "sales_spend"),
        ("how much did we spend on marketing and sales", "total_spend"),
        ("number of trials that converted in october", "trials_converted"),
        ("how many deals did we lose in september", "deals_lost"),
        ("how many deals did we close last quarter", "deals_won"),
        ("what % of our emails actually get opened?", "email_open_rate"),
        ("how many emails got clicked in q3", "emails_clicked"),
        ("how many accounts activated last week", "activations"),
        ("last week customers churn how many", "customers_churned"),
        ("what % of customers churned in q3", "customer_churn_rate"),
        ("how does our CAC compare to industry benchmarks?", "cac"),
        ("deals won in october, total value?", "won_deal_value"),
        ("what were deals won worth last month", "won_deal_value"),
        ("how much is a new customer worth for smb", "ltv"),
        ("organic traffic last month", "visitors"),
        ("sqls per mql for events", "mql_to_sql"),
        ("won out of opps in q3", "opportunity_to_customer"),
    ],
)
def test_words_around_a_figure_choose_its_variant(question: str, metric: str) -> None:
    assert _read(question).query.metric == metric


@pytest.mark.parametrize(
    ("question", "intent", "metric"),
    [
        ("is cac getting better or worse? show me the last 6 months", Intent.TREND, "cac"),
        ("how do u calc payback?", Intent.EXPLAIN, "payback_months"),
        ("what goes into cac, is sales spend included?", Intent.EXPLAIN, "cac"),
        ("what does nrr mean exactly, is expansion included?", Intent.EXPLAIN, "nrr"),
        ("what's a good ltv to cac ratio, and how do you compute it?", Intent.EXPLAIN, "ltv_cac"),
        ("can you help? not sure how to ask you things", Intent.HELP, None),
        ("visitors > leads > mqls > sqls > opps > won for webinars", Intent.FUNNEL, None),
        ("leads, mqls and sqls last month", Intent.FUNNEL, None),
        ("mql->sql since sept 15 for partner leads", Intent.METRIC, "mql_to_sql"),
        ("how did churn develop month to month over 2025", Intent.TREND, "customer_churn_rate"),
        ("is win rate won/(won+lost) or won over all opps?", Intent.EXPLAIN, "win_rate"),
    ],
)
def test_what_is_asked_of_a_figure(question: str, intent: Intent, metric: str | None) -> None:
    query = _read(question).query
    assert (query.intent, query.metric) == (intent, metric)


def test_explaining_one_figure_beside_an_unrelated_one_still_asks_which() -> None:
    assert isinstance(parse("explain cac and ltv", today=TODAY, known=KNOWN), NotUnderstood)


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("how many MQLs did Sarah's team produce last month", "sarah"),
        ("what's CAC for the public sector segment?", "public sector"),
    ],
)
def test_a_group_the_store_does_not_have_is_refused(question: str, unknown: str) -> None:
    refused = parse(question, today=TODAY, known=KNOWN)
    assert isinstance(refused, NotUnderstood)
    assert refused.unknown_part == unknown


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("MQL แยกตามช่องทาง Q4 ถึงตอนนี้", "2026-10-01", "2026-11-25"),
        ("สวัสดีค่ะ ขอ avg deal size Q3 เทียบกับ Q3 ปีที่แล้วค่ะ", "2026-07-01", "2026-09-30"),
        ("tuần của ngày 12/10 có bao nhiêu lượt click email vậy", "2026-10-12", "2026-10-18"),
    ],
)
def test_thai_and_vietnamese_periods(question: str, start: str, end: str) -> None:
    period = _read(question).query.period
    assert (period.start, period.end) == (date.fromisoformat(start), date.fromisoformat(end))


@pytest.mark.parametrize(
    ("question", "intent", "metric"),
    [
        ("churn this year by month", Intent.TREND, "customer_churn_rate"),
        ("churn per month", Intent.METRIC, "customer_churn_monthly"),
        ("sorry if dumb q but what is an SQL", Intent.EXPLAIN, "sqls"),
        ("wat is ltv", Intent.EXPLAIN, "ltv"),
        ("how long are enterprise deals taking to close these days", Intent.METRIC,
         "avg_sales_cycle"),
        ("Paid social spend, Q3. Number only.", Intent.METRIC, "marketing_spend"),
        ("total spend for paid search", Intent.METRIC, "total_spend"),
    ],
)  # fmt: skip
def test_grain_words_preliminaries_and_ad_spend(question: str, intent: Intent, metric: str) -> None:
    query = _read(question).query
    assert (query.intent, query.metric) == (intent, metric)


@pytest.mark.parametrize(
    ("question", "channels"),
    [
        ("webinar + email leads q3 vs q2", ("webinar", "email")),
        ("funnel for webinar and email, october", ("webinar", "email")),
        ("Clicks on emails in Q3 vs Q2", ()),
        ("open rate from email", ("email",)),
        ("open rate on the newsletter in august", ("email",)),
        ("cac for everything except events and outbound, q3",
         ("organic", "paid_search", "paid_social", "webinar", "referral", "email", "partner")),
    ],
)  # fmt: skip
def test_channel_names_listed_excluded_or_part_of_a_figure(
    question: str, channels: tuple[str, ...]
) -> None:
    assert _read(question).query.filters.channel == channels


@pytest.mark.parametrize(
    ("question", "noted"),
    [
        ("ARR at the end of Q3, investors are asking", "investors are asking"),
        ("ขอchurnทั้งปี2568หน่อยครับ ผู้บริหารจะเอาไปตั้งเป้าปีหน้า", "next year"),
    ],
)
def test_an_aside_after_a_comma_or_a_thai_sentence_end_is_context(
    question: str, noted: str
) -> None:
    assert any(noted in note for note in _read(question).notes)


def test_a_list_after_a_name_is_never_set_aside() -> None:
    refused = parse("cac for paid search, tiktok and snapchat ads", today=TODAY, known=KNOWN)
    assert isinstance(refused, NotUnderstood)
    assert refused.unknown_part == "tiktok"


@pytest.mark.parametrize(
    ("question", "metric", "noted"),
    [
        ("Sales says pipeline quality is down. What was MQL to SQL in Q3?", "mql_to_sql",
         "sales says pipeline"),
        ("explain payback? finance and marketing disagree on it lol", "payback_months",
         "finance and marketing"),
        ("win rate for q3? the CRO thinks deals got harder after the price change",
         "win_rate", "the cro thinks"),
    ],
)  # fmt: skip
def test_a_statement_naming_figures_is_set_aside_when_the_question_reads_without_it(
    question: str, metric: str, noted: str
) -> None:
    read = _read(question)
    assert read.query.metric == metric
    assert read.query.filters.segment == ()
    assert any(noted in note for note in read.notes)


@pytest.mark.parametrize(
    "question",
    [
        "what's cac? only tiktok",  # a name narrows the question: never set aside
        "leads trend lol. split by rep",  # a breakdown the store cannot make
        "cac in q3. the team says the forecast looks worse",  # asks of the future
    ],
)
def test_a_statement_that_narrows_or_shapes_the_question_is_never_set_aside(
    question: str,
) -> None:
    assert isinstance(parse(question, today=TODAY, known=KNOWN), NotUnderstood)


@pytest.mark.parametrize(
    ("question", "refused"),
    [
        ("em Lan hỏi CAC tháng trước", True),  # "lan cac" is no "ltv cac"
        ("win rte last quarter", False),  # a short word may have lost a letter
    ],
)
def test_a_fuzzy_phrase_changes_each_word_only_as_much_as_that_word_allows(
    question: str, refused: bool
) -> None:
    result = parse(question, today=TODAY, known=KNOWN)
    assert isinstance(result, NotUnderstood) is refused
    assert refused or result.query.metric == "win_rate"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("question", "metric", "filters"),
    [
        ("are we spending more on ads than last year", "marketing_spend", {}),
        ("how much did we burn on advertising in q3", "marketing_spend", {}),
        ("cac payback months for smb", "payback_months", {"segment": ["smb"]}),
        ("leads for everyone but enterprise", "leads", {"segment": ["smb", "mid_market"]}),
        ("Anh Minh chốt được bao nhiêu deal quý này?", None, {}),
        ("Số khách hàng churn T10", "customers_churned", {}),
        ("khách hàng churn bao nhiêu % T10", "customer_churn_rate", {}),
        ("MRR tang trung binh moi thang trong nua dau nam", "mrr_growth_monthly", {}),
        ("จาก MQL ไป SQL คอนเวิร์ตกี่เปอร์เซ็นต์ ไตรมาสนี้", "mql_to_sql", {}),
    ],
)
def test_everyday_words_for_figures_and_people(
    question: str, metric: str | None, filters: dict[str, list[str]]
) -> None:
    result = parse(question, today=TODAY, known=KNOWN)
    if metric is None:
        assert isinstance(result, NotUnderstood)
        return
    assert isinstance(result, Parsed), result
    assert result.query.metric == metric
    assert result.query.filters.as_dict() == filters


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("sqls since the start of the quarter", "2026-10-01", "2026-11-25"),
        ("leads from the beginning of this month", "2026-11-01", "2026-11-25"),
        ("may leads vs may last year", "2026-05-01", "2026-05-31"),
        ("activation rate สัปดาห์ที่มีวันที่ 5 พ.ย.", "2026-11-02", "2026-11-08"),
    ],
)
def test_periods_said_from_a_start_or_opening_the_question(
    question: str, start: str, end: str
) -> None:
    period = _read(question).query.period
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


def test_a_unit_so_far_against_the_same_unit_last_year_is_year_on_year() -> None:
    query = _read("q4 new mrr so far vs q4 last year").query
    compared = query.compare.resolve(query.period)
    assert compared is not None
    assert (compared.start.isoformat(), compared.end.isoformat()) == ("2025-10-01", "2025-11-25")


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("how much do we spend to get a new customer from organic", "cac"),
        ("how many customers stopped paying us last quarter", "customers_churned"),
        ("share of people visiting our website who leave their email", "visitor_to_lead"),
        ("what percent of webinar leads were accepted by sales", "lead_to_sql"),
        ("how big is a typical deal for smb", "avg_deal_size"),
        ("how much does a customer pay us per month on average", "arpa"),
        ("how long take for close a deal in average", "avg_sales_cycle"),
        ("what fraction of trials get set up and use it", "activation_rate"),
        ("what is nrr and how is it different from churn", "nrr"),
        ("Tháng này có bao nhiêu khách hàng ngừng dùng sản phẩm?", "customers_churned"),
        ("bao nhieu phan tram nguoi dung thu roi tra tien quy truoc", "trial_to_paid"),
        ("เดือนที่แล้วมีคนเข้ามาดูเว็บไซต์กี่คนคะ", "visitors"),
        ("เมื่อวานมีคนกรอกฟอร์มกี่คน", "leads"),
    ],
)
def test_figures_described_in_plain_words(question: str, metric: str) -> None:
    assert _read(question).query.metric == metric


@pytest.mark.parametrize(
    "question",
    [
        "how many leads did our podcast sponsorships bring last week",  # a kind of channel
        "the board call moved to friday. how is youtube doing for leads",
    ],
)
def test_a_kind_of_channel_the_store_lacks_is_never_ignored(question: str) -> None:
    assert isinstance(parse(question, today=TODAY, known=KNOWN), NotUnderstood)


def test_a_movement_word_beside_no_figure_is_context() -> None:
    read = _read("board call moved to thursday so I need this quick. what was CAC last quarter?")
    assert (read.query.intent, read.query.metric) == (Intent.METRIC, "cac")


@pytest.mark.parametrize(
    ("question", "start", "end", "compare"),
    [
        ("nrr ytd vs ly", "2026-01-01", "2026-11-25", ("2025-01-01", "2025-11-25")),
        ("sql to opp by channel for the last 6 weeks (complete weeks only)", "2026-10-12",
         "2026-11-22", ("2026-08-31", "2026-10-11")),
        ("win rate for the quarter last", "2026-07-01", "2026-09-30", ("2026-04-01", "2026-06-30")),
        ("Cho xin trend ARR theo tháng 12 tháng gần nhất", "2025-11-01", "2026-10-31", None),
        ("avg sales cycleของดีล H1/2569", "2026-01-01", "2026-06-30", ("2025-07-01", "2025-12-31")),
        ("ลูกค้าใหม่wkนี้", "2026-11-23", "2026-11-25", ("2026-11-16", "2026-11-18")),
    ],
)  # fmt: skip
def test_shorthand_and_word_order_of_periods(
    question: str, start: str, end: str, compare: tuple[str, str] | None
) -> None:
    query = _read(question).query
    assert (query.period.start.isoformat(), query.period.end.isoformat()) == (start, end)
    compared = query.compare.resolve(query.period)
    got = None if compared is None else (compared.start.isoformat(), compared.end.isoformat())
    assert query.intent is Intent.TREND or got == compare


@pytest.mark.parametrize(
    ("question", "metric", "start"),
    [
        ("is churn above 5% this month?", "customer_churn_rate", "2026-11-01"),
        ("did we get more than 500 leads in october?", "leads", "2026-10-01"),
        ("did paid search spend go over $50k in november", "marketing_spend", "2026-11-01"),
        ("did we hit 2000 leads in q3", "leads", "2026-07-01"),
        ("churnเกิน5%ไหมเดือนนี้", "customer_churn_rate", "2026-11-01"),
        ("tháng 9 có hơn 800 lead không", "leads", "2026-09-01"),
        ("CAC co duoi 5 trieu ko, 30 ngay qua", "cac", "2026-10-26"),
    ],
)
def test_a_threshold_in_a_yes_or_no_question_is_answered_with_the_figure(
    question: str, metric: str, start: str
) -> None:
    query = _read(question).query
    assert (query.metric, query.period.start.isoformat()) == (metric, start)


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("churn over the first three quarters of 2026 (Jan 1 - Sep 30)", "2026-01-01",
         "2026-09-30"),
        ("cac by channel 2026 (ytd)", "2026-01-01", "2026-11-25"),
        ("how did churn develop month to month over 2025", "2025-01-01", "2025-12-31"),
    ],
)  # fmt: skip
def test_a_period_said_twice_or_after_over_stays_one_period(
    question: str, start: str, end: str
) -> None:
    period = _read(question).query.period
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("of the people who start a free trial, how many get set up", "activation_rate"),
        ("what fraction of trials become pqls", "pql_rate"),
        ("leads in the week of 12 oct, how many", "leads"),  # "of" inside a period
    ],
)
def test_of_the_first_how_many_the_second_is_their_rate(question: str, metric: str) -> None:
    assert _read(question).query.metric == metric


@pytest.mark.parametrize(
    ("question", "refused"),
    [
        ("how many deals did Sarah close this quarter", True),  # a person, though a word
        ("how many MQLs did Sarah's team produce last month", True),
        ("hey Sam, what's cac last month", False),  # the one greeted
        ("What Is Our Churn Rate This Quarter", False),  # Title Case singles out nothing
        ("cac for Enterprise in October", False),  # our own words
    ],
)
def test_a_word_capitalised_inside_a_sentence_is_a_name(question: str, refused: bool) -> None:
    assert isinstance(parse(question, today=TODAY, known=KNOWN), NotUnderstood) is refused


@pytest.mark.parametrize(
    ("question", "metric", "start"),
    [
        ("cvr mql->sql l30d ent", "mql_to_sql", "2026-10-26"),
        ("win rt mm qtd", "win_rate", "2026-10-01"),
        ("mrr trend 12m", "mrr", "2025-11-01"),
        ("nrr last 12 mo", "nrr", "2025-11-01"),
        ("why is the funnel leaking between sql and opp last quarter?", "sql_to_opportunity",
         "2026-07-01"),
        ("cacของpaid serchไตรมาส3หน่อยจ้า", "cac", "2026-07-01"),
        ("Dạ anh chị cho em xem toàn bộ phễu của phân khúc smb tháng trước", None, "2026-10-01"),
    ],
)  # fmt: skip
def test_abbreviations_leaks_and_typos_of_power_users(
    question: str, metric: str | None, start: str
) -> None:
    query = _read(question).query
    assert (query.metric, query.period.start.isoformat()) == (metric, start)


@pytest.mark.parametrize(
    "question",
    ["Chỉ khách hàng ở Singapore. Lead tháng này bao nhiêu?", "leads from APAC last month"],
)
def test_a_place_is_a_breakdown_the_store_cannot_make(question: str) -> None:
    assert isinstance(parse(question, today=TODAY, known=KNOWN), NotUnderstood)


@pytest.mark.parametrize(
    ("question", "metric", "filters"),
    [
        ("*cac* for `paid_search` last quarter?", "cac", {"channel": ["paid_search"]}),
        ("hey <@U04FUNNEL> leads by channel for last week pls", "leads", {}),
        ("\u2022 win rate\n\u2022 Q3\n\u2022 enterprise only", "win_rate",
         {"segment": ["enterprise"]}),
        ("see <https://dash.example.com|the dashboard>: visitor to lead rate for organic",
         "visitor_to_lead", {"channel": ["organic"]}),
        ("1. leads\n2. this month\n3. smb + mid market", "leads",
         {"segment": ["smb", "mid_market"]}),
    ],
)  # fmt: skip
def test_slack_markup_is_taken_off_before_reading(
    question: str, metric: str, filters: dict[str, list[str]]
) -> None:
    query = _read(question).query
    assert (query.metric, query.filters.as_dict()) == (metric, filters)


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("trials converted day before yesterday", "2026-11-23", "2026-11-23"),
        ("won deal value for 10/2026", "2026-10-01", "2026-10-31"),
        ("total spend this FY", "2026-01-01", "2026-11-25"),
        ("deals lost in Q3 FY26", "2026-07-01", "2026-09-30"),
        ("trials started between 5 and 18 October", "2026-10-05", "2026-10-18"),
        ("win rate for the second half of the year", "2026-07-01", "2026-12-31"),
    ],
)
def test_more_written_forms_of_periods(question: str, start: str, end: str) -> None:
    period = _read(question).query.period
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("is win rate improving?", Intent.METRIC),
        ("is our trial to paid conversion getting better this quarter?", Intent.METRIC),
        ("is cac getting better or worse? show me the last 6 months", Intent.TREND),
    ],
)
def test_better_or_worse_is_the_comparison_unless_over_several_months(
    question: str, intent: Intent
) -> None:
    assert _read(question).query.intent is intent
