"""What the tests and the benchmarks share: data builders (and, next, the fake Slack,
request signing and process helpers). Typed and linted like the code; never shipped in
the wheel (pyproject.toml packages only storage, metrics, sources and bot)."""

from __future__ import annotations

__all__: list[str] = []
