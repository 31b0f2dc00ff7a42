"""What `funnelbot query` and `funnelbot ask` load and ask the store before they answer.

Every command pays for its imports on every run (docs/benchmarks.md, `## Start-up`), so the
heavy libraries a command does not use must stay out of its process, and a store already at
the newest schema costs one query to check, not an Alembic run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, event
from typer.testing import CliRunner

import bot.cli._query  # noqa: F401 - registers `query` on the app
from bot.cli import app
from tests.cli import MAIN, run_funnelbot
from tests.conftest import Store
from tests.metrics.rows import put, row

# Runs the CLI as its entry point does, then prints every module it imported on stderr.
LISTING_MODULES = f"""import sys
try:
    {MAIN}
finally:
    print(" ".join(sorted(sys.modules)), file=sys.stderr)
"""
NEVER_ON_THE_ANSWER_PATH = {
    "alembic",
    "pandas",
    "matplotlib",
    "slack_bolt",
    "slack_sdk",
    "sqlalchemy.orm",  # the answers read Core tables (storage/tables.py)
}
# Text output and the free-text reader need these; a JSON answer to a structured query not.
NOT_FOR_A_JSON_QUERY = {"rich", "bot.render.text", "bot.answers.conversation", "babel", "pythainlp"}


@pytest.fixture
def filled(store: Store) -> Store:
    put(
        store.engine,
        [
            row("2026-07-03", channel="paid_search", marketing_spend=30_000.0, sales_spend=0.0,
                new_customers=100),
            row("2026-04-03", channel="organic", marketing_spend=9_000.0, sales_spend=0.0,
                new_customers=10),
        ],
    )  # fmt: skip
    return store


def _imported(store: Store, cwd: Path, *arguments: str) -> tuple[str, set[str]]:
    """The command's standard output and the modules its process imported."""
    done = run_funnelbot(store.url, cwd, *arguments, program=LISTING_MODULES)
    assert done.returncode == 0, done.stderr
    return done.stdout, set(done.stderr.splitlines()[-1].split())


def _loaded(modules: set[str], packages: set[str]) -> set[str]:
    """The modules that are one of `packages` or inside one."""
    return {
        name
        for name in modules
        for package in packages
        if name == package or name.startswith(f"{package}.")
    }


def test_a_json_query_loads_no_migrations_dataframes_charts_slack_or_renderers(
    filled: Store, tmp_path: Path
) -> None:
    arguments = ("query", "cac", "--period", "2026-q3", "--json")
    output, modules = _imported(filled, tmp_path, *arguments)
    assert json.loads(output)["value"] == pytest.approx(300.0)
    assert _loaded(modules, NEVER_ON_THE_ANSWER_PATH | NOT_FOR_A_JSON_QUERY) == set()


def test_a_question_loads_no_migrations_dataframes_charts_or_slack(
    filled: Store, tmp_path: Path
) -> None:
    output, modules = _imported(
        filled, tmp_path, "ask", "cac last quarter", "--as-of", "2026-11-25"
    )
    assert "Customer acquisition cost" in output
    assert _loaded(modules, NEVER_ON_THE_ANSWER_PATH) == set()


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """Every SQL statement any engine runs while the test does."""
    seen: list[str] = []

    def record(*arguments: object) -> None:
        seen.append(str(arguments[2]))

    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)


def _query(store: Store, *arguments: str) -> None:
    done = CliRunner().invoke(app, ["query", "cac", *arguments, "--database-url", store.url])
    assert done.exit_code == 0, done.output


def test_a_query_checks_the_schema_with_one_statement_and_reads_names_only_to_check_a_filter(
    filled: Store, statements: list[str]
) -> None:
    _query(filled, "--period", "2026-q3", "--json")
    assert [text for text in statements if "alembic_version" in text] == [
        "SELECT version_num FROM alembic_version"
    ]
    assert not [text for text in statements if "DISTINCT" in text]
    statements.clear()
    _query(filled, "--period", "2026-q3", "--where", "channel=paid_search", "--json")
    assert len([text for text in statements if "DISTINCT" in text]) == 1
