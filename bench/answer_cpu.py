"""CPU time of one Slack answer, in process (docs/benchmarks.md, `## Slack load`).

    .venv/bin/python -m bench.answer_cpu [--answers N] [--database-url URL] [--profile]

Builds the responder an answer process builds (`bot.slack.app.build_responder`) on the
store of `bench.slack_load`, with the fake Slack in a process of its own, and hands it
the benchmark's slash-command jobs in the benchmark's question mix: parse, engine, reply,
Block Kit and the post to the response_url, all of it. Prints the process CPU time per
answer (best of 3 rounds of N) and per question; `--profile` prints a cProfile of one
round instead.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from datetime import time as day_time

from bench.query import LARGE_PAIRS
from bench.slack_load import AS_OF, DEFAULT_STORE, QUESTIONS
from bot.answers.context import metrics_context
from bot.core.access import Audience
from bot.core.clock import FixedClock
from bot.core.config import load_settings
from bot.core.logs import configure_logging
from bot.parser import prepare as prepare_parser
from bot.slack.app import build_responder
from bot.slack.jobs import Ask
from bot.slack.posting import ResponseUrlPost
from bot.slack.responder import Responder
from storage.engine import make_engine
from testkit.fakeslack import RemoteFakeSlack, wait_for
from testkit.processes import free_port
from testkit.signed import BOT_TOKEN, SIGNING_SECRET, get
from testkit.snapshots import fill, pairs

__all__ = ["main"]

ROUNDS = 3
WARM_UP = 16
AUDIENCE = Audience("T0TEST01", "U0ASKER", "C0GENERAL")


def _ready(fake: RemoteFakeSlack) -> bool:
    try:
        get(fake.root_url + "/_fake/calls?method=response_url")
    except OSError:
        return False
    return True


@contextmanager
def _fake_slack() -> Iterator[RemoteFakeSlack]:
    port = free_port()
    command = [sys.executable, "-m", "testkit.fakeslack", "--port", str(port)]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    try:
        fake = RemoteFakeSlack(f"http://127.0.0.1:{port}")
        wait_for(lambda: _ready(fake), timeout=60)
        yield fake
    finally:
        process.terminate()
        process.wait(timeout=60)


def _responder(fake: RemoteFakeSlack, database_url: str) -> Responder:
    os.environ.update(
        DATABASE_URL=database_url,
        SLACK_API_URL=fake.base_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        LOG_LEVEL="WARNING",
    )
    settings = load_settings()
    configure_logging(settings)
    asked_at = datetime.combine(date.fromisoformat(AS_OF), day_time(12), settings.zone)
    engine = make_engine(settings.database_url)
    fill(engine, pairs(*LARGE_PAIRS))  # as bench.slack_load: built once, when missing
    responder = build_responder(settings, engine, FixedClock(asked_at), metrics_context(settings))
    prepare_parser()
    return responder


def _jobs(fake: RemoteFakeSlack, answers: int) -> list[Ask]:
    """The benchmark's slash commands: question i of the mix, answered ephemerally."""
    return [
        Ask(
            QUESTIONS[index % len(QUESTIONS)],
            None,
            AUDIENCE,
            ResponseUrlPost(fake.response_url(f"r{index}")),
            share=True,
        )
        for index in range(answers)
    ]


def _cpu_per_answer(responder: Responder, jobs: Sequence[Ask]) -> float:
    """Microseconds of this process's CPU per answer."""
    started = time.process_time()
    for job in jobs:
        responder.handle(job)
    return (time.process_time() - started) / len(jobs) * 1e6


def _report(responder: Responder, jobs: list[Ask]) -> None:
    rounds = [_cpu_per_answer(responder, jobs) for _ in range(ROUNDS)]
    print(f"{len(jobs)} answers: {min(rounds):,.0f} µs of CPU per answer (best of {ROUNDS})")
    for question in QUESTIONS:
        asked = [job for job in jobs if job.question == question]
        print(f"  {question:42} {_cpu_per_answer(responder, asked):9,.0f} µs")


def _profile(responder: Responder, jobs: list[Ask]) -> None:
    profile = cProfile.Profile()
    profile.runcall(_cpu_per_answer, responder, jobs)
    statistics = pstats.Stats(profile)
    statistics.sort_stats("cumulative").print_stats(40)
    statistics.sort_stats("tottime").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--answers", type=int, default=400)
    parser.add_argument("--database-url", default=DEFAULT_STORE)
    parser.add_argument("--profile", action="store_true", help="cProfile one round")
    arguments = parser.parse_args()
    with _fake_slack() as fake:
        responder = _responder(fake, arguments.database_url)
        jobs = _jobs(fake, arguments.answers)
        for job in jobs[:WARM_UP]:
            responder.handle(job)
        (_profile if arguments.profile else _report)(responder, jobs)


if __name__ == "__main__":
    main()
