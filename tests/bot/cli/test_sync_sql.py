"""`funnelbot sync NAME`, `sync all`, `sources` and `config check` for SQL sources, as an
operator runs them against a real PostgreSQL or MariaDB warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import run_funnelbot
from tests.conftest import Store
from tests.sources.warehouses import Warehouse, mariadb_available, warehouse
from tests.storage.csvs import stored_rows

__all__ = ["mariadb_available", "warehouse"]


def _config(tmp_path: Path, warehouse: Warehouse, spend_query: str | None = None) -> Path:
    funnel = warehouse.table("funnel")
    warehouse.execute(
        f"CREATE TABLE {funnel} (day DATE, channel VARCHAR(30), leads INTEGER, mqls INTEGER)",
        f"INSERT INTO {funnel} VALUES ('2026-03-02', 'webinar', 40, 10)",
        f"INSERT INTO {funnel} VALUES ('2026-03-03', 'webinar', 30, NULL)",
    )
    text = (
        "[sources.funnel]\n"
        'kind = "sql"\n'
        'url_env = "WAREHOUSE_URL"\n'
        f'query = """\n  SELECT day AS period_start, channel, leads, mqls\n  FROM {funnel}\n'
        '  WHERE day >= :since\n"""\n'
        'schedule = "daily 03:00"\n'
    )
    if spend_query is not None:
        text += (
            f'\n[sources.spend]\nkind = "sql"\nurl = "{warehouse.url}"\nquery = "{spend_query}"\n'
        )
    path = tmp_path / "funnelbot.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _env(config: Path, warehouse: Warehouse) -> dict[str, str]:
    return {"FUNNELBOT_CONFIG": str(config), "WAREHOUSE_URL": warehouse.url}


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_sync_all_runs_both_sql_sources_and_sources_lists_them(
    store: Store, warehouse: Warehouse, tmp_path: Path
) -> None:
    spend = (
        "SELECT DATE '2026-03-02' AS period_start, 'webinar' AS channel, 1250.5 AS marketing_spend"
    )
    config = _config(tmp_path, warehouse, spend)
    synced = run_funnelbot(store.url, tmp_path, "sync", "all", extra_env=_env(config, warehouse))
    assert synced.returncode == 0, synced.stderr
    assert synced.stdout.splitlines() == [
        "funnel: read 2 rows of leads, mqls from the query (all of its history)",
        "funnel: 2 rows written (2 new, 0 replaced) for 2026-03-02 to 2026-03-03",
        "spend: read 1 rows of marketing_spend from the query (all of its history)",
        "spend: 1 rows written (0 new, 1 replaced) for 2026-03-02 to 2026-03-02",
    ]
    [first, second] = stored_rows(store.engine)
    assert (first["leads"], first["mqls"], first["marketing_spend"]) == (40, 10, 1250.5)
    assert (second["leads"], second["mqls"], second["marketing_spend"]) == (30, None, None)
    answered = run_funnelbot(
        store.url, tmp_path, "query", "marketing_spend", "--period", "2026-03-02", "--json"
    )
    assert answered.returncode == 0, answered.stderr
    assert '"value": 1250.5' in answered.stdout
    listed = run_funnelbot(store.url, tmp_path, "sources", extra_env=_env(config, warehouse))
    assert listed.returncode == 0, listed.stderr
    assert [line.split()[1] for line in listed.stdout.splitlines() if "succeeded" in line] == [
        "funnel",
        "spend",
    ]
    again = run_funnelbot(
        store.url, tmp_path, "sync", "funnel", "--dry-run", extra_env=_env(config, warehouse)
    )
    assert again.returncode == 0, again.stderr
    assert "(since 2026-" in again.stdout and "dry run: nothing was written" in again.stdout


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_an_invalid_row_exits_1_with_one_line_and_writes_nothing(
    store: Store, warehouse: Warehouse, tmp_path: Path
) -> None:
    config = _config(tmp_path, warehouse)
    warehouse.execute(f"INSERT INTO {warehouse.table('funnel')} VALUES ('2026-03-04', 'x', -1, 0)")
    failed = run_funnelbot(store.url, tmp_path, "sync", "funnel", extra_env=_env(config, warehouse))
    assert failed.returncode == 1
    assert failed.stderr.splitlines() == [
        "error: funnel: the query returned invalid rows (1 errors): row 3, column leads: negative "
        "value -1; nothing was written"
    ]
    assert stored_rows(store.engine) == []


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_writing_query_and_an_unset_url_are_named_before_anything_runs(
    store: Store, warehouse: Warehouse, tmp_path: Path
) -> None:
    config = _config(tmp_path, warehouse, "DELETE FROM snapshots")
    env = {"FUNNELBOT_CONFIG": str(config)}
    checked = run_funnelbot(store.url, tmp_path, "config", "check", extra_env=env)
    assert checked.returncode == 1
    assert "sources.spend.query: the query starts with DELETE" in checked.stderr
    failed = run_funnelbot(store.url, tmp_path, "sync", "funnel", extra_env=env)
    assert failed.returncode == 1
    assert failed.stderr.splitlines() == [
        "error: funnel: funnel is not configured: WAREHOUSE_URL (its url_env) is not set; "
        "nothing was written"
    ]
    unknown = run_funnelbot(store.url, tmp_path, "sync", "nope", extra_env=env)
    assert unknown.returncode == 1
    assert "the sources are: stripe, hubspot, funnel, spend, all" in unknown.stderr


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_broken_query_and_an_unreachable_server_exit_1_and_leave_the_store_as_it_was(
    store: Store, warehouse: Warehouse, tmp_path: Path
) -> None:
    config = _config(tmp_path, warehouse)
    env = _env(config, warehouse)
    synced = run_funnelbot(store.url, tmp_path, "sync", "funnel", extra_env=env)
    assert synced.returncode == 0, synced.stderr
    before = stored_rows(store.engine)
    warehouse.execute(f"DROP TABLE {warehouse.table('funnel')}")
    broken = run_funnelbot(store.url, tmp_path, "sync", "funnel", extra_env=env)
    assert broken.returncode == 1
    [line] = broken.stderr.splitlines()
    assert line.startswith("error: funnel: the query failed on ") and "funnel" in line
    assert line.endswith("; nothing was written") and "Traceback" not in broken.stderr
    closed = "5999" if warehouse.dialect == "postgresql" else "3999"
    down = warehouse.url.replace(":5432/", f":{closed}/").replace(":3306/", f":{closed}/")
    unreachable = run_funnelbot(
        store.url, tmp_path, "sync", "funnel", extra_env={**env, "WAREHOUSE_URL": down}
    )
    assert unreachable.returncode == 1
    [line] = unreachable.stderr.splitlines()
    assert line.startswith("error: funnel: cannot reach the database at ") and closed in line
    assert stored_rows(store.engine) == before
    listed = run_funnelbot(store.url, tmp_path, "sources", extra_env=env)
    assert "failed" in listed.stdout and "refused" in listed.stdout  # the table wraps the reason
