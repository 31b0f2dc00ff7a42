"""`funnelbot import`: validate a snapshot CSV (docs/data.md) as a whole, then upsert it atomically.

The file is read once, in chunks: every row is validated, keeping only compact keys to
find duplicates, so memory stays flat on big files. Inside ONE transaction, each chunk is
handed to the write (storage/_import_upsert.py) as soon as it is validated, so that the
database loads it while the next is read, until an error is found. The write is
completed, with an audit row, only when the whole file has no error; else it is rolled
back and nothing is written.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import IO

import pandas as pd
from sqlalchemy import Connection, Engine, insert

from storage._import_rules import (
    EXTRA_FIELDS,
    HEADER_LINE,
    Finding,
    Findings,
    KeyLedger,
    WarningGroup,
    Warnings,
    check_header,
    header_names,
    parse_chunk,
)
from storage._import_upsert import SnapshotWrite, UpsertCounts, upsert_snapshots
from storage.columns import KEY_COLUMNS
from storage.models import ImportBatch

__all__ = [
    "CHUNK_ROWS",
    "ERROR_CAP",
    "Finding",
    "ImportFileError",
    "ImportProgress",
    "ImportReport",
    "ImportStage",
    "ProgressCallback",
    "UpsertCounts",
    "WarningGroup",
    "import_csv",
    "record_batch",
    "upsert_snapshots",
    "validate_csv",
]

CHUNK_ROWS = 50_000
ERROR_CAP = 50

CANNOT_READ = "cannot read {path}: {reason}"
NOT_UTF8 = "{path} is not a UTF-8 CSV file"
NOT_CSV = "{path} is not a CSV file: {reason}"
EMPTY = "{path} is empty: expected a header line of column names"
FILE_CHANGED = "{path} changed while it was being read; nothing was written"
MALFORMED = "malformed CSV, reading stopped: {reason}"


class ImportFileError(Exception):
    """The file cannot be read as a CSV at all (missing, not UTF-8, empty), or it changed
    while it was being read; nothing was written."""


class ImportStage(StrEnum):
    VALIDATE = "validating"
    WRITE = "writing"


@dataclass(frozen=True, slots=True)
class ImportProgress:
    """Progress of one stage: bytes read while validating, rows written while writing."""

    stage: ImportStage
    done: int
    total: int


ProgressCallback = Callable[[ImportProgress], None]


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import found and did: the first ERROR_CAP errors, and the warnings by kind
    (each with its count and first rows); the counts are of rows flagged."""

    file_name: str
    checksum: str
    rows: int
    errors: tuple[Finding, ...]
    error_count: int
    warnings: tuple[WarningGroup, ...]
    warning_count: int
    written: bool = False
    inserted: int = 0
    replaced: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def errors_not_shown(self) -> int:
        return self.error_count - len(self.errors)


def validate_csv(
    path: Path, *, progress: ProgressCallback | None = None, chunk_rows: int = CHUNK_ROWS
) -> ImportReport:
    """Pass 1 alone, without a store: every error and warning, nothing written."""
    return _validate(_CsvFile.open(path), progress, chunk_rows, None)


