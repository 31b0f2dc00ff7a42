"""`funnelbot query` as scripts run it: a subprocess against the test store."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bot.i18n.formatting import format_value
from metrics.catalog import Unit
from tests.cli import run_funnelbot
from tests.conftest import Store
from tests.metrics.rows import put, row


def _funnelbot(url: str, cwd: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return run_funnelbot(url, cwd, *arguments)


@pytest.fixture
def filled(store: Store) -> Store:
    put(
        store.engine,
        [
            row("2026-07-03", channel="paid_search", marketing_spend=30_000.0, sales_spend=20_000.0,
                new_customers=100),
            row("2026-08-03", channel="paid_search", marketing_spend=20_000.0, sales_spend=12_500.0,
                new_customers=100),
            row("2026-08-03", channel="organic", marketing_spend=1000.0, sales_spend=0.0,
                new_customers=10),
            row("2026-05-03", channel="paid_search", marketing_spend=38_000.0, sales_spend=0.0,
                new_customers=100),
        ],
    )  # fmt: skip
    return store


def test_json_answer_matches_the_interface(filled: Store, tmp_path: Path) -> None:
    (tmp_path / "funnelbot.toml").write_text("[targets]\ncac = { max = 400 }\n")
    arguments = ("--period", "2026-Q3", "--where", "channel=Paid Search", "--json")
    result = _funnelbot(filled.url, tmp_path, "query", "cac", *arguments)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["metric"] == "cac"
    assert data["period"] == {"start": "2026-07-01", "end": "2026-09-30", "label": "Q3 2026"}
    assert data["filters"] == {"channel": ["paid_search"]}
    assert data["value"] == pytest.approx(412.5)
    assert data["inputs"] == {"marketing_spend": 50_000.0, "sales_spend": 32_500.0,
                              "new_customers": 200}  # fmt: skip
    assert data["comparison"]["period"]["label"] == "Q2 2026"
    assert data["comparison"]["value"] == pytest.approx(380.0)
    assert data["comparison"]["change"] == pytest.approx(32.5)
    assert data["comparison"]["better"] is False
    assert data["breakdown"] is None
    assert data["benchmarks"][0]["status"] == "within"
    assert data["target"]["status"] == "missed"


def test_default_period_is_the_last_complete_month_and_breakdown_works(
    filled: Store, tmp_path: Path
) -> None:
    result = _funnelbot(
        filled.url, tmp_path, "query", "new_customers", "--as-of", "2026-09-10", "--by", "channel",
        "--compare", "none", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["period"]["label"] == "August 2026"
    assert data["comparison"] is None
    assert [(item["group"]["channel"], item["value"]) for item in data["breakdown"]] == [
        ("paid_search", 100),
        ("organic", 10),
    ]
    text = _funnelbot(filled.url, tmp_path, "query", "cac", "--as-of", "2026-09-10")
    assert text.returncode == 0, text.stderr
    assert (
        "Understood: Customer acquisition cost (cac) · August 2026 (1 Aug – 31 Aug 2026)"
        " vs July 2026"
    ) in text.stdout
    assert format_value(33_500 / 110, Unit.CURRENCY, "USD") in text.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("query", "cak"), "error: unknown metric 'cak'; did you mean cac"),
        (("query", "cac", "--where", "region=emea"), "error: --where takes channel=NAME"),
        (("query", "cac", "--period", "someday"), "error: cannot read the period 'someday'"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(
    tmp_path: Path, arguments: tuple[str, ...], message: str
) -> None:
    """Refused before the store is opened, so one database is enough."""
    result = _funnelbot(f"sqlite:///{tmp_path / 'unused.db'}", tmp_path, *arguments)
    assert result.returncode == 1
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "period", ["2026-07-01 to 2026-09-30", "from 1 jul to 30 sep 2026", "q3/2026", "Q3 2026"]
)
def test_period_takes_every_form_a_question_takes(
    filled: Store, tmp_path: Path, period: str
) -> None:
    arguments = ("--period", period, "--as-of", "2026-11-25", "--json")
    result = _funnelbot(filled.url, tmp_path, "query", "cac", *arguments)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["period"]["start"] == "2026-07-01"
    assert json.loads(result.stdout)["period"]["end"] == "2026-09-30"


def test_an_unreadable_period_exits_1(filled: Store, tmp_path: Path) -> None:
    result = _funnelbot(filled.url, tmp_path, "query", "cac", "--period", "cac in march")
    assert result.returncode == 1
    assert "cannot read the period 'cac in march'" in result.stderr


def test_an_unknown_filter_value_exits_1_with_a_did_you_mean(filled: Store, tmp_path: Path) -> None:
    result = _funnelbot(filled.url, tmp_path, "query", "cac", "--where", "channel=paid_serch")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "no channel called 'paid_serch' in the store; did you mean paid_search" in result.stderr


EMPTY_HINT = "The store has no data yet, so every figure is n/a: load the demo data with"


def test_an_empty_store_says_to_load_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    text = _funnelbot(url, tmp_path, "query", "cac", "--as-of", "2026-11-25")
    assert text.returncode == 0, text.stderr
    assert "n/a: no snapshots in October 2026" in text.stdout
    assert f"{EMPTY_HINT} `funnelbot demo` or your own with `funnelbot import FILE`." in (
        text.stdout.replace("\n", " ")
    )
    as_json = _funnelbot(url, tmp_path, "query", "cac", "--as-of", "2026-11-25", "--json")
    assert json.loads(as_json.stdout)["value"] is None
    assert as_json.stderr.startswith(f"note: {EMPTY_HINT}")


def test_a_store_with_data_gives_no_such_note(filled: Store, tmp_path: Path) -> None:
    # October 2026 has no rows, but the store is not empty.
    done = _funnelbot(filled.url, tmp_path, "query", "cac", "--as-of", "2026-11-25", "--json")
    assert json.loads(done.stdout)["value"] is None
    assert done.stderr == ""
