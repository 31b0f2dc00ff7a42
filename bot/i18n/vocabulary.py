"""Greedy longest-phrase translation of Thai and Vietnamese words into canonical English.

Both languages share the mechanism: a question is a sequence of `Word`s (what was typed,
and the key it is compared by), phrases are looked up longest first, a phrase becomes
the English words the question parser reads, fillers are dropped, and anything else is
kept as typed so the parser can say which part it did not understand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Vocabulary", "Word", "build_vocabulary", "translate"]

# Ids that are also a looser English word: a name of the stock is no bare "customers",
# which may mean those won in a period.
_SPELLED_OUT = {"customers": "paying customers"}


@dataclass(frozen=True, slots=True)
class Word:
    """One word or token: as typed (lower-cased) and as compared (`key`)."""

    typed: str
    key: str


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Phrases keyed by their joined keys, with the English each one stands for."""

    phrases: Mapping[str, str]
    fillers: frozenset[str]
    joiner: str
    longest: int


def build_vocabulary(
    metrics: Mapping[str, Iterable[str]],
    phrases: Mapping[str, str],
    fillers: Iterable[str],
    *,
    key: Callable[[str], str],
    joiner: str,
    size: Callable[[str], int],
) -> Vocabulary:
    """One lookup table: metric names read as their catalog id, other phrases as given."""
    table: dict[str, str] = {key(phrase): english for phrase, english in phrases.items()}
    for metric_id, names in metrics.items():
        english = _SPELLED_OUT.get(metric_id, metric_id)
        table.update({key(name): english for name in names})
    longest = max(size(phrase) for phrase in table)
    return Vocabulary(table, frozenset(key(word) for word in fillers), joiner, longest)


def _phrase_at(words: Sequence[Word], start: int, vocabulary: Vocabulary) -> tuple[str, int]:
    """The English of the longest phrase starting at `start`, and how many words it spans."""
    for end in range(min(len(words), start + vocabulary.longest), start, -1):
        joined = vocabulary.joiner.join(word.key for word in words[start:end])
        if joined in vocabulary.phrases:
            return vocabulary.phrases[joined], end - start
    return "", 0


def translate(
    words: Sequence[Word], vocabulary: Vocabulary, *, is_filler: Callable[[Word], bool]
) -> str:
    """The words as canonical English, unknown words kept as typed."""
    english: list[str] = []
    position = 0
    while position < len(words):
        phrase, span = _phrase_at(words, position, vocabulary)
        if span:
            english.append(phrase)
            position += span
            continue
        word = words[position]
        if not is_filler(word):
            english.append(word.typed)
        position += 1
    return " ".join(english)
