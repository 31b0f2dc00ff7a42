"""What a listener hands on after its ack: small picklable records of the work to do.

Listeners read Slack payloads and turn them into these; `bot.slack.responder` does the
work, in a thread of the web process or in an answer process (`bot.slack.answer_pool`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.access import Audience
from bot.i18n import Language
from bot.slack.posting import Destination

__all__ = ["Ask", "Job", "Manage", "Share", "ShowHome"]


@dataclass(frozen=True, slots=True)
class Ask:
    """Answer `question` as of `asked_on` (today when None) and deliver it. A button's
    click also carries its `response_url`: where the answer goes when the bot may not
    post in the channel of `destination` (a shared answer where the bot is no member)."""

    question: str
    asked_on: date | None
    audience: Audience
    destination: Destination
    share: bool = False
    thread: str | None = None
    language: Language | None = None
    response_url: str | None = None


@dataclass(frozen=True, slots=True)
class Share:
    """Re-answer an ephemeral answer's question and post it for everyone in `channel`,
    replacing the private copy (through `response_url`)."""

    question: str
    asked_on: date
    language: Language
    audience: Audience
    response_url: str
    channel: str | None


@dataclass(frozen=True, slots=True)
class ShowHome:
    """Publish the App Home of `audience.user_id`."""

    audience: Audience


@dataclass(frozen=True, slots=True)
class Manage:
    """`/funnel alert …` or `/funnel alerts` (`action` None), or a click on an alert's
    Pause, Resume or Delete button (`action` and `alert_id`); answered privately through
    `response_url`. `channel` is where it was typed (a channel or DM id); a click answers
    in the `language` of the list it was on."""

    text: str
    audience: Audience
    channel: str
    response_url: str
    action: str | None = None
    alert_id: int | None = None
    language: Language = "en"


Job = Ask | Share | ShowHome | Manage
