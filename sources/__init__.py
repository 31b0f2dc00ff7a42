"""Sources: connectors that read a team's figures from where they live (Stripe so far) and
write them into the store.

The data flows one way: a source fetches and validates (nothing touches the store yet),
then writes its own columns in one transaction with the run's record, or nothing at all.
`sources` depends on `storage` only; the bot (CLI, worker) drives it.
"""

from __future__ import annotations

__all__: list[str] = []
