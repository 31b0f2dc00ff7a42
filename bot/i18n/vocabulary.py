"""Greedy longest-phrase translation of Thai and Vietnamese words into canonical English.

Both languages share the mechanism: a question is a sequence of `Word`s (what was typed,
and the key it is compared by), phrases are looked up longest first, a phrase becomes
the English words the question parser reads, fillers are dropped, and anything else is
kept as typed so the parser can say which part it did not understand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["Spelling", "Vocabulary", "Word", "build_vocabulary", "translate"]

# Ids that are also a looser English word: a name of the stock is no bare "customers",
# which may mean those won in a period.
_SPELLED_OUT = {"customers": "paying customers"}


@dataclass(frozen=True, slots=True)
class Word:
    """One word or token: as typed (lower-cased) and as compared (`key`)."""

    typed: str
    key: str


# A phrase as written, word by word, and the English it stands for.
Spelling = tuple[tuple[str, ...], str]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Phrases keyed by their joined keys, with the English each one stands for; where
    keys drop marks (Vietnamese), also each phrase as spelled, so that a word typed with
    its marks is only the word with those marks ("mỗi tháng" is no "mới")."""

    phrases: Mapping[str, str]
    fillers: frozenset[str]
    joiner: str
    longest: int
    spellings: Mapping[str, tuple[Spelling, ...]] = field(default_factory=dict)
    spelled: Callable[[str], str] = str


def build_vocabulary(
    metrics: Mapping[str, Iterable[str]],
    phrases: Mapping[str, str],
    fillers: Iterable[str],
    *,
    key: Callable[[str], str],
    joiner: str,
    size: Callable[[str], int],
    spelled: Callable[[str], str] | None = None,
) -> Vocabulary:
    """One lookup table: metric names read as their catalog id, other phrases as given;
    `spelled` (the marks kept) for a language whose keys drop them."""
    named = [
        *phrases.items(),
        *((name, _SPELLED_OUT.get(metric_id, metric_id)) for metric_id, names in metrics.items()
          for name in names),
    ]  # fmt: skip
    table = {key(phrase): english for phrase, english in named}
    spellings: dict[str, list[Spelling]] = {}
    if spelled is not None:
        for phrase, english in named:
            written = tuple(spelled(word) for word in phrase.split())
            spellings.setdefault(key(phrase), []).append((written, english))
    longest = max(size(phrase) for phrase in table)
    return Vocabulary(
        table,
        frozenset(key(word) for word in fillers),
        joiner,
        longest,
        {phrase_key: tuple(found) for phrase_key, found in spellings.items()},
        spelled or str,
    )


def _english_of(span: Sequence[Word], joined: str, vocabulary: Vocabulary) -> str | None:
    """The English of the phrase `span` is, if any: a word typed with marks the key drops
    must be spelled so in the phrase (or the phrase word written without marks)."""
    marked = [
        (position, vocabulary.spelled(word.typed))
        for position, word in enumerate(span)
        if word.typed != word.key and not word.typed.isascii()
    ]
    if not marked or joined not in vocabulary.spellings:
        return vocabulary.phrases.get(joined)
    for written, english in vocabulary.spellings[joined]:
        if len(written) == len(span) and all(
            written[position].isascii() or written[position] == typed for position, typed in marked
        ):
            return english
    return None


def _phrase_at(words: Sequence[Word], start: int, vocabulary: Vocabulary) -> tuple[str, int]:
    """The English of the longest phrase starting at `start`, and how many words it spans."""
    for end in range(min(len(words), start + vocabulary.longest), start, -1):
        joined = vocabulary.joiner.join(word.key for word in words[start:end])
        english = _english_of(words[start:end], joined, vocabulary)
        if english is not None:
            return english, end - start
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
