"""Misspelt words read as the word of ours they were meant to be, before anything else.

A word is corrected only when it is no English word at all ("octobr", "enterprize",
"convertion"), and exactly one word the parser knows lies within a few edits of it. A real
English word the parser does not know ("quote", "hands") is never turned into one it does:
it stays what was written, for the grammar to ignore or refuse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.parser._normalize import singular
from bot.parser._vocabulary import CHANNEL_KINDS, PLACES

__all__ = ["Correction", "Names", "correct", "is_english_word", "load_word_list", "names_in"]

_WORD = re.compile(r"(?<![\w&])[a-z]{4,}(?![\w&])")
_SHORT = 4
_MEDIUM = 6


@dataclass(frozen=True, slots=True)
class Correction:
    written: str
    meant: str


def _edits_allowed(written: str, target: str) -> int:
    """One edit up to six letters, two beyond; a four-letter word only gains a lost letter
    or swaps two ("cyle" is cycle, "waht" is what, but "cust" is no "cost")."""
    if len(written) == _SHORT:
        swapped = len(target) == _SHORT and sorted(written) == sorted(target)
        return 1 if len(target) == _SHORT + 1 or swapped else 0
    return 1 if len(written) <= _MEDIUM else 2


def load_word_list() -> None:
    """Read the English word list now rather than on the first misspelling (~0.1 s)."""
    _english()


@cache
def _english() -> frozenset[str]:
    from spellchecker import SpellChecker

    return frozenset(SpellChecker(language="en", distance=1).word_frequency.keys())


def is_english_word(word: str) -> bool:
    return word in _english() or singular(word) in _english()


@dataclass(frozen=True, slots=True)
class Names:
    """What names something in a question. In every language, a place ("singapore",
    "apac"). In English also a word of no dictionary ("tiktok"), a kind of channel
    ("podcast"), and a word the asker capitalised in the middle of a sentence
    (`capitalised`: "did Sarah close"); Thai and Vietnamese rewritten into English words
    keep words of their own that are no names."""

    english: bool = False
    capitalised: frozenset[str] = frozenset()

    def __call__(self, word: str) -> bool:
        if word in PLACES:
            return True
        if not self.english:
            return False
        if word in self.capitalised or singular(word) in CHANNEL_KINDS:
            return True
        return word.isascii() and word.isalpha() and not is_english_word(word)


# A capitalised word inside a sentence ("how many deals did Priya close"), not "I'm", and
# not the one greeted ("hey Sam, ...").
_CAPITALISED = re.compile(r"\b([a-z]+,?) ([A-Z][a-z]+)(?:'s)?\b")
_GREETINGS = frozenset({"hey", "hi", "hello", "yo", "thanks", "thx", "morning", "dear", "ok"})
_SENTENCE = re.compile(r"(?<=[.!?:;])\s+|\n")
# Title Case ("What Is Our Churn") capitalises everything: no word is singled out.
_MOSTLY_CAPITALISED = 0.5


def names_in(typed: str, vocabulary: frozenset[str]) -> Names:
    """How an English question `typed` names things: its capitalised words that are no
    word of `vocabulary` (metric, channel, month and other words of ours) are names."""
    found: set[str] = set()
    for sentence in _SENTENCE.split(typed):
        words = re.findall(r"[A-Za-z]+", sentence)
        if not words or sum(word[0].isupper() for word in words) / len(words) > _MOSTLY_CAPITALISED:
            continue
        found.update(
            word.lower()
            for before, word in _CAPITALISED.findall(sentence)
            if word.lower() not in vocabulary and before.rstrip(",") not in _GREETINGS
        )
    return Names(english=True, capitalised=frozenset(found))


def _meant(written: str, vocabulary: frozenset[str]) -> str | None:
    stem = singular(written)
    if stem in vocabulary:
        return None
    found = process.extract(stem, vocabulary, scorer=OSA.distance, score_cutoff=2, limit=None)
    allowed = [
        (word, distance) for word, distance, _ in found if distance <= _edits_allowed(stem, word)
    ]
    if not allowed:
        return None
    best = min(distance for _, distance in allowed)
    nearest = [word for word, distance in allowed if distance == best]
    if len(nearest) != 1 or written in _english():
        return None
    return nearest[0]


def correct(text: str, vocabulary: frozenset[str]) -> tuple[str, tuple[Correction, ...]]:
    """`text` with its misspellings of `vocabulary`'s words corrected, and what was."""
    corrections: list[Correction] = []

    def replace(found: re.Match[str]) -> str:
        written = found.group()
        meant = _meant(written, vocabulary)
        if meant is None:
            return written
        if written.endswith("s") and not meant.endswith("s"):
            meant += "s"
        corrections.append(Correction(written, meant))
        return meant

    return _WORD.sub(replace, text), tuple(corrections)
