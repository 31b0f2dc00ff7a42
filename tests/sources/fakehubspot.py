"""A fake of the two HubSpot endpoints the source reads, on an ephemeral local port, shaped
as HubSpot documents them:

- `POST /crm/v3/objects/{contacts,deals}/search`: `filterGroups` (OR of ANDs; GTE, GT, LT,
  LTE, EQ, NEQ, IN, HAS_PROPERTY), `properties`, `sorts`, `limit` (at most 200) and `after`;
  the answer is `{"total", "results": [{"id", "properties", "createdAt", "updatedAt",
  "archived"}], "paging": {"next": {"after", "link"}}}` with every property value a string
  (or null), and a page past the 10,000th result answers 400;
- `GET /crm/v3/pipelines/deals`: pipelines with their stages, whose `metadata` holds
  `isClosed` and `probability` as strings;
- a Bearer token (401 otherwise), and faults queued by the test (429 with `Retry-After`, 5xx).
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["TOKEN", "FakeHubSpot", "Fault", "default_pipelines", "fake_hubspot", "iso"]

TOKEN = "pat-na1-test-token"
RESULT_CAP = 10_000
MAX_LIMIT = 200
DEFAULT_PROPERTIES = ("createdate", "hs_object_id", "lastmodifieddate")

Json = dict[str, Any]


def iso(moment: datetime) -> str:
    """A datetime property as HubSpot writes it: `2026-03-01T10:15:00.000Z`."""
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


def default_pipelines() -> list[Json]:
    """An account's "Sales Pipeline" and a second one whose closed stages have own ids."""

    def stage(stage_id: str, order: int, probability: str, closed: bool) -> Json:
        return {
            "id": stage_id,
            "label": stage_id.title(),
            "displayOrder": order,
            "metadata": {"isClosed": "true" if closed else "false", "probability": probability},
            "createdAt": "2024-01-01T00:00:00.000Z",
            "updatedAt": "2024-01-01T00:00:00.000Z",
            "archived": False,
        }

    return [
        {
            "id": "default",
            "label": "Sales Pipeline",
            "displayOrder": 0,
            "stages": [
                stage("appointmentscheduled", 0, "0.2", closed=False),
                stage("contractsent", 1, "0.9", closed=False),
                stage("closedwon", 2, "1.0", closed=True),
                stage("closedlost", 3, "0.0", closed=True),
            ],
            "createdAt": "2024-01-01T00:00:00.000Z",
            "updatedAt": "2024-01-01T00:00:00.000Z",
            "archived": False,
        },
        {
            "id": "84937165",
            "label": "Renewals",
            "displayOrder": 1,
            "stages": [
                stage("137439861", 0, "0.5", closed=False),
                stage("137439862", 1, "1.0", closed=True),
                stage("137439863", 2, "0.0", closed=True),
            ],
            "createdAt": "2024-01-01T00:00:00.000Z",
            "updatedAt": "2024-01-01T00:00:00.000Z",
            "archived": False,
        },
    ]


@dataclass(frozen=True)
class Fault:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Json = field(default_factory=dict)


