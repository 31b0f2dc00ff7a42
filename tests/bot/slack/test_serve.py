"""`funnelbot serve`, `socket` and `manifest` as operators run them: real subprocesses."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from bot.slack.manifest import BOT_EVENTS, BOT_SCOPES
from testkit.fakeslack import PATIENCE_SECONDS, FakeSlack, wait_for
from testkit.processes import children, free_port
from testkit.signed import BOT_TOKEN, SIGNING_SECRET, get, post_signed, slash_body
from tests.bot.slack.conftest import seed
from tests.conftest import Store

FUNNELBOT = str(Path(sys.executable).with_name("funnelbot"))
UNREACHABLE_DB = "postgresql://nobody@127.0.0.1:1/none"


def _env(database_url: str, fake: FakeSlack | None, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SLACK_")}
    env.update(DATABASE_URL=database_url, LOG_LEVEL="WARNING", **extra)
    if fake is not None:
        env.update(
            SLACK_API_URL=fake.base_url,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
        )
    return env


@contextmanager
def serving(database_url: str, fake: FakeSlack) -> Iterator[str]:
    """`funnelbot serve --as-of 2026-11-25` on a free port; yields its root URL."""
    with serving_process(database_url, fake) as (root, _):
        yield root


@contextmanager
def serving_process(
    database_url: str, fake: FakeSlack
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """As `serving`, with the process; stopped with SIGTERM, which must exit 0."""
    port = free_port()
    process = subprocess.Popen(
        [FUNNELBOT, "serve", "--port", str(port), "--as-of", "2026-11-25"],
        env=_env(database_url, fake),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a process group of its own, as on a platform
    )
    root = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(root) or process.poll() is not None)
        assert process.poll() is None, process.communicate()
        yield root, process
    finally:
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=PATIENCE_SECONDS)
        assert process.returncode == 0, errors
        assert BOT_TOKEN not in errors and SIGNING_SECRET not in errors


def _answers(root: str) -> bool:
    try:
        get(root + "/healthz")
    except OSError:
        return False
    return True


def test_slash_command_through_funnelbot_serve(store: Store, fake_slack: FakeSlack) -> None:
    seed(store)
    with serving(store.url, fake_slack) as root:
        health = get(root + "/healthz")
        assert (health.status, json.loads(health.body)["database"]) == (200, "ok")
        body = slash_body("cac last month", fake_slack.response_url())
        assert post_signed(root + "/slack/events", body).status == 200
        (answer,) = wait_for(lambda: fake_slack.calls("response_url"))
    assert answer.headline() == "Customer acquisition cost: USD 400"


def _ask_until_delivering(root: str, fake: FakeSlack, name: str = "r1") -> None:
    """Ask; return once the answer's delivery has reached the (slowed) fake."""
    post_signed(root + "/slack/events", slash_body("cac 2026-10", fake.response_url(name)))
    wait_for(lambda: fake.calls("response_url"))


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_sigterm_to_the_process_group_finishes_the_answer_in_flight(
    store: Store, fake_slack: FakeSlack
) -> None:
    seed(store)
    fake_slack.slow("response_url", 1.5)
    with serving_process(store.url, fake_slack) as (root, process):
        _ask_until_delivering(root, fake_slack)
        stopped_at = time.monotonic()
        os.killpg(process.pid, signal.SIGTERM)  # platforms signal every process of the dyno
        process.wait(timeout=PATIENCE_SECONDS)
        waited = time.monotonic() - stopped_at
    assert waited > 1.0  # it waited for the delivery in progress instead of dropping it
    (answer,) = fake_slack.calls("response_url")  # and the answer processes did not die
    assert answer.headline() == "Customer acquisition cost: USD 400"


