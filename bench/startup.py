"""Benchmark of command start-up: whole processes, as a user runs them (docs/benchmarks.md,
`## Start-up`).

    .venv/bin/python -m bench.startup [--rows-dir DIR] [--repeat N]

On the 10k-row and the ~1M-row SQLite stores of `bench.query` (built when missing), times
whole processes, p50 of N runs each, interleaved so that load drifts hit every case alike:
`funnelbot query cac --period 2026-q3 --json` and `funnelbot ask "cac last quarter"`, against
two baselines run in the same loop: `python -c "import sqlite3"` (the interpreter alone) and
a bare `sqlite3` query of the same figure (cac for Q3 2026 and Q2 2026 over the month
rollups, written by hand). Prints the ratios to both and the growth from 10k to 1M rows,
and for scale the import of the three libraries every command needs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.query import _FLOOR_CAC_ROLLUPS, LARGE_PAIRS, SMALL_PAIRS
from storage.engine import make_engine
from testkit.snapshots import fill, pairs

__all__ = ["main"]

FUNNELBOT = str(Path(sys.executable).with_name("funnelbot"))
AS_OF = "2026-11-25"  # "last quarter" is Q3 2026, the period of the query command
TARGET_SECONDS = 0.35
TARGET_GROWTH = 1.5
# cac for Q3 2026 compared with Q2 2026, as the engine reads it: the month rollups.
BARE_QUERY = f"""
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
parameters = {{"s0": "2026-07-01", "e0": "2026-09-30", "s1": "2026-04-01"}}
print(connection.execute({_FLOOR_CAC_ROLLUPS!r}, parameters).fetchall())
"""
# What every command imports before it can do anything: its floor in this design.
LIBRARIES = "import typer, sqlalchemy, pydantic_settings"


def _commands(database: Path) -> dict[str, list[str]]:
    url = ["--database-url", f"sqlite:///{database}"]
    return {
        "python -c 'import sqlite3'": [sys.executable, "-c", "import sqlite3"],
        "bare sqlite3 query": [sys.executable, "-c", BARE_QUERY, str(database)],
        f"python -c '{LIBRARIES}'": [sys.executable, "-c", LIBRARIES],
        "query cac --period 2026-q3 --json": [
            FUNNELBOT, "query", "cac", "--period", "2026-q3", "--json", *url
        ],
        "ask 'cac last quarter'": [FUNNELBOT, "ask", "cac last quarter", "--as-of", AS_OF, *url],
    }  # fmt: skip


def _environment() -> dict[str, str]:
    """This environment without FUNNELBOT_* settings (as the tests run the CLI)."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("FUNNELBOT_") and key != "DATABASE_URL"
    }


def _seconds(command: list[str], cwd: Path, environment: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=environment, capture_output=True, check=True)
    return time.perf_counter() - started


def _p50s(commands: dict[str, list[str]], repeat: int) -> dict[str, float]:
    """p50 seconds per command, the commands interleaved, after one warm-up run of each."""
    environment = _environment()
    samples: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as directory:
        cwd = Path(directory)
        for command in commands.values():
            _seconds(command, cwd, environment)
        for _ in range(repeat):
            for name, command in commands.items():
                samples[name].append(_seconds(command, cwd, environment))
    return {name: statistics.median(times) for name, times in samples.items()}


def _print(label: str, rows: int, p50: dict[str, float]) -> None:
    interpreter, bare = p50["python -c 'import sqlite3'"], p50["bare sqlite3 query"]
    print(f"== {label}: {rows:,} rows (whole process, p50)")
    for name, seconds in p50.items():
        print(
            f"  {name:<54} {seconds * 1000:7.0f} ms  x{seconds / interpreter:5.1f} the interpreter"
            f"  x{seconds / bare:5.1f} the bare query"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows-dir", type=Path, default=Path("/tmp/funnelbot-bench"))
    parser.add_argument("--repeat", type=int, default=15)
    arguments = parser.parse_args()
    arguments.rows_dir.mkdir(parents=True, exist_ok=True)
    figures: dict[str, dict[str, float]] = {}
    for label, shape in (("small", SMALL_PAIRS), ("large", LARGE_PAIRS)):
        database = arguments.rows_dir / f"{label}.db"
        engine = make_engine(f"sqlite:///{database}")
        rows = fill(engine, pairs(*shape))
        engine.dispose()
        figures[label] = _p50s(_commands(database), arguments.repeat)
        _print(label, rows, figures[label])
    for name in ("query cac --period 2026-q3 --json", "ask 'cac last quarter'"):
        small, large = figures["small"][name], figures["large"][name]
        print(
            f"{name}: 1M rows {large * 1000:.0f} ms (target <= {TARGET_SECONDS * 1000:.0f} ms: "
            f"{'met' if large <= TARGET_SECONDS else 'not met'}), "
            f"x{large / small:.2f} the 10k-row time (target <= x{TARGET_GROWTH}: "
            f"{'met' if large / small <= TARGET_GROWTH else 'not met'})"
        )


if __name__ == "__main__":
    main()
