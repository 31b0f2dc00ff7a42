"""The language of the reply being built or rendered, held in a context variable."""

from __future__ import annotations

from contextvars import ContextVar, Token

from bot.i18n.detect import Language

__all__ = ["SOURCE_LANGUAGE", "activate", "active_language", "deactivate"]

SOURCE_LANGUAGE: Language = "en"

_active: ContextVar[Language] = ContextVar("funnelbot_language", default=SOURCE_LANGUAGE)


def active_language() -> Language:
    """The language replies are being built or rendered in."""
    return _active.get()


def activate(language: Language) -> Token[Language]:
    """Make `language` the active one until `deactivate` is given the token."""
    return _active.set(language)


def deactivate(token: Token[Language]) -> None:
    _active.reset(token)
