"""PostgreSQL connections of one application, counted in pg_stat_activity."""

from __future__ import annotations

import threading
from types import TracebackType

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

__all__ = ["POOL_LIMIT", "ConnectionSampler", "with_application_name"]

# make_engine keeps SQLAlchemy's QueuePool defaults: 5 pooled + 10 overflow connections.
POOL_LIMIT = 5 + 10
COUNT = text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name")


def with_application_name(url: str, name: str) -> str:
    """`url` whose connections show `name` in pg_stat_activity."""
    named = make_url(url).update_query_dict({"application_name": name})
    return named.render_as_string(hide_password=False)


class ConnectionSampler:
    """Counts the connections named `name` every `interval` seconds in a thread, keeping
    the maximum; a context manager."""

    def __init__(self, engine: Engine, name: str, interval: float = 0.05) -> None:
        self._engine = engine
        self._name = name
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pg-connections", daemon=True)
        self.most = 0
        self.samples = 0

    def count(self) -> int:
        with self._engine.connect() as connection:
            return int(connection.execute(COUNT, {"name": self._name}).scalar_one())

    def _run(self) -> None:
        while not self._stop.is_set():
            self.most = max(self.most, self.count())
            self.samples += 1
            self._stop.wait(self._interval)

    def __enter__(self) -> ConnectionSampler:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
