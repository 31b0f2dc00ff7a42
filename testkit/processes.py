"""`funnelbot` as operators run it: real subprocesses with their output kept in files.

Used by the security tests and by `bench/soak.py`: start `serve` (or any command) with
a chosen environment, wait until it answers /healthz, stop it with SIGTERM, read back
everything it printed, and measure its memory.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from testkit.fakeslack import PATIENCE_SECONDS, FakeSlack, wait_for
from testkit.signed import BOT_TOKEN, SIGNING_SECRET, get

__all__ = [
    "AS_OF",
    "FUNNELBOT",
    "Running",
    "assert_clean_exit",
    "children",
    "free_port",
    "funnelbot_env",
    "run_side_by_side",
    "serving",
    "start_funnelbot",
    "start_serve",
    "wait_until_answering",
]

FUNNELBOT = str(Path(sys.executable).with_name("funnelbot"))
AS_OF = "2026-11-25"
# Deadlines, not expectations: several processes importing the app at once on a loaded
# 2-core machine take minutes, and a stop waits for every answer still in progress.
STARTUP_SECONDS = 2 * PATIENCE_SECONDS
STOP_SECONDS = PATIENCE_SECONDS
SETTING_PREFIXES = ("SLACK_", "FUNNELBOT_", "DATABASE_URL", "PORT", "LOG_LEVEL")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def funnelbot_env(
    database_url: str,
    fake: FakeSlack | None,
    *,
    bot_token: str = BOT_TOKEN,
    signing_secret: str = SIGNING_SECRET,
    config: Path | None = None,
    **extra: str,
) -> dict[str, str]:
    """This process's environment without any funnelbot setting, plus the given ones."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(SETTING_PREFIXES)}
    env.update(DATABASE_URL=database_url, LOG_LEVEL="INFO")
    if fake is not None:
        env.update(
            SLACK_API_URL=fake.base_url,
            SLACK_BOT_TOKEN=bot_token,
            SLACK_SIGNING_SECRET=signing_secret,
        )
    if config is not None:
        env["FUNNELBOT_CONFIG"] = str(config)
    env.update(extra)
    return env


@dataclass
class Running:
    """A started `funnelbot` process; stdout and stderr go to files in `workdir`."""

    process: subprocess.Popen[bytes]
    name: str
    workdir: Path
    root: str = ""

    @property
    def events_url(self) -> str:
        return self.root + "/slack/events"

    def output(self) -> str:
        """Everything the process printed so far, stdout then stderr."""
        return "".join(
            (self.workdir / f"{self.name}.{stream}").read_text(errors="replace")
            for stream in ("out", "err")
        )

    def stop(self, timeout: float = STOP_SECONDS) -> int:
        """SIGTERM, then wait; the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def rss_kib(self) -> int:
        """Resident memory now (VmRSS) of the process and its children (the answer
        processes), in KiB."""
        pids = [self.process.pid, *children(self.process.pid)]
        return sum(_rss_kib(pid) for pid in pids)  # a child gone meanwhile counts 0

    def health(self) -> int | None:
        """The status of GET /healthz, None while nothing answers."""
        try:
            return get(self.root + "/healthz").status
        except OSError:
            return None

    def healthy(self) -> bool:
        return self.health() == 200


def children(pid: int) -> list[int]:
    """The child processes of `pid` (Linux /proc)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # a thread that has just ended
            found.extend(int(child) for child in (task / "children").read_text().split())
    return found


def _rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0
    line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(line.split()[1])


def start_funnelbot(args: list[str], env: dict[str, str], workdir: Path, name: str) -> Running:
    workdir.mkdir(parents=True, exist_ok=True)
    with (workdir / f"{name}.out").open("wb") as out, (workdir / f"{name}.err").open("wb") as err:
        process = subprocess.Popen([FUNNELBOT, *args], env=env, stdout=out, stderr=err)
    return Running(process, name, workdir)


def run_side_by_side(
    commands: dict[str, tuple[list[str], dict[str, str]]], workdir: Path, timeout: float = 120
) -> dict[str, tuple[int, str]]:
    """Run commands side by side to their end: name -> (exit status, everything printed)."""
    started = [start_funnelbot(args, env, workdir, name) for name, (args, env) in commands.items()]
    try:
        return {item.name: (item.process.wait(timeout=timeout), item.output()) for item in started}
    finally:
        for item in started:
            if item.process.poll() is None:
                item.process.kill()
                item.process.wait()


def start_serve(env: dict[str, str], workdir: Path, name: str = "serve") -> Running:
    """`funnelbot serve --as-of AS_OF` on a free port (not yet answering)."""
    port = free_port()
    running = start_funnelbot(["serve", "--port", str(port), "--as-of", AS_OF], env, workdir, name)
    running.root = f"http://127.0.0.1:{port}"
    return running


def wait_until_answering(running: Running) -> None:
    """Until GET /healthz gets any answer; fails if the process exits first."""
    wait_for(
        lambda: running.health() is not None or running.process.poll() is not None,
        timeout=STARTUP_SECONDS,
        interval=0.1,
    )
    assert running.process.poll() is None, running.output()


def assert_clean_exit(running: Running, status: int) -> None:
    assert status == 0, running.output()
    assert "Traceback" not in running.output(), running.output()


@contextmanager
def serving(env: dict[str, str], workdir: Path, name: str = "serve") -> Iterator[Running]:
    """A started, answering `funnelbot serve`, stopped with SIGTERM on exit, which must
    end it with status 0 and no traceback."""
    running = start_serve(env, workdir, name)
    try:
        wait_until_answering(running)
        yield running
    finally:
        status = running.stop()
    assert_clean_exit(running, status)
