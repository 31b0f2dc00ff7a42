"""Message catalogs: gettext .po files read at run time, one per language.

English is the source language: a message's id is its English text, so English needs no
lookup and a missing translation falls back to English. Catalog metric labels and
definitions are keyed by metric id under the contexts "label" and "description".

The language of the reply being built or rendered is held in a context variable
(`bot.i18n.active`, set by `bot.i18n.scope.use_language`), so the message classes of the
bot need no language argument: a class decorated with `translated` returns its texts in
the active language.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from babel.messages.pofile import read_po

from bot.i18n.active import SOURCE_LANGUAGE, active_language
from bot.i18n.detect import Language

__all__ = [
    "DOMAIN",
    "LOCALES",
    "TranslatedMapping",
    "active_language",
    "catalog_entries",
    "gettext",
    "keyed_text",
    "translated",
    "translated_examples",
]

DOMAIN = "funnelbot"
LOCALES = Path(__file__).parent / "locales"
_Key = tuple[str | None, str]
_Class = TypeVar("_Class", bound=type)
_Key_T = TypeVar("_Key_T")


@cache
def catalog_entries(language: Language) -> Mapping[_Key, str]:
    """The translated messages of `language`, keyed by (context, English id)."""
    path = LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == SOURCE_LANGUAGE or not path.exists():
        return MappingProxyType({})
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    return MappingProxyType(
        {
            (message.context, str(message.id)): str(message.string)
            for message in catalog
            if message.id and message.string and not message.fuzzy
        }
    )


def gettext(message: str, language: Language | None = None) -> str:
    """`message` (English) in `language` (default: the active one), or as is."""
    entries = catalog_entries(language or active_language())
    return entries.get((None, message), message)


def translated_examples(examples: tuple[str, str, str]) -> tuple[str, str, str]:
    """Three example questions in the active language."""
    first, second, third = (gettext(example) for example in examples)
    return first, second, third


def keyed_text(context: str, key: str, english: str) -> str:
    """A text kept under `context` and `key` (a metric's "label", a "dimension" name) in
    the active language; `english` as fallback."""
    return catalog_entries(active_language()).get((context, key), english)


def _translate(value: Any) -> Any:
    if isinstance(value, str):
        return gettext(value)
    if isinstance(value, tuple):
        return tuple(_translate(item) for item in value)
    if isinstance(value, Mapping):
        return MappingProxyType({key: _translate(item) for key, item in value.items()})
    return value


class _Translated:
    """A class attribute read in the active language."""

    def __init__(self, english: Any) -> None:
        self.english = english

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if active_language() == SOURCE_LANGUAGE:
            return self.english
        return _translate(self.english)


class TranslatedMapping(Mapping[_Key_T, str]):
    """A read-only mapping whose text values read in the active language."""

    def __init__(self, english: Mapping[_Key_T, str]) -> None:
        self._english = dict(english)

    def __getitem__(self, key: _Key_T) -> str:
        return gettext(self._english[key])

    def __iter__(self) -> Iterator[_Key_T]:
        return iter(self._english)

    def __len__(self) -> int:
        return len(self._english)


def translated(cls: _Class) -> _Class:
    """Make the text attributes (strings, tuples and mappings of them) of `cls` read in
    the active language."""
    for name, value in list(vars(cls).items()):
        if not name.startswith("_") and isinstance(value, str | tuple | Mapping):
            setattr(cls, name, _Translated(value))
    return cls
