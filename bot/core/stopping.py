"""Stopping on SIGTERM (the platform's stop) or SIGINT (Ctrl+C): `serve`, `socket`, `worker`."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = [
    "STOP_SIGNALS",
    "spawning_children_stopped_by_parent",
    "stopped_only_by_parent",
    "stopping_on_signals",
]

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
LOG_STOPPING = "stop signal received: finishing the work in progress"

logger = logging.getLogger("funnelbot")


@contextmanager
def stopping_on_signals(stop: Callable[[], None]) -> Iterator[None]:
    """Call `stop` on SIGTERM or SIGINT while inside; the previous handlers come back on
    exit. `stop` runs in the main thread's signal handler, so it must not block."""

    def on_signal(signum: int, frame: FrameType | None) -> None:
        logger.info(LOG_STOPPING)
        stop()

    previous = {sig: signal.signal(sig, on_signal) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def spawning_children_stopped_by_parent() -> Iterator[None]:
    """Around spawning child processes that their parent stops once their work is done.
    Platforms (and Ctrl+C) signal every process of the group or container at once, and a
    child that died first would lose its work in progress. Children spawned in here start
    with SIGTERM and SIGINT blocked (the signal mask survives exec), so that no thread of
    theirs, not even a native one started while importing, dies of them; each child then
    calls `stopped_only_by_parent`. Without `sigwaitinfo` (not Linux) nothing changes."""
    if not hasattr(signal, "sigwaitinfo"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def stopped_only_by_parent() -> None:
    """In a child spawned by `spawning_children_stopped_by_parent`: SIGINT stays blocked,
    and SIGTERM ends the process only when the parent sent it (as `ProcessPoolExecutor`
    does to clean up a broken pool)."""
    if hasattr(signal, "sigwaitinfo"):
        threading.Thread(target=_end_when_parent_asks, name="sigterm", daemon=True).start()


def _end_when_parent_asks() -> None:
    parent = os.getppid()
    while True:
        sent = signal.sigwaitinfo({signal.SIGTERM})
        if sent.si_pid == parent:
            os._exit(1)
