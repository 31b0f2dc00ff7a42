"""The SQL source's query, checked before it runs: one SELECT (or WITH … SELECT) statement,
nothing that writes, and no bound parameter but `:since`.

The check reads the text as SQL's lexer would: string literals, quoted identifiers and
comments are skipped, so a word inside them never counts. It is the first guard; the second
is the read-only transaction the statement runs in (sources/sql/reader.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import TextClause, text

from sources.texts import SqlErrors

__all__ = ["SINCE", "CheckedQuery", "QueryError", "check_query"]

SINCE = "since"
# Words that write, lock or change a session, anywhere outside literals and comments.
_FORBIDDEN = frozenset(
    {
        "insert",
        "update",
        "delete",
        "merge",
        "into",
        "create",
        "alter",
        "drop",
        "truncate",
        "grant",
        "revoke",
        "call",
        "exec",
        "execute",
        "copy",
        "lock",
        "set",
        "attach",
        "pragma",
    }
)
_FIRST_WORDS = frozenset({"select", "with"})
_SKIPPED = re.compile(
    r"""
      '(?:[^']|'')*'            # a string literal
    | "(?:[^"]|"")*"            # a quoted identifier
    | `(?:[^`]|``)*`            # a MySQL quoted identifier
    | \[[^\]]*\]                # a T-SQL quoted identifier
    | --[^\n]*                  # a line comment
    | \#[^\n]*                  # a MySQL line comment
    | /\*.*?\*/                 # a block comment
    | \$(?P<tag>\w*)\$.*?\$(?P=tag)\$  # a PostgreSQL dollar-quoted string
    """,
    re.VERBOSE | re.DOTALL,
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
_UNCLOSED = re.compile(r"""['"`]|/\*|\$\w*\$""")


class QueryError(ValueError):
    """The query is not a single read-only SELECT; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class CheckedQuery:
    """A query that passed the check, ready to execute; `uses_since` when it binds `:since`."""

    sql: str
    uses_since: bool

    def clause(self) -> TextClause:
        return text(self.sql)


def check_query(sql: str) -> CheckedQuery:
    """QueryError unless `sql` is one SELECT or WITH statement (a trailing `;` is allowed)."""
    body = sql.strip().removesuffix(";").strip()
    if not body:
        raise QueryError(SqlErrors.EMPTY_QUERY)
    bare = _SKIPPED.sub(" ", body)
    if _UNCLOSED.search(bare):
        raise QueryError(SqlErrors.UNCLOSED)
    if ";" in bare:
        raise QueryError(SqlErrors.SEVERAL_STATEMENTS)
    words = [word.lower() for word in _WORD.findall(bare.replace("(", " "))]
    if not words or words[0] not in _FIRST_WORDS:
        first = words[0].upper() if words else bare.split()[0]
        raise QueryError(SqlErrors.NOT_SELECT.format(first=first))
    forbidden = sorted(_FORBIDDEN.intersection(words))
    if forbidden:
        raise QueryError(SqlErrors.WRITES.format(word=forbidden[0].upper()))
    parameters = set(text(body).compile().params)
    unknown = sorted(parameters - {SINCE})
    if unknown:
        raise QueryError(SqlErrors.PARAMETERS.format(names=", ".join(f":{n}" for n in unknown)))
    return CheckedQuery(body, SINCE in parameters)
