"""A segment from a company property: each contact's (or deal's) company through the v4
associations batch read, every page of them, then that company's property through the
companies' batch read, in batches of the sizes HubSpot takes.

An object associated with several companies takes its **primary** company's (the association
type HubSpot defines for it: 1 for a contact, 5 for a deal); one without a primary company
takes the company with the lowest id (the oldest); one without a company has no value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from sources.hubspot.client import ASSOCIATIONS_BATCH, OBJECTS_BATCH, HubSpotApi, Link

__all__ = ["PRIMARY_COMPANY", "CompanyValues", "company_values"]

# The HubSpot-defined association type of an object's primary company, by object type.
PRIMARY_COMPANY: Mapping[str, int] = {"contacts": 1, "deals": 5}
COMPANIES = "companies"

OnPage = Callable[[], None]


@dataclass(frozen=True, slots=True)
class CompanyValues:
    """The company property's value of each object, by object type and id (None: no
    company, or no value), and how many companies were found."""

    values: Mapping[str, Mapping[str, str | None]]
    companies: int


def company_values(
    api: HubSpotApi, objects: Mapping[str, Collection[str]], name: str, on_page: OnPage
) -> CompanyValues:
    """Property `name` of the company each object counts under; `objects` holds the ids of
    each object type (contacts, deals), and each company is read once for all of them."""
    chosen = {kind: _chosen_companies(api, kind, ids, on_page) for kind, ids in objects.items()}
    companies = sorted(
        {one for of_kind in chosen.values() for one in of_kind.values()}, key=_numeric
    )
    properties: dict[str, str | None] = {}
    for batch in _batches(companies, OBJECTS_BATCH):
        found = api.batch_read(COMPANIES, batch, [name])
        on_page()
        properties.update({company: values.get(name) for company, values in found.items()})
    values = {
        kind: {one: _value_of(properties, chosen[kind].get(one)) for one in ids}
        for kind, ids in objects.items()
    }
    return CompanyValues(values, len(properties))


def _chosen_companies(
    api: HubSpotApi, object_type: str, ids: Iterable[str], on_page: OnPage
) -> dict[str, str]:
    """Each object's company, read through every page of its associations."""
    links: defaultdict[str, list[Link]] = defaultdict(list)
    pending: list[tuple[str, str | None]] = [(one, None) for one in sorted(ids, key=_numeric)]
    while pending:
        batch, pending = pending[:ASSOCIATIONS_BATCH], pending[ASSOCIATIONS_BATCH:]
        for page in api.associations(object_type, COMPANIES, batch):
            links[page.from_id].extend(page.links)
            if page.after is not None:
                pending.append((page.from_id, page.after))
        on_page()
    primary = PRIMARY_COMPANY[object_type]
    return {one: _choice(found, primary) for one, found in links.items() if found}


def _value_of(properties: Mapping[str, str | None], company: str | None) -> str | None:
    return None if company is None else properties.get(company)


def _choice(links: list[Link], primary: int) -> str:
    preferred = [link for link in links if primary in link.type_ids] or links
    return min((link.to_id for link in preferred), key=_numeric)


def _batches(ids: list[str], size: int) -> Iterable[list[str]]:
    return (ids[start : start + size] for start in range(0, len(ids), size))


def _numeric(object_id: str) -> tuple[int, str]:
    """HubSpot ids are numbers written as strings: order them as numbers."""
    return (int(object_id), "") if object_id.isdigit() else (0, object_id)