def import_csv(
    engine: Engine,
    path: Path,
    *,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> ImportReport:
    """Validate the whole file; when it has no error, upsert it and record an ImportBatch.

    Each chunk is handed to the write as soon as it is validated, inside the write's
    transaction, until an error is found; the write is completed only when the whole file
    has none, else rolled back. `dry_run` rolls the completed write back: the report says
    exactly how many rows would be inserted and replaced, and nothing is written.
    """
    source = _CsvFile.open(path)
    with engine.connect() as connection, connection.begin() as transaction:
        with SnapshotWrite(connection) as write:
            sink = _Sink(write, progress, source.estimated_rows())
            report = _validate(source, progress, chunk_rows, sink)
            counts = write.finish() if report.ok else None
        if counts is None or dry_run:
            transaction.rollback()
        else:
            record_batch(
                connection,
                file_name=report.file_name,
                checksum=report.checksum,
                counts=counts,
                warning_count=report.warning_count,
                warnings=_warnings_listing(report.warnings),
            )
    if counts is None:
        return report
    return replace(report, written=not dry_run, inserted=counts.inserted, replaced=counts.replaced)


def record_batch(
    connection: Connection,
    *,
    file_name: str,
    checksum: str,
    counts: UpsertCounts,
    warning_count: int = 0,
    warnings: str = "",
) -> None:
    """The audit row of a write to the store (an import, or the demo data)."""
    connection.execute(
        insert(ImportBatch).values(
            file_name=file_name[:500],
            checksum=checksum,
            rows_inserted=counts.inserted,
            rows_replaced=counts.replaced,
            warning_count=warning_count,
            warnings=warnings,
        )
    )


def _warnings_listing(groups: tuple[WarningGroup, ...]) -> str:
    """Each kind's summary, then its first row in full."""
    return "\n".join(f"{group.summary}\n  {group.first[0]}" for group in groups)


class _Sink:
    """Where validated chunks go: the write, reporting the rows written against the
    file's line count."""

    def __init__(
        self, write: SnapshotWrite, progress: ProgressCallback | None, estimated: int
    ) -> None:
        self._write = write
        self._progress = progress
        self._estimated = estimated

    def add(self, frame: pd.DataFrame) -> None:
        self._write.add(frame)
        if self._progress is not None:
            rows = self._write.rows
            self._progress(ImportProgress(ImportStage.WRITE, rows, max(self._estimated, rows)))


@dataclass(frozen=True, slots=True)
class _CsvFile:
    path: Path
    header: tuple[str, ...]
    size: int

    @classmethod
    def open(cls, path: Path) -> _CsvFile:
        try:
            with path.open(encoding="utf-8-sig", newline="") as text:
                header = next(csv.reader(text), None)
            size = path.stat().st_size
        except OSError as error:
            raise ImportFileError(CANNOT_READ.format(path=path, reason=error.strerror)) from None
        except UnicodeDecodeError:
            raise ImportFileError(NOT_UTF8.format(path=path)) from None
        except csv.Error as error:
            raise ImportFileError(NOT_CSV.format(path=path, reason=error)) from None
        if not header:
            raise ImportFileError(EMPTY.format(path=path))
        return cls(path, tuple(header), size)

    def checksum(self) -> str:
        with self.path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()

    def estimated_rows(self) -> int:
        """The lines after the header (a quoted line break would count one too many)."""
        lines = 0
        last = b"\n"
        with self.path.open("rb") as handle:
            while block := handle.read(1 << 20):
                lines += block.count(b"\n")
                last = block[-1:]
        return max(lines - (last == b"\n"), 0)

    def raw_chunks(self, chunk_rows: int) -> Iterator[tuple[pd.DataFrame, int]]:
        """Chunks of text cells (columns by position) and the bytes read so far.

        pandas.errors.ParserError for a malformed record; UnicodeDecodeError is translated.
        """
        with self.path.open("rb") as handle:
            try:
                yield from self._read(handle, chunk_rows)
            except UnicodeDecodeError:
                raise ImportFileError(NOT_UTF8.format(path=self.path)) from None

    def _key_positions(self) -> list[int]:
        names = header_names(self.header)
        return [position for position, name in enumerate(names) if name in KEY_COLUMNS]

    def _read(self, handle: IO[bytes], chunk_rows: int) -> Iterator[tuple[pd.DataFrame, int]]:
        reader = pd.read_csv(
            handle,
            header=None,
            skiprows=1,
            names=list(range(len(self.header) + EXTRA_FIELDS)),
            index_col=False,
            dtype=dict.fromkeys(self._key_positions(), str),
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
            low_memory=False,
            encoding="utf-8-sig",
            chunksize=chunk_rows,
        )
        with reader:
            for chunk in reader:
                yield chunk, handle.tell()


def _validate(
    source: _CsvFile, progress: ProgressCallback | None, chunk_rows: int, sink: _Sink | None
) -> ImportReport:
    """Pass 1; while no error is found, the typed chunks go to `sink`."""
    checksum = source.checksum()
    errors, warnings = Findings(ERROR_CAP), Warnings()
    names = check_header(source.header, errors)
    keys = KeyLedger()
    rows = 0
    try:
        for raw, bytes_read in source.raw_chunks(chunk_rows):
            chunk = parse_chunk(raw, names, errors, warnings)
            keys.add(chunk)
            rows += len(chunk.frame)
            if progress is not None:
                progress(ImportProgress(ImportStage.VALIDATE, bytes_read, source.size))
            if sink is not None and not errors.count:
                sink.add(chunk.frame)
    except pd.errors.ParserError as error:
        errors.add(_parser_finding(error))
    keys.report_duplicates(errors)
    if source.checksum() != checksum:
        raise ImportFileError(FILE_CHANGED.format(path=source.path))
    return ImportReport(
        file_name=str(source.path),
        checksum=checksum,
        rows=rows,
        errors=errors.first(),
        error_count=errors.count,
        warnings=warnings.groups(),
        warning_count=warnings.count,
    )


def _parser_finding(error: pd.errors.ParserError) -> Finding:
    text = str(error).removeprefix("Error tokenizing data. C error: ").strip()
    found = re.search(r"line (\d+)", text)
    line = int(found[1]) if found else HEADER_LINE
    return Finding(line, "", MALFORMED.format(reason=text))
