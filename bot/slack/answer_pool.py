"""Answer processes: the answers' Python work away from the process that acknowledges.

In one process, acks and answers share one GIL: under load an ack waits behind the
answer threads' parsing, rendering and chart drawing (bench/slack_load.py measured an ack
p99 2.6× a bare Bolt app's). With `FUNNELBOT_ANSWER_PROCESSES` ≥ 1 the web process only
acknowledges and hands each job to a pool of answer processes, started with "spawn" (no
inherited threads or database connections), each with its own engine and Web API client,
at a lower CPU priority than the web process.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.synchronize import Barrier as BarrierType

from slack_sdk import WebClient

from bot.core.clock import Clock
from bot.core.config import Settings
from bot.core.logs import configure_logging
from bot.core.stopping import spawning_children_stopped_by_parent, stopped_only_by_parent
from bot.parser import prepare as prepare_parser
from bot.slack.app import build_responder, web_client
from bot.slack.jobs import Job
from bot.slack.responder import Responder, apologise
from bot.slack.runners import ANSWER_NICENESS
from bot.slack.texts import SlackLog
from metrics.engine import MetricsContext
from storage.engine import make_engine

__all__ = ["AnswerPool", "AnswerSetup"]

logger = logging.getLogger("funnelbot.slack")

STARTUP_SECONDS = 120.0


@dataclass(frozen=True)
class AnswerSetup:
    """Everything an answer process needs to build its responder (picklable)."""

    settings: Settings
    clock: Clock
    metrics: MetricsContext


class _Worker:
    """The answer process's own responder, built once by `_start`."""

    responder: Responder | None = None


def _start(setup: AnswerSetup, all_started: BarrierType) -> None:
    stopped_only_by_parent()
    try:
        with contextlib.suppress(OSError):
            os.nice(ANSWER_NICENESS)
        configure_logging(setup.settings)
        engine = make_engine(setup.settings.database_url)
        _Worker.responder = build_responder(setup.settings, engine, setup.clock, setup.metrics)
        prepare_parser()
    except BaseException:
        all_started.abort()  # the others stop waiting: this pool will not start
        raise
    all_started.wait(STARTUP_SECONDS)  # so that no process is still starting once serving


def _handle(job: Job) -> None:
    if _Worker.responder is None:
        raise RuntimeError("answer process used before its start")
    _Worker.responder.handle(job)


def _started() -> int:
    return os.getpid()


class AnswerPool:
    """`processes` answer processes (a `JobRunner`). When `start` returns every one of
    them has built its responder and ignores stop signals."""

    def __init__(self, setup: AnswerSetup, processes: int) -> None:
        self._setup = setup
        self._processes = processes
        self._client: WebClient = web_client(setup.settings)
        self._recoveries_lock = threading.Lock()
        self._recoveries: list[threading.Thread] = []
        self._closing = False
        self._pool: ProcessPoolExecutor | None = None
        self._replacing: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Spawn the processes (about 2 s: each imports the app and opens its engine);
        raises `BrokenProcessPool` when one of them cannot start."""
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(
            self._processes,
            mp_context=context,
            initializer=_start,
            initargs=(self._setup, context.Barrier(self._processes)),
        )
        try:
            with spawning_children_stopped_by_parent():  # each submit spawns one
                waiting = [pool.submit(_started) for _ in range(self._processes)]
            for started in waiting:
                started.result()
        except BrokenProcessPool:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        return pool

    def submit(self, job: Job) -> None:
        """Queue `job` for an answer process and return at once. If the pool breaks
        (a process killed, out of memory), every job it held gets the apology and a
        fresh pool takes the next jobs."""
        pool = self._pool
        if pool is None:
            raise RuntimeError("answer processes used before start()")
        try:
            future = pool.submit(_handle, job)
        except BrokenProcessPool as error:
            self._recover_soon(pool, job, error)
            return
        future.add_done_callback(lambda done: self._check(done, pool, job))

    def _check(self, done: Future[None], pool: ProcessPoolExecutor, job: Job) -> None:
        error = done.exception()
        if error is not None:  # the responder catches its own: this is the transport
            self._recover_soon(pool, job, error)

    def _recover_soon(self, pool: ProcessPoolExecutor, job: Job, error: BaseException) -> None:
        """On a thread of its own: the caller is a request thread that must ack, or the
        pool's manager thread reporting the failure."""
        recovery = threading.Thread(target=self._recover, args=(pool, job, error))
        with self._recoveries_lock:
            self._recoveries = [item for item in self._recoveries if item.is_alive()]
            self._recoveries.append(recovery)
        recovery.start()

    def _recover(self, pool: ProcessPoolExecutor, job: Job, error: BaseException) -> None:
        details = {"user": job.audience.user_id, "reason": f"{type(error).__name__}: {error}"}
        logger.error(SlackLog.ANSWER_PROCESS_FAILED, extra=details)
        try:
            if isinstance(error, BrokenProcessPool):
                self._replace(pool)
        finally:
            apologise(self._client, job)

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """Swap in a fresh pool, once per broken one; not while shutting down. The new
        one starts outside the lock, which request threads take to report failures; if
        it cannot start, the next failure tries again."""
        with self._recoveries_lock:
            if self._closing or self._pool is not broken or self._replacing is broken:
                return
            self._replacing = broken
        try:
            fresh = self._new_pool()
        except (BrokenProcessPool, OSError) as error:
            logger.error(SlackLog.ANSWER_POOL_NOT_STARTED, extra={"reason": str(error)})
            with self._recoveries_lock:
                self._replacing = None
            return
        with self._recoveries_lock:
            closing = self._closing
            if not closing:
                self._pool = fresh
        if closing:
            fresh.shutdown(wait=True)

    def shutdown(self) -> None:
        """Finish the jobs in progress and the apologies, then stop the processes."""
        with self._recoveries_lock:
            self._closing = True
            recoveries = list(self._recoveries)
        for recovery in recoveries:
            recovery.join()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        with self._recoveries_lock:
            late = list(self._recoveries)
        for recovery in late:
            recovery.join()
