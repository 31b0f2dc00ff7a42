# ruff: noqa: N999 - the file is named after the command it measures
"""Import benchmark: `funnelbot import` (the library function) against a bare load of the
same CSV into a table with the same columns and unique index, in the same run.

    .venv/bin/python bench/import.py [--rows N] [--postgres-url URL | --no-postgres]

SQLite: our import vs `sqlite3.executemany` of csv.reader rows. PostgreSQL: our import vs
a bare `COPY ... FROM STDIN`. Our import runs in a child process so that its peak RSS
(VmHWM) is measured alone. The CSV is cached under bench/.data/.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.schema import CreateIndex, CreateTable

from storage.columns import ALL_COLUMNS
from storage.csv_import import import_csv
from storage.demo import write_benchmark_csv
from storage.engine import make_engine, normalize_database_url
from storage.migrate import upgrade
from storage.models import snapshots

DATA_DIR = Path(__file__).parent / ".data"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BATCH_ROWS = 50_000


@dataclass(frozen=True)
class Figures:
    database: str
    ours_seconds: float
    bare_seconds: float
    ours_peak_rss_mb: float

    @property
    def ratio(self) -> float:
        return self.ours_seconds / self.bare_seconds


def benchmark_csv(rows: int) -> Path:
    path = DATA_DIR / f"snapshots_{rows}.csv"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        write_benchmark_csv(partial, rows)
        partial.rename(path)
    return path


def run_ours(url: str, csv_path: Path) -> tuple[float, float]:
    """Seconds of `import_csv` in a child process, and that child's peak RSS in MB."""
    child = subprocess.run(
        [sys.executable, __file__, "--child-import", url, str(csv_path)],
        check=True,
        capture_output=True,
        text=True,
    )
    measured = json.loads(child.stdout)
    return float(measured["seconds"]), float(measured["peak_rss_kb"]) / 1024


def child_import(url: str, csv_path: Path) -> None:
    engine = make_engine(url)
    started = time.perf_counter()
    report = import_csv(engine, csv_path)
    seconds = time.perf_counter() - started
    assert report.written, [str(error) for error in report.errors]
    print(json.dumps({"seconds": seconds, "peak_rss_kb": peak_rss_kb()}))


def peak_rss_kb() -> int:
    """VmHWM: unlike ru_maxrss it starts afresh at exec, so it is this process's own peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def bare_sqlite(db_path: Path, csv_path: Path) -> float:
    connection = sqlite3.connect(db_path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    dialect = make_engine(f"sqlite:///{db_path}").dialect
    connection.execute(str(CreateTable(snapshots).compile(dialect=dialect)))
    for index in snapshots.indexes:
        connection.execute(str(CreateIndex(index).compile(dialect=dialect)))
    started = time.perf_counter()
    with csv_path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        placeholders = ", ".join("?" * len(header))
        sql = f"INSERT INTO snapshots ({', '.join(header)}) VALUES ({placeholders})"
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
def postgres_schema(base_url: str) -> Iterator[str]:
    """A fresh migrated schema, and the URL that reaches it."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = normalize_database_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
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
    columns = ", ".join(ALL_COLUMNS)
    started = time.perf_counter()
    with engine.begin() as connection:
        driver = connection.connection.driver_connection
        copy_sql = f"COPY snapshots ({columns}) FROM STDIN WITH (FORMAT csv, HEADER true)"
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
    with postgres_schema(base_url) as url:
        bare = bare_copy(url, csv_path)
    with postgres_schema(base_url) as url:
        ours, peak = run_ours(url, csv_path)
    return Figures("PostgreSQL", ours, bare, peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--postgres-url", default=os.environ.get("TEST_DATABASE_URL", DEFAULT_POSTGRES_URL)
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--child-import", nargs=2, metavar=("URL", "CSV"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child_import:
        child_import(arguments.child_import[0], Path(arguments.child_import[1]))
        return
    csv_path = benchmark_csv(arguments.rows)
    size_mb = csv_path.stat().st_size / 1e6
    print(f"{arguments.rows} rows, {size_mb:.0f} MB: {csv_path}")
    results = [bench_sqlite(csv_path)]
    if not arguments.no_postgres:
        results.append(bench_postgres(arguments.postgres_url, csv_path))
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
