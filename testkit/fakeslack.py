"""A fake Slack: the Web API (at `base_url`), response_url targets and file uploads.

A stdlib threading HTTP server on 127.0.0.1 that records every call and answers like
Slack does, with scriptable faults (rate limits, Slack errors per channel or method,
slow responses). Tests point `WebClient(base_url=fake.base_url)` or `SLACK_API_URL` at
it and poll `calls()` with `wait_for` instead of sleeping.

`python -m testkit.fakeslack --port N` serves one on its own, for load benchmarks that must
not share a GIL with it; other processes read it through `GET /_fake/calls`,
`/_fake/wait` and `/_fake/reset` (`RemoteFakeSlack`). Call times are `time.monotonic()`,
which is system-wide on Linux, so they compare across processes.
"""

from __future__ import annotations

import argparse
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qs, quote, urlsplit
from urllib.request import urlopen

import pytest

__all__ = [
    "PATIENCE_SECONDS",
    "FakeSlack",
    "RecordedCall",
    "RemoteCall",
    "RemoteFakeSlack",
    "fake_slack",
    "running_fake_slack",
    "serving_fake",
    "wait_for",
]

API_PREFIX = "/api/"
RESPONSE_PREFIX = "/response/"
UPLOAD_PREFIX = "/upload/"
CONTROL_PREFIX = "/_fake/"
BOT_USER_ID = "UBOT0001"
TEAM_ID = "T0TEST01"
Json = dict[str, Any]


# How long a test waits for something that must happen (an answer delivered, a process
# up or gone). Generous on purpose: a loaded 2-core CI machine can be ten times slower
# than a laptop, and a passing test never waits it out, since every wait ends as soon as
# its condition holds. Nothing asserts how fast a thing happened against wall-clock time.
PATIENCE_SECONDS = 120.0


def wait_for(
    condition: Callable[[], Any], timeout: float = PATIENCE_SECONDS, interval: float = 0.01
) -> Any:
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(interval)


@dataclass(frozen=True)
class RecordedCall:
    """One request the fake received. `method` is the Web API method (e.g.
    "chat.postMessage"), "response_url" or "upload"; `body` is the parsed form or JSON."""

    method: str
    path: str
    body: Json
    headers: dict[str, str]
    raw: bytes
    at: float = field(default_factory=time.monotonic)

    def json_field(self, name: str) -> Any:
        """A field that form-encoded calls send as a JSON string (blocks, files, metadata)."""
        value = self.body.get(name)
        return json.loads(value) if isinstance(value, str) else value

    def headline(self) -> str:
        """The text of the message's first block (an answer's figure)."""
        return str(self.json_field("blocks")[0]["text"]["text"])


@dataclass
class _Faults:
    rate_limited: dict[str, tuple[int, int]] = field(default_factory=dict)  # method: (n, after)
    failing_methods: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    failing_channels: dict[str, str] = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=dict)
    failing_uploads: bool = False


@dataclass
class _Message:
    channel: str
    ts: str
    body: Json


class _Addresses:
    """Where a fake served at `root_url` takes Web API calls and response_url posts."""

    root_url = ""

    @property
    def base_url(self) -> str:
        return self.root_url + API_PREFIX

    def response_url(self, name: str = "r1") -> str:
        return f"{self.root_url}{RESPONSE_PREFIX}{name}"


