"""The languages the bot speaks: what settings accept and what bot/i18n translates into."""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["LANGUAGES", "Language"]

Language = Literal["en", "th", "vi"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
