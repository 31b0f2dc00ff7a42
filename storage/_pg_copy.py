"""PostgreSQL's binary COPY format built from a frame's columns with numpy, not row by row.

Each row is a field count, then each field as its byte length and its big-endian bytes
(a length of -1 and no bytes for NULL). Every field is first laid out in a slot as wide as
its widest value, in one (rows, bytes) array; a mask of the bytes each value really uses
then squeezes the rows together, in their order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["COPY_HEADER", "COPY_TRAILER", "binary_copy_data", "binary_copy_rows"]

COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # no flags, no header extension
COPY_TRAILER = b"\xff\xff"
_NULL = -1
_EPOCH = np.datetime64("2000-01-01", "D")  # PostgreSQL's day 0

_COUNT_BYTES, _LENGTH_BYTES = 2, 4
_FIXED = {"int8": ">i8", "int4": ">i4", "float8": ">f8", "date": ">i4"}


def binary_copy_data(frame: pd.DataFrame, columns: Sequence[str], types: Sequence[str]) -> bytes:
    """The whole COPY … FROM STDIN (FORMAT binary) stream of `columns`, sent as `types`
    (int8, int4, float8, date or text)."""
    return COPY_HEADER + binary_copy_rows(frame, columns, types) + COPY_TRAILER


def binary_copy_rows(frame: pd.DataFrame, columns: Sequence[str], types: Sequence[str]) -> bytes:
    """The rows of the stream alone, to send between COPY_HEADER and COPY_TRAILER."""
    fields = [_field(frame[name], kind) for name, kind in zip(columns, types, strict=True)]
    layout: list[tuple[str, Any]] = [("count", ">i2")]
    for position, field in enumerate(fields):
        layout += [(f"length{position}", ">i4"), (f"value{position}", field.value_type)]
    rows = np.empty(len(frame), dtype=layout)
    rows["count"] = len(columns)
    for position, field in enumerate(fields):
        rows[f"length{position}"] = field.lengths
        rows[f"value{position}"] = field.values
    laid = rows.view(np.uint8).reshape(len(frame), rows.dtype.itemsize)
    used = _used_bytes(rows, fields)
    return (laid[used] if used is not None else laid).tobytes()


class _Field:
    """One column's lengths (-1 for NULL) and values, each value in a slot of its widest."""

    def __init__(self, lengths: np.ndarray, values: np.ndarray, value_type: Any) -> None:
        self.lengths = lengths
        self.values = values
        self.value_type = value_type

    @property
    def width(self) -> int:
        return int(np.dtype(self.value_type).itemsize)

    def fills_its_slot(self) -> bool:
        """Every value is as wide as the slot (none is NULL or a shorter text)."""
        return bool((self.lengths == self.width).all())


def _field(series: pd.Series, kind: str) -> _Field:
    if kind == "text":
        return _text_field(series)
    nulls = series.isna().to_numpy()
    if kind == "date":
        days = series.to_numpy(dtype="datetime64[D]")
        values = np.where(nulls, 0, (days - _EPOCH).astype(np.int64))
    elif kind in ("int8", "int4"):
        values = series.to_numpy(dtype=np.int64, na_value=0)
    else:
        values = series.to_numpy(dtype=np.float64, na_value=0.0)
    value_type = np.dtype(_FIXED[kind])
    lengths = np.where(nulls, _NULL, value_type.itemsize)
    return _Field(lengths, values, value_type)


def _text_field(series: pd.Series) -> _Field:
    """Each distinct text encoded once (NULL as code -1, the table's last row)."""
    codes, uniques = pd.factorize(series)
    encoded = [str(value).encode() for value in uniques]
    width = max((len(text) for text in encoded), default=0)
    table = np.zeros((len(encoded) + 1, max(width, 1)), dtype=np.uint8)
    for position, text in enumerate(encoded):
        table[position, : len(text)] = np.frombuffer(text, dtype=np.uint8)
    sizes = np.array([*(len(text) for text in encoded), _NULL])
    return _Field(sizes[codes], table[codes], (np.uint8, table.shape[1]))


def _used_bytes(rows: np.ndarray, fields: Sequence[_Field]) -> np.ndarray | None:
    """Which bytes of the laid-out rows belong to the stream; None when all of them do
    (no NULL, every text of a column as long as the others)."""
    if all(field.fills_its_slot() for field in fields):
        return None
    used = np.ones((len(rows), rows.dtype.itemsize), dtype=bool)
    offset = _COUNT_BYTES
    for field in fields:
        offset += _LENGTH_BYTES
        width = field.width
        used[:, offset : offset + width] = np.arange(width) < field.lengths[:, None]
        offset += width
    return used
