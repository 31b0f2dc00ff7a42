"""A thin typed client of the HubSpot endpoints the source reads (the CRM search API, the
deal pipelines, and for a segment from a company property the v4 associations and the
companies' batch read), on httpx: every request throttled under the search API's limit, 429
answered by waiting `Retry-After`, 5xx and network errors retried with backoff, and each
failure a one-line SyncError that never shows the token.

Waiting goes through an injected `sleep` and `clock`, so tests never sleep.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from sources.errors import MalformedObjectError, SyncError
from sources.texts import HubSpotErrors as Errors

__all__ = [
    "ASSOCIATIONS_BATCH",
    "MAX_RETRIES",
    "MIN_INTERVAL_SECONDS",
    "OBJECTS_BATCH",
    "PAGE_SIZE",
    "RESULT_CAP",
    "Associations",
    "CapReachedError",
    "HubSpotApi",
    "Link",
    "Properties",
    "SearchPage",
    "Throttle",
]

# The search API allows 5 requests a second per token; stay under it.
MIN_INTERVAL_SECONDS = 0.25
MAX_RETRIES = 4
MAX_RETRY_AFTER_SECONDS = 60.0
# A search returns at most 10,000 results, 200 a page.
RESULT_CAP = 10_000
PAGE_SIZE = 200
# The inputs one batch read takes: associations (v4), objects (v3).
ASSOCIATIONS_BATCH = 1000
OBJECTS_BATCH = 100
# A batch answer's error for an id that has nothing to give (no association, no object).
NOT_FOUND = "OBJECT_NOT_FOUND"
TOO_MANY_REQUESTS = 429
BAD_REQUEST = 400
UNAUTHORIZED = 401
FORBIDDEN = 403

Sleep = Callable[[float], None]
Clock = Callable[[], float]
Json = dict[str, Any]
Properties = Mapping[str, str | None]


class CapReachedError(SyncError):
    """HubSpot refused a page past its 10,000-result cap (400): the window must be split."""


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of a search: its objects' ids and string properties, the total, the next
    `after` (None on the last page)."""

    total: int
    results: tuple[tuple[str, Properties], ...]
    after: str | None


@dataclass(frozen=True, slots=True)
class Link:
    """An association to one object, with its association type ids (1: a contact's primary
    company, 5: a deal's; 279 and 341 their unlabeled kind)."""

    to_id: str
    type_ids: frozenset[int]


@dataclass(frozen=True, slots=True)
class Associations:
    """One object's associations on one page, and the `after` of its next page (or None)."""

    from_id: str
    links: tuple[Link, ...]
    after: str | None


class Throttle:
    """At most one request every `interval` seconds, waiting through `sleep`."""

    def __init__(self, interval: float, clock: Clock, sleep: Sleep) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._last: float | None = None

    def wait(self) -> None:
        now = self._clock()
        if self._last is not None and now < self._last + self.interval:
            self._sleep(self._last + self.interval - now)
            now = self._clock()
        self._last = now


class HubSpotApi:
    def __init__(
        self,
        token: str,
        base_url: str,
        *,
        sleep: Sleep = time.sleep,
        clock: Clock = time.monotonic,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._sleep = sleep
        self.throttle = Throttle(MIN_INTERVAL_SECONDS, clock, sleep)
        self._http = httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=timeout,
        )

    def close(self) -> None:
        """Close the connections (a source is built for one run)."""
        self._http.close()

    def deal_pipelines(self) -> list[Json]:
        """GET /crm/v3/pipelines/deals: every deal pipeline with its stages."""
        body = self._request("GET", "/crm/v3/pipelines/deals")
        results = body.get("results")
        if not isinstance(results, list):
            raise MalformedObjectError(Errors.MALFORMED.format(what="pipelines", problem="results"))
        return [pipeline for pipeline in results if isinstance(pipeline, dict)]

    def search(self, object_type: str, request: Json, after: str | None) -> SearchPage:
        """POST /crm/v3/objects/{object_type}/search, one page."""
        payload = dict(request, limit=PAGE_SIZE)
        if after is not None:
            payload["after"] = after
        past_cap = after is not None and after.isdigit() and int(after) >= RESULT_CAP
        body = self._request("POST", f"/crm/v3/objects/{object_type}/search", payload, past_cap)
        return _page(object_type, body)

    def associations(
        self, from_type: str, to_type: str, inputs: Sequence[tuple[str, str | None]]
    ) -> list[Associations]:
        """POST /crm/v4/associations/{from_type}/{to_type}/batch/read: a page of each input's
        (id, after) associations; an object that has none is absent."""
        payload = {
            "inputs": [
                {"id": one} if after is None else {"id": one, "after": after}
                for one, after in inputs
            ]
        }
        path = f"/crm/v4/associations/{from_type}/{to_type}/batch/read"
        body = self._request("POST", path, payload, forbidden=Errors.COMPANY_SCOPES)
        what = f"{from_type} to {to_type} associations"
        return [_associations(what, one) for one in _batch_results(what, body)]

    def batch_read(
        self, object_type: str, ids: Iterable[str], properties: Sequence[str]
    ) -> dict[str, Properties]:
        """POST /crm/v3/objects/{object_type}/batch/read: `properties` of each object found."""
        payload = {"properties": list(properties), "inputs": [{"id": one} for one in ids]}
        path = f"/crm/v3/objects/{object_type}/batch/read"
        body = self._request("POST", path, payload, forbidden=Errors.COMPANY_SCOPES)
        what = f"{object_type} batch read"
        return dict(_object(what, one) for one in _batch_results(what, body))

    def _request(
        self,
        method: str,
        path: str,
        payload: Json | None = None,
        past_cap: bool = False,
        *,
        forbidden: str = Errors.SCOPES,
    ) -> Json:
        """The answer's JSON; a 400 for a page past the cap is CapReachedError, a 403 says
        `forbidden`."""
        for attempt in range(MAX_RETRIES + 1):
            self.throttle.wait()
            try:
                response = self._http.request(method, path, json=payload)
            except httpx.HTTPError as error:
                if attempt == MAX_RETRIES:
                    raise self._failure(Errors.UNREACHABLE, error=error) from None
                self._sleep(2.0**attempt)
                continue
            retry = response.status_code == TOO_MANY_REQUESTS or response.status_code >= 500
            if retry and attempt < MAX_RETRIES:
                self._sleep(_retry_after(response) or 2.0**attempt)
                continue
            return self._body(response, past_cap, forbidden)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _body(self, response: httpx.Response, past_cap: bool, forbidden: str) -> Json:
        status = response.status_code
        if status < 300:
            body = response.json()
            if not isinstance(body, dict):
                raise MalformedObjectError(Errors.MALFORMED.format(what="answer", problem="body"))
            return body
        message = _message(response)
        if status == BAD_REQUEST and (past_cap or _is_cap(message)):
            raise CapReachedError(message)
        template = {
            UNAUTHORIZED: Errors.AUTH,
            FORBIDDEN: forbidden,
            TOO_MANY_REQUESTS: Errors.RATE_LIMITED,
        }.get(status, Errors.SERVER if status >= 500 else Errors.REFUSED)
        raise self._failure(template, status=status, message=message)

    def _failure(
        self, template: str, *, error: Exception | None = None, status: int = 0, message: str = ""
    ) -> SyncError:
        text = template.format(
            base=self.base_url,
            message=message or (str(error).splitlines()[0] if error else ""),
            status=status,
            retries=MAX_RETRIES,
        )
        return SyncError(text.replace(self._token, "[redacted]"))


