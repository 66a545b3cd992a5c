"""Queries of the recovery screen (disconnection candidates, campaigns and their targets), and the campaign
writes that go through the operational API.

Candidates, amounts, agents and route orders come from ``marts.fct_disconnection_candidates`` and
``marts.rpt_disconnection_campaigns``; campaign targets and progress from ``marts.fct_collection_targets`` and
``marts.rpt_collection_campaign_progress``. Campaigns are created and target outcomes recorded by the API.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from auth import call, offers

from data.frames import dates, numbers
from data.scope import Scope, agency_filter
from data.warehouse import fetch

# Points drawn on the map at once (largest amounts first); the lists and exports hold them all.
MAP_LIMIT = 3000
TARGET_STATUSES = ("notice_delivered", "paid", "disconnected", "refused", "reconnected")
CREATE = ("POST", "/collection/campaigns")
OUTCOME = ("POST", "/collection/targets/{id}/outcome")
LIST = ("GET", "/collection/campaigns")

AGENTS_SQL = """
select
    collection_agent,
    sum(eligible_contracts) as eligible_contracts,
    sum(amount_at_stake_minor) as amount_at_stake_minor,
    sum(kept_payment_plan + kept_open_complaint + kept_recent_payment + kept_protected) as kept_connected,
    sum(amount_kept_minor) as amount_kept_minor,
    min(oldest_due_date) as oldest_due_date,
    max(as_of) as as_of
from marts.rpt_disconnection_campaigns
where {where}
group by collection_agent
order by amount_at_stake_minor desc, collection_agent
"""

CANDIDATES_SQL = """
select
    candidates.route_order,
    candidates.collection_agent,
    candidates.reading_round_code,
    candidates.contract_reference,
    contracts.customer_reference,
    contracts.customer_name,
    contracts.address,
    contracts.meter_serial,
    candidates.category,
    candidates.amount_due_minor,
    candidates.unpaid_bills,
    candidates.oldest_due_date,
    candidates.days_overdue,
    candidates.last_payment_date,
    candidates.campaign_reference,
    candidates.latitude,
    candidates.longitude
from marts.fct_disconnection_candidates as candidates
left join marts.dim_contracts as contracts on contracts.contract_id = candidates.contract_id
where candidates.is_eligible and {where}
    and (cast(:agent as varchar) is null or candidates.collection_agent = :agent)
order by candidates.collection_agent, candidates.route_order
"""

CAMPAIGNS_SQL = """
select
    collection_campaign_id,
    max(campaign_reference) as campaign_reference,
    max(campaign_name) as campaign_name,
    max(campaign_status) as campaign_status,
    max(campaign_created_on) as created_on,
    sum(targets) as targets,
    sum(pending) as pending,
    sum(notice_delivered) as notice_delivered,
    sum(paid) as paid,
    sum(disconnected) as disconnected,
    sum(refused) as refused,
    sum(reconnected) as reconnected,
    cast(sum(settled) as double precision) / nullif(sum(targets), 0) as settled_share,
    sum(amount_due_minor) as amount_due_minor,
    sum(recovered_minor) as recovered_minor,
    sum(reconnection_fees_minor) as reconnection_fees_minor
from marts.rpt_collection_campaign_progress
where {where}
group by collection_campaign_id
order by created_on desc, campaign_reference desc
"""

PROGRESS_BY_AGENT_SQL = """
select
    collection_agent, targets, pending, notice_delivered, paid, disconnected, refused, reconnected,
    cast(settled as double precision) / nullif(targets, 0) as settled_share,
    amount_due_minor, recovered_minor
from marts.rpt_collection_campaign_progress
where collection_campaign_id = :campaign_id and {where}
order by collection_agent
"""

TARGETS_SQL = """
select
    collection_target_id, route_order, collection_agent, contract_reference, customer_name, reading_round_code,
    amount_due_minor, target_status, status_on, latitude, longitude
