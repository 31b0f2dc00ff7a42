"""Misspellings: a close phrase is read as meant, a merely similar one is only suggested.

"Close" counts edits (a transposition is one edit) against the length of the phrase, so
"chrun" is churn and "cax" is nothing; suggestions use a looser similarity.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.parser._normalize import singular

__all__ = ["Guess", "closest", "suggestions"]

_SHORTEST_FUZZY = 4
_LONGEST_SPAN = 4
_SUGGESTION_CUTOFF = 65
_MOST_SUGGESTIONS = 3


@dataclass(frozen=True, slots=True)
class Guess:
    """`written` (a part of the question) read as `phrase`, which names `meaning`."""

    written: str
    phrase: str
    meaning: str
    start: int
    size: int


def _edits_allowed(length: int) -> int:
    if length < _SHORTEST_FUZZY:
        return 0
    return 1 if length <= 6 else 2


def _each_word_close(written: str, phrase: str) -> bool:
    """Within a phrase, each word stays within its own edits: "lan cac" is no "ltv cac",
    whose two edits both fall on a three-letter word."""
    typed_words, meant_words = written.split(), phrase.split()
    if len(typed_words) != len(meant_words):
        return True
    pairs = zip(typed_words, meant_words, strict=True)
    return all(OSA.distance(typed, meant) <= _word_edits(typed, meant) for typed, meant in pairs)


def _word_edits(typed: str, meant: str) -> int:
    """A short word may only have lost a letter ("rte" for rate)."""
    if len(typed) < _SHORTEST_FUZZY:
        return 1 if len(meant) == len(typed) + 1 else 0
    return _edits_allowed(len(typed))


def _spans(words: Sequence[str]) -> list[tuple[int, int]]:
    return [
        (start, size)
        for size in range(min(_LONGEST_SPAN, len(words)), 0, -1)
        for start in range(len(words) - size + 1)
    ]


def closest(words: Sequence[str], phrases: Mapping[str, str]) -> Guess | None:
    """The longest span of `words` within a few edits of exactly one meaning, if any.

    `phrases` maps a phrase to what it means (a metric id, a channel name).
    """
    choices = list(phrases)
    for start, size in _spans(words):
        written = " ".join(singular(word) for word in words[start : start + size])
        allowed = _edits_allowed(len(written))
        if allowed == 0:
            continue
        found = process.extract(
            written, choices, scorer=OSA.distance, score_cutoff=allowed, limit=None
        )
        found = [match for match in found if _each_word_close(written, match[0])]
        if not found:
            continue
        best = min(distance for _, distance, _ in found)
        meanings = {phrases[phrase] for phrase, distance, _ in found if distance == best}
        if len(meanings) == 1:
            phrase = next(phrase for phrase, distance, _ in found if distance == best)
            original = " ".join(words[start : start + size])
            return Guess(original, phrase, meanings.pop(), start, size)
    return None


def suggestions(words: Sequence[str], phrases: Mapping[str, str]) -> tuple[str, ...]:
    """Up to three meanings of phrases similar to some part of `words`, best first."""
    scored: list[tuple[float, str, str]] = []
    choices = list(phrases)
    for start, size in _spans(words):
        written = " ".join(singular(word) for word in words[start : start + size])
        if len(written) < 3:
            continue
        for phrase, score, _ in process.extract(
            written, choices, scorer=fuzz.ratio, score_cutoff=_SUGGESTION_CUTOFF, limit=5
        ):
            scored.append((score, phrase, phrases[phrase]))
    ranked = sorted(scored, key=lambda item: -item[0])
    return tuple(dict.fromkeys(meaning for _, _, meaning in ranked))[:_MOST_SUGGESTIONS]
