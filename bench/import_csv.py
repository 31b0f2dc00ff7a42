"""Import benchmark: `funnelbot import` (the whole command, as a user runs it) against the
load a user could do without us, in the same run, back to back.

    .venv/bin/python bench/import_csv.py [--shape narrow|wide] [--rows N]
        [--postgres-url URL | --no-postgres] [--repeat N]

The baseline is the user's: a plain table with only the file's columns and the unique key
on (period_start, period_end, channel, segment), loaded with `csv.reader` +
`sqlite3.executemany` on SQLite and with `COPY ... FROM STDIN (FORMAT csv)` on PostgreSQL.

Shapes: `narrow` is the user's export of issue 15 (3 years of days x 30 channels x 30
segments = 986,400 rows at the default, 16 columns, `period_end` empty); `wide` is
`storage.demo.write_benchmark_csv` (3 years x channels x 3 segments, all 38 columns).
`--rows` trims either shape. Our import runs as a `funnelbot import` child process, timed
from spawn to exit, with its own peak RSS (`wait4`). CSVs are cached under bench/.data/.
"""

from __future__ import annotations

import argparse
import csv
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import text

from storage.columns import KEY_COLUMNS, ValueType, measure
from storage.demo import write_benchmark_csv
from storage.engine import make_engine, normalize_database_url
from storage.migrate import upgrade

DATA_DIR = Path(__file__).parent / ".data"
FUNNELBOT = Path(sys.executable).with_name("funnelbot")
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BATCH_ROWS = 50_000
BARE_TABLE = "bare_snapshots"

# The user's export (issue 15): 16 columns, no stocks, period_end left empty.
NARROW_COLUMNS = (
    "period_start",
    "period_end",
    "channel",
    "segment",
    "visitors",
    "leads",
    "mqls",
    "sqls",
    "opportunities",
    "deals_won",
    "deals_lost",
    "won_deal_value",
    "new_customers",
    "customers_churned",
    "marketing_spend",
    "sales_spend",
)
NARROW_DAYS = 3 * 365 + 1
NARROW_CHANNELS = 30
NARROW_SEGMENTS = 30
NARROW_END = date(2026, 10, 31)


@dataclass(frozen=True)
class Figures:
    database: str
    ours_seconds: float
    bare_seconds: float
    ours_peak_rss_mb: float

    @property
    def ratio(self) -> float:
        return self.ours_seconds / self.bare_seconds


def benchmark_csv(shape: str, rows: int | None) -> Path:
    count = rows if rows is not None else _default_rows(shape)
    path = DATA_DIR / f"{shape}_{count}.csv"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        if shape == "narrow":
            write_narrow_csv(partial, count)
        else:
            write_benchmark_csv(partial, count)
        partial.rename(path)
    return path


def _default_rows(shape: str) -> int:
    return NARROW_DAYS * NARROW_CHANNELS * NARROW_SEGMENTS if shape == "narrow" else 1_000_000


def write_narrow_csv(path: Path, rows: int) -> None:
    """The user's shape: day by day, every (channel, segment) pair of the day, until `rows`
    (3 years x 900 pairs is 986,400); the funnel narrows stage by stage."""
    pairs = [
        (f"channel_{c:02d}", f"segment_{s:02d}")
        for c in range(NARROW_CHANNELS)
        for s in range(NARROW_SEGMENTS)
    ]
    generator = np.random.default_rng(15)
    start = NARROW_END - timedelta(days=NARROW_DAYS - 1)
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(NARROW_COLUMNS)
        for offset in range(NARROW_DAYS):
            if written >= rows:
                break
            day = (start + timedelta(days=offset)).isoformat()
            count = min(len(pairs), rows - written)
            visitors = generator.integers(200, 5000, count)
            leads = generator.binomial(visitors, 0.05)
            mqls = generator.binomial(leads, 0.4)
            sqls = generator.binomial(mqls, 0.5)
            opportunities = generator.binomial(sqls, 0.6)
            won = generator.binomial(opportunities, 0.25)
            lost = generator.binomial(opportunities - won, 0.3)
            value = np.round(won * generator.uniform(2_000, 20_000, count), 2)
            churned = generator.binomial(5, 0.1, count)
            marketing = np.round(generator.uniform(50, 900, count), 2)
            sales = np.round(generator.uniform(20, 400, count), 2)
            for i in range(count):
                channel, segment = pairs[i]
                funnel = (visitors[i], leads[i], mqls[i], sqls[i], opportunities[i])
                deals = (won[i], lost[i], f"{value[i]:.2f}", won[i], churned[i])
                spend = (f"{marketing[i]:.2f}", f"{sales[i]:.2f}")
                out.writerow((day, "", channel, segment, *funnel, *deals, *spend))
            written += count


def _header(csv_path: Path) -> list[str]:
    with csv_path.open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def _plain_type(name: str, *, postgres: bool) -> str:
    if name in ("period_start", "period_end"):
        return "DATE"
    if name in KEY_COLUMNS:
        return "VARCHAR(100)"
    if measure(name).value_type is ValueType.COUNT:
        return "BIGINT"
    return "DOUBLE PRECISION" if postgres else "FLOAT"


