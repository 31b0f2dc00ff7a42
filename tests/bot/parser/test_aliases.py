"""The alias tables are consistent with the catalog, and every name reads as its metric."""

from __future__ import annotations

from datetime import date

import pytest

from bot.parser import KnownValues, Parsed, parse
from bot.parser._lexicon import metric_phrases
from bot.parser._normalize import words_of
from metrics.aliases import ALIASES_BY_LANGUAGE, AMBIGUOUS_BY_LANGUAGE
from metrics.catalog import CATALOG
from metrics.query import Intent

NAMES = sorted(
    {(definition.id, definition.id) for definition in CATALOG.values()}
    | {(definition.label, definition.id) for definition in CATALOG.values()}
    | {
        (phrase, metric_id)
        for aliases in ALIASES_BY_LANGUAGE.values()
        for metric_id, phrases in aliases.items()
        for phrase in phrases
    }
)


def test_aliases_name_catalog_metrics() -> None:
    for aliases in ALIASES_BY_LANGUAGE.values():
        assert set(aliases) <= set(CATALOG)
    for ambiguous in AMBIGUOUS_BY_LANGUAGE.values():
        assert all(set(ids) <= set(CATALOG) and len(ids) > 1 for ids in ambiguous.values())


def test_only_declared_phrases_are_ambiguous() -> None:
    declared = {
        words_of(phrase) for ambiguous in AMBIGUOUS_BY_LANGUAGE.values() for phrase in ambiguous
    }
    collisions = {key for key, ids in metric_phrases().items() if len(ids) > 1}
    assert collisions <= declared


@pytest.mark.parametrize(("name", "metric_id"), NAMES, ids=[name for name, _ in NAMES])
def test_every_name_reads_as_its_metric(name: str, metric_id: str) -> None:
    result = parse(name, today=date(2026, 11, 25), known=KnownValues())
    assert isinstance(result, Parsed), result
    assert (result.query.intent, result.query.metric) == (Intent.METRIC, metric_id)
