"""The fakes the command tests run against: Slack's Web API and localstripe."""

from __future__ import annotations

from testkit.fakeslack import fake_slack
from tests.sources.localstripe import localstripe, localstripe_process

__all__ = ["fake_slack", "localstripe", "localstripe_process"]
