"""atheris (coverage-guided, libFuzzer) over CSV validation, seeded with a real file, for a
bounded number of runs in a subprocess (libFuzzer ends the process it runs in)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("atheris")

RUNS = 1000
SEED = (
    "period_start,period_end,channel,segment,visitors,leads,mqls,sqls,marketing_spend\n"
    "2026-10-01,2026-10-31,organic,smb,1000,100,40,10,3000.5\n"
    '2026-09-01,,"paid search",enterprise,900,90,30,9,2800\n'
)


def test_atheris_finds_no_crash_in_csv_validation(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "seed.csv").write_text(SEED)
    result = subprocess.run(
        [sys.executable, "-m", "tests.security.atheris_csv", str(corpus), f"-runs={RUNS}",
         "-max_len=4096", "-seed=1", f"-artifact_prefix={tmp_path}/"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"Done {RUNS} runs" in result.stderr
    assert not list(tmp_path.glob("crash-*"))