def _retry_after(response: httpx.Response) -> float | None:
    raw = response.headers.get("retry-after")
    try:
        seconds = float(raw) if raw is not None else None
    except ValueError:
        return None
    return None if seconds is None else min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text.strip().splitlines()[0] if response.text.strip() else ""
    message = body.get("message") if isinstance(body, dict) else None
    return str(message) if message else response.reason_phrase


def _is_cap(message: str) -> bool:
    return "10000" in message.replace(",", "") or "10k" in message.lower()


def _page(object_type: str, body: Json) -> SearchPage:
    results = body.get("results")
    total = body.get("total")
    if not isinstance(results, list) or not isinstance(total, int):
        raise MalformedObjectError(
            Errors.MALFORMED.format(what=f"{object_type} search", problem="results or total")
        )
    parsed = tuple(_object(f"a {object_type} result", one) for one in results)
    return SearchPage(total, parsed, _next_after(body))


def _object(what: str, one: object) -> tuple[str, Properties]:
    """A CRM object's id and its properties, every value a string or None."""
    properties = one.get("properties") if isinstance(one, dict) else None
    if not isinstance(one, dict) or not isinstance(properties, dict) or "id" not in one:
        raise MalformedObjectError(Errors.MALFORMED.format(what=what, problem="id or properties"))
    values = {str(key): None if value is None else str(value) for key, value in properties.items()}
    return str(one["id"]), values


def _next_after(body: Mapping[str, object]) -> str | None:
    paging = body.get("paging")
    after = None
    if isinstance(paging, dict) and isinstance(paging.get("next"), dict):
        after = paging["next"].get("after")
    return None if after is None else str(after)


def _batch_results(what: str, body: Json) -> list[object]:
    """A batch answer's results (200, or 207 with errors): an id with nothing to give
    (`OBJECT_NOT_FOUND`) is only absent, any other error fails the run."""
    results = body.get("results")
    errors = body.get("errors") or []
    if not isinstance(results, list) or not isinstance(errors, list):
        raise MalformedObjectError(Errors.MALFORMED.format(what=what, problem="results"))
    for error in errors:
        if not isinstance(error, dict) or error.get("category") != NOT_FOUND:
            message = error.get("message") if isinstance(error, dict) else error
            raise SyncError(Errors.BATCH_FAILED.format(what=what, message=message))
    return results


def _associations(what: str, one: object) -> Associations:
    source = one.get("from") if isinstance(one, dict) else None
    links = one.get("to") if isinstance(one, dict) else None
    if not isinstance(source, dict) or "id" not in source or not isinstance(links, list):
        raise MalformedObjectError(Errors.MALFORMED.format(what=what, problem="from or to"))
    after = _next_after(one) if isinstance(one, dict) else None
    return Associations(str(source["id"]), tuple(_link(what, link) for link in links), after)


def _link(what: str, link: object) -> Link:
    """One `to` entry: `toObjectId` (a number on the wire, a string in some of HubSpot's
    examples) and its `associationTypes`."""
    kinds = link.get("associationTypes") if isinstance(link, dict) else None
    if not isinstance(link, dict) or "toObjectId" not in link or not isinstance(kinds, list):
        raise MalformedObjectError(
            Errors.MALFORMED.format(what=what, problem="toObjectId or associationTypes")
        )
    type_ids = frozenset(
        int(kind["typeId"]) for kind in kinds if isinstance(kind, dict) and "typeId" in kind
    )
    return Link(str(link["toObjectId"]), type_ids)
