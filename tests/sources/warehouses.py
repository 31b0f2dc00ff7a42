"""The databases a SQL source reads in tests: real PostgreSQL and MariaDB on this machine,
each test with a schema (PostgreSQL) or a database (MariaDB) of its own, so parallel workers
never meet. In CI (`CI=true`) an unreachable server fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tests.conftest import DEFAULT_TEST_DATABASE_URL

__all__ = ["DEFAULT_MARIADB_URL", "Warehouse", "mariadb_available", "warehouse"]

DEFAULT_MARIADB_URL = "mysql+pymysql://root@127.0.0.1:3306/test"


def _mariadb_url() -> str:
    return os.environ.get("TEST_MARIADB_URL", DEFAULT_MARIADB_URL)


def _postgres_url() -> str:
    return os.environ.get("TEST_DATABASE_URL", DEFAULT_TEST_DATABASE_URL)


def _unreachable(url: str, name: str) -> str | None:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as error:  # noqa: BLE001 - any failure means "unreachable"
        return f"{name} at {url} is unreachable: {str(error).splitlines()[0]}"
    finally:
        engine.dispose()
    return None


def _require(reason: str | None) -> None:
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def mariadb_available() -> None:
    _require(_unreachable(_mariadb_url(), "MariaDB"))


@dataclass(frozen=True)
class Warehouse:
    """A team's database: `url` for the source, `schema` qualifying the test's tables."""

    dialect: str
    url: str
    schema: str

    def execute(self, *statements: str) -> None:
        """Run statements as the team's own writer (not the source)."""
        engine = create_engine(self.url, poolclass=NullPool)
        try:
            with engine.begin() as connection:
                for statement in statements:
                    connection.execute(text(statement))
        finally:
            engine.dispose()

    def table(self, name: str) -> str:
        return f"{self.schema}.{name}"


def _postgres() -> Iterator[Warehouse]:
    schema = f"w_{uuid.uuid4().hex[:16]}"
    admin = Warehouse("postgresql", _postgres_url(), schema)
    admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield admin
    finally:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")


def _mariadb() -> Iterator[Warehouse]:
    database = f"w_{uuid.uuid4().hex[:16]}"
    admin = Warehouse("mariadb", _mariadb_url(), database)
    admin.execute(f"CREATE DATABASE {database}")
    url = make_url(_mariadb_url()).set(database=database)
    try:
        yield Warehouse("mariadb", url.render_as_string(hide_password=False), database)
    finally:
        admin.execute(f"DROP DATABASE {database}")


@pytest.fixture(params=["postgresql", "mariadb"])
def warehouse(request: pytest.FixtureRequest) -> Iterator[Warehouse]:
    """An empty schema on PostgreSQL, then an empty database on MariaDB."""
    if request.param == "postgresql":
        request.getfixturevalue("postgres_available")
        yield from _postgres()
    else:
        request.getfixturevalue("mariadb_available")
        yield from _mariadb()
