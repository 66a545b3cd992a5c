"""The agencies a user may see, turned into bound SQL filters on the marts.

The operational API says which agencies a user is attached to (or that the role sees them all); every query of
an analytic screen carries the filter built here, whatever the filters of the screen, so that an agency user
never reads another agency's rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from data.warehouse import MartsUnavailable, fetch


class NoAgencyInScope(MartsUnavailable):
    """None of the user's agencies is in the marts: there is nothing the user may see."""


@dataclass(frozen=True)
class Scope:
    """Agencies a user sees: all of them, or those of ``agency_codes``."""

    all_agencies: bool
    agency_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Agency:
    """An agency as offered in the filters."""

    agency_id: int
    code: str
    name: str
    city: str | None


def in_list(column: str, values: Sequence[object], prefix: str) -> tuple[str, dict[str, object]]:
    """``column in (:prefix_0, ...)`` with each value bound; an empty list matches nothing."""
    if not values:
        return "1 = 0", {}
    names = [f"{prefix}_{index}" for index in range(len(values))]
    return f"{column} in ({', '.join(':' + name for name in names)})", dict(zip(names, values, strict=True))


def agencies(scope: Scope) -> list[Agency]:
    """The agencies of the scope that the marts know, by name."""
    where, parameters = ("1 = 1", {}) if scope.all_agencies else in_list("agency_code", scope.agency_codes, "code")
    frame = fetch(
        f"select agency_id, agency_code, agency_name, city from marts.dim_agencies where {where} "
        "order by agency_name, agency_code",
        **parameters,
    )
    return [
        Agency(int(row.agency_id), str(row.agency_code), str(row.agency_name), _text(row.city))
        for row in frame.itertuples(index=False)
    ]


def agency_filter(column: str, scope: Scope, agency_id: int | None = None) -> tuple[str, dict[str, object]]:
    """The filter of ``column`` (an agency id) for the scope and, when given, one chosen agency in it."""
    if scope.all_agencies:
        where, parameters = "1 = 1", {}
    else:
        where, parameters = in_list(column, [agency.agency_id for agency in agencies(scope)], "scope")
    if agency_id is not None:
        where = f"({where}) and {column} = :chosen_agency"
        parameters = {**parameters, "chosen_agency": int(agency_id)}
    return where, parameters


def ids(values: Iterable[object]) -> list[int]:
    """Distinct integer ids in the order first seen (for bound ``in`` lists)."""
    return list(dict.fromkeys(int(value) for value in values))


def _text(value: object) -> str | None:
    return None if value is None or value != value else str(value)
