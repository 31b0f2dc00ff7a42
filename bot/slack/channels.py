"""Where the bot is: the seat of a channel an alert or a subscription is made for.

An id is looked up with conversations.info (`is_member`), a #name typed in the command
(the slash command's text is not escaped) with conversations.list, which also gives its
id. Both need the `channels:read` scope (public channels) and `groups:read` (private
channels, which the bot sees only when it is in them). An error that says nothing of the
bot's membership (a missing scope, Slack unreachable) is `UNKNOWN`, with the reason.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.alerts.membership import Membership, Seat

__all__ = ["LISTED_PAGES", "seat_of"]

# What conversations.info answers for a private channel the bot is not in (or no channel).
NOT_SEEN = frozenset({"channel_not_found", "not_in_channel"})
CHANNEL_TYPES = "public_channel,private_channel"
PAGE_SIZE = 1000
LISTED_PAGES = 20  # at most 20,000 channels are looked through for a #name


def seat_of(client: WebClient, channel: str) -> Seat:
    """The bot's seat in `channel`: an id ("C…", "G…"), a "#name" or a DM ("D…")."""
    if channel.startswith("#"):
        return _named(client, channel)
    if not channel.startswith(("C", "G")):
        return Seat(channel, Membership.MEMBER)  # a DM with the bot, where it was typed
    try:
        found = client.conversations_info(channel=channel)
    except SlackApiError as error:
        code = str(error.response.get("error", ""))
        membership = Membership.NOT_MEMBER if code in NOT_SEEN else Membership.UNKNOWN
        return Seat(channel, membership, code)
    except SlackClientError as error:
        return Seat(channel, Membership.UNKNOWN, type(error).__name__)
    info = found.get("channel") or {}
    member = bool(info.get("is_member", False))
    return Seat(channel, Membership.MEMBER if member else Membership.NOT_MEMBER)


def _named(client: WebClient, channel: str) -> Seat:
    name = channel.removeprefix("#").lower()
    cursor = ""
    try:
        for _ in range(LISTED_PAGES):
            page = client.conversations_list(
                types=CHANNEL_TYPES, exclude_archived=True, limit=PAGE_SIZE, cursor=cursor
            )
            for info in page.get("channels") or []:
                if str(info.get("name", "")).lower() == name:
                    member = bool(info.get("is_member", False))
                    membership = Membership.MEMBER if member else Membership.NOT_MEMBER
                    return Seat(str(info["id"]), membership)
            cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
            if not cursor:
                break
    except SlackApiError as error:
        return Seat(channel, Membership.UNKNOWN, str(error.response.get("error", "")))
    except SlackClientError as error:
        return Seat(channel, Membership.UNKNOWN, type(error).__name__)
    return Seat(channel, Membership.NOT_FOUND)
