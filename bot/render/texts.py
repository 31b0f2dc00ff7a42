"""Every sentence and label of an answer's Block Kit blocks, in one place."""

from __future__ import annotations

from typing import Final

from bot.i18n import TranslatedMapping, translated

__all__ = ["BENCHMARK_BADGES", "BETTER_MARKS", "BlockText"]

BETTER_MARKS: Final = TranslatedMapping(
    {True: ":large_green_circle: better", False: ":red_circle: worse", None: ":white_circle:"}
)
BENCHMARK_BADGES: Final = TranslatedMapping(
    {
        "within": ":white_check_mark: within",
        "below": ":warning: below",
        "above": ":warning: above",
    }
)


@translated
class BlockText:
    VERSUS = "vs {period}"
    BENCHMARK = "{badge} the typical range {range}{scope} · _{source}_"
    TARGET_MET = ":dart: team target met ({range})"
    TARGET_MISSED = ":warning: team target missed ({range})"
    WARNING = ":warning: {warning}"
    NO_VALUE = "n/a — {reason}"
    DEFINITION = "_{label}_: {description}"
    LEAK = ":rotating_light: *Biggest leak: {label}* — {reason}"
    NO_LEAK = ":mag: {reason}"
    FUNNEL_HEADER = "Funnel · {period}"
    TREND_HEADER = "{label} · trend"
    FORMULA = "*Formula*\n```{formula}```"
    RANGES = "*Typical ranges*"
    VALUE_NOW = "*{period}*: {value}"
    MORE_ROWS = "… and {count} more"
    STAGE_HEAD = ("stage", "volume", "conversion")
