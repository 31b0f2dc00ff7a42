"""Whether the bot is in the channel an alert or a subscription will be posted to.

Checked when it is made, so nobody waits for a post that Slack will refuse: the Slack
layer answers with a `Seat` (`bot.slack.app.seat_of`: conversations.info for an id,
conversations.list for a #name, with the channels:read and groups:read scopes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.alerts.texts import SeatReplies

__all__ = ["Membership", "Seat", "SeatFinder", "mention", "seat_reply"]


class Membership(StrEnum):
    MEMBER = "member"
    NOT_MEMBER = "not a member"
    NOT_FOUND = "no such channel"  # a #name no channel the bot can see has
    UNKNOWN = "could not be checked"  # a missing scope, Slack unreachable


@dataclass(frozen=True, slots=True)
class Seat:
    """`channel` as it will be stored (a #name resolved to its id when found)."""

    channel: str
    membership: Membership
    reason: str = ""


# The seat of a channel id, a "#name" or a DM id.
SeatFinder = Callable[[str], Seat]


def mention(channel: str) -> str:
    """A channel as Slack shows it: <#C123> for an id, #name as typed."""
    return channel if channel.startswith("#") else f"<#{channel}>"


def seat_reply(seat: Seat) -> str | None:
    """What to tell the person making it: how to invite the bot, or None when it is in."""
    where = mention(seat.channel)
    if seat.membership is Membership.NOT_MEMBER:
        return SeatReplies.NOT_MEMBER.format(channel=where)
    if seat.membership is Membership.NOT_FOUND:
        return SeatReplies.NOT_FOUND.format(channel=where)
    if seat.membership is Membership.UNKNOWN:
        return SeatReplies.UNCHECKED.format(channel=where, reason=seat.reason)
    return None