def _answer_processes(parent: int) -> list[int]:
    return [
        child
        for child in children(parent)
        if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()
    ]


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_killed_answer_process_gets_an_apology_and_a_new_pool(
    store: Store, fake_slack: FakeSlack
) -> None:
    seed(store)
    fake_slack.slow("response_url", 1.0)
    with serving_process(store.url, fake_slack) as (root, process):
        answering = _answer_processes(process.pid)
        assert len(answering) == 2  # FUNNELBOT_ANSWER_PROCESSES defaults to 2
        _ask_until_delivering(root, fake_slack, "a")
        os.kill(answering[0], signal.SIGKILL)  # the pool breaks as a whole
        apology = wait_for(lambda: fake_slack.calls("response_url")[1:])[0]
        assert "something went wrong" in apology.raw.decode()
        post_signed(root + "/slack/events", slash_body("cac 2026-10", fake_slack.response_url("b")))
        answer = wait_for(lambda: fake_slack.calls("response_url")[2:])[0]
        assert answer.path.endswith("/b")
        # the other one is stopped by the broken pool, not left running
        wait_for(lambda: set(_answer_processes(process.pid)).isdisjoint(answering))
    assert answer.headline() == "Customer acquisition cost: USD 400"


def test_healthz_is_503_when_the_database_is_down(fake_slack: FakeSlack) -> None:
    with serving(UNREACHABLE_DB, fake_slack) as root:
        health = get(root + "/healthz")
    assert health.status == 503
    assert json.loads(health.body)["database"] != "ok"


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FUNNELBOT, *args],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=PATIENCE_SECONDS,
    )


def test_serve_without_secrets_exits_1_with_one_line(tmp_path: Path) -> None:
    result = _run("serve", env=_env(f"sqlite:///{tmp_path / 'x.db'}", None))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "SLACK_BOT_TOKEN" in result.stderr


def test_serve_on_a_busy_port_exits_1_with_one_line(tmp_path: Path, fake_slack: FakeSlack) -> None:
    with socket.socket() as busy:
        busy.bind(("0.0.0.0", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        result = _run(
            "serve", "--port", port, env=_env(f"sqlite:///{tmp_path / 'x.db'}", fake_slack)
        )
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: cannot listen on port {port}: Address already in use"


def test_serve_with_a_refused_bot_token_exits_1_with_slacks_reason(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    fake_slack.fail_method("auth.test", "invalid_auth")
    result = _run("serve", env=_env(f"sqlite:///{tmp_path / 'x.db'}", fake_slack))
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: Slack refused the bot token:")
    assert "invalid_auth" in last and "Traceback" not in result.stderr


def test_socket_without_app_token_exits_1(tmp_path: Path, fake_slack: FakeSlack) -> None:
    result = _run("socket", env=_env(f"sqlite:///{tmp_path / 'x.db'}", fake_slack))
    assert result.returncode == 1
    assert "SLACK_APP_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_manifest_lists_exactly_what_the_app_uses(tmp_path: Path) -> None:
    env = _env(f"sqlite:///{tmp_path / 'x.db'}", None, FUNNELBOT_COMMAND="/kpi")
    result = _run("manifest", "--url", "https://bot.example.com/", env=env)
    assert result.returncode == 0, result.stderr
    manifest = yaml.safe_load(result.stdout)
    url = "https://bot.example.com/slack/events"
    assert manifest["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)
    assert set(BOT_SCOPES) == {
        "commands", "chat:write", "app_mentions:read", "im:history", "files:write",
        "usergroups:read", "channels:history", "groups:history", "channels:read", "groups:read",
    }  # fmt: skip
    (command,) = manifest["features"]["slash_commands"]
    assert (command["command"], command["url"]) == ("/kpi", url)
    settings = manifest["settings"]
    assert settings["event_subscriptions"] == {"bot_events": list(BOT_EVENTS), "request_url": url}
    assert settings["interactivity"] == {"is_enabled": True, "request_url": url}
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_manifest_refuses_non_https_urls(tmp_path: Path) -> None:
    url = "http://insecure.example.com"
    result = _run("manifest", "--url", url, env=_env(f"sqlite:///{tmp_path / 'x.db'}", None))
    assert result.returncode == 1
    assert "https://" in result.stderr


def test_socket_manifest_enables_socket_mode_without_request_urls(tmp_path: Path) -> None:
    result = _run("manifest", "--socket", env=_env(f"sqlite:///{tmp_path / 'x.db'}", None))
    assert result.returncode == 0, result.stderr
    manifest = yaml.safe_load(result.stdout)
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is True
    (command,) = manifest["features"]["slash_commands"]
    assert "url" not in command
    assert settings["event_subscriptions"] == {"bot_events": list(BOT_EVENTS)}
    assert settings["interactivity"] == {"is_enabled": True}
