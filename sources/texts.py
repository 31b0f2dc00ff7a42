"""Every sentence the sources print or log, in one place (for operators: English)."""

from __future__ import annotations

__all__ = [
    "Errors",
    "HubSpotErrors",
    "HubSpotLabels",
    "Labels",
    "SqlErrors",
    "SqlLabels",
    "StripeErrors",
    "StripeLabels",
]


class Errors:
    BUSY = "another {source} sync is running (since {since}); try again when it has finished"
    DATABASE = "the {source} sync failed in the database and nothing was written: {reason}"
    UNKNOWN_SOURCE = "unknown source {name!r}; the sources are: {known}"
    NOT_CONFIGURED = "{name} is not configured: {why}"
    NOTHING_CONFIGURED = (
        "no source is configured: set STRIPE_API_KEY or HUBSPOT_ACCESS_TOKEN (or add "
        "[sources.NAME] to funnelbot.toml)"
    )
    NO_STRIPE_KEY = "STRIPE_API_KEY is not set"
    NO_HUBSPOT_TOKEN = "HUBSPOT_ACCESS_TOKEN is not set"
    NO_URL_ENV = "{variable} (its url_env) is not set"
    BAD_SETTING = "sources.{name}.{key}: {why}"
    NOT_A_URL = "not a SQLAlchemy database URL (dialect+driver://user:password@host/database)"
    FAILED = "{source}: {reason}; nothing was written"
    SOME_FAILED = "{count} source(s) failed: {sources}"


class Labels:
    DRY_RUN = "dry run: nothing was written"
    NEVER = "never run"
    SOURCES_TITLE = "Sources"
    SOURCES_COLUMNS = ("source", "last run", "outcome", "rows written", "why it failed")
    NO_SOURCES = (
        "no source is configured (set STRIPE_API_KEY or HUBSPOT_ACCESS_TOKEN, or add "
        "[sources.NAME], see docs/sources.md)"
    )


class StripeErrors:
    AUTH = "Stripe refused the API key (check STRIPE_API_KEY): {message}"
    PERMISSION = (
        "the Stripe key may not read what the sync needs (a restricted key needs Read on "
        "Customers, Subscriptions and Invoices): {message}"
    )
    UNREACHABLE = "cannot reach Stripe at {base}: {message}"
    RATE_LIMITED = "Stripe kept answering 429 (rate limited) after {retries} retries"
    SERVER = "Stripe answered {status} after {retries} retries: {message}"
    REFUSED = "Stripe refused a request ({status}): {message}"
    MALFORMED = "Stripe {kind} {id} is malformed: {problem}"
    MISSING = "no {field}"
    TIERED = "it is tiered: tiered prices are not supported yet (docs/sources.md)"
    WRONG_TYPE = "{field} is not {expected}"
    CURRENCY = (
        "{kind} {id} is billed in {currency}, the store counts {expected} "
        "(FUNNELBOT_CURRENCY): a store holds one currency"
    )


class StripeLabels:
    READ = (
        "read from Stripe: {customers} customers, {subscriptions} subscriptions, "
        "{invoices} invoices"
    )
    READ_CHANGES = "read from Stripe: {customers} customers, {subscriptions} subscriptions"
    WROTE = (
        "{rows} daily rows written ({inserted} new, {replaced} replaced) for {first} to {last}; "
        "{subscriptions} subscriptions' history changed"
    )
    UNCHANGED = "no row changed: the store already matches Stripe"
    TODAY = "today: MRR {mrr} from {customers} paying customers"


class SqlErrors:
    EMPTY_QUERY = "the query is empty: write one SELECT statement"
    UNCLOSED = "the query has an unclosed quote or comment"
    SEVERAL_STATEMENTS = "the query has several statements: write one SELECT statement"
    NOT_SELECT = "the query starts with {first}: only a SELECT (or WITH … SELECT) statement runs"
    WRITES = (
        "the query contains {word}: only a read-only SELECT runs (quote the word if it is "
        "a column's name)"
    )
    PARAMETERS = "the query binds {names}: the only parameter is :since"
    NO_URL_ENV = "{variable} (url_env) is not set"
    BAD_URL = "the url is not a SQLAlchemy database URL: {reason}"
    NO_DRIVER = (
        "no database driver for {url}: install its dialect (docs/sources.md: "
        "pip install 'funnelbot[NAME]', e.g. funnelbot[mysql]): {reason}"
    )
    UNREACHABLE = "cannot reach the database at {url}: {reason}"
    QUERY_FAILED = "the query failed on {url}: {reason}"
    INVALID_ROWS = "the query returned invalid rows ({count} errors): {errors}"
    MORE_ERRORS = "and {count} more"
    COLUMN_AT = "column {column}: {message}"
    ROW_AT = "row {row}, column {column}: {message}"
    ROW = "row {row}: {message}"


class SqlLabels:
    READ = "read {rows} rows of {columns} from the query (since {since})"
    READ_ALL = "read {rows} rows of {columns} from the query (all of its history)"
    WROTE = "{rows} rows written ({inserted} new, {replaced} replaced) for {first} to {last}"
    NO_ROWS = "the query returned no row: nothing to write"
    WARNING = "warning: {kind}: {count} rows ({rows})"
    WARNING_MORE = "{rows} and {more} more"
    WARNING_ROWS = "row {rows}"


class HubSpotErrors:
    AUTH = "HubSpot refused the access token (check HUBSPOT_ACCESS_TOKEN): {message}"
    SCOPES = (
        "the HubSpot token may not read what the sync needs (a private app needs the "
        "crm.objects.contacts.read and crm.objects.deals.read scopes): {message}"
    )
    COMPANY_SCOPES = (
        "the HubSpot token may not read companies, which a segment from a company property "
        "needs (add the crm.objects.companies.read scope to the private app): {message}"
    )
    BATCH_FAILED = "HubSpot's {what} failed: {message}"
    UNREACHABLE = "cannot reach HubSpot at {base}: {message}"
    RATE_LIMITED = "HubSpot kept answering 429 (rate limited) after {retries} retries"
    SERVER = "HubSpot answered {status} after {retries} retries: {message}"
    REFUSED = "HubSpot refused a request ({status}): {message}"
    MALFORMED = "HubSpot's {what} is malformed: no {problem}"
    BAD_VALUE = "HubSpot {kind} {id} has {field} {value!r}, which is not {expected}"
    CAP = (
        "more than {cap} HubSpot {kind} fall in one instant ({at}): the search API cannot list them"
    )
    NO_CLOSED_STAGES = (
        "no deal pipeline has a closed-won or closed-lost stage (GET /crm/v3/pipelines/deals)"
    )


class HubSpotLabels:
    READ = (
        "read from HubSpot: {contacts} contacts and {deals} closed deals ({pipelines} "
        "pipelines){since}"
    )
    SINCE = ", from {since}"
    COMPANIES = "; segments from {companies} companies"
    WROTE = "{rows} daily rows written ({inserted} new, {replaced} replaced) for {first} to {last}"
    UNCHANGED = "no row changed: the store already matches HubSpot"
