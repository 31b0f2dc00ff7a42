"""Block Kit for every kind of answer, within Slack's limits (`validate_blocks`).

Numbers and units come from `bot.i18n.formatting`; words from `bot.slack.texts` and
`bot.i18n.messages`. Buttons carry a question (and the date it was asked) as their value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.i18n import Language, as_language, gettext, keyed_text
from bot.i18n.formatting import (
    arrow,
    coverage_text,
    format_change,
    format_range,
    format_value,
    input_text,
    leader_text,
    name_text,
    period_text,
    sparkline,
)
from bot.i18n.messages import Wording
from bot.render.texts import BENCHMARK_BADGES, BETTER_MARKS, BlockText
from metrics.answers import (
    ExplainAnswer,
    FunnelAnswer,
    MetricAnswer,
    TargetCheck,
    TrendAnswer,
)
from metrics.articles import Article
from metrics.catalog import CATALOG, Unit
from metrics.messages import cite, quoted_title, source_title

__all__ = [
    "ASK_ACTION",
    "SHARE_ACTION",
    "Block",
    "ButtonQuestion",
    "FollowUp",
    "SlackMessage",
    "actions",
    "button",
    "code_table",
    "context",
    "definition_line",
    "divider",
    "escaped",
    "explain_blocks",
    "funnel_blocks",
    "header",
    "metric_blocks",
    "question_buttons",
    "section",
    "trend_blocks",
    "validate_blocks",
]

Block = dict[str, Any]

ASK_ACTION = "ask"
SHARE_ACTION = "share"

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER = 150
MAX_BUTTON_TEXT = 75
MAX_ACTION_ID = 255
MAX_VALUE = 2000
MAX_ACTIONS = 10
MAX_CONTEXT_ELEMENTS = 10
MAX_FALLBACK_TEXT = 3000
ELLIPSIS = "…"
FENCE = "```"


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """A message: notification/fallback text and its blocks."""

    text: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class ButtonQuestion:
    """What a button asks when clicked, and the day the original question was asked."""

    question: str
    asked_on: date
    language: Language = "en"

    def to_value(self) -> str:
        data = {"q": self.question, "d": self.asked_on.isoformat(), "l": self.language}
        value = json.dumps(data)
        return value if len(value) <= MAX_VALUE else self._shortened()

    def _shortened(self) -> str:
        shorter = self.question[: MAX_VALUE // 2]
        return ButtonQuestion(shorter, self.asked_on, self.language).to_value()

    @classmethod
    def from_value(cls, value: str) -> ButtonQuestion:
        data = json.loads(value)
        language = as_language(str(data.get("l", "en")))
        return cls(str(data["q"]), date.fromisoformat(str(data["d"])), language)


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A natural next question, offered as a button."""

    label: str
    question: str


# --- primitives -------------------------------------------------------------------


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": _cut(text, MAX_HEADER)}}


def section(text: str, fields: Sequence[str] = ()) -> Block:
    """A section; with fields, the text may be empty (it is then left out)."""
    block: Block = {"type": "section"}
    if text or not fields:
        block["text"] = _mrkdwn(_cut(text, MAX_SECTION_TEXT))
    if fields:
        block["fields"] = [_mrkdwn(_cut(field, MAX_FIELD_TEXT)) for field in fields[:MAX_FIELDS]]
    return block


def context(*texts: str) -> Block:
    elements = [_mrkdwn(_cut(text, MAX_FIELD_TEXT)) for text in texts if text]
    return {"type": "context", "elements": elements[:MAX_CONTEXT_ELEMENTS]}


def divider() -> Block:
    return {"type": "divider"}


def button(label: str, action_id: str, value: str, *, primary: bool = False) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": _cut(label, MAX_BUTTON_TEXT)},
        "action_id": action_id,
        "value": value,
    }
    if primary:
        element["style"] = "primary"
    return element


def actions(elements: Sequence[Block]) -> Block:
    return {"type": "actions", "elements": list(elements[:MAX_ACTIONS])}


def question_buttons(
    followups: Iterable[FollowUp], asked_on: date, language: Language = "en"
) -> list[Block]:
    """One button per follow-up, answered in `language`; action ids are unique."""
    return [
        button(
            item.label,
            f"{ASK_ACTION}:{index}",
            ButtonQuestion(item.question, asked_on, language).to_value(),
        )
        for index, item in enumerate(followups)
    ]


