"""Validation of snapshot CSV rows (docs/data.md), vectorised over one chunk of cells as the CSV
reader returns them (key columns as text, measures as numbers when they all parse).

Every message an import can report is written here, so the wording lives in one place.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from storage.columns import ALL_COLUMNS, KEY_COLUMNS, MEASURE_COLUMNS, ValueType

__all__ = [
    "EXTRA_FIELDS",
    "HEADER_LINE",
    "MAX_NAME_LENGTH",
    "Finding",
    "Findings",
    "KeyLedger",
    "ParsedChunk",
    "WarningGroup",
    "Warnings",
    "check_header",
    "header_names",
    "parse_chunk",
]

HEADER_LINE = 1
# Fields a malformed record may have beyond the header, read so they can be reported.
EXTRA_FIELDS = 8
MAX_NAME_LENGTH = 100
# Rows listed by line number for each kind of warning.
FIRST_LINES = 5
MAX_COUNT = 10**15
CENT = 0.01
UNATTRIBUTED = "unattributed"
NAME_COLUMNS = ("channel", "segment")
STAGES = ("visitors", "leads", "mqls", "sqls", "opportunities")
NOT_ABOVE = (
    ("emails_opened", "emails_sent"),
    ("emails_clicked", "emails_sent"),
    ("trials_converted", "trials_started"),
)
_COUNTS = frozenset(c.name for c in MEASURE_COLUMNS if c.value_type is ValueType.COUNT)
_KNOWN = frozenset(ALL_COLUMNS)


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One error or warning: the CSV line (1 is the header), the column, what is wrong."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}, column {self.column}" if self.column else f"line {self.line}"
        return f"{where}: {self.message}"


class Findings:
    """Findings of one kind for a whole file: the total count and the first `cap` by line."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.count = 0
        self._kept: list[Finding] = []

    def add(self, finding: Finding) -> None:
        self.count += 1
        self._kept.append(finding)
        self._trim_when_large()

    def add_rows(
        self,
        mask: np.ndarray,
        lines: np.ndarray,
        column: str,
        message_at: Callable[[int], str],
    ) -> None:
        """A finding for each row where `mask` holds; messages are built for the first few only."""
        positions = np.flatnonzero(mask)
        self.count += len(positions)
        self._kept.extend(
            Finding(int(lines[p]), column, message_at(int(p))) for p in positions[: self.cap]
        )
        self._trim_when_large()

    def first(self) -> tuple[Finding, ...]:
        return tuple(sorted(self._kept)[: self.cap])

    def _trim_when_large(self) -> None:
        if len(self._kept) > 4 * self.cap:
            self._kept = sorted(self._kept)[: self.cap]


@dataclass(frozen=True, slots=True)
class WarningGroup:
    """The rows of a file with one kind of warning: how many, and the first few."""

    kind: str
    count: int
    first: tuple[Finding, ...]

    @property
    def summary(self) -> str:
        """ "sqls larger than mqls: 40 rows, lines 2, 5, 8, 11, 14 and 35 more"."""
        lines = ", ".join(str(finding.line) for finding in self.first)
        rows = f"{self.count} row" if self.count == 1 else f"{self.count} rows"
        where = f"line {lines}" if len(self.first) == 1 else f"lines {lines}"
        more = self.count - len(self.first)
        return f"{self.kind}: {rows}, {where}" + (f" and {more} more" if more else "")


class Warnings:
    """Warnings for a whole file by kind, in the order the rules run: per kind the count
    and the first FIRST_LINES rows, so a frequent kind never hides a rare one."""

    def __init__(self) -> None:
        self._kinds: dict[str, Findings] = {}

    def of(self, kind: str) -> Findings:
        return self._kinds.setdefault(kind, Findings(FIRST_LINES))

    @property
    def count(self) -> int:
        return sum(findings.count for findings in self._kinds.values())

    def groups(self) -> tuple[WarningGroup, ...]:
        return tuple(
            WarningGroup(kind, findings.count, findings.first())
            for kind, findings in self._kinds.items()
            if findings.count
        )


def header_names(header: Sequence[str]) -> list[str]:
    """Column names as the importer reads them: trimmed, lower-case."""
    return [name.strip().lower() for name in header]


