"""Running sources from the bot: which are configured, and (for the worker) their schedule,
retries and the admin's DM on failure."""

from __future__ import annotations

__all__: list[str] = []
