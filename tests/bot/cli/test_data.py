"""`funnelbot import | export | demo` end to end, as a subprocess against both databases."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import insert

from bot.cli._showcase import SAMPLE_QUESTIONS
from storage.columns import ALL_COLUMNS
from storage.models import snapshots
from tests.conftest import Store
from tests.metrics.rows import row
from tests.storage.csvs import row_count, stored_rows, write_csv

FUNNELBOT = Path(sys.executable).parent / "funnelbot"
README = Path(__file__).parents[3] / "README.md"


def funnelbot(store: Store | str, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run the command against `store` (or a database URL)."""
    url = store if isinstance(store, str) else store.url
    return subprocess.run(
        [str(FUNNELBOT), *arguments, "--database-url", url],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr + result.stdout


def test_import_reports_counts_and_warnings(store: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "s.csv",
        "2026-03-01,,organic,smb,100,10,5,6,10",
        "2026-03-02,,organic,smb,100,10,5,2,10",
    )
    result = funnelbot(store, "import", str(path))
    assert result.returncode == 0, result.stderr
    assert f"imported {path}: 2 rows (2 inserted, 0 replaced)" in result.stdout
    assert "1 warning(s)" in result.stdout
    assert "sqls larger than mqls: 1 row, line 2" in result.stdout
    assert "line 2, column sqls: sqls (6) is larger than mqls (5)" in result.stdout
    again = funnelbot(store, "import", str(path))
    assert "(0 inserted, 2 replaced)" in again.stdout


def test_many_impossible_funnel_rows_are_summarised_per_kind(store: Store, tmp_path: Path) -> None:
    lines = [f"2026-03-{day:02d},,organic,smb,10,20,5,6,10" for day in range(1, 29)]
    result = funnelbot(store, "import", str(write_csv(tmp_path / "s.csv", *lines)))
    assert result.returncode == 0, result.stderr
    assert "56 warning(s)" in result.stdout
    assert "leads larger than visitors: 28 rows, lines 2, 3, 4, 5, 6 and 23 more" in result.stdout
    assert "sqls larger than mqls: 28 rows, lines 2, 3, 4, 5, 6 and 23 more" in result.stdout
    assert "line 2, column leads: leads (20) is larger than visitors (10)" in result.stdout
    assert "line 7," not in result.stdout
    assert row_count(store.engine) == 28


def test_a_bad_file_lists_every_error_on_stderr_and_writes_nothing(
    store: Store, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "s.csv",
        "2026-03-01,,organic,smb,100,10,5,2,$10",
        "2026-03-02,2026-03-01,organic,smb,100,10,5,2,10",
    )
    result = funnelbot(store, "import", str(path))
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"{path}: 2 error(s), nothing was written" in result.stderr
    assert "line 2, column marketing_spend: not a number: '$10'" in result.stderr
    assert "line 3, column period_end: 2026-03-01 is before period_start 2026-03-02" in (
        result.stderr
    )
    assert_clean(result)
    assert row_count(store.engine) == 0


def test_dry_run_counts_what_would_change_without_writing(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", "2026-03-01,,organic,smb,100,10,5,2,10")
    result = funnelbot(store, "import", str(path), "--dry-run")
    assert result.returncode == 0
    assert (
        f"{path} is valid: 1 rows (1 would be inserted, 0 replaced); nothing was written (dry run)"
    ) in result.stdout
    assert row_count(store.engine) == 0


def test_a_missing_file_or_a_non_csv_is_one_clean_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    missing = funnelbot(url, "import", str(tmp_path / "nope.csv"))
    binary = tmp_path / "sheet.csv"
    binary.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5\xff")
    not_csv = funnelbot(url, "import", str(binary))
    assert (missing.returncode, not_csv.returncode) == (1, 1)
    assert missing.stderr == f"error: {tmp_path / 'nope.csv'} does not exist or is not a file\n"
    assert not_csv.stderr == f"error: {binary} is not a UTF-8 CSV file\n"
    assert_clean(missing)
    assert_clean(not_csv)


def test_export_to_stdout_and_to_a_file_round_trips(store: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "s.csv",
        "2026-02-28,,organic,smb,100,10,5,2,10.25",
        "2026-03-01,,Paid Search,smb,,10,5,2,",
    )
    funnelbot(store, "import", str(path))
    before = stored_rows(store.engine)
    printed = funnelbot(store, "export", "--period", "2026-03")
    assert printed.returncode == 0, printed.stderr
    lines = printed.stdout.splitlines()
    assert lines[0] == ",".join(ALL_COLUMNS)
    assert [line.split(",")[2] for line in lines[1:]] == ["paid_search"]
    out = tmp_path / "all.csv"
    written = funnelbot(store, "export", "--out", str(out))
    assert written.stderr == f"exported 2 rows to {out}\n"
    reimport = funnelbot(store, "import", str(out))
    assert "(0 inserted, 2 replaced)" in reimport.stdout
    assert stored_rows(store.engine) == before


def test_export_refuses_a_bad_period(tmp_path: Path) -> None:
    result = funnelbot(f"sqlite:///{tmp_path / 'store.db'}", "export", "--period", "2026-13")
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot read the period '2026-13'")
    assert_clean(result)


def test_demo_loads_once_and_summarises(store: Store) -> None:
    first = funnelbot(store, "demo", "--as-of", "2026-11-25")
    assert first.returncode == 0, first.stderr
    assert "loaded the demo data:" in first.stdout
    assert "dates:     2024-01-01 .. 2026-11-24" in first.stdout
    assert "channels:  organic, outbound, paid_search, paid_social, referral, webinar" in (
        first.stdout
    )
    assert "new customers in October 2026:" in first.stdout
    assert "paid_search's MQL→SQL rate went from" in first.stdout
    question, answer = readme_sample()
    assert question in SAMPLE_QUESTIONS
    shown = first.stdout.split(f"you: {question}", 1)[1].split("\nyou: ", 1)[0]
    # The README's sample answer is the demo's, line for line.
    assert shown.splitlines()[1 : len(answer) + 1] == answer
    rows = row_count(store.engine)
    second = funnelbot(store, "demo", "--as-of", "2026-11-25")
    assert second.returncode == 0
    assert "the store already has data; the demo data was not loaded" in second.stdout
    assert row_count(store.engine) == rows


def readme_sample() -> tuple[str, list[str]]:
    """The question and answer of the README's first code block (`/funnel QUESTION`)."""
    block = README.read_text(encoding="utf-8").split("```\n", 2)[1]
    first, _, *answer = block.rstrip("\n").splitlines()
    assert first.startswith("/funnel ")
    return first.removeprefix("/funnel "), answer


def test_rebuild_rollups_catches_up_with_rows_written_outside_funnelbot(store: Store) -> None:
    with store.engine.begin() as connection:
        connection.execute(
            insert(snapshots),
            [row(f"2026-03-{day:02d}", leads=day) for day in range(1, 32)],
        )
    asked = ("query", "leads", "--period", "2026-03", "--json")
    assert json.loads(funnelbot(store, *asked).stdout)["value"] is None  # no rollup yet
    rebuilt = funnelbot(store, "db", "rebuild-rollups")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "rebuilt" in rebuilt.stdout
    assert json.loads(funnelbot(store, *asked).stdout)["value"] == sum(range(1, 32))
