"""Queries of the fraud suspects screen: suspects with their reasons and their place on the inspection route.

Scores, rules, reasons and priorities come from ``marts.fct_suspect_contracts`` and ``marts.fct_suspect_reasons``;
the route order from ``marts.rpt_suspect_inspection_route``. Filters are bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data.frames import numbers
from data.scope import Scope, agency_filter
from data.warehouse import fetch

# Suspects drawn on the map at once (by priority); the list and the exports hold them all.
MAP_LIMIT = 3000

RULES_SQL = """
select rule_code, max(rule_label_fr) as label_fr, max(rule_label_en) as label_en, count(*) as suspects
from marts.fct_suspect_reasons
where {where}
group by rule_code
order by rule_code
"""

TRANSFORMERS_SQL = """
select transformer_id, max(transformer_code) as transformer_code, count(*) as suspects
from marts.fct_suspect_contracts
where is_suspect and transformer_id is not null and {where}
group by transformer_id
order by transformer_code
"""

SCORE_RANGE_SQL = """
select min(score) as low, max(score) as high
from marts.fct_suspect_contracts
where is_suspect and {where}
"""

SUSPECTS_SQL = """
select
    route.route_order,
    suspects.agency_code,
    suspects.contract_id,
    suspects.contract_reference,
    suspects.customer_reference,
    suspects.customer_name,
    contracts.address,
    contracts.meter_serial,
    suspects.category,
    suspects.transformer_code,
    suspects.score,
    suspects.priority,
    suspects.rule_codes,
    suspects.reasons_fr,
    suspects.reasons_en,
    suspects.latitude,
    suspects.longitude
from marts.fct_suspect_contracts as suspects
left join marts.rpt_suspect_inspection_route as route on route.contract_id = suspects.contract_id
left join marts.dim_contracts as contracts on contracts.contract_id = suspects.contract_id
where suspects.is_suspect
    and {where}
    and suspects.score >= :min_score
    and (cast(:transformer_id as bigint) is null or suspects.transformer_id = :transformer_id)
    and (cast(:rule as varchar) is null or exists (
        select 1 from marts.fct_suspect_reasons as reasons
        where reasons.contract_id = suspects.contract_id and reasons.rule_code = :rule
    ))
order by suspects.agency_code, route.route_order, suspects.contract_reference
"""

NUMBERS = ("route_order", "score", "priority", "latitude", "longitude")


@dataclass(frozen=True)
class Rule:
    """A suspect rule as offered in the filter."""

    code: str
    label_fr: str
    label_en: str
    suspects: int


def rules(scope: Scope, agency_id: int | None) -> list[Rule]:
    """The rules that fire on the user's contracts, with their labels."""
    where, parameters = agency_filter("agency_id", scope, agency_id)
    frame = fetch(RULES_SQL.format(where=where), **parameters)
    return [
        Rule(
            str(row.rule_code),
            str(row.label_fr or row.rule_code),
            str(row.label_en or row.rule_code),
            int(row.suspects),
        )
        for row in frame.itertuples(index=False)
    ]


def transformers(scope: Scope, agency_id: int | None) -> dict[int, str]:
    """Transformers with at least one suspect: id -> code."""
    where, parameters = agency_filter("agency_id", scope, agency_id)
    frame = fetch(TRANSFORMERS_SQL.format(where=where), **parameters)
    return {int(row.transformer_id): str(row.transformer_code) for row in frame.itertuples(index=False)}


def score_range(scope: Scope, agency_id: int | None) -> tuple[float, float]:
    """Lowest and highest score of the suspects (0, 0 when there are none)."""
    where, parameters = agency_filter("agency_id", scope, agency_id)
    row = numbers(fetch(SCORE_RANGE_SQL.format(where=where), **parameters), ("low", "high")).iloc[0]
    low, high = row["low"], row["high"]
    return (0.0, 0.0) if pd.isna(low) else (float(low), float(high))


def suspects(
    scope: Scope, agency_id: int | None, min_score: float, rule: str | None, transformer_id: int | None
) -> pd.DataFrame:
    """Suspects matching the filters, in the order of the field route of each agency."""
    where, parameters = agency_filter("suspects.agency_id", scope, agency_id)
    frame = fetch(
        SUSPECTS_SQL.format(where=where),
        min_score=float(min_score),
        rule=rule,
        transformer_id=transformer_id,
        **parameters,
    )
    return numbers(frame, NUMBERS)
