"""Importing into a real store (SQLite and PostgreSQL): upsert, NULLs, atomicity, audit."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect

from metrics.query import normalize_name
from storage.csv_import import (
    ImportFileError,
    ImportProgress,
    ImportReport,
    ImportStage,
    import_csv,
    validate_csv,
)
from tests.conftest import Store
from tests.storage.csvs import batches, row_count, stored_rows, write_csv


def test_a_valid_file_is_inserted_with_normalised_names(store: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "s.csv",
        "2026-03-01,,Paid Search,SMB,1000,20,8,3,120.50",
        "2026-03-01,2026-03-31, Mid-Market Webinars ,,500,10,4,2,99",
    )
    report = import_csv(store.engine, path)
    assert (report.written, report.inserted, report.replaced) == (True, 2, 0)
    rows = stored_rows(store.engine)
    assert [(r["period_start"], r["period_end"], r["channel"], r["segment"]) for r in rows] == [
        (date(2026, 3, 1), date(2026, 3, 1), "paid_search", "smb"),
        (date(2026, 3, 1), date(2026, 3, 31), "mid_market_webinars", "unattributed"),
    ]
    assert rows[0]["marketing_spend"] == 120.5
    assert rows[0]["visitors"] == 1000


def test_empty_cells_and_missing_columns_are_stored_as_null(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", "2026-03-01,,organic,smb,,0,,0,")
    import_csv(store.engine, path)
    (row,) = stored_rows(store.engine)
    assert (row["visitors"], row["leads"], row["mqls"], row["sqls"]) == (None, 0, None, 0)
    assert row["marketing_spend"] is None
    assert row["customers_end"] is None  # a column the file does not have


def test_reimporting_replaces_rows_and_counts_them(store: Store, tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", "2026-03-01,,organic,smb,1,1,1,1,1")
    import_csv(store.engine, first)
    second = write_csv(
        tmp_path / "b.csv",
        "2026-03-01,,Organic,SMB,7,,1,1,1",
        "2026-03-02,,organic,smb,2,2,2,2,2",
    )
    report = import_csv(store.engine, second)
    assert (report.inserted, report.replaced) == (1, 1)
    replaced = stored_rows(store.engine)[0]
    assert (replaced["visitors"], replaced["leads"]) == (7, None)
    assert row_count(store.engine) == 2


def test_a_file_with_an_error_writes_nothing(store: Store, tmp_path: Path) -> None:
    import_csv(store.engine, write_csv(tmp_path / "a.csv", "2026-03-01,,organic,smb,1,1,1,1,1"))
    before = stored_rows(store.engine)
    lines = [f"2026-01-01,,c{number},smb,{number},1,1,1,1.5" for number in range(100_000)]
    lines[-1] = "2026-01-01,,organic,smb,1,1,1,1,$5"
    path = tmp_path / "big.csv"
    write_csv(path, *lines)
    report = import_csv(store.engine, path)
    assert not report.ok
    assert [str(error).split(":")[0] for error in report.errors] == [
        "line 100001, column marketing_spend"
    ]
    assert stored_rows(store.engine) == before
    assert len(batches(store.engine)) == 1


class ImportInterruptedError(Exception):
    pass


def test_a_failure_while_writing_rolls_every_chunk_back(store: Store, tmp_path: Path) -> None:
    lines = [f"2026-01-01,,c{number},smb,1,1,1,1,1" for number in range(500)]
    path = write_csv(tmp_path / "s.csv", *lines)

    def interrupt_after_some_rows(update: ImportProgress) -> None:
        if update.stage is ImportStage.WRITE and update.done >= 300:
            raise ImportInterruptedError

    with pytest.raises(ImportInterruptedError):
        import_csv(store.engine, path, progress=interrupt_after_some_rows, chunk_rows=50)
    assert row_count(store.engine) == 0
    assert batches(store.engine) == []


def test_a_file_that_changes_while_read_is_refused(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", "2026-01-01,,organic,smb,1,1,1,1,1")

    def append_a_row(update: ImportProgress) -> None:
        with path.open("a", encoding="utf-8") as handle:
            handle.write("2026-01-02,,organic,smb,1,1,1,1,1\n")

    with pytest.raises(ImportFileError, match="changed while it was being read"):
        import_csv(store.engine, path, progress=append_a_row)
    assert row_count(store.engine) == 0


def test_a_dry_run_counts_what_would_change_and_writes_nothing(
    store: Store, tmp_path: Path
) -> None:
    import_csv(store.engine, write_csv(tmp_path / "a.csv", "2026-03-01,,organic,smb,1,1,1,1,1"))
    before = stored_rows(store.engine)
    path = write_csv(
        tmp_path / "b.csv",
        "2026-03-01,,organic,smb,9,9,9,9,9",
        "2026-03-02,,organic,smb,1,1,1,1,1",
    )
    report = import_csv(store.engine, path, dry_run=True)
    assert (report.ok, report.written, report.inserted, report.replaced) == (True, False, 1, 1)
    assert stored_rows(store.engine) == before
    assert len(batches(store.engine)) == 1
    assert validate_csv(path).rows == 2


def test_each_import_leaves_an_audit_row(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", "2026-03-01,,organic,smb,10,10,5,6,1")
    report = import_csv(store.engine, path)
    import_csv(store.engine, path)
    first, second = batches(store.engine)
    assert (first.file_name, first.checksum) == (str(path), report.checksum)
    assert (first.rows_inserted, first.rows_replaced) == (1, 0)
    assert (second.rows_inserted, second.rows_replaced) == (1 - 1, 1)
    assert first.warning_count == 1
    assert first.warnings == (
        "sqls larger than mqls: 1 row, line 2\n"
        "  line 2, column sqls: sqls (6) is larger than mqls (5)"
    )
    assert first.imported_at is not None


def test_progress_is_reported_for_both_passes(store: Store, tmp_path: Path) -> None:
    lines = [f"2026-01-01,,c{number},smb,1,1,1,1,1" for number in range(10)]
    path = write_csv(tmp_path / "s.csv", *lines)
    updates: list[ImportProgress] = []
    import_csv(store.engine, path, progress=updates.append, chunk_rows=4)
    validating = [u for u in updates if u.stage is ImportStage.VALIDATE]
    writing = [(u.done, u.total) for u in updates if u.stage is ImportStage.WRITE]
    assert validating[-1].done == validating[-1].total == path.stat().st_size
    assert writing == [(4, 10), (8, 10), (10, 10)]


def test_two_overlapping_imports_at_once_both_succeed(store: Store, tmp_path: Path) -> None:
    def rows(first: int, last: int, visitors: int) -> list[str]:
        return [f"2026-01-01,,c{n:04d},smb,{visitors},1,1,1,1" for n in range(first, last)]

    files = [
        write_csv(tmp_path / "a.csv", *rows(0, 3000, 1)),
        write_csv(tmp_path / "b.csv", *rows(1500, 4500, 2)),
    ]
    reports: list[ImportReport] = []
    start = threading.Barrier(len(files))

    def run(path: Path) -> None:
        start.wait()
        reports.append(import_csv(store.engine, path, chunk_rows=500))

    threads = [threading.Thread(target=run, args=(path,)) for path in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(reports) == 2
    assert sum(report.inserted for report in reports) == 4500
    assert sum(report.replaced for report in reports) == 1500
    visitors = {row["channel"]: row["visitors"] for row in stored_rows(store.engine)}
    assert len(visitors) == 4500
    assert {visitors["c0000"], visitors["c4499"]} == {1, 2}
    assert visitors["c2000"] in (1, 2)


def test_stored_names_match_the_names_questions_filter_on(store: Store, tmp_path: Path) -> None:
    raw_names = ["Paid Search", " paid-search ", "Mid - Market", "ÉVÉNEMENTS", "a\tb", ""]
    lines = [f'2026-03-01,,"{name}",s{number},1,1,1,1,1' for number, name in enumerate(raw_names)]
    import_csv(store.engine, write_csv(tmp_path / "s.csv", *lines))
    stored = {row["segment"]: row["channel"] for row in stored_rows(store.engine)}
    assert [stored[f"s{number}"] for number in range(len(raw_names))] == [
        normalize_name(name) for name in raw_names
    ]


def test_a_rejected_file_leaves_an_empty_store_with_its_keys_and_indexes(
    store: Store, tmp_path: Path
) -> None:
    # Into an empty PostgreSQL store the rows are copied without the keys and indexes,
    # which are built at the end: a rejected file must leave them as they were.
    def indexes() -> list[tuple[str | None, bool]]:
        found = inspect(store.engine).get_indexes("snapshots")
        return sorted((index["name"], bool(index["unique"])) for index in found)

    before = indexes()
    lines = [f"2026-01-01,,c{number},smb,1,1,1,1,1" for number in range(300)]
    path = write_csv(tmp_path / "s.csv", *lines, "2026-01-01,,c7,smb,2,1,1,1,1")
    report = import_csv(store.engine, path, chunk_rows=100)
    assert report.errors[0].message.startswith("duplicate key")
    assert (row_count(store.engine), indexes()) == (0, before)
    assert import_csv(store.engine, write_csv(tmp_path / "t.csv", *lines)).inserted == 300
    assert indexes() == before
