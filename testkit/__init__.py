"""What the tests and the benchmarks share: the synthetic store (snapshots), the fake Slack
Web API and Socket Mode server (fakeslack, fakesocket), signed Slack requests (signed), and
funnelbot processes and their database connections (processes, connections). Typed and
linted like the code; never shipped in the wheel (pyproject.toml packages only storage,
metrics, sources and bot)."""

from __future__ import annotations

__all__: list[str] = []
