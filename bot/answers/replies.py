"""The one reply model every renderer draws from: terminal, Slack Block Kit, JSON.

A reply is what the bot says to one question: an answer with how the question was
read, a refusal with what was not understood and three examples, help, or the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.i18n import (
    Language,
    active_language,
    gettext,
    keyed_text,
    translated_examples,
    use_language,
)
from bot.i18n.messages import (
    CATALOG_TITLE,
    HELP_EXAMPLES,
    HELP_INTRO,
    HELP_TITLE,
    Wording,
    choice_text,
    refusal_text,
)
from bot.parser import Choice, NotUnderstood
from metrics.aliases import ALIASES
from metrics.catalog import CATALOG, CATEGORIES, Unit
from metrics.engine import Answer
from metrics.query import Query

__all__ = [
    "Answered",
    "CatalogEntry",
    "CatalogReply",
    "HelpReply",
    "Refusal",
    "Reply",
    "catalog_reply",
    "help_reply",
    "refusal",
]

Json = Any
_ALIASES_SHOWN = 3


@dataclass(frozen=True, slots=True)
class Answered:
    """An answer, with the question as read ("understood") so a misreading is visible."""

    question: str
    query: Query
    understood: str
    answer: Answer
    currency: str
    notes: tuple[str, ...] = ()
    language: Language = "en"
    # No snapshot rows at all: every figure is n/a because nothing was loaded yet.
    empty_store: bool = False

    def to_json(self) -> Json:
        return self.answer.to_json()


@dataclass(frozen=True, slots=True)
class Refusal:
    """A question that could not be read: the part, why, suggestions and three examples."""

    question: str
    not_understood: str
    reason: str
    did_you_mean: tuple[str, ...]
    examples: tuple[str, str, str]
    language: Language = "en"
    choices: tuple[Choice, ...] = ()
    # A store with no rows knows no channel or segment: the refusal says why.
    empty_store: bool = False

    @property
    def text(self) -> str:
        with use_language(self.language):
            if self.choices:
                return choice_text(self.reason)
            text = refusal_text(self.reason, self.did_you_mean)
            return f"{text} {Wording.EMPTY_STORE}" if self.empty_store else text

    def to_json(self) -> Json:
        return {
            "error": self.text,
            "not_understood": self.not_understood,
            "did_you_mean": list(self.did_you_mean),
            "choices": [
                {"label": item.label, "question": item.question, "metric": item.metric}
                for item in self.choices
            ],
            "examples": list(self.examples),
        }


@dataclass(frozen=True, slots=True)
class HelpReply:
    title: str
    intro: str
    examples: tuple[str, ...]
    language: Language = "en"

    def to_json(self) -> Json:
        return {"help": self.intro, "examples": list(self.examples)}


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    id: str
    label: str
    unit: Unit
    category: str
    description: str
    aliases: tuple[str, ...]

    def to_json(self) -> Json:
        return {
            "metric": self.id,
            "label": self.label,
            "unit": self.unit.value,
            "category": self.category,
            "description": self.description,
            "aliases": list(self.aliases),
        }


@dataclass(frozen=True, slots=True)
class CatalogReply:
    title: str
    entries: tuple[CatalogEntry, ...]
    language: Language = "en"

    def to_json(self) -> Json:
        return [entry.to_json() for entry in self.entries]


Reply = Answered | Refusal | HelpReply | CatalogReply


def refusal(question: str, not_understood: NotUnderstood, *, empty_store: bool = False) -> Refusal:
    return Refusal(
        question=question,
        not_understood=not_understood.unknown_part,
        reason=not_understood.reason,
        did_you_mean=not_understood.did_you_mean,
        examples=translated_examples(not_understood.examples),
        language=active_language(),
        choices=not_understood.choices,
        empty_store=empty_store,
    )


def help_reply() -> HelpReply:
    examples = tuple(gettext(example) for example in HELP_EXAMPLES)
    return HelpReply(gettext(HELP_TITLE), gettext(HELP_INTRO), examples, active_language())


def catalog_reply() -> CatalogReply:
    """Every catalog metric, category by category, with a few of its aliases."""
    order = {category: index for index, category in enumerate(CATEGORIES)}
    definitions = sorted(CATALOG.values(), key=lambda item: order.get(item.category, len(order)))
    entries = tuple(
        CatalogEntry(
            id=item.id,
            label=keyed_text("label", item.id, item.label),
            unit=item.unit,
            category=gettext(item.category),
            description=keyed_text("description", item.id, item.description),
            aliases=ALIASES.get(item.id, ())[:_ALIASES_SHOWN],
        )
        for item in definitions
    )
    return CatalogReply(gettext(CATALOG_TITLE), entries, active_language())