def check_header(header: Sequence[str], errors: Findings) -> list[str]:
    """The normalised column names; unknown, duplicate and missing key columns are errors."""
    names = header_names(header)
    for position, name in enumerate(names):
        if name not in _KNOWN:
            errors.add(Finding(HEADER_LINE, name or f"#{position + 1}", "unknown column"))
        elif name in names[:position]:
            errors.add(Finding(HEADER_LINE, name, "the column appears more than once"))
    if "period_start" not in names:
        errors.add(Finding(HEADER_LINE, "period_start", "missing required key column"))
    return names


@dataclass(frozen=True, slots=True)
class ParsedChunk:
    """Typed rows (ALL_COLUMNS; NULL as NA/NaN) and their CSV line numbers."""

    frame: pd.DataFrame
    lines: np.ndarray


def parse_chunk(
    raw: pd.DataFrame, names: Sequence[str], errors: Findings, warnings: Warnings | None
) -> ParsedChunk:
    """Convert one chunk of text cells (columns by position, index = record number);
    `warnings` None skips the warning rules (rows already validated)."""
    cells = _named_cells(raw, names)
    extra_fields = raw.iloc[:, len(names) :].notna().any(axis=1)
    not_blank = (_filled(cells).any(axis=1) | extra_fields).to_numpy()
    cells = cells[not_blank]
    lines = cells.index.to_numpy() + HEADER_LINE + 1
    errors.add_rows(
        extra_fields.to_numpy()[not_blank], lines, "", lambda _: _too_many_fields(len(names))
    )
    frame = pd.DataFrame(index=cells.index)
    check = _Checker(cells, lines, errors)
    frame["period_start"] = check.date("period_start", required=True)
    period_end = check.date("period_end", required=False)
    frame["period_end"] = period_end.mask(check.empty("period_end"), frame["period_start"])
    check.end_not_before_start(frame["period_start"], frame["period_end"])
    for name in NAME_COLUMNS:
        frame[name] = check.name(name)
    for column in MEASURE_COLUMNS:
        frame[column.name] = check.number(column.name, is_count=column.name in _COUNTS)
    check.not_above(frame)
    if warnings is not None:
        _warn(frame, lines, warnings)
    return ParsedChunk(frame.reset_index(drop=True), lines)


def _named_cells(raw: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """The known columns by name: key columns as text ("" when empty), measures as the
    parser read them (numbers when the whole chunk's column is numeric, else text or NaN)."""
    first_position = {name: names.index(name) for name in dict.fromkeys(names) if name in _KNOWN}
    return pd.DataFrame(
        {
            name: raw.iloc[:, position].fillna("") if name in KEY_COLUMNS else raw.iloc[:, position]
            for name, position in first_position.items()
        },
        index=raw.index,
    )


def _filled(cells: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            name: cells[name] != "" if name in KEY_COLUMNS else cells[name].notna()
            for name in cells.columns
        },
        index=cells.index,
    )


