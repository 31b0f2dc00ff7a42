from __future__ import annotations

from sqlalchemy import inspect

from storage.migrate import current_revision, head_revision, upgrade
from tests.conftest import Store


def test_upgrade_creates_every_table_and_is_idempotent(store: Store) -> None:
    upgrade(store.engine)
    upgrade(store.engine)
    tables = set(inspect(store.engine).get_table_names())
    assert {"snapshots", "import_batches", "digest_deliveries", "processed_events"} <= tables
    assert current_revision(store.engine) == head_revision()


def test_subprocess_url_reaches_the_same_schema(store: Store) -> None:
    from storage.engine import make_engine

    other = make_engine(store.url)
    try:
        assert "snapshots" in inspect(other).get_table_names()
    finally:
        other.dispose()
