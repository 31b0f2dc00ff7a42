"""Who may see restricted (revenue) metrics, and where they may be posted (`[access]`)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from cachetools import TTLCache
from slack_sdk.errors import SlackClientError
from sqlalchemy import Engine, insert

from bot.core.config import AccessRules
from storage.models import AccessAudit

__all__ = [
    "AccessPolicy",
    "Audience",
    "Decision",
    "GroupDirectory",
    "access_refusal_text",
    "private_note",
    "record_refusal",
]

logger = logging.getLogger("funnelbot.access")

GROUP_CACHE_SECONDS = 300.0
# More user groups than any `restricted_viewers` list names; the oldest go first.
GROUP_CACHE_SIZE = 256
REFUSAL_TEXT = (
    "Sorry, {metrics} is restricted to people on the revenue access list. "
    "Ask a workspace admin if you need it."
)
PRIVATE_NOTE = (
    "{metrics} is restricted, so I've sent it to you privately instead of posting it here."
)


class Decision(StrEnum):
    """What may be done with an answer for a given person in a given place."""

    PUBLIC = "public"  # may be posted where it was asked
    PRIVATE = "private"  # only ephemerally or by DM to the person who asked
    REFUSE = "refuse"  # not at all


@dataclass(frozen=True, slots=True)
class Audience:
    """The person asking and where the answer would appear (channel None = a DM)."""

    team_id: str | None
    user_id: str | None
    channel_id: str | None


class GroupDirectory:
    """Members of Slack user groups, fetched through `fetch_members` and cached for
    `ttl_seconds`; a group that cannot be read is not cached, so the next question asks again."""

    def __init__(
        self,
        fetch_members: Callable[[str], Iterable[str]],
        *,
        ttl_seconds: float = GROUP_CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch_members = fetch_members
        self._cache: TTLCache[str, frozenset[str]] = TTLCache(
            maxsize=GROUP_CACHE_SIZE, ttl=ttl_seconds, timer=clock
        )
        self._lock = threading.Lock()

    def members(self, group_id: str) -> frozenset[str]:
        with self._lock:
            cached = self._cache.get(group_id)
        if cached is not None:
            return cached
        try:
            members = frozenset(self._fetch_members(group_id))
        except (SlackClientError, OSError):  # unreadable group: nobody is a member (fail closed)
            logger.warning("cannot resolve user group %s; treating it as empty", group_id)
            return frozenset()
        with self._lock:
            self._cache[group_id] = members
        return members


def _is_group(viewer_id: str) -> bool:
    return viewer_id.startswith("S")


class AccessPolicy:
    """The `[access]` rules; with no rules everything is open."""

    def __init__(self, rules: AccessRules | None, groups: GroupDirectory | None = None) -> None:
        self.rules = rules
        self._groups = groups

    @property
    def is_open(self) -> bool:
        return self.rules is None

    def team_allowed(self, team_id: str | None) -> bool:
        if self.rules is None or not self.rules.allowed_team_ids:
            return True
        return team_id in self.rules.allowed_team_ids

    def restricted(self, metric_ids: Iterable[str]) -> tuple[str, ...]:
        if self.rules is None:
            return ()
        listed = set(self.rules.restricted_metrics)
        return tuple(sorted({metric for metric in metric_ids if metric in listed}))

    def may_view(self, user_id: str | None) -> bool:
        if self.rules is None:
            return True
        if user_id is None:
            return False
        for viewer in self.rules.restricted_viewers:
            if viewer == user_id:
                return True
            if _is_group(viewer) and self._groups and user_id in self._groups.members(viewer):
                return True
        return False

    def may_post_in(self, channel_id: str | None) -> bool:
        """Whether restricted figures may be posted publicly in `channel_id`."""
        if self.rules is None:
            return True
        return channel_id is not None and channel_id in self.rules.restricted_channels

    def decide(self, audience: Audience, metric_ids: Iterable[str]) -> Decision:
        if not self.team_allowed(audience.team_id):
            return Decision.REFUSE
        if not self.restricted(metric_ids):
            return Decision.PUBLIC
        if not self.may_view(audience.user_id):
            return Decision.REFUSE
        return Decision.PUBLIC if self.may_post_in(audience.channel_id) else Decision.PRIVATE

    def channel_may_receive(self, channel_id: str, metric_ids: Iterable[str]) -> bool:
        """For messages with no asking person (digests): restricted only in listed channels."""
        return not self.restricted(metric_ids) or self.may_post_in(channel_id)


def access_refusal_text(metrics: Iterable[str]) -> str:
    return REFUSAL_TEXT.format(metrics=", ".join(metrics))


def private_note(metrics: Iterable[str]) -> str:
    return PRIVATE_NOTE.format(metrics=", ".join(metrics))


def record_refusal(
    engine: Engine, audience: Audience, metric_ids: Iterable[str], *, action: str, reason: str
) -> None:
    """Write the audit trail (one row per metric) and log it."""
    rows = [
        {
            "team_id": audience.team_id,
            "user_id": audience.user_id,
            "channel_id": audience.channel_id,
            "metric": metric,
            "action": action,
            "reason": reason,
        }
        for metric in metric_ids
    ]
    if not rows:
        return
    with engine.begin() as connection:
        connection.execute(insert(AccessAudit), rows)
    logger.warning(
        "access refused",
        extra={
            "team": audience.team_id,
            "user": audience.user_id,
            "channel": audience.channel_id,
            "metrics": [row["metric"] for row in rows],
            "action": action,
            "reason": reason,
        },
    )
