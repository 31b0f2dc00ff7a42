"""Every sentence the worker's source jobs log or DM, in one place (for operators: English)."""

from __future__ import annotations

__all__ = ["SyncLog", "Texts"]


class Texts:
    ADMIN_FAILED = (
        ":warning: The {source} sync failed and wrote nothing: {reason}. "
        "It will be retried at {at}, with backoff."
    )
    ADMIN_GAVE_UP = (
        ":warning: The {source} sync still fails after {tries} retries and wrote nothing: "
        "{reason}. The next scheduled run will try again."
    )
    CRASHED = "an unexpected error (see the worker's log)"
    JOB_NAME = "{source} sync ({schedule})"
    RETRY_NAME = "{source} sync retry"


class SyncLog:
    SYNCED = "source synced"
    FAILED = "source sync failed; nothing was written"
    CRASHED = "source sync crashed; nothing was written"
    BUSY = "source sync skipped: another process is running it"
    CATCH_UP = "source sync missed while the worker was down; running it now"
