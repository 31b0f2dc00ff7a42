"""The HTTP server's own error handling: a client hanging up is no traceback."""

from __future__ import annotations

import logging

import pytest

from bot.slack.server import SlackHttpServer


def _server() -> SlackHttpServer:
    """The server's error handling reads no state: no socket or app is needed."""
    return SlackHttpServer.__new__(SlackHttpServer)


@pytest.mark.parametrize("error", [BrokenPipeError(32, "Broken pipe"), ConnectionResetError()])
def test_a_client_that_hung_up_is_a_debug_line(
    error: OSError, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="funnelbot.slack.server")
    try:
        raise error
    except OSError:
        _server().handle_error(None, ("127.0.0.1", 40000))
    assert capsys.readouterr().err == ""
    assert [record.levelno for record in caplog.records] == [logging.DEBUG]
    assert "closed the connection early" in caplog.records[0].getMessage()


def test_any_other_error_is_logged_with_its_traceback(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    try:
        raise ValueError("broken handler")
    except ValueError:
        _server().handle_error(None, ("127.0.0.1", 40000))
    assert capsys.readouterr().err == ""
    assert caplog.records[0].levelno == logging.ERROR
    assert caplog.records[0].exc_info is not None
