"""Running the SQL source's query on the team's database, read-only, with every failure as a
one-line SyncError that never shows the URL's password.

The connection runs in a read-only transaction where the dialect has one (PostgreSQL:
`SET TRANSACTION READ ONLY`; MySQL and MariaDB: `START TRANSACTION READ ONLY` in a read-only
session, since their DDL commits out of a transaction; SQLite: `PRAGMA query_only`);
elsewhere the statement check and a read-only database role are the guards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from sources.errors import NotConfiguredError, SyncError
from sources.sql.statement import SINCE, CheckedQuery
from sources.texts import SqlErrors

__all__ = ["READ_ONLY_STATEMENTS", "QueryResult", "Warehouse", "safe_url"]

# MySQL commits implicitly before DDL, out of a read-only transaction: the session's own
# characteristic refuses it too.
_MYSQL = ("SET SESSION TRANSACTION READ ONLY", "START TRANSACTION READ ONLY")
READ_ONLY_STATEMENTS: dict[str, tuple[str, ...]] = {
    "postgresql": ("SET TRANSACTION READ ONLY",),
    "mysql": _MYSQL,
    "mariadb": _MYSQL,
    "sqlite": ("PRAGMA query_only = ON",),
}


@dataclass(frozen=True, slots=True)
class QueryResult:
    """The query's column names, as it named them, and its rows."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


def safe_url(url: str) -> str:
    """The URL as people may read it: the password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(an unreadable URL)"


class Warehouse:
    """A database the SQL source reads; one connection per read, none kept."""

    def __init__(self, url: str) -> None:
        self.shown = safe_url(url)
        try:
            self._url = make_url(url)
        except ArgumentError as error:
            raise NotConfiguredError(SqlErrors.BAD_URL.format(reason=error)) from None
        self._password = self._url.password

    def _failure(self, template: str, error: BaseException) -> SyncError:
        reason = _reason(error) if isinstance(error, SQLAlchemyError) else _first_line(error)
        if self._password:
            reason = reason.replace(str(self._password), "***")
        return SyncError(template.format(url=self.shown, reason=reason))

    def read(self, query: CheckedQuery, since: date) -> QueryResult:
        """Every row of `query` (`:since` bound to `since`), in one read-only transaction."""
        engine = self._engine()
        try:
            with self._connect(engine) as connection:
                return self._run(connection, query, since)
        finally:
            engine.dispose()

    def _engine(self) -> Engine:
        try:
            return create_engine(self._url, poolclass=NullPool)
        except (NoSuchModuleError, ImportError) as error:
            raise self._failure(SqlErrors.NO_DRIVER, error) from None

    def _connect(self, engine: Engine) -> Connection:
        try:
            return engine.connect()
        except SQLAlchemyError as error:
            raise self._failure(SqlErrors.UNREACHABLE, error) from None

    def _run(self, connection: Connection, query: CheckedQuery, since: date) -> QueryResult:
        parameters = {SINCE: since} if query.uses_since else {}
        try:
            with connection.begin() as transaction:
                for statement in READ_ONLY_STATEMENTS.get(connection.dialect.name, ()):
                    connection.exec_driver_sql(statement)
                result = connection.execute(query.clause(), parameters)
                columns = tuple(result.keys())
                rows = tuple(tuple(row) for row in result)
                transaction.rollback()
        except SQLAlchemyError as error:
            raise self._failure(SqlErrors.QUERY_FAILED, error) from None
        return QueryResult(columns, rows)


def _reason(error: SQLAlchemyError) -> str:
    """The driver's own message, first line: what the database said."""
    if isinstance(error, DBAPIError) and error.orig is not None:
        arguments = error.orig.args
        if len(arguments) == 2 and isinstance(arguments[1], str):  # PyMySQL: (code, message)
            return _first_line(Exception(arguments[1]))
        return _first_line(error.orig)
    return _first_line(error)


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__
