"""Coverage-guided fuzzing of CSV validation with atheris (libFuzzer).

    python -m tests.security.atheris_csv CORPUS_DIR -runs=N [libFuzzer options]

Every input is written to a file and validated as an import would validate it; anything
but a report or an ImportFileError is a crash, which libFuzzer saves and exits non-zero
on. Only our `storage` package is instrumented, so start-up stays quick.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["storage"]):
    from storage.csv_import import ImportFileError, validate_csv

__all__ = ["main"]


def main() -> None:
    path = Path(tempfile.mkdtemp(prefix="atheris-csv-")) / "fuzzed.csv"

    def validate(data: bytes) -> None:
        path.write_bytes(data)
        with contextlib.suppress(ImportFileError):
            validate_csv(path)

    atheris.Setup(sys.argv, validate)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
