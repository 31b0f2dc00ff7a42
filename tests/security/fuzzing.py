"""Shared hypothesis settings and value strategies of the fuzzers.

Derandomized so CI sees the same examples every run; examples are few because each one
is a real HTTP request or a real import.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

__all__ = [
    "FUZZ_SETTINGS",
    "LogRecorder",
    "hostile_text",
    "json_values",
    "recording_logs",
]

FUZZ_SETTINGS = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

HUGE = 200_000
TRICKY = (
    "",
    " ",
    "\x00",
    "\r\n",
    "\u202e",  # right-to-left override
    "\ufeff",
    "<!channel>",
    "<@U0ASKER>",
    "'; DROP TABLE snapshots; --",
    '=HYPERLINK("http://127.0.0.1")',
    "%s%s%n",
    '{"q":',
    "𝔠𝔞𝔠 🚀",
    "ค่า CAC เดือนที่แล้ว",
    "[" * 100_000,
    "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
)


def hostile_text() -> st.SearchStrategy[str]:
    """Unicode of every category (control characters included), known troublemakers and
    strings long enough to reach size limits."""
    return st.one_of(
        st.text(max_size=50),
        st.sampled_from(TRICKY),
        st.builds(
            lambda char, count: char * count, st.sampled_from("a\x00é🚀"), st.integers(1_000, HUGE)
        ),
    )


def json_values() -> st.SearchStrategy[Any]:
    """Any JSON value, shallow."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**63), max_value=2**64),
        st.floats(allow_nan=False),
        hostile_text(),
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=6,
    )


class LogRecorder(logging.Handler):
    """Every log record of the process, kept for assertions."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def tracebacks(self) -> list[str]:
        return [
            f"{record.name}: {record.getMessage()}"
            for record in self.records
            if record.exc_info or record.exc_text or "Traceback" in record.getMessage()
        ]


@contextmanager
def recording_logs() -> Iterator[LogRecorder]:
    root = logging.getLogger()
    recorder = LogRecorder()
    previous_level = root.level
    root.addHandler(recorder)
    root.setLevel(logging.DEBUG)
    try:
        yield recorder
    finally:
        root.removeHandler(recorder)
        root.setLevel(previous_level)
