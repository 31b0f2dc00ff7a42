"""Every object of a CRM search, however many: the search API lists at most 10,000 results
per query, so a time window whose `total` passes the cap is split in two (at a day boundary
while it spans several days, then within the day) and each half searched on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sources.errors import SyncError
from sources.hubspot.client import RESULT_CAP, CapReachedError, HubSpotApi, Json
from sources.texts import HubSpotErrors

__all__ = ["Found", "Window", "search_all", "split"]

Found = dict[str, Mapping[str, str | None]]
Request = Callable[["Window"], Json]
OnPage = Callable[[], None]
_SMALLEST = timedelta(milliseconds=1)


@dataclass(frozen=True, slots=True)
class Window:
    """[start, end): aware datetimes, searched as epoch milliseconds."""

    start: datetime
    end: datetime

    @property
    def start_ms(self) -> str:
        return str(_millis(self.start))

    @property
    def end_ms(self) -> str:
        return str(_millis(self.end))


def _millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def split(window: Window) -> tuple[Window, Window]:
    """Two halves: at a local midnight while the window spans more than a day."""
    days = (window.end.date() - window.start.date()).days
    if days > 1:
        middle = datetime.combine(
            window.start.date() + timedelta(days=days // 2),
            datetime.min.time(),
            window.start.tzinfo,
        )
    else:
        middle = window.start + (window.end - window.start) / 2
    return Window(window.start, middle), Window(middle, window.end)


def search_all(
    api: HubSpotApi, object_type: str, request: Request, window: Window, on_page: OnPage
) -> Found:
    """Every object the search finds in `window`, by id (an object found twice, once)."""
    found: Found = {}
    pending = [window]
    while pending:
        current = pending.pop()
        try:
            found.update(_one_window(api, object_type, request(current), on_page))
        except _TooManyError:
            if current.end - current.start <= _SMALLEST:
                raise SyncError(
                    HubSpotErrors.CAP.format(
                        cap=RESULT_CAP, kind=object_type, at=current.start.isoformat()
                    )
                ) from None
            pending.extend(reversed(split(current)))
    return found


class _TooManyError(Exception):
    """The window holds more than the search API lists."""


def _one_window(api: HubSpotApi, object_type: str, body: Json, on_page: OnPage) -> Found:
    page = api.search(object_type, body, None)
    on_page()
    if page.total > RESULT_CAP:
        raise _TooManyError
    found: Found = dict(page.results)
    while page.after is not None:
        try:
            page = api.search(object_type, body, page.after)
        except CapReachedError:  # more arrived since the first page: split after all
            raise _TooManyError from None
        on_page()
        found.update(page.results)
    return found
