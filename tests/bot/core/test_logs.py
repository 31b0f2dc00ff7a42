from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.core.config import load_settings
from bot.core.logs import configure_logging, secrets_of

TOKEN = "xoxb-1234-secret-token"
SIGNING = "signing-secret-abcdef"
PASSWORD = "db-pass-9876"


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING)
    monkeypatch.setenv("DATABASE_URL", f"postgres://app:{PASSWORD}@db.example:5432/funnel")
    stream = io.StringIO()
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    configure_logging(load_settings(), stream)
    yield stream
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)


def test_secrets_come_from_tokens_and_the_database_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"postgres://app:{PASSWORD}@db/funnel")
    assert set(secrets_of(load_settings())) == {TOKEN, PASSWORD}


def test_lines_are_json_with_context_fields(captured: io.StringIO) -> None:
    logging.getLogger("funnelbot.test").info(
        "answered", extra={"request_id": "r1", "team": "T1", "intent": "metric", "latency_ms": 12}
    )
    entry = json.loads(captured.getvalue().splitlines()[-1])
    assert entry["message"] == "answered"
    assert (entry["request_id"], entry["team"], entry["latency_ms"]) == ("r1", "T1", 12)


def test_secrets_never_reach_the_output(captured: io.StringIO) -> None:
    log = logging.getLogger("funnelbot.test")
    log.warning("token %s and secret %s", TOKEN, SIGNING, extra={"reason": f"pw {PASSWORD}"})
    try:
        raise RuntimeError(f"connect failed for app:{PASSWORD}@db")
    except RuntimeError:
        log.exception("database down")
    output = captured.getvalue()
    for secret in (TOKEN, SIGNING, PASSWORD):
        assert secret not in output
    assert output.count("***") >= 4
