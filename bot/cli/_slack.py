"""Commands of this area are registered on `bot.cli.app` here."""

from __future__ import annotations
