"""Where jobs run after the ack: threads of the web process, or answer processes.

`start` makes a runner ready (the CLI calls it once the app is known to be able to serve);
listeners acknowledge and `submit` a job, which returns at once; `shutdown` waits for
every job submitted. `bot.slack.answer_pool.AnswerPool` is the process-based runner.
"""

from __future__ import annotations

import contextlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from bot.slack.jobs import Job
from bot.slack.responder import Responder

__all__ = ["ANSWER_NICENESS", "ANSWER_THREADS", "JobRunner", "ThreadRunner"]

# Answering is CPU-bound database work: threads beyond the cores add no throughput and
# slow the acks down (bench/slack_load.py: ack p50 95 ms with 3 threads, 330 ms with 8).
ANSWER_THREADS = (os.cpu_count() or 1) + 1
ANSWER_NICENESS = 10


class JobRunner(Protocol):
    def start(self) -> None: ...

    def submit(self, job: Job) -> None: ...

    def shutdown(self) -> None: ...


def _yield_cpu_to_requests() -> None:
    """Answers run at a lower CPU priority than the request threads, so acks stay fast
    while the database work of earlier questions is in progress (Linux per-thread nice)."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), ANSWER_NICENESS)


class ThreadRunner:
    """Jobs done by `responder` on `workers` threads of this process."""

    def __init__(self, responder: Responder, workers: int = ANSWER_THREADS) -> None:
        self._responder = responder
        self._executor = ThreadPoolExecutor(workers, "answer", initializer=_yield_cpu_to_requests)

    def start(self) -> None:
        """Nothing to do: threads start with the first jobs."""

    def submit(self, job: Job) -> None:
        self._executor.submit(self._responder.handle, job)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)