def escaped(text: str) -> str:
    """Text from people or data, shown literally: no mentions, links or `<!channel>`."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _shown_name(name: str) -> str:
    return escaped(name_text(name))


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def code_table(rows: Sequence[Sequence[str]], *, limit: int = MAX_SECTION_TEXT) -> str:
    """An aligned table in a code block: first column left, the others right; rows that
    do not fit in `limit` characters are summarised in a last line."""
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.ljust(widths[index]) if index == 0 else cell.rjust(widths[index])
            for index, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]
    kept: list[str] = []
    budget = limit - 2 * len(FENCE) - len(BlockText.MORE_ROWS) - len(str(len(lines)))
    for line in lines:
        if budget - len(line) - 1 < 0:
            kept.append(BlockText.MORE_ROWS.format(count=len(lines) - len(kept)))
            break
        kept.append(line)
        budget -= len(line) + 1
    return FENCE + "\n".join(kept) + FENCE


# --- answers ----------------------------------------------------------------------


def _value(answer: MetricAnswer, value: float | None) -> str:
    return format_value(value, answer.unit, answer.currency)


def _headline(answer: MetricAnswer) -> str:
    figure = _value(answer, answer.value)
    return f"{answer.label}: {figure}"


def _comparison_text(answer: MetricAnswer) -> str:
    comparison = answer.comparison
    if comparison is None:
        return ""
    versus = BlockText.VERSUS.format(period=comparison.period.label)
    before = _value(answer, comparison.value)
    if comparison.change is None:
        return f"*{versus}*: {before}" + (f" ({comparison.reason})" if comparison.reason else "")
    change = format_change(comparison.change, comparison.change_pct, answer.unit, answer.currency)
    mark = BETTER_MARKS[comparison.better]
    return f"*{versus}*: {before}\n{arrow(comparison.change, answer.unit)} {change} {mark}"


def _target_text(target: TargetCheck, unit: Unit, currency: str) -> str:
    shown = format_range(target.min, target.max, unit, currency)
    template = BlockText.TARGET_MET if target.met else BlockText.TARGET_MISSED
    return template.format(range=shown)


def _badges(answer: MetricAnswer) -> list[str]:
    lines = [
        BlockText.BENCHMARK.format(
            badge=BENCHMARK_BADGES[check.status.value],
            range=format_range(check.low, check.high, answer.unit, answer.currency),
            scope=f" ({gettext(check.scope)})" if check.scope else "",
            source=cite(check.sources),
        )
        for check in answer.benchmarks
    ]
    if answer.target is not None:
        lines.append(_target_text(answer.target, answer.unit, answer.currency))
    lines += [
        f"{item.label}: *{format_value(item.value, item.unit, answer.currency)}*"
        for item in answer.related
    ]
    lines += [BlockText.WARNING.format(warning=warning) for warning in answer.warnings]
    return lines


def _breakdown_table(answer: MetricAnswer) -> str:
    groups = answer.breakdown or ()
    dimension = next(iter(groups[0].group)) if groups else ""
    rows = [(keyed_text("dimension", dimension, dimension), answer.label)] + [
        (
            _shown_name(next(iter(group.group.values()))),
            _value(answer, group.value) if group.reason is None else f"n/a ({group.reason})",
        )
        for group in groups
    ]
    return code_table(rows)


def definition_line(metric_id: str) -> str:
    definition = CATALOG[metric_id]
    return BlockText.DEFINITION.format(
        label=keyed_text("label", metric_id, definition.label),
        description=keyed_text("description", metric_id, definition.description),
    )


def metric_blocks(answer: MetricAnswer) -> list[Block]:
    """Figure (header), period and comparison, badges, breakdown table."""
    blocks = [header(_headline(answer))]
    if answer.leader is not None:
        blocks.insert(0, section(f"*{escaped(leader_text(answer, answer.currency))}*"))
    period_field = f"*{period_text(answer.period)}*"
    if answer.value is None and answer.reason:
        period_field += "\n" + BlockText.NO_VALUE.format(reason=answer.reason)
    fields = [period_field] + [text for text in (_comparison_text(answer),) if text]
    blocks.append(section(_scope_text(answer), fields))
    badges = _badges(answer)
    if badges:
        blocks.append(section("\n".join(badges)))
    if answer.breakdown:
        blocks.append(section(_breakdown_table(answer)))
    return blocks


def _scope_text(answer: MetricAnswer) -> str:
    return " · ".join(
        f"{dimension}: {', '.join(_shown_name(name) for name in names)}"
        for dimension, names in answer.filters.as_dict().items()
    )


def funnel_blocks(answer: FunnelAnswer) -> list[Block]:
    """Stage by stage with the conversion into each stage, then the biggest leak."""
    rows: list[tuple[str, str, str]] = [BlockText.STAGE_HEAD]
    for stage in answer.stages:
        volume = stage.volume
        conversion = stage.conversion
        rows.append(
            (
                volume.label,
                _value(volume, volume.value),
                "" if conversion is None else _value(conversion, conversion.value),
            )
        )
    blocks = [header(BlockText.FUNNEL_HEADER.format(period=answer.period.label))]
    blocks.append(section(code_table(rows)))
    blocks.append(section(_leak_text(answer)))
    return blocks


def _leak_text(answer: FunnelAnswer) -> str:
    if answer.biggest_leak is None:
        return BlockText.NO_LEAK.format(reason=answer.leak_reason)
    label = CATALOG[answer.biggest_leak].label
    return BlockText.LEAK.format(label=label, reason=answer.leak_reason)


def trend_blocks(answer: TrendAnswer, currency: str) -> list[Block]:
    """A sparkline and the series as a table (the chart follows as a file); a point that
    covers part of its week or month says so."""
    values = [point.value for point in answer.points]
    rows = [(Wording.TREND_PERIOD, answer.label, "")] + [
        (
            point.period.label,
            format_value(point.value, answer.unit, currency),
            coverage_text(point, answer.grain),
        )
        for point in answer.points
    ]
    return [
        header(BlockText.TREND_HEADER.format(label=answer.label)),
        section(f"*{period_text(answer.period)}*  `{sparkline(values)}`"),
        section(code_table(rows)),
    ]


def explain_blocks(answer: ExplainAnswer) -> list[Block]:
    """Definition, formula, the inputs for the period and the typical ranges."""
    value = format_value(answer.value, answer.unit, answer.currency)
    blocks = [
        header(answer.label),
        section(answer.description),
        section(BlockText.FORMULA.format(formula=answer.formula_text)),
    ]
    now = BlockText.VALUE_NOW.format(period=period_text(answer.period), value=value)
    if answer.value is None and answer.reason:
        now += "\n" + BlockText.NO_VALUE.format(reason=answer.reason)
    inputs = [
        (name, input_text(name, amount, answer.currency)) for name, amount in answer.inputs.items()
    ]
    inputs += [
        (item.label, format_value(item.value, item.unit, answer.currency))
        for item in answer.components
    ]
    if inputs:
        now += "\n" + code_table(inputs, limit=MAX_SECTION_TEXT - len(now) - 1)
    blocks.append(section(now))
    ranges = [
        f"• {format_range(item.low, item.high, answer.unit, answer.currency)}"
        f"{f' ({gettext(item.scope)})' if item.scope else ''} · _{cite(item.sources)}_"
        + (f" — {gettext(item.note)}" if item.note else "")
        for item in answer.benchmarks
    ]
    if answer.target is not None:
        ranges.append(_target_text(answer.target, answer.unit, answer.currency))
    if ranges:
        blocks.append(section(BlockText.RANGES + "\n" + "\n".join(ranges)))
    sources = dict.fromkeys(source for item in answer.benchmarks for source in item.sources)
    if sources:
        lines = [f"• {_linked_source(source)}" for source in sources]
        blocks.append(context("\n".join([Wording.SOURCES, *lines])))
    return blocks


def _linked_source(source: Article) -> str:
    """The article's title linked to it, its original title and its publisher."""
    title = escaped(quoted_title(source))
    text = f"<{source.url}|{title}>" if source.url else title
    if source.title != source_title(source):
        text += f" ({escaped(source.title)})"
    return text + (f", {escaped(source.publisher)}" if source.publisher else "")


