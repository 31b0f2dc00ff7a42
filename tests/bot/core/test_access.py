from __future__ import annotations

from collections.abc import Iterable

from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine, select

from bot.core.access import AccessPolicy, Audience, Decision, GroupDirectory, record_refusal
from bot.core.config import AccessRules
from storage.models import AccessAudit

RULES = AccessRules(
    allowed_team_ids=["T1"],
    restricted_metrics=["mrr", "arr", "ltv"],
    restricted_viewers=["UBOSS", "SREVOPS"],
    restricted_channels=["CREV"],
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class FakeGroups:
    """Stands in for usergroups.users.list, counting look-ups."""

    def __init__(self, members: dict[str, list[str]]) -> None:
        self.members = members
        self.calls: list[str] = []

    def __call__(self, group_id: str) -> Iterable[str]:
        self.calls.append(group_id)
        return self.members.get(group_id, [])


def policy() -> AccessPolicy:
    return AccessPolicy(RULES, GroupDirectory(FakeGroups({"SREVOPS": ["UANALYST"]})))


def test_no_rules_means_everything_is_public_everywhere() -> None:
    open_policy = AccessPolicy(None)
    audience = Audience(team_id="TOTHER", user_id="U1", channel_id="CGEN")
    assert open_policy.is_open
    assert open_policy.decide(audience, ["mrr"]) is Decision.PUBLIC


def test_other_workspaces_get_nothing_even_for_open_metrics() -> None:
    assert policy().decide(Audience("TOTHER", "UBOSS", "CREV"), ["cac"]) is Decision.REFUSE


def test_unrestricted_metrics_are_public_for_anyone_anywhere() -> None:
    assert policy().decide(Audience("T1", "USOMEONE", "CGEN"), ["cac", "mql_to_sql"]) is (
        Decision.PUBLIC
    )


def test_restricted_metric_is_refused_to_people_not_listed() -> None:
    assert policy().decide(Audience("T1", "USOMEONE", "CREV"), ["mrr"]) is Decision.REFUSE


def test_listed_viewer_sees_it_publicly_only_in_listed_channels() -> None:
    assert policy().decide(Audience("T1", "UBOSS", "CREV"), ["mrr"]) is Decision.PUBLIC
    assert policy().decide(Audience("T1", "UBOSS", "CGEN"), ["mrr"]) is Decision.PRIVATE
    assert policy().decide(Audience("T1", "UBOSS", None), ["arr"]) is Decision.PRIVATE


def test_group_members_are_viewers() -> None:
    assert policy().decide(Audience("T1", "UANALYST", "CREV"), ["ltv"]) is Decision.PUBLIC


def test_group_membership_is_cached_for_the_ttl_only() -> None:
    clock = FakeClock()
    groups = FakeGroups({"SREVOPS": ["UANALYST"]})
    access = AccessPolicy(RULES, GroupDirectory(groups, ttl_seconds=60, clock=clock))
    for _ in range(3):
        assert access.may_view("UANALYST")
    assert groups.calls == ["SREVOPS"]
    clock.now = 61
    assert access.may_view("UANALYST")
    assert groups.calls == ["SREVOPS", "SREVOPS"]


def test_unreadable_group_fails_closed() -> None:
    def broken(group_id: str) -> Iterable[str]:
        raise SlackApiError("missing_scope", {"ok": False, "error": "missing_scope"})

    access = AccessPolicy(RULES, GroupDirectory(broken))
    assert access.decide(Audience("T1", "UANALYST", "CREV"), ["mrr"]) is Decision.REFUSE


def test_digest_channels_receive_restricted_metrics_only_when_listed() -> None:
    assert policy().channel_may_receive("CREV", ["mrr", "cac"])
    assert not policy().channel_may_receive("CGEN", ["mrr", "cac"])
    assert policy().channel_may_receive("CGEN", ["cac"])


def test_refusals_are_written_to_the_audit_trail(db: Engine) -> None:
    audience = Audience("T1", "USOMEONE", "CGEN")
    record_refusal(db, audience, ["mrr", "arr"], action="answer", reason="not a viewer")
    with db.connect() as connection:
        rows = connection.execute(select(AccessAudit.user_id, AccessAudit.metric)).all()
    assert sorted(rows) == [("USOMEONE", "arr"), ("USOMEONE", "mrr")]