from marts.fct_collection_targets
where collection_campaign_id = :campaign_id and {where}
order by collection_agent, route_order, contract_reference
"""

# Counts: whole numbers, though held as floats like every figure here.
COUNTS = (
    "eligible_contracts",
    "kept_connected",
    "route_order",
    "unpaid_bills",
    "days_overdue",
    "targets",
    "pending",
    "notice_delivered",
    "paid",
    "disconnected",
    "refused",
    "reconnected",
)
NUMBERS = (
    *COUNTS,
    "amount_at_stake_minor",
    "amount_kept_minor",
    "amount_due_minor",
    "latitude",
    "longitude",
    "settled_share",
    "recovered_minor",
    "reconnection_fees_minor",
)
DATES = ("oldest_due_date", "last_payment_date", "as_of", "created_on", "status_on")


def agents(scope: Scope, agency_id: int | None) -> pd.DataFrame:
    """Each collection agent (or round) with the contracts to cut and the amounts at stake."""
    where, parameters = agency_filter("agency_id", scope, agency_id)
    return dates(numbers(fetch(AGENTS_SQL.format(where=where), **parameters), NUMBERS), DATES)


def candidates(scope: Scope, agency_id: int | None, agent: str | None) -> pd.DataFrame:
    """Contracts eligible for disconnection, per agent in route order."""
    where, parameters = agency_filter("candidates.agency_id", scope, agency_id)
    frame = fetch(CANDIDATES_SQL.format(where=where), agent=agent, **parameters)
    return dates(numbers(frame, NUMBERS), DATES)


def campaigns(scope: Scope, agency_id: int | None) -> pd.DataFrame:
    """Campaigns with their progress: targets by status, share settled, amounts due and recovered."""
    where, parameters = agency_filter("agency_id", scope, agency_id)
    return dates(numbers(fetch(CAMPAIGNS_SQL.format(where=where), **parameters), NUMBERS), DATES)


def progress_by_agent(campaign_id: int, scope: Scope) -> pd.DataFrame:
    """A campaign's progress per agent."""
    where, parameters = agency_filter("agency_id", scope)
    frame = fetch(PROGRESS_BY_AGENT_SQL.format(where=where), campaign_id=int(campaign_id), **parameters)
    return numbers(frame, NUMBERS)


def targets(campaign_id: int, scope: Scope) -> pd.DataFrame:
    """A campaign's targets with their agent, amount and field status."""
    where, parameters = agency_filter("agency_id", scope)
    frame = fetch(TARGETS_SQL.format(where=where), campaign_id=int(campaign_id), **parameters)
    return dates(numbers(frame, NUMBERS), DATES)


def available() -> dict[str, tuple[bool, bool]]:
    """For each write (create, outcome): whether the API offers it and whether the user may use it."""
    return {"create": offers(*CREATE), "outcome": offers(*OUTCOME), "list": offers(*LIST)}


def create_campaign(name: str, agency_code: str | None, chosen: pd.DataFrame) -> dict:
    """A disconnection campaign of the chosen contracts, each kept with its agent."""
    body = {
        "name": name,
        "agency_code": agency_code,
        "contract_references": [str(reference) for reference in chosen["contract_reference"]],
        "agents": {
            str(row.contract_reference): str(row.collection_agent)
            for row in chosen.itertuples(index=False)
            if isinstance(row.collection_agent, str)
        },
    }
    return call("POST", "/collection/campaigns", body=body).body


def record_outcome(
    target_id: int, *, status: str, status_on: dt.date, index_at_disconnection: int | None, notes: str | None
) -> dict:
    """Record what happened to a campaign target in the field."""
    body = {
        "status": status,
        "status_on": status_on.isoformat(),
        "index_at_disconnection": index_at_disconnection,
        "notes": notes or None,
    }
    return call("POST", f"/collection/targets/{int(target_id)}/outcome", body=body).body
