"""How a corpus row writes a query's comparison, shared by the English and i18n corpora."""

from __future__ import annotations

from metrics.query import CompareKind, Query

__all__ = ["comparison_text"]


def comparison_text(query: Query) -> str:
    """ "previous", "yoy", "none", or "START..END" for an explicit period."""
    if query.compare.kind is CompareKind.PERIOD:
        assert query.compare.period is not None
        return f"{query.compare.period.start}..{query.compare.period.end}"
    return query.compare.kind.value
