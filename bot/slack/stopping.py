"""Stopping on SIGTERM (the platform's stop) or SIGINT (Ctrl+C), shared by both transports."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["STOP_SIGNALS", "stopping_on_signals"]

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
LOG_STOPPING = "stopping: finishing requests and answers in progress"

logger = logging.getLogger("funnelbot.slack")


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
