"""The fake Slack fixture for the Slack app's tests."""

from __future__ import annotations

from tests.fakeslack import fake_slack

__all__ = ["fake_slack"]
