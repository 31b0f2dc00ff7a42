"""Stopping on SIGTERM (the platform's stop) or SIGINT (Ctrl+C): `serve`, `socket`, `worker`."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["STOP_SIGNALS", "ignoring_stop_signals", "stopping_on_signals"]

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


def ignoring_stop_signals() -> None:
    """For child processes that their parent stops: platforms (and Ctrl+C) signal the
    whole process group, and a child dying first would lose its work in progress."""
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
