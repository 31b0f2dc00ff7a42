"""`funnelbot query METRIC ...`: the metrics engine with structured arguments, for scripts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from bot.answers.context import metrics_context
from bot.cli import app
from bot.cli._common import (
    AsOfOption,
    DatabaseUrlOption,
    err_console,
    fail,
    open_store,
    out_console,
    parse_as_of,
    settings_for,
)
from metrics.answers import MetricAnswer
from metrics.catalog import CATALOG
from metrics.engine import MetricsContext, answer, data_range, dimension_values
from metrics.periods import Grain, Period, last_unit, parse_period
from metrics.query import (
    CompareKind,
    Comparison,
    Dimension,
    Filters,
    Intent,
    Query,
    normalize_name,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from metrics.engine import Answer

__all__ = ["query_command"]

_WHERE_KEYS = tuple(dimension.value for dimension in Dimension)


@app.command("query")
def query_command(
    metric_name: Annotated[str, typer.Argument(metavar="METRIC", help="A catalog metric id.")],
    *,
    period: Annotated[
        str | None,
        typer.Option(help="2026-03, 2026-Q3, 2026-H1, 2026, 2026-W47, A..B, last month, qtd…"),
    ] = None,
    where: Annotated[
        list[str] | None, typer.Option(help="channel=NAME or segment=NAME (repeatable).")
    ] = None,
    by: Annotated[Dimension | None, typer.Option(help="Break the value down.")] = None,
    compare: Annotated[str, typer.Option(help="previous, yoy, none or a period.")] = "previous",
    as_of: AsOfOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON answer.")] = False,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Compute one metric (default: the last complete month, compared with the one before)."""
    settings = settings_for(database_url)
    today = parse_as_of(as_of, settings)
    metric_id = _metric_id(metric_name)
    question_period = _period(period, today) if period else last_unit(Grain.MONTH, today)
    comparison = _comparison(compare, today)
    filters = _filters(where or [])
    query = Query(Intent.METRIC, question_period, metric_id, filters, by, comparison)
    context = metrics_context(settings)
    store = open_store(settings)
    _check_known(filters, store)
    result = answer(store, query, context)
    # Only an n/a costs the look at whether anything was loaded at all.
    empty = isinstance(result, MetricAnswer) and result.value is None and data_range(store) is None
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
        if empty:
            from bot.i18n.messages import Wording

            err_console().print(f"note: {Wording.EMPTY_STORE}", markup=False)
    else:
        _print_text(query, result, context, empty_store=empty)


def _metric_id(raw: str) -> str:
    """A catalog id as it is; any other name (a label, an alias) as a question names it.
    A script's id loads no question reader (docs/benchmarks.md, start-up)."""
    if (candidate := normalize_name(raw)) in CATALOG:
        return candidate
    from bot.parser import metric_named, similar_metrics

    found = metric_named(raw)
    if found is None:
        hint = _hint(similar_metrics(raw))
        fail(f"unknown metric {raw!r}{hint} (`funnelbot ask metrics` lists them all)")
    return found


def _hint(choices: Sequence[str]) -> str:
    """'; did you mean a, b?' naming `choices`, or nothing."""
    return f"; did you mean {', '.join(choices)}?" if choices else ""


def _did_you_mean(name: str, choices: Sequence[str]) -> str:
    """The hint naming up to three of `choices` close to `name`."""
    from rapidfuzz import process

    return _hint([match[0] for match in process.extract(name, choices, limit=3, score_cutoff=60)])


def _period(raw: str, today: date) -> Period:
    """The structured forms first, then every form a question accepts."""
    try:
        return parse_period(raw, today)
    except ValueError as error:
        from bot.parser import read_period

        try:
            return read_period(raw, today)
        except ValueError:
            fail(str(error))


def _comparison(raw: str, today: date) -> Comparison:
    word = raw.strip().lower()
    if word in (CompareKind.PREVIOUS.value, CompareKind.YEAR_AGO.value, CompareKind.NONE.value):
        return Comparison(CompareKind(word))
    return Comparison(CompareKind.PERIOD, _period(raw, today))


def _filters(pairs: list[str]) -> Filters:
    chosen: dict[str, list[str]] = {key: [] for key in _WHERE_KEYS}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        key = key.strip().lower()
        if not separator or key not in chosen or not value.strip():
            fail(f"--where takes channel=NAME or segment=NAME, not {pair!r}")
        chosen[key].append(normalize_name(value))
    return Filters(
        channel=tuple(dict.fromkeys(chosen["channel"])),
        segment=tuple(dict.fromkeys(chosen["segment"])),
    )


def _check_known(filters: Filters, store: Engine) -> None:
    """A filter value the store does not have is an error with a did-you-mean, not n/a.
    The store's names are read only for a dimension that is filtered on."""
    for dimension, names in (
        (Dimension.CHANNEL, filters.channel),
        (Dimension.SEGMENT, filters.segment),
    ):
        if not names:
            continue
        present = dimension_values(store, dimension)
        for name in names:
            if present and name not in present:
                hint = _did_you_mean(name, present)
                fail(f"no {dimension.value} called {name!r} in the store{hint}")


def _print_text(
    query: Query, result: Answer, context: MetricsContext, *, empty_store: bool
) -> None:
    """The answer as the Slack bot words it (rich and the renderers load only for this)."""
    from bot.answers.replies import Answered
    from bot.parser import describe
    from bot.render.text import render

    understood = describe(query)
    reply = Answered(
        understood, query, understood, result, context.currency, empty_store=empty_store
    )
    out_console().print(render(reply))
