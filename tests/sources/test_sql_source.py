"""The SQL source on real PostgreSQL and MariaDB tables: the import's rules and messages,
`:since` with its overlap, column ownership shared with another source, a read-only
connection, and every failure leaving the store exactly as it was."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from sources.errors import SyncError
from sources.runs import Outcome, RunLedger
from sources.sql.reader import Warehouse as Reader
from sources.sql.source import SqlSource
from sources.sql.statement import CheckedQuery, QueryError, check_query
from sources.sync import SyncReport, run_source
from storage.csv_import import import_csv
from storage.ownership import column_owner_map
from storage.source_tables import source_runs
from tests.conftest import Store
from tests.sources.warehouses import Warehouse, mariadb_available, warehouse
from tests.storage.csvs import stored_rows, write_csv

__all__ = ["mariadb_available", "warehouse"]

DAY = date(2026, 3, 1)


def _day(offset: int) -> date:
    return DAY + timedelta(days=offset)


def sql_sync(
    store: Engine,
    url: str,
    query: str,
    today: date,
    *,
    name: str = "warehouse",
    full: bool = False,
    dry_run: bool = False,
    overlap_days: int = 2,
) -> SyncReport:
    """One run of a SQL source as the 03:00 job on `today` would make it."""
    source = SqlSource(name, Reader(url), check_query(query), overlap_days=overlap_days)
    at_three = datetime.combine(today, time(3), UTC)
    ledger = RunLedger(store, lambda: at_three)
    return run_source(store, source, ledger, today=today, full=full, dry_run=dry_run)


def _funnel(warehouse: Warehouse, *rows: str) -> str:
    table = warehouse.table("funnel_daily")
    warehouse.execute(
        f"CREATE TABLE {table} (day DATE NOT NULL, channel VARCHAR(50), segment VARCHAR(50), "
        "visitors INTEGER, leads INTEGER, mqls INTEGER)",
        *(f"INSERT INTO {table} VALUES {row}" for row in rows),
    )
    return (
        "SELECT day AS period_start, channel, segment, visitors, leads, mqls "
        f"FROM {table} WHERE day >= :since"
    )


def _spend(warehouse: Warehouse, *rows: str) -> str:
    table = warehouse.table("ad_spend")
    warehouse.execute(
        f"CREATE TABLE {table} (day DATE NOT NULL, channel VARCHAR(50), amount NUMERIC(12, 2))",
        *(f"INSERT INTO {table} VALUES {row}" for row in rows),
    )
    return (
        "SELECT day AS period_start, channel, 'smb' AS segment, SUM(amount) AS marketing_spend "
        f"FROM {table} GROUP BY day, channel"
    )


def _by_key(engine: Engine, *columns: str) -> dict[tuple[date, str, str], tuple[object, ...]]:
    return {
        (row["period_start"], row["channel"], row["segment"]): tuple(row[c] for c in columns)
        for row in stored_rows(engine)
    }


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_funnel_rows_are_written_with_empty_cells_as_unknown_and_the_columns_owned(
    store: Store, warehouse: Warehouse
) -> None:
    query = _funnel(
        warehouse,
        f"('{_day(0)}', 'Paid Search', 'SMB', 1200, 40, NULL)",
        f"('{_day(1)}', 'paid_search', 'smb', 1300, 45, 12)",
        f"('{_day(1)}', NULL, NULL, 80, NULL, 0)",
    )
    report = sql_sync(store.engine, warehouse.url, query, _day(2))
    assert report.read == "read 3 rows of visitors, leads, mqls from the query (all of its history)"
    assert report.wrote == (f"3 rows written (3 new, 0 replaced) for {_day(0)} to {_day(1)}",)
    assert _by_key(store.engine, "visitors", "leads", "mqls", "sqls") == {
        (_day(0), "paid_search", "smb"): (1200, 40, None, None),
        (_day(1), "paid_search", "smb"): (1300, 45, 12, None),
        (_day(1), "unattributed", "unattributed"): (80, None, 0, None),
    }
    with store.engine.connect() as connection:
        owners = column_owner_map(connection)
    assert owners == {"visitors": "warehouse", "leads": "warehouse", "mqls": "warehouse"}


@pytest.mark.parametrize("store", ["sqlite", "postgresql"], indirect=True)
def test_a_funnel_source_and_a_spend_source_merge_into_the_same_rows(
    store: Store, warehouse: Warehouse
) -> None:
    funnel = _funnel(warehouse, f"('{_day(0)}', 'webinar', 'smb', 500, 20, 5)")
    spend = _spend(
        warehouse, f"('{_day(0)}', 'webinar', 700.25)", f"('{_day(0)}', 'webinar', 99.75)"
    )
    sql_sync(store.engine, warehouse.url, funnel, _day(1), name="funnel")
    written = sql_sync(store.engine, warehouse.url, spend, _day(1), name="spend")
    assert written.wrote == (f"1 rows written (0 new, 1 replaced) for {_day(0)} to {_day(0)}",)
    again = sql_sync(store.engine, warehouse.url, funnel, _day(2), name="funnel")
    assert again.rows_written == 1
    assert _by_key(store.engine, "visitors", "leads", "mqls", "marketing_spend") == {
        (_day(0), "webinar", "smb"): (500, 20, 5, 800.0)
    }
    with store.engine.connect() as connection:
        assert column_owner_map(connection)["marketing_spend"] == "spend"


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_since_is_the_last_synced_day_less_the_overlap_and_full_reads_everything(
    store: Store, warehouse: Warehouse
) -> None:
    query = _funnel(
        warehouse,
        f"('{_day(0)}', 'organic', 'smb', 100, 1, 1)",
        f"('{_day(8)}', 'organic', 'smb', 100, 1, 1)",
    )
    first = sql_sync(store.engine, warehouse.url, query, _day(10))
    assert first.full and first.rows_written == 2
    table = warehouse.table("funnel_daily")
    warehouse.execute(f"UPDATE {table} SET visitors = 999")  # a correction, old and recent
    second = sql_sync(store.engine, warehouse.url, query, _day(11), overlap_days=2)
    assert second.read.endswith(f"(since {_day(8)})")  # day 10 (the last run) less 2
    assert _by_key(store.engine, "visitors") == {
        (_day(0), "organic", "smb"): (100,),
        (_day(8), "organic", "smb"): (999,),
    }
    full = sql_sync(store.engine, warehouse.url, query, _day(11), full=True)
    assert full.rows_written == 2
    assert {value for (value,) in _by_key(store.engine, "visitors").values()} == {999}


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_every_invalid_row_is_named_with_the_imports_messages_and_nothing_is_written(
    store: Store, warehouse: Warehouse
) -> None:
    table = warehouse.table("bad")
    warehouse.execute(
        f"CREATE TABLE {table} (n INTEGER, d VARCHAR(20), channel VARCHAR(20), "
        "visitors INTEGER, trials_started INTEGER, trials_converted INTEGER, spend VARCHAR(20))",
        f"INSERT INTO {table} VALUES (1, '{_day(0)}', 'organic', 10, 5, 2, '12.50')",
        f"INSERT INTO {table} VALUES (2, '2026-13-01', 'organic', -3, 5, 9, '$40')",
        f"INSERT INTO {table} VALUES (3, '{_day(0)}', 'organic', 10, 1, 0, '')",
    )
    query = (
        "SELECT d AS period_start, channel, visitors, trials_started, trials_converted, "
        f"spend AS marketing_spend FROM {table} ORDER BY n"
    )
    with pytest.raises(SyncError) as failed:
        sql_sync(store.engine, warehouse.url, query, _day(1))
    assert str(failed.value) == (
        "the query returned invalid rows (5 errors): "
        "row 2, column marketing_spend: not a number: '$40' (write plain numbers like 1200.50, "
        "without currency symbols or thousands separators; leave the cell empty if unknown); "
        "row 2, column period_start: not a date: '2026-13-01' (write YYYY-MM-DD); "
        "row 2, column trials_converted: trials_converted (9) is more than trials_started (5); "
        "row 2, column visitors: negative value -3; "
        f"row 3: duplicate key ({_day(0)}, {_day(0)}, organic, unattributed), first on line 1"
    )
    assert stored_rows(store.engine) == []
    with store.engine.connect() as connection:
        assert column_owner_map(connection) == {}
        run = connection.execute(select(source_runs)).one()
    assert run.outcome == Outcome.FAILED.value and run.detail == str(failed.value)


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_an_unknown_column_or_a_missing_period_start_is_named(
    store: Store, warehouse: Warehouse
) -> None:
    with pytest.raises(SyncError, match=r"^the query returned invalid rows \(2 errors\): "):
        sql_sync(store.engine, warehouse.url, "SELECT 1 AS visits, 'x' AS channel", _day(1))
    with pytest.raises(SyncError) as failed:
        sql_sync(store.engine, warehouse.url, "SELECT 1 AS visits, 'x' AS channel", _day(1))
    assert "column visits: unknown column" in str(failed.value)
    assert "column period_start: missing required key column" in str(failed.value)


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_broken_query_and_an_unreachable_server_fail_and_leave_the_store_as_it_was(
    store: Store, warehouse: Warehouse, tmp_path: Path
) -> None:
    import_csv(store.engine, write_csv(tmp_path / "a.csv", f"{_day(0)},,organic,smb,5,1,,,"))
    before = stored_rows(store.engine)
    missing = f"SELECT day AS period_start FROM {warehouse.table('nowhere')}"
    with pytest.raises(SyncError, match=r"^the query failed on .*nowhere"):
        sql_sync(store.engine, warehouse.url, missing, _day(1))
    port = "5999" if warehouse.dialect == "postgresql" else "3999"
    host = warehouse.url.replace("5432", port).replace("3306", port)
    with pytest.raises(SyncError, match=r"^cannot reach the database at .*:" + port):
        sql_sync(store.engine, host, "SELECT 1 AS visitors", _day(1))
    assert stored_rows(store.engine) == before


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_column_another_writer_owns_fails_naming_both(
    store: Store, warehouse: Warehouse, tmp_path: Path
) -> None:
    import_csv(store.engine, write_csv(tmp_path / "a.csv", f"{_day(0)},,organic,smb,5,1,,,"))
    before = stored_rows(store.engine)
    query = _funnel(warehouse, f"('{_day(0)}', 'organic', 'smb', 1, 1, 1)")
    with pytest.raises(SyncError, match="column leads belongs to CSV imports; the warehouse"):
        sql_sync(store.engine, warehouse.url, query, _day(1))
    assert stored_rows(store.engine) == before


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_dry_run_writes_nothing(store: Store, warehouse: Warehouse) -> None:
    query = _funnel(warehouse, f"('{_day(0)}', 'organic', 'smb', 1, 1, 1)")
    report = sql_sync(store.engine, warehouse.url, query, _day(1), dry_run=True)
    assert report.rows_written == 1
    assert stored_rows(store.engine) == []
    with store.engine.connect() as connection:
        assert column_owner_map(connection) == {}


def test_the_connection_is_read_only_even_for_a_statement_past_the_check(
    warehouse: Warehouse,
) -> None:
    """The second guard: were a writing statement to pass the check, the database refuses it."""
    reader = Reader(warehouse.url)
    table = warehouse.table("sneaked")
    with pytest.raises(SyncError, match=r"read-only transaction|READ ONLY transaction"):
        reader.read(CheckedQuery(f"CREATE TABLE {table} (a INTEGER)", uses_since=False), DAY)
    warehouse.execute(f"CREATE TABLE {table} (a INTEGER)")
    with pytest.raises(SyncError, match=r"read-only transaction|READ ONLY transaction"):
        reader.read(CheckedQuery(f"INSERT INTO {table} VALUES (1)", uses_since=False), DAY)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 1 AS visitors",
        "  with t as (select 1 as visitors) select * from t;  ",
        "(SELECT 1 AS visitors)",
        "SELECT 'update; drop table x' AS channel, \"insert\" AS visitors -- delete\n",
        "SELECT day AS period_start FROM t WHERE day >= :since AND x = '10:30'",
        "SELECT now()::date AS period_start",
        "SELECT replace(channel, '-', ' ') AS channel FROM t",
    ],
)
def test_a_single_select_passes_the_check(sql: str) -> None:
    assert check_query(sql).sql


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("", "the query is empty: write one SELECT statement"),
        ("SELECT 1; DROP TABLE snapshots", "the query has several statements"),
        ("DELETE FROM t", "the query starts with DELETE: only a SELECT"),
        ("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", "the query contains DELETE"),
        ("SELECT * INTO backup FROM t", "the query contains INTO"),
        ("SELECT * FROM t FOR UPDATE", "the query contains UPDATE"),
        ("SELECT 'open", "the query has an unclosed quote or comment"),
        ("SELECT * FROM t WHERE a = :a", "the query binds :a: the only parameter is :since"),
        ("/* SELECT */ VACUUM", "the query starts with VACUUM"),
    ],
)
def test_anything_but_a_single_select_is_refused_before_it_runs(sql: str, reason: str) -> None:
    with pytest.raises(QueryError) as refused:
        check_query(sql)
    assert str(refused.value).startswith(reason)


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_the_imports_warnings_are_reported_and_the_rows_written(
    store: Store, warehouse: Warehouse
) -> None:
    query = _funnel(warehouse, f"('{_day(0)}', 'organic', 'smb', 100, 10, 12)")
    report = sql_sync(store.engine, warehouse.url, query, _day(1))
    assert report.wrote[1:] == ("warning: mqls larger than leads: 1 rows (row 1)",)
    assert report.rows_written == 1


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_past_fifty_errors_the_rest_are_counted(store: Store, warehouse: Warehouse) -> None:
    table = warehouse.table("many")
    warehouse.execute(
        f"CREATE TABLE {table} (n INTEGER, visitors INTEGER)",
        *(f"INSERT INTO {table} VALUES ({n}, -1)" for n in range(60)),
    )
    query = f"SELECT '{_day(0)}' AS period_start, n AS channel, visitors FROM {table} ORDER BY n"
    with pytest.raises(SyncError) as failed:
        sql_sync(store.engine, warehouse.url, query, _day(1))
    message = str(failed.value)
    assert message.startswith("the query returned invalid rows (60 errors): row 1, column visitors")
    assert message.endswith("row 50, column visitors: negative value -1; and 10 more")
