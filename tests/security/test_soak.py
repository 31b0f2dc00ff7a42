"""A short soak (bench/soak.py for 20 seconds on a small PostgreSQL store): mixed load
with a digest run and an import alongside, no error of any kind, and the connections of
serve within its pool."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.soak import run_soak
from testkit.connections import POOL_LIMIT
from testkit.snapshots import fill, pairs
from tests.conftest import Store

SECONDS = 20.0
CLIENTS = 3


@pytest.mark.parametrize("store", ["postgresql"], indirect=True)
def test_short_soak_has_no_error(store: Store, tmp_path: Path) -> None:
    fill(store.engine, pairs(2, 2))
    result = run_soak(store.url, seconds=SECONDS, clients=CLIENTS, workdir=tmp_path)
    assert result.errors == 0, result.report()
    assert len(result.samples) >= 2 * CLIENTS, result.report()
    assert {sample.kind for sample in result.samples} >= {"slash command", "mention"}
    assert result.side_runs == {"digest": 0, "import": 0}
    assert 0 < result.max_connections <= POOL_LIMIT, result.report()
