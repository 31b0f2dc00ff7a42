"""Fuzzing the CSV importer: a real snapshot file, mutated byte by byte and cell by cell
(bad encodings, stray quotes, NUL bytes, huge fields, spreadsheet formulas, truncation).
Every file ends as a clean ImportReport or a clean ImportFileError; a rejected file
leaves the store exactly as it was (same rows, same checksum, no import batch)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from storage.csv_import import ImportFileError, import_csv
from tests.conftest import Store
from tests.security.fuzzing import FUZZ_SETTINGS, hostile_text
from tests.storage.csvs import HEADER, batches, stored_rows, write_csv

ROWS = (
    "2026-10-01,2026-10-31,organic,smb,1000,100,40,10,3000.5",
    "2026-10-01,2026-10-31,paid_search,enterprise,2000,150,60,20,6000",
    "2026-09-01,2026-09-30,organic,smb,900,90,30,9,2800",
)
CELL_JUNK = (
    '"',
    '""',
    "\x00",
    "=cmd|' /C calc'!A0",
    "+1+1",
    "@SUM(A1:A9)",
    "-1",
    "1e400",
    "NaN",
    "\r",
    "\n",
    ",,,,",
    "\ufeff",
    "x" * 70_000,
)

# weighted towards files that decode, so most examples reach the row validation
ENCODINGS = ("utf-8", "utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1")
BYTE_OPERATIONS = ("keep", "keep", "keep", "keep", "truncate", "flip", "binary")


@st.composite
def mutated_csv(draw: st.DrawFn) -> bytes:
    lines = [HEADER, *draw(st.lists(st.sampled_from(ROWS), min_size=0, max_size=4))]
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        line = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        cells = lines[line].split(",")
        cell = draw(st.integers(min_value=0, max_value=len(cells) - 1))
        cells[cell] = draw(st.sampled_from(CELL_JUNK) | hostile_text())
        lines[line] = ",".join(cells)
    text = "\n".join(lines) + draw(st.sampled_from(("\n", "\r\n", "")))
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="replace")
    operation = draw(st.sampled_from(BYTE_OPERATIONS))
    if operation == "truncate":
        data = data[: draw(st.integers(min_value=0, max_value=len(data)))]
    elif operation == "flip" and data:
        at = draw(st.integers(min_value=0, max_value=len(data) - 1))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    elif operation == "binary":
        data = draw(st.binary(max_size=300))
    return data


def _fingerprint(engine: Engine) -> tuple[int, str, int]:
    """Row count, a checksum of every stored value, and the number of import batches."""
    rows = stored_rows(engine)
    digest = hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()
    return len(rows), digest, len(batches(engine))


def test_mutated_csv_files_import_cleanly_or_change_nothing(store: Store, tmp_path: Path) -> None:
    import_csv(store.engine, write_csv(tmp_path / "seed.csv", *ROWS))
    path = tmp_path / "fuzzed.csv"

    @settings(FUZZ_SETTINGS, max_examples=100)
    @given(data=mutated_csv())
    def one_file(data: bytes) -> None:
        path.write_bytes(data)
        before = _fingerprint(store.engine)
        try:
            report = import_csv(store.engine, path)
        except ImportFileError as error:
            assert "\n" not in str(error)
            assert _fingerprint(store.engine) == before
            return
        if report.ok:
            assert report.written
            assert _fingerprint(store.engine)[2] == before[2] + 1
        else:
            assert not report.written
            assert report.errors and all(str(finding) for finding in report.errors)
            assert _fingerprint(store.engine) == before

    one_file()