def _by_unique(text: pd.Series, convert: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """`convert` applied to the distinct cells only (dates and names repeat a lot)."""
    return _Distinct.of(text).apply(convert)


@dataclass(frozen=True, slots=True)
class _Distinct:
    """A column of text cells as codes into its distinct cells, stripped of spaces."""

    index: pd.Index
    codes: np.ndarray
    cells: pd.Series

    @classmethod
    def of(cls, text: pd.Series) -> _Distinct:
        codes, uniques = pd.factorize(text)
        return cls(text.index, codes, pd.Series(uniques, dtype=object).str.strip())

    def apply(self, convert: Callable[[pd.Series], pd.Series]) -> pd.Series:
        return pd.Series(convert(self.cells).to_numpy()[self.codes], index=self.index)


class _Checker:
    """Rules over raw cells; surrounding spaces are ignored and a blank cell is NULL."""

    def __init__(self, cells: pd.DataFrame, lines: np.ndarray, errors: Findings) -> None:
        self.cells = cells
        self.lines = lines
        self.errors = errors
        self._distinct: dict[str, _Distinct] = {}

    def _text(self, column: str) -> pd.Series:
        if column in self.cells:
            return self.cells[column]
        return pd.Series("", index=self.cells.index, dtype=object)

    def _unique(self, column: str) -> _Distinct:
        """The column's distinct cells, factorised once for all its rules."""
        found = self._distinct.get(column)
        if found is None:
            found = self._distinct[column] = _Distinct.of(self._text(column))
        return found

    def _flag(
        self, mask: pd.Series | np.ndarray, column: str, message_at: Callable[[int], str]
    ) -> None:
        flags = mask.to_numpy(dtype=bool) if isinstance(mask, pd.Series) else mask
        self.errors.add_rows(flags, self.lines, column, message_at)

    def empty(self, column: str) -> pd.Series:
        return self._unique(column).apply(lambda cells: cells == "").astype(bool)

    def date(self, column: str, *, required: bool) -> pd.Series:
        text = self._text(column)
        parsed = self._unique(column).apply(
            lambda cells: pd.to_datetime(cells, format="%Y-%m-%d", errors="coerce")
        )
        empty = self.empty(column)
        if required and column in self.cells:
            self._flag(empty, column, lambda _: "missing value (a date like 2026-03-31)")
        self._flag(
            ~empty & parsed.isna(),
            column,
            lambda p: f"not a date: {text.iloc[p]!r} (write YYYY-MM-DD)",
        )
        return parsed

    def end_not_before_start(self, start: pd.Series, end: pd.Series) -> None:
        self._flag(
            end < start,
            "period_end",
            lambda p: f"{end.iloc[p]:%Y-%m-%d} is before period_start {start.iloc[p]:%Y-%m-%d}",
        )

    def name(self, column: str) -> pd.Series:
        names = _by_unique(self._text(column), _normalized_names)
        self._flag(
            names.str.len() > MAX_NAME_LENGTH,
            column,
            lambda _: f"longer than {MAX_NAME_LENGTH} characters",
        )
        return names

    def number(self, column: str, *, is_count: bool) -> pd.Series:
        index = self.cells.index
        if column not in self.cells:
            if is_count:
                nothing = np.zeros(len(index), dtype=np.int64)
                unknown = pd.arrays.IntegerArray(nothing, np.ones(len(index), dtype=bool))
                return pd.Series(unknown, index=index)
            return pd.Series(np.full(len(index), np.nan), index=index)
        numbers, filled, quote = _numbers(self.cells[column])
        values = numbers.to_numpy(dtype=np.float64)
        present = filled.to_numpy(dtype=bool)
        finite = np.isfinite(values)
        self._flag(present & ~finite, column, lambda p: _not_a_number(quote(p), is_count=is_count))
        with np.errstate(invalid="ignore"):
            self._flag(finite & (values < 0), column, lambda p: f"negative value {quote(p)}")
            if not is_count:
                return pd.Series(np.where(finite, values, np.nan), index=index)
            fraction = finite & (np.floor(values) != values)
            too_large = finite & (values > MAX_COUNT)
        self._flag(fraction, column, lambda p: f"a count must be a whole number, not {quote(p)}")
        self._flag(too_large, column, lambda p: f"{quote(p)} is too large")
        whole = finite & ~fraction & ~too_large
        counts = np.where(whole, values, 0).astype(np.int64)
        return pd.Series(pd.arrays.IntegerArray(counts, ~whole), index=index)

    def not_above(self, frame: pd.DataFrame) -> None:
        for part, whole in NOT_ABOVE:
            above = (frame[part] > frame[whole]).fillna(False)
            self._flag(above, part, _larger_message(frame, part, "more than", whole))


def _larger_message(
    frame: pd.DataFrame, column: str, relation: str, other: str
) -> Callable[[int], str]:
    def message_at(position: int) -> str:
        value, other_value = frame[column].iloc[position], frame[other].iloc[position]
        return f"{column} ({value!s}) is {relation} {other} ({other_value!s})"

    return message_at


def _numbers(cells: pd.Series) -> tuple[pd.Series, pd.Series, Callable[[int], str]]:
    """Float values (NaN when blank or unreadable), which cells are not blank, and the text
    of a cell for messages. A column the CSV parser already read as numbers is used as is."""
    if cells.dtype.kind in "iuf":
        values = cells.astype("float64")
        return values, values.notna(), lambda position: f"{values.iloc[position]:.15g}"
    text = cells.astype(object).where(cells.notna(), "").astype(str)
    present = text.str.strip() != ""
    values = pd.to_numeric(text.where(present, ""), errors="coerce").astype("float64")
    return values, present, lambda position: str(text.iloc[position])


def _normalized_names(names: pd.Series) -> pd.Series:
    normalized = names.str.lower().str.replace(r"[\s-]+", "_", regex=True)
    return normalized.mask(normalized == "", UNATTRIBUTED)


def _too_many_fields(expected: int) -> str:
    return (
        f"more fields than the {expected} columns of the header "
        "(an unquoted comma, e.g. a thousands separator?)"
    )


def _not_a_number(text: str, *, is_count: bool) -> str:
    example = "1200" if is_count else "1200.50"
    return (
        f"not a number: {text!r} (write plain numbers like {example}, "
        "without currency symbols or thousands separators; leave the cell empty if unknown)"
    )


def _warn(frame: pd.DataFrame, lines: np.ndarray, warnings: Warnings) -> None:
    """Figures that do not add up, or a funnel stage larger than the one before it: real
    data has attribution quirks (a lead from a visit in an earlier period), so these are
    reported by kind and the rows imported."""

    def flag(mask: pd.Series, kind: str, column: str, message_at: Callable[[int], str]) -> None:
        warnings.of(kind).add_rows(
            mask.fillna(False).to_numpy(dtype=bool), lines, column, message_at
        )

    customers = frame["customers_start"] + frame["new_customers"] - frame["customers_churned"]
    flag(
        frame["customers_end"] != customers,
        "customers_end differs from customers_start + new_customers - customers_churned",
        "customers_end",
        lambda p: (
            f"{frame['customers_end'].iloc[p]} differs from customers_start + new_customers "
            f"- customers_churned = {customers.iloc[p]}"
        ),
    )
    mrr = (
        frame["mrr_start"]
        + frame["mrr_new"]
        + frame["mrr_expansion"]
        + frame["mrr_reactivation"]
        - frame["mrr_contraction"]
        - frame["mrr_churned"]
    )
    flag(
        (frame["mrr_end"] - mrr).abs() > CENT + 1e-9,
        "mrr_end differs from the MRR movements",
        "mrr_end",
        lambda p: (
            f"{frame['mrr_end'].iloc[p]:.2f} differs from the MRR movements ({mrr.iloc[p]:.2f})"
        ),
    )
    for earlier, later in itertools.pairwise(STAGES):
        flag(
            frame[later] > frame[earlier],
            f"{later} larger than {earlier}",
            later,
            _larger_message(frame, later, "larger than", earlier),
        )


class KeyLedger:
    """Keys of every row read so far, kept compact (ints) to find duplicates in a big file."""

    def __init__(self) -> None:
        self._name_codes: dict[str, int] = {}
        self._parts: list[pd.DataFrame] = []

    def add(self, chunk: ParsedChunk) -> None:
        frame = chunk.frame
        known = (frame["period_start"].notna() & frame["period_end"].notna()).to_numpy()
        self._parts.append(
            pd.DataFrame(
                {
                    "start": _day_numbers(frame["period_start"][known]),
                    "end": _day_numbers(frame["period_end"][known]),
                    "channel": self._codes(frame["channel"][known]),
                    "segment": self._codes(frame["segment"][known]),
                    "line": chunk.lines[known].astype(np.int64),
                }
            )
        )

    def report_duplicates(self, errors: Findings) -> None:
        if not self._parts:
            return
        keys = pd.concat(self._parts, ignore_index=True)
        key_columns = ["start", "end", "channel", "segment"]
        repeated = keys[keys.duplicated(subset=key_columns, keep=False)]
        first_line = repeated.groupby(key_columns)["line"].transform("min")
        later = repeated[repeated["line"] != first_line]
        names = list(self._name_codes)
        columns = [later[name].to_numpy() for name in (*key_columns, "line")]
        firsts = first_line[later.index].to_numpy()
        for start, end, channel, segment, line, first in zip(*columns, firsts, strict=True):
            key = f"({_day_text(start)}, {_day_text(end)}, {names[channel]}, {names[segment]})"
            errors.add(Finding(int(line), "", f"duplicate key {key}, first on line {first}"))

    def _codes(self, names: pd.Series) -> np.ndarray:
        local_codes, uniques = pd.factorize(names)
        codes = [self._name_codes.setdefault(str(name), len(self._name_codes)) for name in uniques]
        return np.asarray(codes, dtype=np.int32)[local_codes]


def _day_numbers(days: pd.Series) -> np.ndarray:
    return days.to_numpy(dtype="datetime64[D]").astype(np.int32)


def _day_text(day_number: int) -> str:
    return str(np.datetime64(int(day_number), "D"))
