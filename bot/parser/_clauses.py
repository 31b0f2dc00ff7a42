"""Sentences around the question: "Asking for the board deck: what was CAC in Q3?"

A question is read clause by clause (clauses end at a full stop, a question or
exclamation mark, a colon or a semicolon). A clause that names nothing the parser knows
(no metric, stage, channel, segment, period or breakdown), only words it does not, none
of them one that would change a question ("not", "forecast"; a word of time such as
"tomorrow" changes only a clause that asks), is the asker's context: it is set aside
whole, provided another clause asks something.

When the question so read is refused, it is read once more `lenient`ly: a statement
around it may then name figures too ("The marketing team says lead quality is up. What's
lead-to-MQL conversion?", "asking for the budget review: ..."), as long as it names no
channel, segment, breakdown, ranking or comparison, and no period beside a figure. The
answer says what was set aside; a refusal stays the first reading's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum

from bot.parser._lexicon import Item, Kind, Lexicon, walk
from bot.parser._normalize import singular, words
from bot.parser._spelling import Names
from bot.parser._vocabulary import NEVER_IGNORED, PLACES, TIME_WORDS

__all__ = ["Clauses", "read_clauses"]

_CLAUSE_END = re.compile(r"[.!?:;]+(?:\s+|$)")
_COMMA = re.compile(r"\s*,\s+")
_SHORTEST_ASIDE = 3
_NO_SUBSTANCE = frozenset({Kind.FILLER, Kind.POSSESSIVE, Kind.PREPOSITION, Kind.RANGE})
_ASKING = frozenset(
    {Kind.METRIC, Kind.AMBIGUOUS, Kind.STAGE, Kind.FUNNEL, Kind.TREND, Kind.EXPLAIN}
)
_FIGURES = frozenset({Kind.METRIC, Kind.AMBIGUOUS, Kind.STAGE})
# What a statement of context may name besides unknown words, read leniently.
_STATEMENT = frozenset(
    {
        *_FIGURES,
        *_NO_SUBSTANCE,
        Kind.TREND,
        Kind.CUE,
        Kind.MODIFIER,
        Kind.SINCE,
        Kind.UNKNOWN_DIMENSION,
    }
)
# Words before a name that make it what the question is about.
_NAMING = frozenset(
    {"only", "just", "for", "from", "on", "via", "in", "about", "and", "or", "with", "through",
     "by", "of", "excluding", "what", "how"}
)  # fmt: skip
# Words of plans a statement may mention ("for the budget review") without asking for them.
_PLAN_WORDS = frozenset({"budget", "target", "goal", "plan"})


# Words of movement that say something of a figure only beside one ("the call moved").
_OF_A_FIGURE = frozenset({Kind.TREND, Kind.CUE, Kind.MODIFIER})


def _has_substance(items: Sequence[Item]) -> bool:
    kinds = {entry.kind for item in items for entry in item.entries}
    empty = _NO_SUBSTANCE | (_OF_A_FIGURE if not kinds & _FIGURES else frozenset())
    return any(item.mark is not None for item in items) or not kinds <= empty


def _is_context(items: Sequence[Item], names: Names) -> bool:
    """Only unknown words (and fillers), none of which could change the question, and in
    English no name ("only tiktok" narrows the question to a channel we do not have)."""
    changes = any(
        singular(word) in NEVER_IGNORED - TIME_WORDS for item in items for word in item.words
    )
    unknown = any(item.unknown for item in items)
    return unknown and not _has_substance(items) and not changes and not _names(items, names)


def _names(items: Sequence[Item], names: Names) -> bool:
    """A name that a question would narrow to ("only tiktok", "and for snapchat?"); a
    word of no dictionary inside a sentence ("CS thinks onboarding got slower") is none."""
    return any(
        item.unknown
        and names(item.text)
        and (item.text in PLACES or index == 0 or items[index - 1].text in _NAMING)
        for index, item in enumerate(items)
    )


def _is_statement(items: Sequence[Item], names: Names) -> bool:
    """Read leniently: unknown words around figures, nothing that narrows or shapes a
    question ("The marketing team says lead quality is up"), no period beside a figure and
    no name of a person or group that a figure would be broken down by."""
    kinds = {entry.kind for item in items for entry in item.entries}
    figures = bool(kinds & _FIGURES)
    dated = any(item.mark is not None for item in items)
    changes = any(
        singular(word) in NEVER_IGNORED - TIME_WORDS - _PLAN_WORDS
        for item in items
        for word in item.words
    )
    return (
        any(item.unknown for item in items)
        and kinds <= _STATEMENT
        and not changes
        and not _names(items, names)
        and not (figures and (dated or Kind.UNKNOWN_DIMENSION in kinds))
    )


def _asks(items: Sequence[Item]) -> bool:
    return any(entry.kind in _ASKING for item in items for entry in item.entries)


# The items of the clauses that ask, and the text of each clause set aside.
Clauses = tuple[list[Item], tuple[str, ...]]


class Piece(Enum):
    """What part of a sentence a piece is: whole, a comma-separated opening or close that
    may be an aside, or the part between commas, which is always asked."""

    SENTENCE = "sentence"
    ASIDE = "aside"
    ASKED = "asked"


def _parts(sentence: str) -> list[tuple[str, Piece]]:
    """A sentence, and whether each piece may be context: a comma-separated opening or
    close of several words ("ARR at the end of Q3, investors are asking") may be; what lies
    between commas ("paid search, tiktok, and organic") is part of the question."""
    parts = [part for part in _COMMA.split(sentence) if part.strip()]
    if len(parts) < 2 or not (_long(parts[0]) or _long(parts[-1])):
        return [(sentence, Piece.SENTENCE)]
    head, *middle, tail = parts
    inner = [(", ".join(middle), Piece.ASKED)] if middle else []
    return [(head, _edge(head)), *inner, (tail, _edge(tail))]


def _edge(part: str) -> Piece:
    return Piece.ASIDE if _long(part) else Piece.ASKED


def _long(part: str) -> bool:
    return len(words(part)) >= _SHORTEST_ASIDE


def _set_aside(items: Sequence[Item], piece: Piece, lenient: bool, names: Names) -> bool:
    context = _is_context(items, names) or (lenient and _is_statement(items, names))
    if piece is Piece.ASKED or not context:
        return False
    return piece is Piece.SENTENCE or _reads_as_a_sentence(items)


def _ends_with_value(before: Sequence[tuple[Sequence[Item], Piece]]) -> bool:
    return bool(before) and before[-1][0][-1].first(Kind.VALUE) is not None


def _reads_as_a_sentence(items: Sequence[Item]) -> bool:
    """A comma-separated aside has the words of a sentence ("investors are asking"), or is
    in words the rewrite from Thai or Vietnamese kept, never a bare list ("tiktok and
    snapchat ads")."""
    return any(
        item.first(Kind.FILLER, Kind.POSSESSIVE) is not None
        or not all(word.isascii() for word in item.words)
        for item in items
    )


def read_clauses(text: str, lexicon: Lexicon, *, names: Names, lenient: bool = False) -> Clauses:
    """The items of `text`'s clauses that ask, and the text of the clauses set aside;
    `names`: which words name something (kept, never set aside as context);
    `lenient`: statements naming figures may be set aside too."""
    clauses: list[tuple[list[Item], Piece]] = []
    for sentence in _CLAUSE_END.split(text):
        for part, piece in _parts(sentence):
            listed = piece is not Piece.SENTENCE and _ends_with_value(clauses)
            # "paid search, tiktok and snapchat ads": what follows a name continues its list
            items = walk(words(f"and {part}" if listed else part), lexicon)
            if items:
                clauses.append((items, Piece.ASKED if listed else piece))
    if not any(_asks(items) for items, _ in clauses):
        return [item for items, _ in clauses for item in items], ()
    context = [_set_aside(items, piece, lenient, names) for items, piece in clauses]
    if all(context):
        return [item for items, _ in clauses for item in items], ()
    kept = [
        item
        for (items, _), said in zip(clauses, context, strict=True)
        if not said
        for item in items
    ]
    set_aside = tuple(
        " ".join(item.text for item in items)
        for (items, _), said in zip(clauses, context, strict=True)
        if said
    )
    return kept, set_aside
