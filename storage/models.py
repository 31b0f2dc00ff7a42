"""Database schema: the audit and ledger tables (ORM), beside the snapshot tables of
storage/tables.py (Core, re-exported here), all in one `metadata`."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Double, String, Text, UniqueConstraint, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.tables import known_count, metadata, snapshot_rollups, snapshots, team_targets

__all__ = [
    "AccessAudit",
    "AlertEvaluation",
    "Base",
    "DigestDelivery",
    "ImportBatch",
    "ProcessedEvent",
    "SlackAlert",
    "Subscription",
    "TargetChange",
    "known_count",
    "metadata",
    "snapshot_rollups",
    "snapshots",
    "team_targets",
]


class Base(DeclarativeBase):
    metadata = metadata


class ImportBatch(Base):
    """One `funnelbot import` that wrote to the store."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    checksum: Mapped[str] = mapped_column(String(64))
    rows_inserted: Mapped[int]
    rows_replaced: Mapped[int]
    warning_count: Mapped[int]
    warnings: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class ProcessedEvent(Base):
    """Slack event ids already handled, shared by every web process (retries are dropped)."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class DigestDelivery(Base):
    """The digest ledger: one claim per (audience, channel, week), then its outcome."""

    __tablename__ = "digest_deliveries"
    __table_args__ = (UniqueConstraint("audience", "channel", "week_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audience: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(100))
    week_start: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    message_ts: Mapped[str | None] = mapped_column(String(40))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AccessAudit(Base):
    """Refusals to reveal restricted metrics: who asked for what, where and when."""

    __tablename__ = "access_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    team_id: Mapped[str | None] = mapped_column(String(40))
    user_id: Mapped[str | None] = mapped_column(String(40))
    channel_id: Mapped[str | None] = mapped_column(String(40))
    metric: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)


class AlertEvaluation(Base):
    """An alert's verdict on one complete period: the first process to evaluate it writes
    the row (UNIQUE(alert, period_start)), every later run and racing process reads it."""

    __tablename__ = "alert_evaluations"
    __table_args__ = (UniqueConstraint("alert", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert: Mapped[str] = mapped_column(String(100))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    firing: Mapped[bool] = mapped_column(Boolean)
    value: Mapped[float | None] = mapped_column(Double)
    detail: Mapped[str] = mapped_column(Text, default="")
    evaluated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SlackAlert(Base):
    """An alert made from Slack (`/funnel alert …`): what it watches, who made it, where."""

    __tablename__ = "slack_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    metric: Mapped[str] = mapped_column(String(100))
    channels: Mapped[str] = mapped_column(Text, default="")  # the `where`, space-separated
    segments: Mapped[str] = mapped_column(Text, default="")
    rule: Mapped[str] = mapped_column(String(100))
    every: Mapped[str] = mapped_column(String(10))
    post_to: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(40))
    created_in: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # The language it was asked in ("en", "th", "vi"): its posts and replies speak it.
    language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")


class TargetChange(Base):
    """Every change of a target from Slack: who, when, where, the old and the new bounds."""

    __tablename__ = "target_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user_id: Mapped[str] = mapped_column(String(40))
    channel_id: Mapped[str] = mapped_column(String(100))
    metric: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(100))
    segment: Mapped[str] = mapped_column(String(100))
    old_min: Mapped[float | None] = mapped_column(Double)
    old_max: Mapped[float | None] = mapped_column(Double)
    new_min: Mapped[float | None] = mapped_column(Double)
    new_max: Mapped[float | None] = mapped_column(Double)


class Subscription(Base):
    """A question answered on a schedule (`/funnel subscribe …`): who made it and where."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    schedule: Mapped[str] = mapped_column(String(100))
    post_to: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(5))
    created_by: Mapped[str] = mapped_column(String(40))
    created_in: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