@dataclass
class FakeHubSpot:
    base_url: str = ""
    contacts: list[Json] = field(default_factory=list)
    deals: list[Json] = field(default_factory=list)
    pipelines: list[Json] = field(default_factory=default_pipelines)
    faults: list[Fault] = field(default_factory=list)
    requests: list[tuple[str, str, Json | None]] = field(default_factory=list)
    # run before answering the n-th request (1-based): objects created during a sync
    hooks: dict[int, Callable[[], None]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def contact(self, created: datetime, **properties: str | None) -> None:
        self._add(self.contacts, created, properties)

    def deal(self, created: datetime, **properties: str | None) -> None:
        self._add(self.deals, created, properties)

    def _add(self, into: list[Json], created: datetime, properties: dict[str, str | None]) -> None:
        object_id = str(1000 + len(self.contacts) + len(self.deals))
        into.append(
            {
                "id": object_id,
                "properties": {
                    "createdate": iso(created),
                    "hs_object_id": object_id,
                    "lastmodifieddate": iso(created),
                    **properties,
                },
                "createdAt": iso(created),
                "updatedAt": iso(created),
                "archived": False,
            }
        )

    def searches(self, object_type: str) -> list[Json]:
        path = f"/crm/v3/objects/{object_type}/search"
        return [body or {} for method, where, body in self.requests if where == path]


@functools.lru_cache(maxsize=200_000)
def _millis(value: str) -> int | None:
    if value.isdigit():
        return int(value)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def _matches(properties: Json, one: Json) -> bool:
    value = properties.get(one["propertyName"])
    operator = one["operator"]
    if operator == "HAS_PROPERTY":
        return value not in (None, "")
    if value in (None, ""):
        return False
    if operator == "IN":
        return str(value) in [str(v) for v in one["values"]]
    wanted = str(one["value"])
    if operator in ("EQ", "NEQ"):
        return bool((str(value) == wanted) == (operator == "EQ"))
    left, right = _millis(str(value)), _millis(wanted)
    if left is None or right is None:  # not a date: a malformed object the test planted
        return True
    return _compare(operator, left, right)


def _compare(operator: str, left: float, right: float) -> bool:
    results: dict[str, bool] = {
        "GTE": left >= right,
        "GT": left > right,
        "LTE": left <= right,
        "LT": left < right,
    }
    return results[operator]


def _sort_key(name: str) -> Callable[[Json], int | str]:
    def key(one: Json) -> int | str:
        value = one["properties"].get(name)
        return int(value or 0) if name == "hs_object_id" else str(value or "")

    return key


def _search(objects: list[Json], body: Json) -> tuple[int, Json]:
    groups = body.get("filterGroups") or []
    found = [
        one
        for one in objects
        if not groups
        or any(all(_matches(one["properties"], f) for f in g["filters"]) for g in groups)
    ]
    for sort in reversed(body.get("sorts") or []):
        found.sort(
            key=_sort_key(str(sort["propertyName"])), reverse=sort.get("direction") == "DESCENDING"
        )
    limit = min(int(body.get("limit", 10)), MAX_LIMIT)
    offset = int(body.get("after") or 0)
    if offset >= RESULT_CAP:
        return 400, {
            "status": "error",
            "message": "There was a problem with the request.",
            "correlationId": "6ad0d8ea-8c1b-4b8c-9e6d-000000000000",
            "category": "VALIDATION_ERROR",
        }
    wanted = [*(body.get("properties") or []), *DEFAULT_PROPERTIES]
    page = found[offset : offset + limit]
    answer: Json = {
        "total": len(found),
        "results": [
            {
                **{key: value for key, value in one.items() if key != "properties"},
                "properties": {name: one["properties"].get(name) for name in wanted},
            }
            for one in page
        ],
    }
    if offset + limit < len(found):
        after = str(offset + limit)
        answer["paging"] = {"next": {"after": after, "link": f"?after={after}"}}
    return 200, answer


def _handler(fake: FakeHubSpot) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            self._serve(None)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self._serve(json.loads(self.rfile.read(length) or b"{}"))

        def _serve(self, body: Json | None) -> None:
            with fake.lock:
                fake.requests.append((self.command, self.path, body))
                fault = fake.faults.pop(0) if fake.faults else None
                hook = fake.hooks.pop(len(fake.requests), None)
                if hook is not None:
                    hook()
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self._send(
                    401,
                    {
                        "status": "error",
                        "message": "Authentication credentials not found.",
                        "category": "INVALID_AUTHENTICATION",
                    },
                )
                return
            if fault is not None:
                self._send(fault.status, fault.body, fault.headers)
                return
            if self.command == "GET" and self.path == "/crm/v3/pipelines/deals":
                self._send(200, {"results": fake.pipelines})
                return
            for object_type, objects in (("contacts", fake.contacts), ("deals", fake.deals)):
                if self.command == "POST" and self.path == f"/crm/v3/objects/{object_type}/search":
                    with fake.lock:
                        status, answer = _search(list(objects), body or {})
                    self._send(status, answer)
                    return
            self._send(
                404, {"status": "error", "message": "Not found", "category": "OBJECT_NOT_FOUND"}
            )

        def _send(self, status: int, body: Json, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


@contextmanager
def fake_hubspot() -> Iterator[FakeHubSpot]:
    fake = FakeHubSpot()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
