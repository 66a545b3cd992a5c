"""Field inspections through the operational API: the inspections asked for, and what the teams found.

Nothing here writes to a database: requests and outcomes are sent to ``/field/inspections`` as the logged-in
user, and the API decides (rights, agencies, states).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from api import ApiProblem
from auth import call, offers, read

OUTCOMES = ("fraud_confirmed", "no_fraud", "meter_fault", "no_access")
LIST = ("GET", "/field/inspections")
CREATE = ("POST", "/field/inspections")
OUTCOME = ("POST", "/field/inspections/{id}/outcome")


@dataclass
class RequestReport:
    """What happened to a list of inspection requests."""

    created: int = 0
    refused: list[tuple[str, ApiProblem]] = field(default_factory=list)


def available() -> dict[str, tuple[bool, bool]]:
    """For each operation (list, create, outcome): whether the API offers it and whether the user may use it."""
    return {"list": offers(*LIST), "create": offers(*CREATE), "outcome": offers(*OUTCOME)}


def inspections(status: str = "open") -> pd.DataFrame:
    """Inspections of the user's agencies in a status (``open`` or ``done``), as the API lists them."""
    rows = read("/field/inspections", status=status) or []
    return pd.DataFrame(rows.get("items", rows) if isinstance(rows, dict) else rows)


def request_inspections(suspects: pd.DataFrame, progress: Callable[[float], object] | None = None) -> RequestReport:
    """Ask an inspection for each suspect (contract reference, rules, score, route order), one request each."""
    report = RequestReport()
    total = max(len(suspects), 1)
    for number, row in enumerate(suspects.itertuples(index=False), start=1):
        body = {
            "contract_reference": row.contract_reference,
            "suspect_rules": row.rule_codes or None,
            "suspect_score": None if pd.isna(row.score) else round(float(row.score), 4),
            "route_order": None if pd.isna(row.route_order) else int(row.route_order),
        }
        try:
            call("POST", "/field/inspections", body=body)
            report.created += 1
        except ApiProblem as problem:
            if problem.status in (0, 401):
                raise
            report.refused.append((str(row.contract_reference), problem))
        if progress is not None:
            progress(number / total)
    return report


def record_outcome(
    inspection_id: int, *, outcome: str, inspected_on: dt.date, notes: str | None, energy_recovered: float | None
) -> dict:
    """Record what the field team found on an inspection."""
    body = {
        "outcome": outcome,
        "inspected_on": inspected_on.isoformat(),
        "notes": notes or None,
        "energy_recovered": energy_recovered,
    }
    return call("POST", f"/field/inspections/{int(inspection_id)}/outcome", body=body).body
