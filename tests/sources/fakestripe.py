"""A small fake of the three Stripe list endpoints the source reads, for what localstripe
cannot express: Prices (localstripe speaks Plans), coupons on subscriptions, backdated
renewal invoices, and scripted faults (429 with Retry-After, 500s mid-sync).

Objects are shaped as Stripe documents them for API version 2024-06-20 (`list` objects
with `has_more`, `starting_after` paging, `limit` up to 100). A stdlib HTTP server in a
thread; every request is recorded.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.sources.localstripe import EPOCH

__all__ = ["FakeStripe", "Fault", "at_day", "fake_stripe", "price", "subscription"]

Json = dict[str, Any]
LISTS = ("customers", "subscriptions", "invoices")


def at_day(offset: int, hour: int = 10) -> int:
    """Epoch seconds at `hour` UTC on EPOCH's date plus `offset` days."""
    moment = datetime.combine(EPOCH.date() + timedelta(days=offset), time(hour), UTC)
    return int(moment.timestamp())


def price(amount: int, interval: str = "month", interval_count: int = 1) -> Json:
    return {
        "id": f"price_{amount}_{interval}_{interval_count}",
        "object": "price",
        "currency": "usd",
        "billing_scheme": "per_unit",
        "unit_amount": amount,
        "unit_amount_decimal": str(amount),
        "recurring": {
            "interval": interval,
            "interval_count": interval_count,
            "usage_type": "licensed",
        },
    }


def subscription(
    sub_id: str,
    customer: str,
    items: list[tuple[Json, int]],
    *,
    start: int,
    status: str = "active",
    period_start: int | None = None,
    coupon: Json | None = None,
    **extra: Any,
) -> Json:
    found: Json = {
        "id": sub_id,
        "object": "subscription",
        "customer": customer,
        "status": status,
        "start_date": start,
        "created": start,
        "trial_end": None,
        "ended_at": None,
        "canceled_at": None,
        "cancel_at_period_end": False,
        "current_period_start": period_start if period_start is not None else start,
        "metadata": {},
        "items": {
            "object": "list",
            "data": [
                {"id": f"si_{sub_id}_{n}", "object": "subscription_item", "price": p, "quantity": q}
                for n, (p, q) in enumerate(items)
            ],
            "has_more": False,
        },
        "discount": None
        if coupon is None
        else {"id": f"di_{sub_id}", "object": "discount", "coupon": coupon},
    }
    found.update(extra)
    return found


def invoice(invoice_id: str, sub_id: str, period_start: int, lines: list[tuple[Json, int]]) -> Json:
    return {
        "id": invoice_id,
        "object": "invoice",
        "status": "paid",
        "created": period_start,
        "subscription": sub_id,
        "lines": {
            "object": "list",
            "data": [
                {
                    "id": f"il_{invoice_id}_{n}",
                    "object": "line_item",
                    "type": "subscription",
                    "subscription": sub_id,
                    "proration": False,
                    "period": {"start": period_start, "end": period_start + 30 * 86_400},
                    "price": p,
                    "quantity": q,
                    "amount": p["unit_amount"] * q,
                }
                for n, (p, q) in enumerate(lines)
            ],
            "has_more": False,
        },
    }


@dataclass
class Fault:
    """Answer the `nth` (1-based) GET of `path` and the `times - 1` after it with `status`."""

    path: str
    status: int
    nth: int = 1
    times: int = 1
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeStripe:
    base_url: str = ""
    objects: dict[str, list[Json]] = field(default_factory=lambda: {name: [] for name in LISTS})
    faults: list[Fault] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add_invoice(
        self, invoice_id: str, sub_id: str, start: int, lines: list[tuple[Json, int]]
    ) -> None:
        self.objects["invoices"].append(invoice(invoice_id, sub_id, start, lines))

    def answer(self, target: str) -> tuple[int, Json, dict[str, str]]:
        parts = urlsplit(target)
        with self._lock:
            self.requests.append(target)
            seen = sum(1 for one in self.requests if urlsplit(one).path == parts.path)
        for fault in self.faults:
            if fault.path == parts.path and fault.nth <= seen < fault.nth + fault.times:
                error = {"error": {"type": "api_error", "message": f"fake {fault.status}"}}
                return fault.status, error, fault.headers
        name = parts.path.removeprefix("/v1/")
        if name not in self.objects:
            return 404, {"error": {"type": "invalid_request_error", "message": "no such route"}}, {}
        return 200, self._page(name, parse_qs(parts.query)), {}

    def _page(self, name: str, query: dict[str, list[str]]) -> Json:
        listed = self.objects[name]
        limit = min(int(query.get("limit", ["10"])[0]), 100)
        after = query.get("starting_after", [None])[0]
        start = (
            0 if after is None else next(i for i, o in enumerate(listed) if o["id"] == after) + 1
        )
        page = listed[start : start + limit]
        return {
            "object": "list",
            "url": f"/v1/{name}",
            "data": page,
            "has_more": start + limit < len(listed),
        }


class _Handler(BaseHTTPRequestHandler):
    fake: FakeStripe

    def do_GET(self) -> None:
        status, body, headers = self.fake.answer(self.path)
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        return None


@contextmanager
def fake_stripe() -> Iterator[FakeStripe]:
    fake = FakeStripe()
    handler = type("Handler", (_Handler,), {"fake": fake})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
