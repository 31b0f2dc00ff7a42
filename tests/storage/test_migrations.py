from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event, inspect, text

from storage.migrate import (
    HEAD_REVISION,
    MIGRATIONS_DIR,
    current_revision,
    ensure_current,
    head_revision,
    schema_is_current,
    upgrade,
)
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


def test_the_head_revision_known_without_alembic_is_alembics_head() -> None:
    assert head_revision() == HEAD_REVISION


def test_the_schema_is_current_only_at_the_head_revision(store: Store) -> None:
    assert schema_is_current(store.engine)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    assert not schema_is_current(store.engine)
    with store.engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
    assert not schema_is_current(store.engine)


def test_a_store_at_the_head_costs_one_statement_and_no_migration(store: Store) -> None:
    seen: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *call: seen.append(call[2]))
    ensure_current(store.engine)
    assert seen == ["SELECT version_num FROM alembic_version"]


def _downgrade_one_revision(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "-1")


def test_a_store_behind_the_head_is_upgraded(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    _downgrade_one_revision(store.engine)
    assert current_revision(store.engine) != HEAD_REVISION
    ensure_current(store.engine)
    assert current_revision(store.engine) == HEAD_REVISION
    assert set(inspect(store.engine).get_table_names()) == tables
