"""The query's rows validated with exactly the CSV import's rules (storage/_import_rules.py):
the same checks and messages, located by row (the result's first row is row 1) instead of
by line, every error listed, and the rows typed as the import types them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from sources.sql.reader import QueryResult
from sources.texts import SqlErrors
from storage._import_rules import (
    Finding,
    Findings,
    KeyLedger,
    WarningGroup,
    Warnings,
    check_header,
    parse_chunk,
)
from storage.columns import KEY_COLUMNS, MEASURE_COLUMNS
from storage.csv_import import ERROR_CAP

__all__ = ["InvalidRowsError", "ValidRows", "validate_rows"]

_MEASURES = frozenset(column.name for column in MEASURE_COLUMNS)


@dataclass(frozen=True, slots=True)
class ValidRows:
    """Typed rows (ALL_COLUMNS, NULL as NA/NaN), the measure columns the query returned, and
    the import's warnings."""

    frame: pd.DataFrame
    measures: tuple[str, ...]
    warnings: tuple[WarningGroup, ...]


class InvalidRowsError(ValueError):
    """The rows break the import's rules; the message lists every error (up to the cap)."""


def validate_rows(result: QueryResult) -> ValidRows:
    """InvalidRowsError listing every error; otherwise the rows typed for the upsert."""
    header, errors, warnings = Findings(ERROR_CAP), Findings(ERROR_CAP), Warnings()
    names = check_header(result.columns, header)
    chunk = parse_chunk(_cells(result, names), names, errors, warnings)
    keys = KeyLedger()
    keys.add(chunk)
    keys.report_duplicates(errors)
    if header.count or errors.count:
        raise InvalidRowsError(_listing(header, errors))
    measures = tuple(name for name in dict.fromkeys(names) if name in _MEASURES)
    return ValidRows(chunk.frame, measures, warnings.groups())


def _cells(result: QueryResult, names: Sequence[str]) -> pd.DataFrame:
    """The rows as the CSV reader would hand them over: key columns as text, measures as
    numbers when all of a column's values are numbers; indexed so that line = row number."""
    index = pd.RangeIndex(-1, len(result.rows) - 1)
    columns = {
        position: _key_cells(values, index)
        if name in KEY_COLUMNS
        else _measure_cells(values, index)
        for position, (name, values) in enumerate(zip(names, _columns(result), strict=True))
    }
    return pd.DataFrame(columns, index=index)


def _columns(result: QueryResult) -> list[list[Any]]:
    if not result.rows:
        return [[] for _ in result.columns]
    return [list(values) for values in zip(*result.rows, strict=True)]


def _key_cells(values: list[Any], index: pd.RangeIndex) -> pd.Series:
    return pd.Series([_key_text(value) for value in values], index=index, dtype=object)


def _key_text(value: Any) -> str | None:
    """A date as ISO text (a midnight timestamp, as `date_trunc` gives, as its day)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.time() == time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _measure_cells(values: list[Any], index: pd.RangeIndex) -> pd.Series:
    """Numbers as float64 (NULL as NaN); a column with text in it as text, which the rules
    read as a CSV cell (an empty string is unknown, like an empty cell)."""
    if all(value is None or _is_number(value) for value in values):
        numbers = [np.nan if value is None else float(value) for value in values]
        return pd.Series(numbers, index=index, dtype="float64")
    texts = [None if value is None else str(value) for value in values]
    return pd.Series(texts, index=index, dtype=object)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _listing(header: Findings, errors: Findings) -> str:
    shown = [_located(finding, in_header=True) for finding in header.first()]
    shown += [_located(finding, in_header=False) for finding in errors.first()]
    count = header.count + errors.count
    if count > len(shown):
        shown.append(SqlErrors.MORE_ERRORS.format(count=count - len(shown)))
    return SqlErrors.INVALID_ROWS.format(count=count, errors="; ".join(shown))


def _located(finding: Finding, *, in_header: bool) -> str:
    if in_header:
        return SqlErrors.COLUMN_AT.format(column=finding.column, message=finding.message)
    if finding.column:
        return SqlErrors.ROW_AT.format(
            row=finding.line, column=finding.column, message=finding.message
        )
    return SqlErrors.ROW.format(row=finding.line, message=finding.message)