class FakeSlack(_Addresses):
    """State and scripting of the fake; the HTTP handler below only translates."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._calls: list[RecordedCall] = []
        self._faults = _Faults()
        self._messages: list[_Message] = []
        self._ts = itertools.count(1)
        self._files = itertools.count(1)
        self.group_members: dict[str, list[str]] = {}
        self.users: dict[str, Json] = {}
        # conversations.info / conversations.list: channels added by `add_channel`; any
        # other channel id is one the bot is in, as in the tests that do not care
        self.channels: dict[str, Json] = {}
        self.socket_mode_url = ""  # what apps.connections.open hands out (testkit/fakesocket.py)

    # --- scripting ---------------------------------------------------------------
    def rate_limit(self, method: str, times: int = 1, retry_after: int = 0) -> None:
        """Answer HTTP 429 with Retry-After to the next `times` calls of `method`."""
        with self._lock:
            self._faults.rate_limited[method] = (times, retry_after)

    def fail_method(self, method: str, error: str, times: int | None = None) -> None:
        """Answer {"ok": false, "error": error} to `method` (`times` calls, else always)."""
        with self._lock:
            self._faults.failing_methods[method] = (error, times)

    def fail_channel(self, channel: str, error: str = "channel_not_found") -> None:
        """Every call naming `channel` gets a Slack error: "not_in_channel" is what a
        channel the bot is not a member of answers. A response_url post names no channel,
        so it still succeeds, as in Slack."""
        with self._lock:
            self._faults.failing_channels[channel] = error

    def add_channel(self, channel: str, name: str, *, member: bool, private: bool = False) -> None:
        """A channel conversations.info and conversations.list know; a private one the bot
        is not in is hidden from both (channel_not_found), as in Slack."""
        with self._lock:
            self.channels[channel] = {
                "id": channel,
                "name": name,
                "is_member": member,
                "is_private": private,
            }

    def slow(self, method: str, seconds: float) -> None:
        with self._lock:
            self._faults.delays[method] = seconds

    def fail_uploads(self) -> None:
        """files.getUploadURLExternal and files.completeUploadExternal fail, and so does
        the upload POST itself."""
        with self._lock:
            self._faults.failing_uploads = True

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()
            self._messages.clear()
            self._faults = _Faults()
            self.group_members.clear()
            self.users.clear()
            self.channels.clear()

    # --- reading -----------------------------------------------------------------
    def calls(self, method: str | None = None) -> list[RecordedCall]:
        with self._lock:
            return [call for call in self._calls if method is None or call.method == method]

    def wait_for_path(self, suffix: str, timeout: float) -> RecordedCall | None:
        """The first call whose path ends with `suffix`, waiting up to `timeout` seconds
        (woken by each arriving call, for load benchmarks where polling would cost CPU)."""
        deadline = time.monotonic() + timeout
        checked = 0
        with self._arrived:
            while True:
                checked = min(checked, len(self._calls))
                found = next((c for c in self._calls[checked:] if c.path.endswith(suffix)), None)
                remaining = deadline - time.monotonic()
                if found is not None or remaining <= 0:
                    return found
                checked = len(self._calls)
                self._arrived.wait(remaining)

    def messages(self, channel: str) -> list[Json]:
        """What chat.postMessage/chat.update left in `channel`, oldest first."""
        with self._lock:
            return [
                dict(item.body, ts=item.ts) for item in self._messages if item.channel == channel
            ]

    def control(self, name: str, query: dict[str, str]) -> Json | None:
        """The answer to `GET /_fake/<name>` (None: no such control)."""
        if name == "calls":
            calls = self.calls(query.get("method"))
            return {"calls": [_call_summary(call) for call in calls]}
        if name == "count":
            return {"count": len(self.calls(query.get("method")))}
        if name == "wait":
            found = self.wait_for_path(query.get("suffix", ""), float(query.get("timeout", 0)))
            return {"found": found is not None, "at": None if found is None else found.at}
        if name == "reset":
            self.reset()
            return {"ok": True}
        return None

    # --- serving -----------------------------------------------------------------
    def handle(
        self, method: str, path: str, body: Json, headers: dict[str, str], raw: bytes
    ) -> tuple[int, Json, dict[str, str]]:
        """Record the call and decide the answer: (status, JSON body, extra headers)."""
        with self._lock:
            self._calls.append(RecordedCall(method, path, body, headers, raw))
            self._arrived.notify_all()
            delay = self._faults.delays.get(method, 0.0)
            fault = self._take_fault(method, body)
        if delay:
            time.sleep(delay)
        if fault is not None:
            return fault
        return 200, self._answer(method, path, body), {}

    def _take_fault(self, method: str, body: Json) -> tuple[int, Json, dict[str, str]] | None:
        limited = self._faults.rate_limited.get(method)
        if limited is not None and limited[0] > 0:
            self._faults.rate_limited[method] = (limited[0] - 1, limited[1])
            headers = {"Retry-After": str(limited[1])}
            return 429, {"ok": False, "error": "ratelimited"}, headers
        failing = self._faults.failing_methods.get(method)
        if failing is not None:
            error, remaining = failing
            if remaining is None or remaining > 0:
                if remaining is not None:
                    self._faults.failing_methods[method] = (error, remaining - 1)
                return 200, {"ok": False, "error": error}, {}
        channel = str(body.get("channel") or body.get("channel_id") or "")
        if channel in self._faults.failing_channels:
            return 200, {"ok": False, "error": self._faults.failing_channels[channel]}, {}
        if self._faults.failing_uploads and method in _UPLOAD_METHODS:
            if method == "upload":
                return 500, {"ok": False, "error": "upload_failed"}, {}
            return 200, {"ok": False, "error": "internal_error"}, {}
        return None

    def _answer(self, method: str, path: str, body: Json) -> Json:
        handler = _ANSWERS.get(method)
        return {"ok": True} if handler is None else handler(self, body)

    def _post_message(self, body: Json) -> Json:
        channel = str(body.get("channel", ""))
        ts = f"{1_700_000_000 + next(self._ts)}.000100"
        with self._lock:
            self._messages.append(_Message(channel, ts, body))
        return {"ok": True, "channel": channel, "ts": ts, "message": dict(body, ts=ts)}

    def _update_message(self, body: Json) -> Json:
        channel, ts = str(body.get("channel", "")), str(body.get("ts", ""))
        with self._lock:
            for item in self._messages:
                if item.channel == channel and item.ts == ts:
                    item.body = body
                    return {"ok": True, "channel": channel, "ts": ts}
        return {"ok": False, "error": "message_not_found"}

    def _history(self, body: Json) -> Json:
        found = self.messages(str(body.get("channel", "")))
        messages = [_as_history_item(item) for item in reversed(found)]
        limit = int(body.get("limit") or 100)
        return {"ok": True, "messages": messages[:limit], "has_more": len(messages) > limit}

    def _ephemeral(self, body: Json) -> Json:
        return {"ok": True, "message_ts": f"{1_700_000_000 + next(self._ts)}.000200"}

    def _group_members(self, body: Json) -> Json:
        group = str(body.get("usergroup", ""))
        if group not in self.group_members:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": list(self.group_members[group])}

    def _visible_channels(self) -> dict[str, Json]:
        with self._lock:
            return {
                key: dict(info)
                for key, info in self.channels.items()
                if info["is_member"] or not info["is_private"]
            }

    def _conversation_info(self, body: Json) -> Json:
        channel = str(body.get("channel", ""))
        if channel not in self.channels:
            return {"ok": True, "channel": {"id": channel, "is_member": True}}
        info = self._visible_channels().get(channel)
        return {"ok": False, "error": "channel_not_found"} if info is None else {
            "ok": True, "channel": info
        }  # fmt: skip

    def _conversation_list(self, body: Json) -> Json:
        listed = list(self._visible_channels().values())
        return {"ok": True, "channels": listed, "response_metadata": {"next_cursor": ""}}

    def _user_info(self, body: Json) -> Json:
        user = str(body.get("user", ""))
        info = self.users.get(user, {"id": user, "name": user.lower(), "tz": "UTC"})
        return {"ok": True, "user": info}

    def _auth_test(self, body: Json) -> Json:
        return {"ok": True, "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": "BBOT0001"}

    def _connections_open(self, body: Json) -> Json:
        if not self.socket_mode_url:
            return {"ok": False, "error": "not_allowed_token_type"}
        return {"ok": True, "url": self.socket_mode_url}

    def _upload_url(self, body: Json) -> Json:
        file_id = f"F{next(self._files):08d}"
        upload_url = f"{self.root_url}{UPLOAD_PREFIX}{file_id}"
        return {"ok": True, "upload_url": upload_url, "file_id": file_id}

    def _complete_upload(self, body: Json) -> Json:
        files = body.get("files")
        listed = json.loads(files) if isinstance(files, str) else files or []
        return {
            "ok": True,
            "files": [{"id": item["id"], "title": item.get("title")} for item in listed],
        }


_UPLOAD_METHODS = ("files.getUploadURLExternal", "files.completeUploadExternal", "upload")
_ANSWERS: dict[str, Callable[[FakeSlack, Json], Json]] = {
    "chat.postMessage": FakeSlack._post_message,
    "chat.update": FakeSlack._update_message,
    "chat.postEphemeral": FakeSlack._ephemeral,
    "conversations.history": FakeSlack._history,
    "usergroups.users.list": FakeSlack._group_members,
    "conversations.info": FakeSlack._conversation_info,
    "conversations.list": FakeSlack._conversation_list,
    "users.info": FakeSlack._user_info,
    "auth.test": FakeSlack._auth_test,
    "apps.connections.open": FakeSlack._connections_open,
    "files.getUploadURLExternal": FakeSlack._upload_url,
    "files.completeUploadExternal": FakeSlack._complete_upload,
}


def _call_summary(call: RecordedCall) -> Json:
    return {
        "method": call.method,
        "path": call.path,
        "at": call.at,
        "text": call.raw.decode(errors="replace"),
    }


def _as_history_item(message: Json) -> Json:
    item: Json = {"type": "message", "ts": message["ts"], "text": message.get("text", "")}
    for name in ("blocks", "metadata", "thread_ts"):
        value = message.get(name)
        if value is not None:
            item[name] = json.loads(value) if isinstance(value, str) else value
    item["bot_id"] = "BBOT0001"
    return item


def _parse_body(raw: bytes, content_type: str) -> Json:
    if not raw:
        return {}
    if "json" in content_type:
        parsed = json.loads(raw)
        return parsed if isinstance(parsed, dict) else {"_": parsed}
    if "form" in content_type:
        try:
            text = raw.decode()
        except UnicodeDecodeError:  # the file bytes of an upload
            return {}
        return {key: values[-1] for key, values in parse_qs(text).items()}
    return {}


def _method_of(path: str) -> str:
    if path.startswith(API_PREFIX):
        return path[len(API_PREFIX) :]
    if path.startswith(RESPONSE_PREFIX):
        return "response_url"
    if path.startswith(UPLOAD_PREFIX):
        return "upload"
    return path


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        parts = urlsplit(self.path)
        body = _parse_body(raw, self.headers.get("Content-Type", ""))
        body.update({key: values[-1] for key, values in parse_qs(parts.query).items()})
        headers = {key.lower(): value for key, value in self.headers.items()}
        status, answer, extra = self.server.fake.handle(
            _method_of(parts.path), parts.path, body, headers, raw
        )
        self._send(status, answer, extra)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        name = parts.path.removeprefix(CONTROL_PREFIX)
        found = self.server.fake.control(name, query) if parts.path != name else None
        if found is None:
            self._send(404, {"ok": False, "error": "unknown_method"}, {})
        else:
            self._send(200, found, {})

    def _send(self, status: int, answer: Json, extra: dict[str, str]) -> None:
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeSlack, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.fake = fake


FakeT = TypeVar("FakeT", bound=FakeSlack)


@contextmanager
def running_fake_slack() -> Iterator[FakeSlack]:
    """A started fake on an ephemeral port, stopped on exit."""
    with serving_fake(FakeSlack()) as fake:
        yield fake


@contextmanager
def serving_fake(fake: FakeT) -> Iterator[FakeT]:
    """`fake` (a FakeSlack or a subclass with its own faults) served on an ephemeral port."""
    server = _Server(fake)
    fake.root_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-slack", daemon=True
    )
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass(frozen=True)
class RemoteCall:
    """A recorded call as another process sees it."""

    path: str
    at: float
    text: str


class RemoteFakeSlack(_Addresses):
    """A fake served by another process (`python -m testkit.fakeslack`), read over HTTP."""

    def __init__(self, root_url: str) -> None:
        self.root_url = root_url.rstrip("/")

    def _get(self, name: str, timeout: float = 10.0) -> Json:
        with urlopen(f"{self.root_url}{CONTROL_PREFIX}{name}", timeout=timeout) as response:
            answer: Json = json.load(response)
        return answer

    def reset(self) -> None:
        self._get("reset")

    def calls(self, method: str) -> list[RemoteCall]:
        found = self._get(f"calls?method={quote(method)}")["calls"]
        return [RemoteCall(item["path"], item["at"], item["text"]) for item in found]

    def count(self, method: str) -> int:
        return int(self._get(f"count?method={quote(method)}")["count"])

    def wait_for_path(self, suffix: str, timeout: float) -> float | None:
        """When the first call whose path ends with `suffix` arrived (None: not in time)."""
        query = f"wait?suffix={quote(suffix)}&timeout={timeout}"
        at = self._get(query, timeout=timeout + 10)["at"]
        return None if at is None else float(at)


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve a fake Slack until interrupted.")
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    server = _Server(FakeSlack(), port)
    server.fake.root_url = f"http://127.0.0.1:{port}"
    server.serve_forever(poll_interval=0.05)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A fresh fake Slack for one test."""
    with running_fake_slack() as fake:
        yield fake


if __name__ == "__main__":
    main()
