"""Soak benchmark of `funnelbot serve` (docs/benchmarks.md, `## Soak`).

    .venv/bin/python -m bench.soak [--minutes 10] [--rows 1000000] [--clients 4]
                                   [--database-url postgresql://…]

Fills a PostgreSQL schema with `--rows` daily snapshots (once; kept for later runs),
starts the fake Slack here and `funnelbot serve` as a subprocess, then runs mixed load
for `--minutes`: `--clients` closed loops on loopback, each sending a signed slash
command, mention, "ask" button or "share" button and waiting for its answer before the
next, plus one real `funnelbot digest` run and one `funnelbot import` while the load
goes on. Reports requests served, errors, p50/p99 ack and answer latency, the RSS of
serve at start, after warm-up and at the end, and the most database connections seen.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from bench.slack_load import QUESTIONS
from bot.slack.texts import Notices
from storage.engine import make_engine, normalize_database_url
from testkit.connections import POOL_LIMIT, ConnectionSampler, with_application_name
from testkit.fakeslack import FakeSlack, RecordedCall, running_fake_slack
from testkit.processes import (
    AS_OF,
    Running,
    funnelbot_env,
    run_side_by_side,
    start_serve,
    wait_until_answering,
)
from testkit.signed import FORM, action_body, event_body, post_signed, slash_body
from testkit.snapshots import fill, pairs

__all__ = ["SoakResult", "main", "prepare_store", "run_soak"]

DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
APPLICATION = "funnelbot-soak"
DAYS_OF_DATA = 1096  # bench.query fills three years of daily rows per pair
ANSWER_TIMEOUT = 60.0
COLLECT_EVERY = 0.02
WARM_UP_SHARE = 0.1
SOAK_CONFIG = """
[digests.sales]
channels = ["C0SALES"]
"""
IMPORT_HEADER = "period_start,period_end,channel,segment,visitors,leads,mqls,sqls,marketing_spend"
MENTION_QUESTIONS = ("funnel last month", "trend cac last quarter", "win rate last quarter")


# --- the store ------------------------------------------------------------------------
def prepare_store(database_url: str, rows: int) -> str:
    """A schema of `rows` snapshots (filled once, reused), as a URL for subprocesses."""
    combinations = max(1, round(rows / DAYS_OF_DATA))
    channels = max(1, round(math.sqrt(combinations)))
    segments = max(1, round(combinations / channels))
    schema = f"soak_{channels}x{segments}"
    admin = make_engine(database_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    admin.dispose()
    engine = make_engine(database_url, schema=schema)
    held = fill(engine, pairs(channels, segments))
    engine.dispose()
    print(f"store: {held:,} rows in PostgreSQL schema {schema}")
    url = normalize_database_url(database_url).update_query_dict(
        {"options": f"-csearch_path={schema}"}
    )
    return url.render_as_string(hide_password=False)


# --- answers arriving at the fake Slack -----------------------------------------------
class AnswerBook:
    """Watches the fake's calls and tells when the answer named `key` arrived: the
    response_url path of a command or button, the thread of a mention."""

    def __init__(self, fake: FakeSlack) -> None:
        self._fake = fake
        self._seen = 0
        self._arrived: dict[str, RecordedCall] = {}
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._collect, name="answers", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _collect(self) -> None:
        while not self._stop.wait(COLLECT_EVERY):
            calls = self._fake.calls()
            fresh, self._seen = calls[self._seen :], len(calls)
            with self._changed:
                for call in fresh:
                    key = _answer_key(call)
                    if key is not None:
                        self._arrived.setdefault(key, call)
                self._changed.notify_all()

    def wait(self, key: str, timeout: float) -> RecordedCall | None:
        with self._changed:
            self._changed.wait_for(lambda: key in self._arrived, timeout=timeout)
            return self._arrived.pop(key, None)


def _answer_key(call: RecordedCall) -> str | None:
    if call.method == "response_url":
        return call.path.rsplit("/", 1)[-1]
    if call.method == "chat.postMessage":
        return str(call.body.get("thread_ts") or "") or None
    return None


# --- the requests ---------------------------------------------------------------------
@dataclass(frozen=True)
class Request:
    kind: str
    body: str
    content_type: str
    answer_key: str


def _slash(number: int, fake: FakeSlack, run: str) -> Request:
    key = f"s{number}"
    question = QUESTIONS[number % len(QUESTIONS)]
    return Request("slash command", slash_body(question, fake.response_url(key)), FORM, key)


def _mention(number: int, fake: FakeSlack, run: str) -> Request:
    ts = f"1700000000.{number:06d}"
    question = MENTION_QUESTIONS[number % len(MENTION_QUESTIONS)]
    event = {"type": "app_mention", "user": "U0ASKER", "text": f"<@UBOT0001> {question}",
             "ts": ts, "channel": "C0GENERAL"}  # fmt: skip
    event_id = f"EvSoak{run}{number:08d}"  # the store remembers event ids across runs
    return Request("mention", event_body(event, event_id), "application/json", ts)


def _button(action: str, label: str) -> Callable[[int, FakeSlack, str], Request]:
    def build(number: int, fake: FakeSlack, run: str) -> Request:
        key = f"b{number}"
        value = json.dumps({"q": QUESTIONS[number % len(QUESTIONS)], "d": AS_OF})
        body = action_body(action, value, fake.response_url(key))
        return Request(label, body, FORM, key)

    return build


MIX: tuple[Callable[[int, FakeSlack, str], Request], ...] = (
    _slash,
    _slash,
    _mention,
    _button("ask:0", "ask button"),
    _slash,
    _button("share", "share button"),
)


@dataclass(frozen=True)
class Sample:
    kind: str
    status: int
    ack_ms: float
    answer_ms: float | None
    failed: bool

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.answer_ms is not None and not self.failed


def _send(served: Running, book: AnswerBook, request: Request) -> Sample:
    sent_at = time.monotonic()
    try:
        status = post_signed(served.events_url, request.body, request.content_type).status
    except OSError:
        status = 0
    ack_ms = (time.monotonic() - sent_at) * 1000
    answer = book.wait(request.answer_key, ANSWER_TIMEOUT) if status == 200 else None
    if answer is None:
        return Sample(request.kind, status, ack_ms, None, False)
    failed = Notices.FAILED in answer.raw.decode(errors="replace")
    return Sample(request.kind, status, ack_ms, (answer.at - sent_at) * 1000, failed)


# --- the run --------------------------------------------------------------------------
@dataclass
class SoakResult:
    seconds: float
    samples: list[Sample]
    side_runs: dict[str, int]
    rss_kib: dict[str, int]
    max_connections: int
    serve_errors: list[str]
    serve_exit: int

    @property
    def errors(self) -> int:
        failed_side_runs = sum(status != 0 for status in self.side_runs.values())
        failed_requests = sum(not sample.ok for sample in self.samples)
        return failed_requests + failed_side_runs + len(self.serve_errors) + (self.serve_exit != 0)

    @property
    def rss_growth(self) -> float:
        return self.rss_kib["end"] / self.rss_kib["warm"] - 1

    def report(self) -> str:
        acks = [sample.ack_ms for sample in self.samples]
        answers = [sample.answer_ms for sample in self.samples if sample.answer_ms is not None]
        kinds = Counter(sample.kind for sample in self.samples)
        failed = Counter(sample.kind for sample in self.samples if not sample.ok)
        lines = [
            f"duration: {self.seconds:.0f} s; requests served: {len(self.samples)} "
            f"({', '.join(f'{count} {kind}' for kind, count in sorted(kinds.items()))}); "
            f"{len(self.samples) / self.seconds:.1f} requests/s",
            f"side runs (exit status): {self.side_runs}",
            f"errors: {self.errors} (failed requests "
            f"{failed.total()}, serve error log lines "
            f"{len(self.serve_errors)}, serve exit {self.serve_exit})",
            f"ack ms p50 / p99 / max: {_percentile(acks, 0.5):.0f} / "
            f"{_percentile(acks, 0.99):.0f} / {max(acks, default=math.nan):.0f}",
            f"answer ms p50 / p99 / max: {_percentile(answers, 0.5):.0f} / "
            f"{_percentile(answers, 0.99):.0f} / {max(answers, default=math.nan):.0f}",
            "serve RSS MiB (with its answer processes): "
            f"ready {self.rss_kib['ready'] / 1024:.0f}, after warm-up "
            f"{self.rss_kib['warm'] / 1024:.0f}, end {self.rss_kib['end'] / 1024:.0f} "
            f"(growth after warm-up {self.rss_growth:+.1%})",
            f"most database connections of serve: {self.max_connections} (pool limit {POOL_LIMIT})",
            f"failed requests by kind: {dict(failed) or 'none'}",
        ]
        return "\n".join(lines)


def _percentile(samples: list[float], share: float) -> float:
    if not samples:
        return math.nan
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _import_file(workdir: Path) -> Path:
    """A month of one new channel/segment pair: a real upsert while answers run."""
    lines = [IMPORT_HEADER] + [
        f"2026-10-{day:02d},,soak_import,soak_segment,{100 + day},{10 + day},5,2,{day * 10}.5"
        for day in range(1, 32)
    ]
    path = workdir / "soak_import.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _side_runs(env: dict[str, str], workdir: Path, seconds: float) -> dict[str, int]:
    """A digest at a third of the run, an import at two thirds (their connections are not
    named like serve's, so they are not counted as serve's)."""
    results: dict[str, int] = {}
    started = time.monotonic()
    digest = ["digest", "--audience", "sales", "--as-of", AS_OF, "--force"]
    for name, args, at in (
        ("digest", digest, seconds / 3),
        ("import", ["import", str(_import_file(workdir))], 2 * seconds / 3),
    ):
        time.sleep(max(0.0, started + at - time.monotonic()))
        outcome = run_side_by_side({name: (args, env)}, workdir)
        results[name] = outcome[name][0]
    return results


def _error_lines(output: str) -> list[str]:
    found = []
    for line in output.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            if "Traceback" in line:
                found.append(line)
            continue
        if isinstance(entry, dict) and entry.get("level") in {"error", "critical"}:
            found.append(line)
    return found


def run_soak(database_url: str, *, seconds: float, clients: int, workdir: Path) -> SoakResult:
    """Mixed load against a fresh `funnelbot serve` on `database_url` for `seconds`."""
    config = workdir / "funnelbot.toml"
    config.write_text(SOAK_CONFIG)
    named_url = with_application_name(database_url, APPLICATION)
    counter_engine = make_engine(database_url)
    with running_fake_slack() as fake:
        env = funnelbot_env(named_url, fake, config=config, LOG_LEVEL="WARNING")
        served = start_serve(env, workdir)
        try:
            wait_until_answering(served)
            result = _load(
                served,
                fake,
                side_env=funnelbot_env(database_url, fake, config=config, LOG_LEVEL="WARNING"),
                workdir=workdir,
                seconds=seconds,
                clients=clients,
                counter_engine=counter_engine,
            )
        finally:
            exit_status = served.stop()
    counter_engine.dispose()
    result.serve_exit = exit_status
    result.serve_errors = _error_lines(served.output())
    return result


def _load(
    served: Running,
    fake: FakeSlack,
    *,
    side_env: dict[str, str],
    workdir: Path,
    seconds: float,
    clients: int,
    counter_engine: Engine,
) -> SoakResult:
    book = AnswerBook(fake)
    book.start()
    rss = {"ready": served.rss_kib()}
    numbers = itertools.count()
    run = uuid.uuid4().hex[:8]
    numbers_lock = threading.Lock()
    samples: list[Sample] = []
    started = time.monotonic()
    deadline = started + seconds
    warm_at = started + seconds * WARM_UP_SHARE

    def client() -> None:
        while time.monotonic() < deadline:
            with numbers_lock:
                number = next(numbers)
            request = MIX[number % len(MIX)](number, fake, run)
            samples.append(_send(served, book, request))
            if "warm" not in rss and time.monotonic() >= warm_at:
                rss["warm"] = served.rss_kib()

    with ConnectionSampler(counter_engine, APPLICATION) as connections:
        with ThreadPoolExecutor(clients + 1) as pool:
            side = pool.submit(_side_runs, side_env, workdir, seconds)
            loops = [pool.submit(client) for _ in range(clients)]
        for loop in loops:
            loop.result()
        rss.setdefault("warm", rss["ready"])
        rss["end"] = served.rss_kib()
    book.stop()
    return SoakResult(
        seconds=time.monotonic() - started,
        samples=samples,
        side_runs=side.result(),
        rss_kib=rss,
        max_connections=connections.most,
        serve_errors=[],
        serve_exit=0,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    arguments = parser.parse_args()
    url = prepare_store(arguments.database_url, arguments.rows)
    with tempfile.TemporaryDirectory(prefix="funnelbot-soak-") as workdir:
        result = run_soak(
            url, seconds=arguments.minutes * 60, clients=arguments.clients, workdir=Path(workdir)
        )
    print(result.report())


if __name__ == "__main__":
    main()
