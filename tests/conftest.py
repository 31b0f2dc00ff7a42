"""Fixtures that build real databases: SQLite files and PostgreSQL schemas."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

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


def _sqlite_store(tmp_path: Path) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path / 'funnelbot.db'}"
    engine = make_engine(url)
    upgrade(engine)
    yield Store(engine, url, None)
    engine.dispose()


def _postgres_store() -> Iterator[Store]:
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = make_engine(_postgres_url())
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(_postgres_url(), schema=schema)
    upgrade(engine)
    url = normalize_database_url(_postgres_url()).update_query_dict(
        {"options": f"-csearch_path={schema}"}
    )
    try:
        yield Store(engine, url.render_as_string(hide_password=False), schema)
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated empty store, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield from _sqlite_store(tmp_path)
    else:
        request.getfixturevalue("postgres_available")
        yield from _postgres_store()


@pytest.fixture
def db(store: Store) -> Engine:
    """The engine of `store`, for tests that need nothing else."""
    return store.engine
