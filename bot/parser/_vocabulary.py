"""English question words beyond metric names, as data: how stages, modifiers, rankings,
channel and segment synonyms are written. Other languages are rewritten into these words
(`bot.i18n`), so each entry here serves all three.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "AD_CHANNELS",
    "AVERAGE_WORDS",
    "BENCHMARK_WORDS",
    "BETTER_OR_WORSE",
    "CHANNEL_KINDS",
    "CLICKED_WORDS",
    "COMMON_WORDS",
    "CONVERSION_CUES",
    "COST_WORDS",
    "COUNT_WORDS",
    "LOST_WORDS",
    "MARKETING_WORDS",
    "METRIC_STAGES",
    "NEVER_IGNORED",
    "NEW_WORDS",
    "NOUN_METRICS",
    "OPENED_WORDS",
    "OUTCOME_WORDS",
    "OWN_CHANNEL",
    "PLACES",
    "RANK_WORDS",
    "RATE_CUES",
    "SALES_WORDS",
    "SHARE_WORDS",
    "SPECIAL_PAIRS",
    "STAGE_WORDS",
    "SUBSUMES",
    "TIME_WORDS",
    "UNKNOWN_DIMENSIONS",
    "UNSUPPORTED",
    "VALUE_GROUPS",
    "VALUE_SYNONYMS",
    "VARIANTS",
    "YEAR_WORDS",
]

# The funnel stage a count metric measures; a question naming two of them in funnel order
# with a conversion cue ("how many MQLs became SQLs") asks for that conversion.
METRIC_STAGES: Mapping[str, str] = MappingProxyType(
    {
        "visitors": "visitor",
        "leads": "lead",
        "mqls": "mql",
        "sqls": "sql",
        "opportunities": "opportunity",
        "new_customers": "customer",
        "customers": "customer",
        "deals_won": "customer",
        "trials_started": "trial",
        "trials_converted": "paid",
        "activations": "activation",
        "pqls": "pql",
    }
)
# Words that name a stage without being a figure of their own ("SQL to won").
STAGE_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "won": "customer", "closed won": "customer", "close": "customer", "closed": "customer",
        "paying": "customer", "paying customer": "customer", "customer": "customer",
        "trial": "trial", "free trial": "trial", "deal": "customer",
        "client": "customer", "signup": "lead", "sign up": "lead", "buying": "customer",
        "buy": "customer", "bought": "customer", "purchase": "customer",
        "purchased": "customer", "purchasing": "customer", "first visit": "visitor",
        "visit": "visitor", "accepted by sales": "sql", "accepted by the sales team": "sql",
        "sales accepted": "sql",
    }
)  # fmt: skip
# Pairs of stages that have a conversion of their own outside the stage order.
SPECIAL_PAIRS: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("trial", "paid"): "trial_to_paid",
        ("trial", "customer"): "trial_to_paid",
        ("trial", "activation"): "activation_rate",
        ("trial", "pql"): "pql_rate",
    }
)
# Words that ask for a share: with one stage ("SQL rate") they ask which conversion.
RATE_CUES: frozenset[str] = frozenset(
    {
        "rate", "ratio", "conversion", "convert", "converted", "converting", "become", "became",
        "becoming", "turn", "turned", "turning", "fraction", "share", "percent", "percentage",
        "pct", "proportion", "portion", "what share",
    }
)  # fmt: skip
# Words that join two stages into a conversion: "MQLs that got to SQL".
CONVERSION_CUES: frozenset[str] = RATE_CUES | frozenset(
    {
        "into", "got", "get", "reach", "reached", "reaching", "move", "moved", "progress",
        "progressed", "how many of", "out of", "end up", "ended up",
    }
)  # fmt: skip
YEAR_WORDS: frozenset[str] = frozenset(
    {"annualized", "annualised", "annual", "yearly", "per year", "a year", "annualize"}
)
AVERAGE_WORDS: frozenset[str] = frozenset(
    {"average", "avg", "typical", "usual", "typically", "mean time", "on average"}
)
NEW_WORDS: frozenset[str] = frozenset(
    {
        "new", "sign", "signed", "signing", "win", "won", "acquire", "acquired", "acquiring",
        "land", "landed", "gain", "gained", "add", "added", "onboard", "onboarded", "close",
        "closed", "bring", "brought", "got", "get", "generate", "generated",
    }
)  # fmt: skip
LOST_WORDS: frozenset[str] = frozenset(
    {
        "lost", "lose", "losing", "churned", "left", "leave", "cancelled", "canceled", "quit",
        "lose to churn", "lost to churn", "losing to churn", "lost through churn",
    }
)  # fmt: skip
# "How many trials became paying customers" counts them; "what % of trials converted" is
# the rate.
COUNT_WORDS: frozenset[str] = frozenset(
    {
        "how many",
        "how many of",
        "number of",
        "no of",
        "count of",
        "total number of",
        "the number of",
    }
)
# Words that ask for a share outright ("what % of trials converted"), unlike "became".
SHARE_WORDS: frozenset[str] = frozenset(
    {"rate", "ratio", "percent", "percentage", "pct", "proportion", "fraction", "share",
     "what share", "conversion", "conversion rate"}
)  # fmt: skip
# Verbs that pick one outcome among the figures a word could mean: "deals we closed".
OUTCOME_WORDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "deals_won": frozenset(
            {"close", "closed", "closing", "win", "won", "winning", "sign", "signed"}
        ),
        "deals_lost": frozenset({"lose", "lost", "losing"}),
    }
)
# Channels that are advertising: what is spent on them is marketing (ad) spend.
AD_CHANNELS: frozenset[str] = frozenset({"paid_search", "paid_social"})
# Figures whose name says a channel's word: "clicks on emails" names the figure, no filter.
OWN_CHANNEL: Mapping[str, str] = MappingProxyType(
    dict.fromkeys(
        ("emails_sent", "emails_opened", "emails_clicked", "email_open_rate", "email_ctr"),
        "email",
    )
)
# What every answer is already measured against: "how does our CAC compare to benchmarks".
BENCHMARK_WORDS: frozenset[str] = frozenset(
    {
        "benchmark", "benchmarks", "industry benchmark", "industry benchmarks", "industry",
        "industry average", "industry averages", "the industry", "industry standard",
        "industry standards", "the benchmark", "the benchmarks", "typical range",
        "typical ranges", "saas benchmarks", "saas benchmark", "other saas companies",
    }
)  # fmt: skip
# The team a spend belongs to: "spending more on marketing", "burning cash on sales".
# What happened to an e-mail: "what % of our emails get opened".
OPENED_WORDS: frozenset[str] = frozenset({"opened", "get opened", "got opened", "were opened"})
CLICKED_WORDS: frozenset[str] = frozenset(
    {"clicked", "get clicked", "got clicked", "clicked on", "clicked through", "click through"}
)
MARKETING_WORDS: frozenset[str] = frozenset({"marketing", "on marketing", "for marketing"})
SALES_WORDS: frozenset[str] = frozenset({"on sales", "for sales", "on the sales team"})
COST_WORDS: frozenset[str] = frozenset(
    {"cheapest", "cheaper", "cheap", "costliest", "expensive", "cost", "costs", "pricey"}
)
WORTH_WORDS: frozenset[str] = frozenset(
    {"worth", "total value", "in value", "dollar value", "value of", "how much value"}
)
# Ranking words and the end of a breakdown they ask for: the highest or lowest value,
# or the best or worst one by the metric's own direction ("cheapest" is the lowest).
RANK_WORDS: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(
            ("top", "highest", "most", "biggest", "largest", "greatest", "more", "max"),
            "highest",
        ),
        **dict.fromkeys(
            ("lowest", "least", "fewest", "smallest", "cheapest", "cheaper", "less", "fewer"),
            "lowest",
        ),
        **dict.fromkeys(("best", "strongest", "leading", "winner", "better", "fastest"), "best"),
        **dict.fromkeys(("worst", "weakest", "poorest", "worse", "slowest"), "worst"),
        **dict.fromkeys(("rank", "ranking", "ranked", "costliest", "expensive"), "highest"),
        **dict.fromkeys(
            ("longest", "longest first", "highest first", "biggest first", "descending"),
            "highest",
        ),
        **dict.fromkeys(
            ("shortest", "shortest first", "lowest first", "smallest first", "ascending"),
            "lowest",
        ),
    }
)
# Everyday words that carry nothing for the query, even next to a metric name: verbs of
# asking and fetching, hedges, greetings ("can you grab activation rate", "MQLs exactly").
COMMON_WORDS: frozenset[str] = frozenset(
    {
        "all hands", "all hand", "allhands", "standup", "stand up", "exec sync",
        "investor update", "board meeting", "qbr", "mbr", "exec review", "budget review",
        "budget meeting", "budget planning", "planning cycle", "if", "whether", "volume",
        "volumes", "dropped", "fell", "went down", "went up", "rose", "why", "website",
        "web site", "web", "survey", "surveys", "teh", "hte",
        "taking", "take", "takes", "took", "everything", "bn", "investor call", "board call",
        "sry", "sorry", "dumb q", "dumb question", "stupid question", "silly question", "but",
        "what is the deal with", "what is the deal w", "the deal with", "quota review",
        "weekly sync", "offsite", "product led",
        "product led motion", "plg", "product led growth", "split", "in saas terms",
        "saas terms", "like i m 5", "like im 5", "like i am 5", "like i m five",
        "like i am five", "eli5", "month end", "quarter end", "year end", "month end close",
        "went", "go", "goes", "gone", "grab", "pull", "fetch", "came", "come", "need", "needs",
        "needed", "want", "wants", "wanted", "say", "says", "said", "exactly", "actually",
        "hit", "getting", "as", "across", "count", "counts", "sourced", "looked", "check",
        "remind", "quote", "make sure", "sure", "right", "know", "love", "understand", "trying",
        "try", "happen", "happened", "really", "roughly", "approximately", "around", "combined",
        "altogether", "still", "yet", "again", "also", "too", "ok", "okay", "um", "hmm", "thx",
        "ty", "cheers", "morning", "afternoon", "guys", "folks", "everyone", "quickly", "asap",
        "kindly", "help me", "find", "figure out", "send", "share", "post", "reporting", "stat",
        "amount", "use", "used", "using", "done", "make", "made", "having", "being",
        "break down", "breakdown", "a breakdown", "broken out", "broken down", "split out",
        "exact", "roughly speaking",
        "basically", "wondering", "curious", "question", "wanna", "gonna", "gimme", "lemme",
        "u", "ur", "asking", "because", "since", "that", "those", "these", "its",
        "how many days", "how many months", "how many weeks", "how long", "long", "happening",
        "seen", "shown", "given", "bring", "brought", "deliver", "delivered", "drive", "drove",
        "driven", "drives", "produce", "produced", "totals", "real", "current", "latest",
        "recent", "final", "official", "true", "created", "received", "recorded", "logged",
        "booked", "came in", "coming in", "these days", "nowadays", "lately", "recently",
        "of late", "feel", "feels", "felt", "seem", "seems", "seemed", "included", "includes",
        "counted in", "factored in", "factor in", "taken into account", "part of it",
        # how a figure moved: the answer compares it anyway
        "creeping", "creep", "creeping up", "creeping down", "sliding", "slipping", "slipped",
        "tanking", "tanked", "spiking", "spiked", "spike", "jumped", "jumping", "climbing",
        "climbed", "falling", "rising", "dipped", "dip", "dipping", "dropping", "declining",
        "declined", "down", "hurt", "hurting", "moved", "moving", "jump", "tank",
        "tanks", "drag", "dragging", "dragged", "fall", "falls",
        # Slack shorthand, and who is asking or wants to know
        "fyi", "lol", "lmk", "tbh", "imo", "imho", "btw", "afaik", "iirc", "fwiw", "eod",
        "eow", "cfo", "ceo", "cmo", "cro", "coo", "cto", "vp", "svp", "evp", "leadership",
        "execs", "cs", "ui", "ux", "who", "people", "responses", "response", "survey responses",
        # telling one figure from another, in a question about its definition
        "different", "difference", "differ", "differs", "confuse", "confused", "confusing",
    }
)  # fmt: skip
# Figures people ask for that the catalog does not have: refused by name, never read as
# the catalog metric inside them ("cost per lead" is not leads).
UNSUPPORTED: frozenset[str] = frozenset(
    {
        "cost per lead", "cpl", "cost per mql", "cost per sql", "cost per opportunity",
        "cost per opp", "cost per click", "cpc", "cpm", "cost per demo", "cost per trial",
        "gross margin", "bounce rate", "csat", "unsubscribe rate", "unsubscribes",
        "unsubscribe", "churn reason", "churn reasons", "magic number", "burn rate",
        "burn multiple", "ebitda", "profit", "revenue per employee", "headcount",
        "support tickets", "tickets", "quota", "quota attainment", "pipeline coverage",
        "forecast", "forecasted", "dau", "mau", "retention cohort", "cohort", "what if",
    }
)  # fmt: skip
# Breakdowns the store cannot make: a question by one of these is refused, not answered
# for everyone.
UNKNOWN_DIMENSIONS: frozenset[str] = frozenset(
    {
        "rep", "reps", "sales rep", "sdr", "sdrs", "ae", "aes", "bdr", "bdrs", "salesperson",
        "salespeople", "seller", "sellers", "campaign", "campaigns", "region", "regions",
        "country", "countries", "city", "cities", "geo", "geography", "product", "products",
        "industry", "industries", "vertical", "verticals", "cohort", "persona", "territory",
        "competitor", "competitors", "keyword", "keywords", "landing page", "landing pages",
        "ad group", "plan tier", "pricing plan", "team member",
    }
)  # fmt: skip
# A figure named only as the things it counts ("churn for smb customers") is no figure.
NOUN_METRICS: frozenset[str] = frozenset(
    {"customers", "new_customers", "leads", "deals_won", "trials_started", "opportunities"}
)
# A figure whose name contains another's ("churned MRR … churn", "CTR email", "passives
# in the NPS survey"): the containing one is meant.
SUBSUMES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "mrr_churned": frozenset({"customer_churn_rate", "mrr", "customers_churned"}),
        "customers_churned": frozenset({"customer_churn_rate"}),
        "revenue_churn": frozenset({"customer_churn_rate", "mrr"}),
        "email_ctr": frozenset({"emails_sent"}),
        "email_open_rate": frozenset({"emails_sent"}),
        "emails_opened": frozenset({"emails_sent"}),
        "emails_clicked": frozenset({"emails_sent"}),
        "nps_promoters": frozenset({"nps"}),
        "nps_passives": frozenset({"nps"}),
        "nps_detractors": frozenset({"nps"}),
        "payback_months": frozenset({"cac"}),
        "mrr_contraction": frozenset({"mrr", "mrr_churned"}),
        "mrr_expansion": frozenset({"mrr"}),
        "mrr_new": frozenset({"mrr"}),
        "mrr_reactivation": frozenset({"mrr"}),
        "net_new_mrr": frozenset({"mrr"}),
        "marketing_spend": frozenset({"total_spend"}),
        "sales_spend": frozenset({"total_spend"}),
    }
)
# (metric, modifier) -> the variant the modifier chooses: "average monthly churn".
VARIANTS: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("customer_churn_rate", "month"): "customer_churn_monthly",
        ("customer_churn_rate", "average"): "customer_churn_monthly",
        ("customer_churn_rate", "year"): "customer_churn_annualized",
        ("mrr_growth", "month"): "mrr_growth_monthly",
        ("mrr_growth", "average"): "mrr_growth_monthly",
        ("customers", "new"): "new_customers",
        ("customers", "lost"): "customers_churned",
        ("new_customers", "lost"): "customers_churned",
        ("customers", "cost"): "cac",
        ("new_customers", "cost"): "cac",
        ("mrr", "new"): "mrr_new",
        ("mrr", "lost"): "mrr_churned",
        ("arpa", "new"): "new_arpa",
        ("opportunities", "won"): "deals_won",
        ("opportunities", "lost"): "deals_lost",
        ("deals_won", "worth"): "won_deal_value",
        ("customers", "worth"): "ltv",
        ("new_customers", "worth"): "ltv",
        ("trial_to_paid", "count"): "trials_converted",
        ("customer_churn_rate", "count"): "customers_churned",
        ("customers_churned", "rate"): "customer_churn_rate",
        ("trials_converted", "rate"): "trial_to_paid",
        ("emails_sent", "opened"): "emails_opened",
        ("emails_sent", "clicked"): "emails_clicked",
        ("emails_opened", "rate"): "email_open_rate",
        ("emails_clicked", "rate"): "email_ctr",
        ("activations", "rate"): "activation_rate",
        ("pqls", "rate"): "pql_rate",
        ("activation_rate", "count"): "activations",
        ("pql_rate", "count"): "pqls",
        ("total_spend", "marketing"): "marketing_spend",
        ("total_spend", "sales"): "sales_spend",
    }
)
# Names for several channels at once, used with the values of them the store has.
VALUE_GROUPS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "paid channels": ("paid_search", "paid_social"),
        "paid channel": ("paid_search", "paid_social"),
        "paid media": ("paid_search", "paid_social"),
        "paid acquisition": ("paid_search", "paid_social"),
        "paid ads": ("paid_search", "paid_social"),
    }
)
# Everyday names of channels and segments, used when the store has that value.
VALUE_SYNONYMS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "paid_search": (
            "google ads", "adwords", "google adwords", "ppc", "sem", "search ads", "bing ads",
            "paid search ads", "paid serp", "search engine ads",
        ),
        "paid_social": (
            "facebook ads", "fb ads", "meta ads", "linkedin ads", "instagram ads", "social ads",
            "paid social ads", "social", "social media", "facebook", "meta", "fb", "linkedin",
            "instagram",
        ),
        "organic": ("seo", "organic search"),
        "events": ("event", "conference", "conferences", "trade show", "trade shows",
                   "field events", "field marketing", "meetups"),
        "webinar": ("webinars", "online events", "web seminar", "webcast", "webcasts"),
        "referral": ("referrals", "word of mouth", "refer", "referral program",
                     "referral programme", "people recommending us", "recommending us",
                     "recommendations"),
        "partner": ("partners", "partnership", "partnerships", "resellers", "affiliates"),
        "outbound": ("cold outreach", "cold calling", "outbound sales", "cold email",
                     "cold emails", "cold emailing", "cold calls", "cold call"),
        "email": ("newsletter", "email marketing", "emails campaign", "e-mail"),
        "smb": ("small business", "small businesses", "sme", "smes", "small biz"),
        "mid_market": ("mid-market", "midmarket", "mm", "mid size", "mid-size", "midsize",
                       "mid sized", "mid tier", "mid mkt", "midmkt", "mid"),
        "enterprise": ("ent", "enterprises", "large accounts", "large customers",
                       "big accounts", "enterprise accounts"),
    }
)  # fmt: skip

# Kinds of channel a store may not have: names, never everyday words to ignore ("how many
# leads did our podcast sponsorships bring" is about a channel, refused when it is unknown).
CHANNEL_KINDS = frozenset(
    {"podcast", "podcasts", "tv", "television", "radio", "billboard", "billboards", "print",
     "sponsorship", "sponsorships", "influencer", "influencers", "youtube", "tiktok",
     "reddit", "snapchat", "twitter", "pinterest", "quora", "yelp", "g2", "capterra",
     "ooh"}
)  # fmt: skip
# Words asking whether a figure got better: its comparison, or a trend over several months.
BETTER_OR_WORSE = frozenset(
    {"getting better", "getting worse", "better or worse", "improving", "worsening",
     "deteriorating", "getting better or worse"}
)  # fmt: skip
# Places: a breakdown by region or country the store cannot make, never ignored.
PLACES = frozenset(
    {"apac", "emea", "latam", "amer", "americas", "europe", "asia", "africa", "singapore",
     "vietnam", "thailand", "indonesia", "malaysia", "philippines", "japan", "korea", "china",
     "india", "australia", "germany", "france", "uk", "usa", "canada", "brazil", "mexico",
     "bangkok", "hanoi", "saigon", "jakarta", "london", "northern", "southern", "region",
     "regions", "country", "countries"}
)  # fmt: skip
# Words of time that a sentence of context may hold ("prepping for tomorrow's exec sync"):
# only a sentence that asks something is changed by them.
TIME_WORDS = frozenset({"next", "tomorrow", "day", "week", "month", "quarter", "half", "year"})
# Words that change what is asked: never ignored, whatever the rest of the question says.
NEVER_IGNORED = frozenset(
    {
        "next", "tomorrow", "forecast", "projected", "projection", "predicted", "future",
        "day", "week", "month", "quarter", "half", "year", "not", "no", "non", "except",
        "excluding", "exclude", "without", "minus", "other", "median", "max", "maximum", "min",
        "minimum", "cumulative", "budget", "target", "goal", "plan", "forecasted", "expected",
        "estimate", "estimated", "predict", "will", "drop", "delete", "insert", "update",
        "select", "table", "truncate", "union",
    }
)  # fmt: skip
