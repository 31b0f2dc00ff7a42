"""Fixtures of the security tests: the fake Slack (the other fixtures are project-wide)."""

from __future__ import annotations

from testkit.fakeslack import fake_slack

__all__ = ["fake_slack"]
