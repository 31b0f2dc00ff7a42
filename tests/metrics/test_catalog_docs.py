"""docs/metrics.md lists the catalog as it is: every metric with its unit and formula."""

from __future__ import annotations

from pathlib import Path

import pytest

from metrics.catalog import CATALOG

__all__: list[str] = []

DOC = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"


@pytest.mark.parametrize("metric_id", list(CATALOG))
def test_every_metric_is_in_the_docs_catalog(metric_id: str) -> None:
    definition = CATALOG[metric_id]
    formula = definition.formula_text.replace("|", "\\|")
    row = f"| `{metric_id}` | {definition.label} | {definition.unit.value} | {formula} |"
    assert row in DOC.read_text(encoding="utf-8"), f"docs/metrics.md lacks or misstates {row}"