def plain_table_ddl(columns: Sequence[str], *, postgres: bool) -> str:
    """The user's table: only the file's columns, and the unique key."""
    typed = ", ".join(f"{name} {_plain_type(name, postgres=postgres)}" for name in columns)
    key = ", ".join(name for name in KEY_COLUMNS if name in columns)
    return f"CREATE TABLE {BARE_TABLE} ({typed}, UNIQUE ({key}))"


def run_ours(url: str, csv_path: Path) -> tuple[float, float]:
    """Seconds of `funnelbot import` as a whole process, and its peak RSS in MB."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [str(FUNNELBOT), "import", str(csv_path), "--database-url", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    out, err = child.communicate()
    if child.returncode != 0:
        raise SystemExit(f"funnelbot import failed ({child.returncode}):\n{out}\n{err}")
    return seconds, usage.ru_maxrss / 1024


def bare_sqlite(db_path: Path, csv_path: Path) -> float:
    connection = sqlite3.connect(db_path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    header = _header(csv_path)
    connection.execute(plain_table_ddl(header, postgres=False))
    started = time.perf_counter()
    with csv_path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        placeholders = ", ".join("?" * len(header))
        sql = f"INSERT INTO {BARE_TABLE} ({', '.join(header)}) VALUES ({placeholders})"
        while batch := [
            [cell if cell != "" else None for cell in row]
            for _, row in zip(range(BATCH_ROWS), reader, strict=False)
        ]:
            connection.executemany(sql, batch)
    connection.commit()
    seconds = time.perf_counter() - started
    connection.close()
    return seconds


def bench_sqlite(csv_path: Path) -> Figures:
    with tempfile.TemporaryDirectory() as folder:
        bare = bare_sqlite(Path(folder) / "bare.db", csv_path)
        url = f"sqlite:///{Path(folder) / 'ours.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        ours, peak = run_ours(url, csv_path)
    return Figures("SQLite", ours, bare, peak)


@contextmanager
def postgres_schema(base_url: str, *, migrated: bool) -> Iterator[str]:
    """A fresh schema (migrated to our newest when `migrated`), and the URL reaching it."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = normalize_database_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    if migrated:
        engine = make_engine(rendered)
        upgrade(engine)
        engine.dispose()
    try:
        yield rendered
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def bare_copy(url: str, csv_path: Path) -> float:
    engine = make_engine(url)
    header = _header(csv_path)
    with engine.begin() as connection:
        connection.execute(text(plain_table_ddl(header, postgres=True)))
    started = time.perf_counter()
    with engine.begin() as connection:
        driver = connection.connection.driver_connection
        copy_sql = (
            f"COPY {BARE_TABLE} ({', '.join(header)}) FROM STDIN WITH (FORMAT csv, HEADER true)"
        )
        with (
            driver.cursor() as cursor,  # type: ignore[union-attr]
            cursor.copy(copy_sql) as copy,
            csv_path.open("rb") as handle,
        ):
            while block := handle.read(1 << 20):
                copy.write(block)
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds


def bench_postgres(base_url: str, csv_path: Path) -> Figures:
    with postgres_schema(base_url, migrated=False) as url:
        bare = bare_copy(url, csv_path)
    with postgres_schema(base_url, migrated=True) as url:
        ours, peak = run_ours(url, csv_path)
    return Figures("PostgreSQL", ours, bare, peak)


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=("narrow", "wide"), default="narrow")
    parser.add_argument("--rows", type=int, help="default: 986,400 narrow, 1,000,000 wide")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("TEST_DATABASE_URL", DEFAULT_POSTGRES_URL)
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each side, alternated")
    arguments = parser.parse_args()
    csv_path = benchmark_csv(arguments.shape, arguments.rows)
    size_mb = csv_path.stat().st_size / 1e6
    print(f"{csv_path.name}: {size_mb:.0f} MB, {len(_header(csv_path))} columns")
    results: list[Figures] = []
    for _ in range(arguments.repeat):
        if not arguments.no_sqlite:
            print(f"load average before SQLite: {_load()}", flush=True)
            results.append(bench_sqlite(csv_path))
        if not arguments.no_postgres:
            print(f"load average before PostgreSQL: {_load()}", flush=True)
            results.append(bench_postgres(arguments.postgres_url, csv_path))
    print(f"load average after: {_load()}")
    print("| database | funnelbot import | bare load | ratio | peak RSS of our import |")
    print("|---|---|---|---|---|")
    for figures in results:
        bare_kind = "executemany" if figures.database == "SQLite" else "COPY"
        print(
            f"| {figures.database} | {figures.ours_seconds:.1f} s | "
            f"{figures.bare_seconds:.1f} s ({bare_kind}) | {figures.ratio:.2f}x | "
            f"{figures.ours_peak_rss_mb:.0f} MB |"
        )


if __name__ == "__main__":
    main()
