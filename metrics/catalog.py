"""The metric catalog of docs/metrics.md, declared as data: adding a metric is adding an entry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from metrics.articles import ROI_OF_A_SAAS_FUNNEL, SAAS_MARKETING_METRICS, Article
from metrics.expressions import (
    Add,
    Const,
    Div,
    Expr,
    GrossMargin,
    Min,
    Months,
    Mul,
    Pow,
    Ref,
    Stock,
    Sub,
    Sum,
    columns_of,
)
from metrics.stages import Stage, conversion_id, forward_pairs

__all__ = [
    "CATALOG",
    "CATEGORIES",
    "Benchmark",
    "MetricDef",
    "Unit",
    "inputs_of",
    "metric",
]


class Unit(StrEnum):
    COUNT = "count"
    CURRENCY = "currency"
    RATIO = "ratio"
    SCORE = "score"
    DAYS = "days"
    MONTHS = "months"
    MULTIPLE = "multiple"
    CURRENCY_PER_DAY = "currency_per_day"


@dataclass(frozen=True, slots=True)
class Benchmark:
    """A typical range from the source articles; None for an open end ("below 5%").

    `sources` are the articles that give the range. `segments` restricts the range to
    questions about those segments (when the question names segments); `scope` is the same
    restriction in words for renderers.
    """

    low: float | None
    high: float | None
    sources: tuple[Article, ...]
    scope: str = ""
    segments: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class MetricDef:
    id: str
    label: str
    unit: Unit
    description: str
    formula_text: str
    formula: Expr
    lower_is_better: bool
    category: str
    benchmarks: tuple[Benchmark, ...] = ()


_THAI = (ROI_OF_A_SAAS_FUNNEL,)
_VIETNAMESE = (SAAS_MARKETING_METRICS,)
_BOTH = (ROI_OF_A_SAAS_FUNNEL, SAAS_MARKETING_METRICS)

_VOLUMES = "Funnel volumes"
_CONVERSION = "Conversion"
_SALES = "Sales"
_ECONOMICS = "Unit economics"
_REVENUE = "Revenue and retention"
CATEGORIES: tuple[str, ...] = (_VOLUMES, _CONVERSION, _SALES, _ECONOMICS, _REVENUE)


def _volume(
    column: str,
    label: str,
    description: str,
    unit: Unit = Unit.COUNT,
    *,
    lower: bool = False,
    category: str = _VOLUMES,
) -> MetricDef:
    return MetricDef(
        id=column,
        label=label,
        unit=unit,
        description=description,
        formula_text=f"sum of {column}",
        formula=Sum(column),
        lower_is_better=lower,
        category=category,
    )


def _mrr_movement(column: str, label: str, description: str, *, lower: bool = False) -> MetricDef:
    return _volume(column, label, description, Unit.CURRENCY, lower=lower, category=_REVENUE)


def _ratio(
    id_: str,
    label: str,
    description: str,
    numerator: str,
    denominator: str,
    *,
    when_zero: str,
    benchmarks: tuple[Benchmark, ...] = (),
) -> MetricDef:
    return MetricDef(
        id=id_,
        label=label,
        unit=Unit.RATIO,
        description=description,
        formula_text=f"{numerator} / {denominator}",
        formula=Div(Sum(numerator), Sum(denominator), when_zero),
        lower_is_better=False,
        category=_CONVERSION,
        benchmarks=benchmarks,
    )


def _range(
    low: float | None, high: float | None, sources: tuple[Article, ...] = _THAI
) -> Benchmark:
    return Benchmark(low, high, sources)


_MRR_START = Stock("mrr_start")
_CHURN_MONTHLY = Ref("customer_churn_monthly")

_DEFINITIONS: tuple[MetricDef, ...] = (
    _volume("visitors", "Website visitors", "Website visitors (sessions or unique visitors)."),
    _volume("leads", "Leads", "New leads: form fills and sign-ups."),
    _volume("mqls", "MQLs", "Marketing-qualified leads."),
    _volume("sqls", "SQLs", "Sales-qualified leads accepted by sales."),
    _volume("opportunities", "Opportunities", "Sales opportunities opened."),
    _volume("deals_won", "Deals won", "Opportunities closed won."),
    _volume("deals_lost", "Deals lost", "Opportunities closed lost.", lower=True),
    _volume("demo_requests", "Demo requests", "Demos requested."),
    _volume("trials_started", "Trials started", "Free trials started."),
    _volume("trials_converted", "Trials converted", "Free trials that became paid."),
    _volume("pqls", "PQLs", "Product-qualified leads."),
    _volume("activations", "Activations", "Users reaching the activation event."),
    _volume("new_customers", "New customers", "Customers who started paying."),
    _volume("customers_churned", "Customers churned", "Customers who stopped paying.", lower=True),
    _volume("emails_sent", "E-mails sent", "Campaign e-mails sent."),
    _volume("emails_opened", "E-mails opened", "Campaign e-mails opened (unique opens)."),
    _volume("emails_clicked", "E-mails clicked", "Campaign e-mails clicked (unique clicks)."),
    _volume("nps_promoters", "NPS promoters", "Survey answers of 9 or 10.", Unit.COUNT),
    _volume("nps_passives", "NPS passives", "Survey answers of 7 or 8."),
    _volume("nps_detractors", "NPS detractors", "Survey answers of 0 to 6.", lower=True),
    _volume(
        "won_deal_value",
        "Won deal value",
        "First-year contract value of the deals won (bookings).",
        Unit.CURRENCY,
        category=_SALES,
    ),
    _mrr_movement("mrr_new", "New MRR", "MRR from customers who started paying."),
    _mrr_movement("mrr_expansion", "Expansion MRR", "MRR added by existing customers."),
    _mrr_movement("mrr_contraction", "Contraction MRR", "MRR lost to downgrades.", lower=True),
    _mrr_movement("mrr_churned", "Churned MRR", "MRR lost with customers who left.", lower=True),
    _mrr_movement("mrr_reactivation", "Reactivation MRR", "MRR from customers who came back."),
    _volume(
        "marketing_spend",
        "Marketing spend",
        "Marketing acquisition spend.",
        Unit.CURRENCY,
        lower=True,
    ),
    _volume("sales_spend", "Sales spend", "Sales acquisition spend.", Unit.CURRENCY, lower=True),
    MetricDef(
        id="total_spend",
        label="Total acquisition spend",
        unit=Unit.CURRENCY,
        description="Marketing plus sales acquisition spend.",
        formula_text="marketing_spend + sales_spend",
        formula=Add((Sum("marketing_spend"), Sum("sales_spend"))),
        lower_is_better=True,
        category=_VOLUMES,
    ),
    MetricDef(
        id="customers",
        label="Paying customers",
        unit=Unit.COUNT,
        description="Paying customers at the end of the period.",
        formula_text="customers_end (end stock)",
        formula=Stock("customers_end"),
        lower_is_better=False,
        category=_VOLUMES,
    ),
    _ratio(
        "visitor_to_lead",
        "Visitor-to-lead conversion",
        "Share of website visitors who became leads.",
        "leads",
        "visitors",
        when_zero="no visitors",
        benchmarks=(
            _range(0.007, 0.023),
            Benchmark(0.02, 0.05, _VIETNAMESE, note='"website conversion", B2B SaaS'),
        ),
    ),
    _ratio(
        "lead_to_mql",
        "Lead-to-MQL conversion",
        "Share of leads that became marketing-qualified.",
        "mqls",
        "leads",
        when_zero="no leads",
        benchmarks=(_range(0.32, 0.51),),
    ),
    _ratio(
        "mql_to_sql",
        "MQL-to-SQL conversion",
        "Share of MQLs that sales accepted as SQLs.",
        "sqls",
        "mqls",
        when_zero="no MQLs",
        benchmarks=(_range(0.26, 0.51),),
    ),
    _ratio(
        "sql_to_opportunity",
        "SQL-to-opportunity conversion",
        "Share of SQLs that became opportunities.",
        "opportunities",
        "sqls",
        when_zero="no SQLs",
    ),
    MetricDef(
        id="win_rate",
        label="Win rate",
        unit=Unit.RATIO,
        description="Share of closed opportunities that were won.",
        formula_text="deals_won / (deals_won + deals_lost)",
        formula=Div(
            Sum("deals_won"), Add((Sum("deals_won"), Sum("deals_lost"))), "no deals closed"
        ),
        lower_is_better=False,
        category=_CONVERSION,
        benchmarks=(_range(0.20, 0.30),),
    ),
    _ratio(
        "lead_to_customer",
        "Lead-to-customer conversion",
        "New customers per new lead.",
        "new_customers",
        "leads",
        when_zero="no leads",
        benchmarks=(_range(0.05, 0.10, _VIETNAMESE),),
    ),
    _ratio(
        "trial_to_paid",
        "Trial-to-paid conversion",
        "Share of trials started that became paid.",
        "trials_converted",
        "trials_started",
        when_zero="no trials started",
        benchmarks=(_range(0.15, 0.30),),
    ),
    _ratio(
        "pql_rate",
        "PQL rate",
        "Product-qualified leads per trial started.",
        "pqls",
        "trials_started",
        when_zero="no trials started",
    ),
    _ratio(
        "activation_rate",
        "Activation rate",
        "Activations per trial started.",
        "activations",
        "trials_started",
        when_zero="no trials started",
    ),
    _ratio(
        "email_open_rate",
        "E-mail open rate",
        "Unique opens per campaign e-mail sent.",
        "emails_opened",
        "emails_sent",
        when_zero="no e-mails sent",
        benchmarks=(_range(0.20, 0.30),),
    ),
    _ratio(
        "email_ctr",
        "E-mail click-through rate",
        "Unique clicks per campaign e-mail sent.",
        "emails_clicked",
        "emails_sent",
        when_zero="no e-mails sent",
        benchmarks=(_range(0.02, 0.05),),
    ),
    MetricDef(
        id="avg_deal_size",
        label="Average deal size",
        unit=Unit.CURRENCY,
        description="First-year contract value per deal won.",
        formula_text="won_deal_value / deals_won",
        formula=Div(Sum("won_deal_value"), Sum("deals_won"), "no deals won"),
        lower_is_better=False,
        category=_SALES,
    ),
    MetricDef(
        id="avg_sales_cycle",
        label="Average sales cycle",
        unit=Unit.DAYS,
        description="Days from opportunity open to close, per deal won.",
        formula_text="sales_cycle_days / deals_won",
        formula=Div(Sum("sales_cycle_days"), Sum("deals_won"), "no deals won"),
        lower_is_better=True,
        category=_SALES,
        benchmarks=(
            Benchmark(30, 60, _THAI, scope="SMB", segments=("smb",)),
            Benchmark(None, 180, _THAI, scope="enterprise", segments=("enterprise",)),
        ),
    ),
    MetricDef(
        id="sales_velocity",
        label="Sales velocity",
        unit=Unit.CURRENCY_PER_DAY,
        description="Revenue the pipeline produces per day.",
        formula_text="opportunities × avg_deal_size × win_rate / avg_sales_cycle",
        formula=Div(
            Mul((Sum("opportunities"), Ref("avg_deal_size"), Ref("win_rate"))),
            Ref("avg_sales_cycle"),
            "the average sales cycle is zero days",
        ),
        lower_is_better=False,
        category=_SALES,
    ),
    MetricDef(
        id="time_to_value",
        label="Time to value",
        unit=Unit.DAYS,
        description="Days from sign-up to the activation event, per activation.",
        formula_text="time_to_value_days / activations",
        formula=Div(Sum("time_to_value_days"), Sum("activations"), "no activations"),
        lower_is_better=True,
        category=_SALES,
    ),
    MetricDef(
        id="cac",
        label="Customer acquisition cost",
        unit=Unit.CURRENCY,
        description="Acquisition spend per new customer.",
        formula_text="total_spend / new_customers",
        formula=Div(Ref("total_spend"), Sum("new_customers"), "no new customers"),
        lower_is_better=True,
        category=_ECONOMICS,
        benchmarks=(
            Benchmark(200, 1000, _THAI, note="B2B average 702 in “Key SaaS marketing metrics”"),
        ),
    ),
    MetricDef(
        id="arpa",
        label="Average revenue per account",
        unit=Unit.CURRENCY,
        description="MRR per paying customer at the end of the period.",
        formula_text="mrr_end (end stock) / customers_end (end stock)",
        formula=Div(Stock("mrr_end"), Stock("customers_end"), "no paying customers at the end"),
        lower_is_better=False,
        category=_ECONOMICS,
    ),
    MetricDef(
        id="new_arpa",
        label="New-customer ARPA",
        unit=Unit.CURRENCY,
        description="New MRR per new customer.",
        formula_text="mrr_new / new_customers",
        formula=Div(Sum("mrr_new"), Sum("new_customers"), "no new customers"),
        lower_is_better=False,
        category=_ECONOMICS,
    ),
    MetricDef(
        id="ltv",
        label="Customer lifetime value",
        unit=Unit.CURRENCY,
        description="Gross-margin revenue a customer brings over their expected lifetime.",
        formula_text="arpa × gross_margin / customer_churn_monthly",
        formula=Div(
            Mul((Ref("arpa"), GrossMargin())),
            _CHURN_MONTHLY,
            "no churn in {period}, lifetime is unbounded",
        ),
        lower_is_better=False,
        category=_ECONOMICS,
    ),
    MetricDef(
        id="ltv_cac",
        label="LTV:CAC",
        unit=Unit.MULTIPLE,
        description="Lifetime value per unit of acquisition cost.",
        formula_text="ltv / cac",
        formula=Div(Ref("ltv"), Ref("cac"), "acquisition cost is zero"),
        lower_is_better=False,
        category=_ECONOMICS,
        benchmarks=(Benchmark(3, 5, _BOTH, note="3:1 is healthy"),),
    ),
    MetricDef(
        id="payback_months",
        label="CAC payback",
        unit=Unit.MONTHS,
        description="Months of a new customer's gross-margin revenue needed to repay its CAC.",
        formula_text="cac / (new_arpa × gross_margin)",
        formula=Div(Ref("cac"), Mul((Ref("new_arpa"), GrossMargin())), "no new MRR"),
        lower_is_better=True,
        category=_ECONOMICS,
    ),
    MetricDef(
        id="funnel_roi",
        label="Funnel ROI",
        unit=Unit.RATIO,
        description="Lifetime value won per unit of spend, net of the spend.",
        formula_text="(new_customers × ltv − total_spend) / total_spend",
        formula=Div(
            Sub(Mul((Sum("new_customers"), Ref("ltv"))), Ref("total_spend")),
            Ref("total_spend"),
            "no acquisition spend",
        ),
        lower_is_better=False,
        category=_ECONOMICS,
    ),
    MetricDef(
        id="mrr",
        label="MRR",
        unit=Unit.CURRENCY,
        description="Monthly recurring revenue at the end of the period.",
        formula_text="mrr_end (end stock)",
        formula=Stock("mrr_end"),
        lower_is_better=False,
        category=_REVENUE,
    ),
    MetricDef(
        id="arr",
        label="ARR",
        unit=Unit.CURRENCY,
        description="Annual recurring revenue: twelve times the ending MRR.",
        formula_text="12 × mrr",
        formula=Mul((Const(12), Ref("mrr"))),
        lower_is_better=False,
        category=_REVENUE,
    ),
    MetricDef(
        id="net_new_mrr",
        label="Net new MRR",
        unit=Unit.CURRENCY,
        description="MRR added minus MRR lost during the period.",
        formula_text=("mrr_new + mrr_expansion + mrr_reactivation − mrr_contraction − mrr_churned"),
        formula=Sub(
            Add((Sum("mrr_new"), Sum("mrr_expansion"), Sum("mrr_reactivation"))),
            Add((Sum("mrr_contraction"), Sum("mrr_churned"))),
        ),
        lower_is_better=False,
        category=_REVENUE,
    ),
    MetricDef(
        id="mrr_growth",
        label="MRR growth",
        unit=Unit.RATIO,
        description="Growth of MRR from the start to the end of the period.",
        formula_text="(mrr_end − mrr_start) / mrr_start (stocks)",
        formula=Div(Sub(Stock("mrr_end"), _MRR_START), _MRR_START, "no MRR at the start"),
        lower_is_better=False,
        category=_REVENUE,
    ),
    MetricDef(
        id="mrr_growth_monthly",
        label="Monthly MRR growth",
        unit=Unit.RATIO,
        description="The compounded monthly rate equivalent to the period's MRR growth.",
        formula_text="(1 + mrr_growth)^(1 / months(P)) − 1",
        formula=Sub(
            Pow(Add((Const(1), Ref("mrr_growth"))), Div(Const(1), Months(), "empty period")),
            Const(1),
        ),
        lower_is_better=False,
        category=_REVENUE,
        benchmarks=(Benchmark(0.15, 0.25, _THAI, scope="start-ups"),),
    ),
    MetricDef(
        id="customer_churn_rate",
        label="Customer churn rate",
        unit=Unit.RATIO,
        description="Share of the average customer base lost during the period.",
        formula_text=("customers_churned / ((customers_start + customers_end) / 2) (stocks)"),
        formula=Div(
            Sum("customers_churned"),
            Mul((Const(0.5), Add((Stock("customers_start"), Stock("customers_end"))))),
            "no customers",
        ),
        lower_is_better=True,
        category=_REVENUE,
    ),
    MetricDef(
        id="customer_churn_monthly",
        label="Monthly customer churn",
        unit=Unit.RATIO,
        description="The customer churn rate per month of the period.",
        formula_text="customer_churn_rate / months(P)",
        formula=Div(Ref("customer_churn_rate"), Months(), "empty period"),
        lower_is_better=True,
        category=_REVENUE,
    ),
    MetricDef(
        id="customer_churn_annualized",
        label="Annualized customer churn",
        unit=Unit.RATIO,
        description="The share of customers lost over a year at the monthly churn rate.",
        formula_text="1 − (1 − min(customer_churn_monthly, 1))^12",
        formula=Sub(
            Const(1),
            Pow(Sub(Const(1), Min(_CHURN_MONTHLY, Const(1))), Const(12)),
        ),
        lower_is_better=True,
        category=_REVENUE,
        benchmarks=(
            Benchmark(
                None,
                0.05,
                _BOTH,
                scope="enterprise, B2B",
                segments=("enterprise",),
            ),
            Benchmark(None, 0.10, _BOTH, scope="SMB", segments=("smb",)),
        ),
    ),
    MetricDef(
        id="revenue_churn",
        label="Revenue churn",
        unit=Unit.RATIO,
        description="Share of starting MRR lost to churn and contraction.",
        formula_text="(mrr_churned + mrr_contraction) / mrr_start",
        formula=Div(
            Add((Sum("mrr_churned"), Sum("mrr_contraction"))), _MRR_START, "no MRR at the start"
        ),
        lower_is_better=True,
        category=_REVENUE,
    ),
    MetricDef(
        id="nrr",
        label="Net revenue retention",
        unit=Unit.RATIO,
        description="Starting MRR kept after expansion, contraction and churn.",
        formula_text="(mrr_start + mrr_expansion − mrr_contraction − mrr_churned) / mrr_start",
        formula=Div(
            Sub(
                Add((_MRR_START, Sum("mrr_expansion"))),
                Add((Sum("mrr_contraction"), Sum("mrr_churned"))),
            ),
            _MRR_START,
            "no MRR at the start",
        ),
        lower_is_better=False,
        category=_REVENUE,
    ),
    MetricDef(
        id="quick_ratio",
        label="SaaS quick ratio",
        unit=Unit.MULTIPLE,
        description="MRR gained per unit of MRR lost.",
        formula_text=(
            "(mrr_new + mrr_expansion + mrr_reactivation) / (mrr_churned + mrr_contraction)"
        ),
        formula=Div(
            Add((Sum("mrr_new"), Sum("mrr_expansion"), Sum("mrr_reactivation"))),
            Add((Sum("mrr_churned"), Sum("mrr_contraction"))),
            "no MRR lost",
        ),
        lower_is_better=False,
        category=_REVENUE,
    ),
    MetricDef(
        id="nps",
        label="Net promoter score",
        unit=Unit.SCORE,
        description="Promoters minus detractors, in points out of 100 survey answers.",
        formula_text=(
            "100 × (nps_promoters − nps_detractors) / "
            "(nps_promoters + nps_passives + nps_detractors)"
        ),
        formula=Mul(
            (
                Const(100),
                Div(
                    Sub(Sum("nps_promoters"), Sum("nps_detractors")),
                    Add((Sum("nps_promoters"), Sum("nps_passives"), Sum("nps_detractors"))),
                    "no NPS answers",
                ),
            )
        ),
        lower_is_better=False,
        category=_REVENUE,
        benchmarks=(_range(30, 50),),
    ),
)


def _stage_pair(source: Stage, target: Stage) -> MetricDef:
    return _ratio(
        conversion_id(source.name, target.name),
        f"{source.label[0].upper()}{source.label[1:]}-to-{target.label} conversion",
        f"Share of {source.plural} that became {target.plural}.",
        target.column,
        source.column,
        when_zero=f"no {source.plural}",
    )


_DECLARED = {definition.id for definition in _DEFINITIONS}
_STAGE_PAIRS = tuple(
    _stage_pair(source, target)
    for source, target in forward_pairs()
    if conversion_id(source.name, target.name) not in _DECLARED
)

CATALOG: Mapping[str, MetricDef] = MappingProxyType(
    {definition.id: definition for definition in (*_DEFINITIONS, *_STAGE_PAIRS)}
)


def metric(id_: str) -> MetricDef:
    """The definition of a catalog metric; KeyError for an unknown id."""
    return CATALOG[id_]


def _formula_of(id_: str) -> Expr:
    return CATALOG[id_].formula


def inputs_of(id_: str) -> tuple[str, ...]:
    """The snapshot columns a metric reads, through the metrics it refers to."""
    return columns_of(CATALOG[id_].formula, _formula_of)
