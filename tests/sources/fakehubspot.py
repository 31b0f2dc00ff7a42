"""A fake of the HubSpot endpoints the source reads, on an ephemeral local port, shaped as
HubSpot documents them:

- `POST /crm/v3/objects/{contacts,deals}/search`: `filterGroups` (OR of ANDs; GTE, GT, LT,
  LTE, EQ, NEQ, IN, HAS_PROPERTY), `properties`, `sorts`, `limit` (at most 200) and `after`;
  the answer is `{"total", "results": [{"id", "properties", "createdAt", "updatedAt",
  "archived"}], "paging": {"next": {"after", "link"}}}` with every property value a string
  (or null), and a page past the 10,000th result answers 400;
- `GET /crm/v3/pipelines/deals`: pipelines with their stages, whose `metadata` holds
  `isClosed` and `probability` as strings;
- `POST /crm/v4/associations/{from}/companies/batch/read`: at most 1,000 `inputs` of `id`
  (and the `after` of a page before), else 400; each object's companies sorted by id,
  500 a page (`paging.next.after` an opaque token), each `{"toObjectId": <number>,
  "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId", "label"}]}` (a primary
  company has its primary type and the unlabeled one); an object with no company is an
  `OBJECT_NOT_FOUND` error of a 207 answer (`crm.associations.NO_ASSOCIATIONS_FOUND`);
- `POST /crm/v3/objects/companies/batch/read`: at most 100 `inputs`, else 400; the
  `properties` asked as strings; ids not found an `OBJECT_NOT_FOUND` error of a 207 answer;
- a Bearer token (401 otherwise), and faults queued by the test (429 with `Retry-After`, 5xx),
  for the next request or the next to a given path.
"""

from __future__ import annotations

import base64
import functools
import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = [
    "ASSOCIATIONS_A_PAGE",
    "TOKEN",
    "FakeHubSpot",
    "Fault",
    "Link",
    "default_pipelines",
    "fake_hubspot",
    "iso",
]

