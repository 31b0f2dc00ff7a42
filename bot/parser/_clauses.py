"""Sentences around the question: "Asking for the board deck: what was CAC in Q3?"

A question is read clause by clause (clauses end at a full stop, a question or
exclamation mark, a colon or a semicolon). A clause that names nothing the parser knows
(no metric, stage, channel, segment, period or breakdown), only words it does not, none
of them one that would change a question ("not", "forecast"; a word of time such as
"tomorrow" changes only a clause that asks), is the asker's context: it is set aside
whole, provided another clause asks something.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.parser._lexicon import Item, Kind, Lexicon, walk
from bot.parser._normalize import singular, words
from bot.parser._vocabulary import NEVER_IGNORED, TIME_WORDS

__all__ = ["read_clauses"]

_CLAUSE_END = re.compile(r"[.!?:;]+(?:\s+|$)")
_NO_SUBSTANCE = frozenset({Kind.FILLER, Kind.POSSESSIVE, Kind.PREPOSITION, Kind.RANGE})
_ASKING = frozenset(
    {Kind.METRIC, Kind.AMBIGUOUS, Kind.STAGE, Kind.FUNNEL, Kind.TREND, Kind.EXPLAIN}
)


def _has_substance(items: Sequence[Item]) -> bool:
    return any(
        item.mark is not None or any(entry.kind not in _NO_SUBSTANCE for entry in item.entries)
        for item in items
    )


def _is_context(items: Sequence[Item]) -> bool:
    """Only unknown words (and fillers), none of which could change the question."""
    changes = any(
        singular(word) in NEVER_IGNORED - TIME_WORDS for item in items for word in item.words
    )
    return any(item.unknown for item in items) and not _has_substance(items) and not changes


def _asks(items: Sequence[Item]) -> bool:
    return any(entry.kind in _ASKING for item in items for entry in item.entries)


def read_clauses(text: str, lexicon: Lexicon) -> tuple[list[Item], tuple[str, ...]]:
    """The items of `text`'s clauses that ask, and the text of the clauses set aside."""
    clauses = [walk(words(part), lexicon) for part in _CLAUSE_END.split(text)]
    clauses = [items for items in clauses if items]
    if not any(_asks(items) for items in clauses):
        return [item for items in clauses for item in items], ()
    kept = [item for items in clauses if not _is_context(items) for item in items]
    set_aside = tuple(
        " ".join(item.text for item in items) for items in clauses if _is_context(items)
    )
    return kept, set_aside
