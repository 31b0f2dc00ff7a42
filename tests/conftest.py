"""Fixtures that build real databases: SQLite files and PostgreSQL schemas."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from storage.engine import make_engine, normalize_database_url
from storage.migrate import upgrade

DEFAULT_TEST_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@dataclass(frozen=True)
class Store:
    """A migrated, empty store and the URL a subprocess can use to reach the same data."""

    engine: Engine
    url: str
    schema: str | None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name


def _postgres_url() -> str:
    return os.environ.get("TEST_DATABASE_URL", DEFAULT_TEST_DATABASE_URL)


def _postgres_unreachable_reason() -> str | None:
    engine = make_engine(_postgres_url())
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as error:  # noqa: BLE001 - any failure means "unreachable"
        return f"PostgreSQL at {_postgres_url()} is unreachable: {str(error).splitlines()[0]}"
    finally:
        engine.dispose()
    return None


@pytest.fixture(scope="session")
def postgres_available() -> None:
    reason = _postgres_unreachable_reason()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


# Alembic costs 1-3 s a store on a loaded machine, and most tests take one or two. Each
# test process migrates one store per database with Alembic, then every other store is
# that store again: a copy of the SQLite file, or the statements Alembic sent to
# PostgreSQL replayed in a fresh schema (tests/storage/test_migrations.py runs Alembic
# itself on every revision).


@pytest.fixture(scope="session")
def _sqlite_migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file at the newest revision, migrated by Alembic once a test process."""
    path = tmp_path_factory.mktemp("migrated") / "funnelbot.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # the last connection closed: the WAL is checkpointed into the file
    return path


def _sqlite_store(tmp_path: Path, migrated: Path) -> Iterator[Store]:
    path = tmp_path / "funnelbot.db"
    shutil.copyfile(migrated, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    yield Store(engine, url, None)
    engine.dispose()


@pytest.fixture(scope="session")
def _postgres_migration(postgres_available: None) -> list[tuple[str, Any]]:
    """What Alembic sent to PostgreSQL to migrate an empty schema (its reads left out),
    recorded once a test process."""
    sent: list[tuple[str, Any]] = []

    def record(*args: Any) -> None:
        statement, parameters = args[2], args[3]
        if not statement.lstrip().upper().startswith(("SELECT", "SHOW")):
            sent.append((statement, parameters))

    schema = _new_schema()
    engine = make_engine(_postgres_url(), schema=schema)
    event.listen(engine, "before_cursor_execute", record)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
        _drop_schema(schema)
    return sent


def _new_schema() -> str:
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = make_engine(_postgres_url())
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return schema


def _drop_schema(schema: str) -> None:
    admin = make_engine(_postgres_url())
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _postgres_store(migration: list[tuple[str, Any]]) -> Iterator[Store]:
    schema = _new_schema()
    engine = make_engine(_postgres_url(), schema=schema)
    with engine.begin() as connection:
        for statement, parameters in migration:
            connection.exec_driver_sql(statement, parameters or None)
    url = normalize_database_url(_postgres_url()).update_query_dict(
        {"options": f"-csearch_path={schema}"}
    )
    try:
        yield Store(engine, url.render_as_string(hide_password=False), schema)
    finally:
        engine.dispose()
        _drop_schema(schema)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated empty store, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield from _sqlite_store(tmp_path, request.getfixturevalue("_sqlite_migrated"))
    else:
        yield from _postgres_store(request.getfixturevalue("_postgres_migration"))


@pytest.fixture
def db(store: Store) -> Engine:
    """The engine of `store`, for tests that need nothing else."""
    return store.engine