# --- limits -----------------------------------------------------------------------


def validate_blocks(blocks: Sequence[Block]) -> list[str]:
    """Every way `blocks` break Slack's documented limits; empty when they are fine."""
    problems = [f"{len(blocks)} blocks (at most {MAX_BLOCKS})"] if len(blocks) > MAX_BLOCKS else []
    for index, block in enumerate(blocks):
        problems += [f"block {index}: {problem}" for problem in _block_problems(block)]
    return problems


def _block_problems(block: Block) -> list[str]:
    kind = block.get("type")
    if kind == "header":
        return _too_long("header", block["text"]["text"], MAX_HEADER)
    if kind == "section":
        return _section_problems(block)
    if kind == "actions":
        return _actions_problems(block["elements"])
    if kind == "context":
        elements = block["elements"]
        if not elements or len(elements) > MAX_CONTEXT_ELEMENTS:
            return [f"{len(elements)} context elements (1 to {MAX_CONTEXT_ELEMENTS})"]
    return []


def _section_problems(block: Block) -> list[str]:
    """Text (unless there are fields) within its limit, at most 10 fields within theirs."""
    fields = block.get("fields", [])
    text = block.get("text")
    problems = [] if text is None and fields else _too_long(
        "section text", text["text"] if text else "", MAX_SECTION_TEXT
    )  # fmt: skip
    if len(fields) > MAX_FIELDS:
        problems.append(f"{len(fields)} fields (at most {MAX_FIELDS})")
    for field in fields:
        problems += _too_long("field", field["text"], MAX_FIELD_TEXT)
    return problems


def _actions_problems(elements: Sequence[Block]) -> list[str]:
    problems = [] if 0 < len(elements) <= MAX_ACTIONS else [f"{len(elements)} actions"]
    action_ids = [element["action_id"] for element in elements]
    if len(set(action_ids)) != len(action_ids):
        problems.append("duplicate action_id")
    for element in elements:
        problems += _too_long("button text", element["text"]["text"], MAX_BUTTON_TEXT)
        problems += _too_long("action_id", element["action_id"], MAX_ACTION_ID)
        problems += _too_long("value", element.get("value", ""), MAX_VALUE)
    return problems


def _too_long(what: str, text: str, limit: int) -> list[str]:
    if not text:
        return [f"empty {what}"]
    return [f"{what} of {len(text)} characters (at most {limit})"] if len(text) > limit else []