TOKEN = "pat-na1-test-token"
RESULT_CAP = 10_000
MAX_LIMIT = 200
DEFAULT_PROPERTIES = ("createdate", "hs_object_id", "lastmodifieddate")
ASSOCIATION_INPUTS = 1000
ASSOCIATIONS_A_PAGE = 500
BATCH_READ_INPUTS = 100
# HubSpot-defined association types to companies: (primary, unlabeled) by object type.
COMPANY_TYPES = {"contacts": (1, 279), "deals": (5, 341)}
PRIMARY_LABELS = {"contacts": "Primary", "deals": "Primary"}
SINGULAR = {"contacts": "contact", "deals": "deal", "companies": "company"}
ASSOCIATIONS_PATH = re.compile(r"^/crm/v4/associations/(contacts|deals)/companies/batch/read$")
BATCH_READ_PATH = "/crm/v3/objects/companies/batch/read"
MOMENT = "2026-01-01T00:00:00.000Z"

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
    """An answer the fake gives instead of the real one: to the next request, or to the next
    one to `path`."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Json = field(default_factory=dict)
    path: str | None = None


@dataclass(frozen=True)
class Link:
    from_type: str
    from_id: str
    company_id: str
    primary: bool


@dataclass
class FakeHubSpot:
    base_url: str = ""
    contacts: list[Json] = field(default_factory=list)
    deals: list[Json] = field(default_factory=list)
    companies: list[Json] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    pipelines: list[Json] = field(default_factory=default_pipelines)
    faults: list[Fault] = field(default_factory=list)
    requests: list[tuple[str, str, Json | None]] = field(default_factory=list)
    # run before answering the n-th request (1-based): objects created during a sync
    hooks: dict[int, Callable[[], None]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def contact(self, created: datetime, **properties: str | None) -> str:
        return self._add(self.contacts, created, properties)

    def deal(self, created: datetime, **properties: str | None) -> str:
        return self._add(self.deals, created, properties)

    def company(self, created: datetime, **properties: str | None) -> str:
        return self._add(self.companies, created, properties)

    def associate(
        self, from_type: str, from_id: str, company_id: str, *, primary: bool = False
    ) -> None:
        """Associate a contact or a deal with a company (as its primary company or not)."""
        self.links.append(Link(from_type, from_id, company_id, primary))

    def _add(self, into: list[Json], created: datetime, properties: dict[str, str | None]) -> str:
        object_id = str(1000 + len(self.contacts) + len(self.deals) + len(self.companies))
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
        return object_id

    def searches(self, object_type: str) -> list[Json]:
        path = f"/crm/v3/objects/{object_type}/search"
        return self.posted(path)

    def posted(self, path: str) -> list[Json]:
        """The bodies POSTed to `path`, in order."""
        return [body or {} for method, where, body in self.requests if where == path]

    def take_fault(self, path: str) -> Fault | None:
        """The first queued fault for a request to `path` (the caller holds the lock)."""
        for position, fault in enumerate(self.faults):
            if fault.path is None or fault.path == path:
                return self.faults.pop(position)
        return None


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


def _error(category: str, message: str, **extra: Any) -> Json:
    return {"status": "error", "category": category, "message": message, **extra}


def _too_many(inputs: object, most: int) -> tuple[int, Json] | None:
    if isinstance(inputs, list) and len(inputs) <= most:
        return None
    count = len(inputs) if isinstance(inputs, list) else 0
    message = f"Batch input size {count} is invalid: between 1 and {most} inputs are allowed"
    return 400, _error("VALIDATION_ERROR", message, correlationId="0000-batch")


def _batch_answer(results: list[Json], errors: list[Json]) -> tuple[int, Json]:
    answer: Json = {
        "status": "COMPLETE",
        "results": results,
        "requestedAt": MOMENT,
        "startedAt": MOMENT,
        "completedAt": MOMENT,
    }
    if errors:
        answer.update(numErrors=len(errors), errors=errors)
    return (207 if errors else 200), answer


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset-{offset}".encode()).decode()


def _offset(token: str | None) -> int:
    return int(base64.urlsafe_b64decode(token).decode().removeprefix("offset-")) if token else 0


def _association_types(from_type: str, primary: bool) -> list[Json]:
    primary_id, unlabeled_id = COMPANY_TYPES[from_type]
    kinds = [{"category": "HUBSPOT_DEFINED", "typeId": unlabeled_id, "label": None}]
    if primary:
        label = PRIMARY_LABELS[from_type]
        kinds.insert(0, {"category": "HUBSPOT_DEFINED", "typeId": primary_id, "label": label})
    return kinds


def _associations(fake: FakeHubSpot, from_type: str, body: Json) -> tuple[int, Json]:
    inputs = body.get("inputs")
    refused = _too_many(inputs, ASSOCIATION_INPUTS)
    if refused is not None:
        return refused
    of_object: dict[str, list[Link]] = {}
    for link in fake.links:
        if link.from_type == from_type:
            of_object.setdefault(link.from_id, []).append(link)
    results, errors = [], []
    for one in inputs or []:
        object_id = str(one["id"])
        links = sorted(of_object.get(object_id, []), key=lambda link: int(link.company_id))
        if not links:
            message = f"No company is associated with {SINGULAR[from_type]} {object_id}."
            context = {"fromObjectId": [object_id]}
            subcategory = "crm.associations.NO_ASSOCIATIONS_FOUND"
            errors.append(
                _error("OBJECT_NOT_FOUND", message, subCategory=subcategory, context=context)
            )
            continue
        offset = _offset(one.get("after"))
        page = links[offset : offset + ASSOCIATIONS_A_PAGE]
        result: Json = {
            "from": {"id": object_id},
            "to": [
                {
                    "toObjectId": int(link.company_id),
                    "associationTypes": _association_types(from_type, link.primary),
                }
                for link in page
            ],
        }
        if offset + ASSOCIATIONS_A_PAGE < len(links):
            after = _token(offset + ASSOCIATIONS_A_PAGE)
            result["paging"] = {"next": {"after": after, "link": None}}
        results.append(result)
    return _batch_answer(results, errors)


def _batch_read(fake: FakeHubSpot, body: Json) -> tuple[int, Json]:
    inputs = body.get("inputs")
    refused = _too_many(inputs, BATCH_READ_INPUTS)
    if refused is not None:
        return refused
    by_id = {one["id"]: one for one in fake.companies}
    wanted = [*(body.get("properties") or []), *DEFAULT_PROPERTIES]
    results, missing = [], []
    for one in inputs or []:
        company = by_id.get(str(one["id"]))
        if company is None:
            missing.append(str(one["id"]))
            continue
        properties = {name: company["properties"].get(name) for name in wanted}
        results.append(
            {**{k: v for k, v in company.items() if k != "properties"}, "properties": properties}
        )
    errors = []
    if missing:
        message = (
            "Could not get some COMPANY objects, they may be deleted or not exist. "
            "Check that ids are valid."
        )
        errors.append(_error("OBJECT_NOT_FOUND", message, context={"ids": missing}))
    return _batch_answer(results, errors)


def _answer(fake: FakeHubSpot, command: str, path: str, body: Json | None) -> tuple[int, Json]:
    if command == "GET" and path == "/crm/v3/pipelines/deals":
        return 200, {"results": fake.pipelines}
    with fake.lock:
        for object_type, objects in (("contacts", fake.contacts), ("deals", fake.deals)):
            if command == "POST" and path == f"/crm/v3/objects/{object_type}/search":
                return _search(list(objects), body or {})
        associations = ASSOCIATIONS_PATH.match(path)
        if command == "POST" and associations is not None:
            return _associations(fake, associations.group(1), body or {})
        if command == "POST" and path == BATCH_READ_PATH:
            return _batch_read(fake, body or {})
    return 404, _error("OBJECT_NOT_FOUND", "Not found")


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
                fault = fake.take_fault(self.path)
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
            self._send(*_answer(fake, self.command, self.path, body))

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
