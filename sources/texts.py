"""Every sentence the sources print or log, in one place (for operators: English)."""

from __future__ import annotations

__all__ = ["Errors", "Labels", "StripeErrors", "StripeLabels"]


class Errors:
    BUSY = "another {source} sync is running (since {since}); try again when it has finished"
    DATABASE = "the {source} sync failed in the database and nothing was written: {reason}"
    UNKNOWN_SOURCE = "unknown source {name!r}; the sources are: {known}"
    NOT_CONFIGURED = "{name} is not configured: {why}"
    NOTHING_CONFIGURED = (
        "no source is configured: set STRIPE_API_KEY (or add [sources.NAME] to funnelbot.toml)"
    )
    NO_STRIPE_KEY = "STRIPE_API_KEY is not set"
    FAILED = "{source}: {reason}; nothing was written"
    SOME_FAILED = "{count} source(s) failed: {sources}"


class Labels:
    DRY_RUN = "dry run: nothing was written"
    NEVER = "never run"
    SOURCES_TITLE = "Sources"
    SOURCES_COLUMNS = ("source", "last run", "outcome", "rows written", "why it failed")
    NO_SOURCES = "no source is configured (set STRIPE_API_KEY, see docs/sources.md)"


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
