"""What the question parser takes and returns."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n.messages import EXAMPLES
from metrics.query import Dimension, Query

__all__ = ["Choice", "KnownValues", "NotUnderstood", "ParseResult", "Parsed", "UnreadableError"]


@dataclass(frozen=True, slots=True)
class KnownValues:
    """The normalised channel and segment names present in the store."""

    channels: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()

    def of(self, dimension: Dimension) -> tuple[str, ...]:
        return self.channels if dimension is Dimension.CHANNEL else self.segments


@dataclass(frozen=True, slots=True)
class Parsed:
    """A question read as a query; `understood` says how, so a misreading is visible.

    `notes` name liberties taken: misspellings read as something, words ignored.
    """

    query: Query
    understood: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Choice:
    """One reading of a question that had several: what to show, and the question to ask
    instead, which reads unambiguously as that `metric`."""

    label: str
    question: str
    metric: str


@dataclass(frozen=True, slots=True)
class NotUnderstood:
    """A question that could not be read: which part, why, and what might have been meant.

    `choices` are set when the question had several plausible readings: the bot asks back
    instead of answering one of them; `did_you_mean` then holds their metric ids.
    """

    unknown_part: str
    reason: str
    did_you_mean: tuple[str, ...] = ()
    examples: tuple[str, str, str] = EXAMPLES
    choices: tuple[Choice, ...] = ()


ParseResult = Parsed | NotUnderstood


class UnreadableError(Exception):
    """Raised inside the parser to stop at the first part that cannot be read."""

    def __init__(
        self,
        part: str,
        reason: str,
        did_you_mean: tuple[str, ...] = (),
        choices: tuple[Choice, ...] = (),
    ) -> None:
        super().__init__(reason)
        shown = did_you_mean or tuple(choice.metric for choice in choices)
        self.result = NotUnderstood(part, reason, shown, choices=choices)
