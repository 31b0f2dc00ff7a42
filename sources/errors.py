"""What can go wrong in a source run. Every error carries one line for people.

SyncError                 the run failed; nothing was written
├── SourceBusyError       another process holds the source's lock
├── NotConfiguredError    the source lacks its key or configuration
└── MalformedObjectError  an object the source read is not what its API documents
"""

from __future__ import annotations

__all__ = ["MalformedObjectError", "NotConfiguredError", "SourceBusyError", "SyncError"]


class SyncError(Exception):
    """A source run failed, for the one-line reason in the message; nothing was written."""


class SourceBusyError(SyncError):
    """Another process is running this source right now."""


class NotConfiguredError(SyncError):
    """The source cannot run: its key or configuration is missing."""


class MalformedObjectError(SyncError):
    """An object read from the source's API lacks a field or has one of the wrong type."""
