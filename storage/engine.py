"""The one engine factory: URL normalisation and per-dialect connection settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

__all__ = ["DEFAULT_DATABASE_URL", "make_engine", "normalize_database_url"]

DEFAULT_DATABASE_URL = "sqlite:///funnelbot.db"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def normalize_database_url(raw_url: str) -> URL:
    """Accept hosting-platform URLs (`postgres://`, `postgresql://`) and use psycopg 3."""
    url = raw_url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
    return make_url(url)


def make_engine(raw_url: str = DEFAULT_DATABASE_URL, *, schema: str | None = None) -> Engine:
    """An engine for `raw_url`; `schema` pins PostgreSQL's search_path (used by tests)."""
    url = normalize_database_url(raw_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    connect_args: dict[str, Any] = {}
    if schema is not None:
        connect_args["options"] = f"-csearch_path={schema}"
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_engine(url: URL) -> Engine:
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine
