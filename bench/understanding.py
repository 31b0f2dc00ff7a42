"""How well questions are understood, on the corpus written by people who never read the
parser (docs/benchmarks.md, `## Understanding`).

    .venv/bin/python -m bench.understanding [--show-dev] [--repeat N]

For each language and each half (dev, held-out) of tests/bot/parser/understanding: the
share read right, the misreads (another metric answered), the questions refused or asked
back although a reading was expected, and the parse time p50/p99 (`--repeat` passes over
the corpus after one warm-up pass). `--show-dev` lists the dev half's failures; the
held-out half's questions are never printed, only its figures.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from dataclasses import dataclass

from bot.parser import NotUnderstood, ParseResult, parse
from testkit.understanding import (
    KNOWN,
    LANGUAGES,
    TODAY,
    Expected,
    Outcome,
    grade,
    load,
)

__all__ = ["main"]

HALVES = ("dev", "heldout")


@dataclass(frozen=True, slots=True)
class Figures:
    language: str
    half: str
    outcomes: Counter[Outcome]
    p50_ms: float
    p99_ms: float

    @property
    def total(self) -> int:
        return sum(self.outcomes.values())

    def line(self) -> str:
        right = self.outcomes[Outcome.RIGHT]
        return (
            f"{self.language:>3} {self.half:<8} {self.total:>4} questions  "
            f"right {right / self.total:6.1%}  wrong {self.outcomes[Outcome.WRONG]:>3}  "
            f"missed {self.outcomes[Outcome.MISSED]:>3}  "
            f"misread {self.outcomes[Outcome.MISREAD]:>3}  "
            f"parse p50 {self.p50_ms:.2f} ms  p99 {self.p99_ms:.2f} ms"
        )


def _timed(question: str) -> tuple[ParseResult, float]:
    started = time.perf_counter()
    result = parse(question, today=TODAY, known=KNOWN)
    return result, (time.perf_counter() - started) * 1000


def measure(language: str, half: str, repeat: int) -> tuple[Figures, list[str]]:
    rows = load(language, half)
    outcomes: Counter[Outcome] = Counter()
    failures: list[str] = []
    for row in rows:
        result, _ = _timed(row.question)
        outcome = grade(row, result)
        outcomes[outcome] += 1
        if outcome is not Outcome.RIGHT:
            failures.append(_failure(row, outcome, result))
    times = [_timed(row.question)[1] for _ in range(repeat) for row in rows]
    cuts = statistics.quantiles(times, n=100)
    return Figures(language, half, outcomes, statistics.median(times), cuts[98]), failures


def _failure(row: Expected, outcome: Outcome, result: ParseResult) -> str:
    if isinstance(result, NotUnderstood):
        got = f"refused: {result.reason} {result.did_you_mean}"
    else:
        got = f"{result.understood} {result.notes}"
    wanted = f"{row.what} {row.start}..{row.end} [{row.filters}] by={row.by} {row.compare}"
    return f"  {outcome.value:<7} {row.question!r}\n          want {wanted}\n          got  {got}"


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--show-dev", action="store_true", help="list the dev half's failures")
    options.add_argument("--repeat", type=int, default=5, help="timed passes over the corpus")
    arguments = options.parse_args()
    for half in HALVES:
        for language in LANGUAGES:
            figures, failures = measure(language, half, arguments.repeat)
            print(figures.line())
            if arguments.show_dev and half == "dev":
                print("\n".join(failures))


if __name__ == "__main__":
    main()
