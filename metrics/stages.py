"""The funnel's stages in order, as data: any forward pair of them is a conversion.

A stage is named by a short `name` (used in conversion ids, `sql_to_customer`) and counted
by one snapshot column. The catalog declares a conversion for every forward pair; the
pairs with a seed benchmark or their own wording are declared there by hand and keep it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

__all__ = ["STAGE_ORDER", "Stage", "conversion_id", "forward_pairs", "stage"]


@dataclass(frozen=True, slots=True)
class Stage:
    """`label` as written inside a sentence ("MQL", "lead"); `plural` for reasons."""

    name: str
    column: str
    label: str
    plural: str


STAGE_ORDER: tuple[Stage, ...] = (
    Stage("visitor", "visitors", "visitor", "visitors"),
    Stage("lead", "leads", "lead", "leads"),
    Stage("mql", "mqls", "MQL", "MQLs"),
    Stage("sql", "sqls", "SQL", "SQLs"),
    Stage("opportunity", "opportunities", "opportunity", "opportunities"),
    Stage("customer", "new_customers", "customer", "new customers"),
)
_BY_NAME = {item.name: item for item in STAGE_ORDER}


def stage(name: str) -> Stage:
    """The stage called `name`; KeyError for an unknown one."""
    return _BY_NAME[name]


def conversion_id(source: str, target: str) -> str:
    """The catalog id of the conversion from stage `source` to stage `target`."""
    return f"{source}_to_{target}"


def forward_pairs() -> tuple[tuple[Stage, Stage], ...]:
    """Every (earlier, later) pair of stages, in funnel order."""
    return tuple(combinations(STAGE_ORDER, 2))
