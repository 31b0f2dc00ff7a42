"""Logging: one JSON object per line in production, readable lines in a terminal.

Every record passes a redaction filter that replaces the configured secrets, so a token
or a database password can never reach the logs, whatever a library prints.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

from sqlalchemy.engine import make_url

from bot.core.config import Settings

__all__ = ["JsonFormatter", "RedactingFilter", "configure_logging", "secrets_of"]

REDACTED = "***"
CONTEXT_FIELDS = (
    "request_id",
    "team",
    "user",
    "channel",
    "intent",
    "metric",
    "metrics",
    "latency_ms",
    "audience",
    "week",
    "status",
    "action",
    "reason",
)


def secrets_of(settings: Settings) -> tuple[str, ...]:
    """Every secret value in the settings, longest first."""
    values = [
        secret.get_secret_value()
        for secret in (
            settings.slack_bot_token,
            settings.slack_signing_secret,
            settings.slack_app_token,
        )
        if secret is not None
    ]
    password = make_url(_with_driver(settings.database_url)).password
    if password:
        values.append(str(password))
    return tuple(sorted((value for value in values if len(value) >= 4), key=len, reverse=True))


def _with_driver(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url


class RedactingFilter(logging.Filter):
    """Replaces secrets in the message and in context fields."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = tuple(secrets)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        for field in CONTEXT_FIELDS:
            value = record.__dict__.get(field)
            if isinstance(value, str):
                record.__dict__[field] = self.redact(value)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any context fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(
            {field: record.__dict__[field] for field in CONTEXT_FIELDS if field in record.__dict__}
        )
        if record.exc_text:
            entry["error"] = record.exc_text
        return json.dumps(entry, default=str, ensure_ascii=False)


class _HumanFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        context = " ".join(
            f"{field}={record.__dict__[field]}"
            for field in CONTEXT_FIELDS
            if field in record.__dict__
        )
        line = f"{self.formatTime(record, '%H:%M:%S')} {record.levelname:<7} {record.getMessage()}"
        line = f"{line}  {context}" if context else line
        return f"{line}\n{record.exc_text}" if record.exc_text else line


def configure_logging(settings: Settings, stream: TextIO | None = None) -> None:
    """Install the root handler once per process (JSON unless `stream` is a terminal)."""
    target = stream if stream is not None else sys.stderr
    handler = logging.StreamHandler(target)
    handler.addFilter(RedactingFilter(secrets_of(settings)))
    handler.setFormatter(_HumanFormatter() if target.isatty() else JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
