"""`funnelbot ask` and `funnelbot chat` as people and scripts run them (mostly subprocesses)."""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from bot.cli._ask import run_chat
from bot.core.config import load_settings
from tests.cli import run_funnelbot
from tests.conftest import Store
from tests.metrics.rows import put, row

AS_OF = ("--as-of", "2026-11-25")


def funnelbot(
    store: Store | str, cwd: Path, *arguments: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`funnelbot ARGUMENTS --database-url URL` (a store's URL, or a URL itself)."""
    url = store if isinstance(store, str) else store.url
    settings = {"FUNNELBOT_CURRENCY": "EUR", "COLUMNS": "120"}
    return run_funnelbot(url, cwd, *arguments, stdin=stdin, extra_env=settings)


@pytest.fixture
def filled(store: Store) -> Store:
    put(
        store.engine,
        [
            row("2026-07-03", channel="paid_search", marketing_spend=30_000.0,
                sales_spend=20_000.0, new_customers=100),
            row("2026-04-10", channel="paid_search", marketing_spend=20_000.0,
                sales_spend=10_000.0, new_customers=75),
            row("2026-08-01", channel="organic", marketing_spend=1_000.0, sales_spend=0.0,
                new_customers=10),
        ],
    )  # fmt: skip
    return store


def test_ask_prints_the_figure_and_the_reading(filled: Store, tmp_path: Path) -> None:
    done = funnelbot(filled, tmp_path, "ask", "CAC last quarter for paid search?", *AS_OF)
    assert done.returncode == 0, done.stderr
    assert "Customer acquisition cost: EUR 500" in done.stdout
    assert "▲ +EUR 100 (+25.0%) vs Q2 2026 (EUR 400)" in done.stdout
    assert "Understood: Customer acquisition cost (cac) · paid search · Q3 2026" in done.stdout


def test_ask_json_is_the_answer_of_the_interface(filled: Store, tmp_path: Path) -> None:
    done = funnelbot(filled, tmp_path, "ask", "cac q3 2026 by channel", "--json", *AS_OF)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["metric"] == "cac"
    assert answer["period"] == {"start": "2026-07-01", "end": "2026-09-30", "label": "Q3 2026"}
    assert answer["value"] == pytest.approx(51_000 / 110)
    assert {item["group"]["channel"] for item in answer["breakdown"]} == {
        "organic",
        "paid_search",
    }


def test_ask_json_of_a_trend_is_its_documented_variant(filled: Store, tmp_path: Path) -> None:
    done = funnelbot(filled, tmp_path, "ask", "trend cac q3 2026", "--json", *AS_OF)
    assert done.returncode == 0, done.stderr
    trend = json.loads(done.stdout)
    assert (trend["intent"], trend["grain"]) == ("trend", "week")
    assert trend["points"][0]["period"]["start"] == "2026-07-01"


@pytest.mark.parametrize(
    "question",
    ["", "cac from tiktok", "{{7*7}}", "cac; drop table snapshots", "x" * 10_000, "\x1b[2Jcac"],
    ids=["empty", "unknown channel", "template", "sql", "10 kB", "control"],
)
def test_an_unanswerable_question_exits_1_with_a_reason(tmp_path: Path, question: str) -> None:
    # Refusals do not depend on the database: one new SQLite file is enough.
    done = funnelbot(f"sqlite:///{tmp_path / 'new.db'}", tmp_path, "ask", question, *AS_OF)
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0].startswith("error: Sorry, ")
    assert "Try for example:" in lines
    assert "Traceback" not in done.stderr


def test_chat_answers_until_quit(filled: Store, tmp_path: Path) -> None:
    session = "cac q3 2026 from paid search\nchrun\n\nfoo bar baz qux\nquit\nnever asked\n"
    done = funnelbot(filled, tmp_path, "chat", *AS_OF, stdin=session)
    assert done.returncode == 0, done.stderr
    assert "Customer acquisition cost: EUR 500" in done.stdout
    assert "read 'chrun' as 'churn'" in done.stdout
    assert "Sorry, I did not understand" in done.stdout
    assert "never asked" not in done.stdout


def test_chat_ends_at_end_of_input(tmp_path: Path) -> None:
    done = funnelbot(f"sqlite:///{tmp_path / 'new.db'}", tmp_path, "chat", *AS_OF, stdin="help\n")
    assert done.returncode == 0, done.stderr
    assert "Try for example:" in done.stdout


def typed(*lines: str, then: BaseException) -> Callable[[str], str]:
    """What a person types at the prompt, ending with Ctrl-D (EOFError) or Ctrl-C."""
    pending = list(lines)

    def read(prompt: str) -> str:
        assert prompt == "funnel> "
        if pending:
            return pending.pop(0)
        raise then

    return read


@pytest.mark.parametrize("end", [EOFError(), KeyboardInterrupt()], ids=["ctrl-d", "ctrl-c"])
def test_run_chat_ends_on_ctrl_d_or_ctrl_c(filled: Store, end: BaseException) -> None:
    console = Console(record=True, width=120, color_system=None, file=io.StringIO())
    settings = load_settings(database_url=filled.url)
    read = typed("cac q3 2026 from paid search", "metrics", then=end)
    run_chat(filled.engine, settings, date(2026, 11, 25), console, read=read)
    shown = console.export_text()
    assert "Customer acquisition cost: USD 500" in shown
    assert "ltv_cac" in shown


def test_chat_asks_back_and_a_number_chooses(filled: Store) -> None:
    console = Console(record=True, width=120, color_system=None, file=io.StringIO())
    settings = load_settings(database_url=filled.url)
    read = typed("cost q3 2026 for paid search", "1", then=EOFError())
    run_chat(filled.engine, settings, date(2026, 11, 25), console, read=read)
    shown = console.export_text()
    assert "which one did you mean?" in shown
    assert "  1. Customer acquisition cost" in shown
    assert "Type a number to choose." in shown
    assert "Customer acquisition cost: USD 500" in shown


def test_ask_back_exits_1_listing_each_reading_as_a_command(filled: Store, tmp_path: Path) -> None:
    done = funnelbot(filled, tmp_path, "ask", "cost q3 2026 for paid search", *AS_OF)
    assert done.returncode == 1
    assert "which one did you mean?" in done.stderr
    assert "Customer acquisition cost: funnelbot ask 'cac q3 2026 for paid search'" in done.stderr


def test_ranking_names_the_winner_first(filled: Store, tmp_path: Path) -> None:
    done = funnelbot(filled, tmp_path, "ask", "cheapest channel to acquire customers in q3", *AS_OF)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1] == "Lowest: organic, EUR 100"
    assert "Customer acquisition cost: EUR" in lines[2]


EMPTY_HINT = "The store has no data yet, so every figure is n/a: load the demo data with"


def test_ask_in_an_empty_store_says_to_load_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    done = funnelbot(url, tmp_path, "ask", "funnel last month", *AS_OF)
    assert done.returncode == 0, done.stderr
    assert EMPTY_HINT in done.stdout.replace("\n", " ")
    as_json = funnelbot(url, tmp_path, "ask", "cac last month", "--json", *AS_OF)
    assert json.loads(as_json.stdout)["value"] is None
    assert as_json.stderr.startswith(f"note: {EMPTY_HINT}")
    refused = funnelbot(url, tmp_path, "ask", "cac for paid search last month", *AS_OF)
    assert refused.returncode == 1
    assert "`funnelbot demo` or your own with `funnelbot import FILE`." in refused.stderr
