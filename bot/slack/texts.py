"""Every sentence and label the Slack app shows or logs, in one place.

The words about questions themselves (help, examples, refusals) live in `bot.i18n.messages`,
those of an answer's blocks in `bot.render.texts`.
"""

from __future__ import annotations

from bot.i18n import translated

__all__ = [
    "Buttons",
    "Home",
    "Notices",
    "SlackLog",
]


@translated
class Buttons:
    SHARE = "Share in channel"
    BY_CHANNEL = "By channel"
    BY_SEGMENT = "By segment"
    VS_LAST_YEAR = "Vs last year"
    TREND = "Trend"
    EXPLAIN = "Explain"
    FIGURE = "Latest figure"


@translated
class Notices:
    PRIVATE_SHARE = "Only you can see this: {note}"
    SHARED_BY = "Shared by <@{user}>"
    NOT_ALLOWED = "This workspace is not allowed to use this app."
    FAILED = "Sorry, something went wrong while answering. Please try again in a minute."


class Home:
    TITLE = "Funnel at a glance"
    WEEK = "*Last week* · {period}"
    MONTH = "*Last month* · {period}"
    HOW_TO_ASK = (
        "*How to ask*\nUse `{command} your question`, mention me in a channel "
        "or send me a direct message."
    )
    EXAMPLES = "*Try*\n{examples}"
    CATALOG = "*Metrics I know*\n{metrics}"
    HIDDEN = "_Restricted metrics are hidden: you are not on the revenue access list._"
    NO_DATA = "_No data for this period yet._"
    SOURCES = "*Sources* (you see this as the admin)\n{lines}"
    SOURCE_RUN = "• `{source}`: {outcome} at {when}, {rows} rows written"
    SOURCE_FAILED = " — {reason}"
    SOURCE_NEVER = "• `{source}`: never run (`funnelbot sync {source}`)"


class SlackLog:
    ANSWERED = "answered"
    DUPLICATE_EVENT = "duplicate event delivery ignored"
    DELIVERY_FAILED = "could not deliver the answer"
    NOT_A_MEMBER = "not a member of the channel; delivered through the click's response_url"
    FROM_AN_APP = "not answered: written by an app, not a person"
    CANVAS_MENTION = "not answered: a mention in a canvas"
    CHART_FAILED = "chart upload failed; text answer kept"
    ANSWER_FAILED = "answering failed"
    ANSWER_POOL_NOT_STARTED = "new answer processes could not start; the next failure retries"
    SUBMIT_FAILED = "could not hand a question to the answer processes"
    ANSWER_PROCESS_FAILED = "an answer process failed or died; the asker gets an apology"
    TEAM_REFUSED = "request from a workspace outside allowed_team_ids refused"
    HOME_FAILED = "could not publish the App Home"
    UNREADABLE_PAYLOAD = "acknowledged a payload the app cannot read; nothing to answer"
    UNREADABLE_REQUEST = "signed request with a payload the app cannot read; refused with 400"
    REQUEST_FAILED = "request failed: database error; Slack will retry"
