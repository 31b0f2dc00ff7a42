"""Export writes the import format: import -> export -> import replaces everything, identically."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from storage.columns import ALL_COLUMNS
from storage.csv_export import export_csv
from storage.csv_import import import_csv
from tests.conftest import Store
from tests.storage.csvs import stored_rows, write_csv

TRICKY = (
    "period_start,period_end,channel,segment,visitors,marketing_spend,mrr_end,won_deal_value",
    "2026-01-31,2026-02-27,Paid Search,SMB,12,0.1,1234567.89,",
    '2026-02-01,,"Events, ""Q1""",enterprise,,1e-7,0,3.3333333333333335',
    "2026-03-01,,organic,,0,0.30000000000000004,,99999999999.99",
)


def export_text(store: Store, **bounds: date) -> str:
    out = io.StringIO()
    export_csv(store.engine, out, **bounds)
    return out.getvalue()


def test_round_trip_is_exact_and_replaces_every_row(store: Store, tmp_path: Path) -> None:
    import_csv(store.engine, write_csv(tmp_path / "in.csv", *TRICKY[1:], header=TRICKY[0]))
    before = stored_rows(store.engine)
    exported = tmp_path / "out.csv"
    exported.write_text(export_text(store), encoding="utf-8")
    report = import_csv(store.engine, exported)
    assert (report.inserted, report.replaced, report.warning_count) == (0, 3, 0)
    assert stored_rows(store.engine) == before
    assert exported.read_text(encoding="utf-8") == export_text(store)


def test_columns_follow_data_md_and_null_is_an_empty_cell(store: Store, tmp_path: Path) -> None:
    import_csv(store.engine, write_csv(tmp_path / "in.csv", *TRICKY[1:], header=TRICKY[0]))
    header, first, *_ = export_text(store).splitlines()
    assert header.split(",") == list(ALL_COLUMNS)
    cells = dict(zip(ALL_COLUMNS, first.split(","), strict=True))
    assert cells["channel"] == "paid_search"
    assert cells["period_end"] == "2026-02-27"
    assert cells["visitors"] == "12"
    assert cells["leads"] == "" and cells["won_deal_value"] == ""


def test_a_period_selects_rows_by_their_start(store: Store, tmp_path: Path) -> None:
    import_csv(store.engine, write_csv(tmp_path / "in.csv", *TRICKY[1:], header=TRICKY[0]))
    lines = export_text(store, start=date(2026, 2, 1), end=date(2026, 2, 28)).splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("2026-02-01,2026-02-01,")


def test_an_empty_store_exports_the_header_only(store: Store) -> None:
    assert export_text(store) == ",".join(ALL_COLUMNS) + "\n"
