"""Billing control: the batches and their state (live from the operational API when it lists them, else from
``marts.rpt_billing_batches``), the simulation's bills, control alerts and contracts not billed (from the
``fct_draft_*`` marts), and the decisions (create, approve, reject) sent to the API.

The API's ``BatchOut`` gives a batch's state and the figures it stores (draft bills and their amount, the
approved and invoiced figures); the contracts, held, not billed and alert counts of the simulation exist only in
the marts, and are added to the live rows by batch id (the marts' ids are the operational ones).

Figures of a batch in the user's agencies are sums of the draft bills of those agencies; a batch that spans
several agencies shows an agency user only their own contracts.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from api import ApiProblem
from auth import call, offers, read

from data.frames import dates, numbers
from data.scope import Scope, agency_filter
from data.warehouse import MartsUnavailable, fetch

# The most bills (and alerts) listed for a batch, largest first. The Styler that formats their amounts works cell
# by cell, so a longer list would cost the screen seconds on every rerun; the alerts' filter narrows the list.
BILL_LIMIT = 1000
# The most contracts listed as held or not billed (a plain table, exported whole as the list of contracts to chase).
NOT_BILLED_LIMIT = 5000
LIST = ("GET", "/billing/batches")
CREATE = ("POST", "/billing/batches")
APPROVE = ("POST", "/billing/batches/{id}/approve")
REJECT = ("POST", "/billing/batches/{id}/reject")
REOPEN = ("POST", "/billing/batches/{id}/reopen")
STATUSES = ("open", "simulated", "rejected", "approved", "issued", "cancelled")
# The states from which the API approves a batch, and from which it sends one back (not yet issued).
APPROVABLE = ("simulated",)
REJECTABLE = ("simulated", "approved")
# The state from which a batch is sent back to be simulated, once its data is fixed.
REOPENABLE = ("rejected",)
API_LIMIT = 1000
# Fields of the API's BatchOut -> columns of the screen (the names of marts.rpt_billing_batches).
API_COLUMNS = {
    "id": "id",
    "reference": "reference",
    "name": "name",
    "billing_month": "billing_month",
    "status": "status",
    "status_reason": "status_reason",
    "agency_id": "agency_id",
    "category": "category",
    "billing_cycle": "billing_cycle",
    "commodity": "commodity",
    "created_by": "created_by",
    "decided_by": "decided_by",
    "decided_at": "decided_at",
    "issued_at": "issued_at",
    # The API stores only the billable bills of a simulation: its draft bills are the billable ones.
    "draft_bills": "billable",
    "draft_amount": "simulated_amount_minor",
    "approved_bill_count": "approved_bill_count",
    "approved_amount": "approved_amount_minor",
    "invoice_count": "invoice_count",
    "invoiced_amount": "invoiced_amount_minor",
}
# Figures of a simulation that only the marts hold.
PUBLISHED_ONLY = ("contracts", "held", "not_billed", "estimated", "alerts")

BATCHES_SQL = """
select
    batch_id as id, batch_reference as reference, batch_name as name, billing_month, batch_status as status,
    status_reason, agency_id, category, billing_cycle, commodity, created_by, decided_by, decided_at, issued_at,
    contracts, billable, held, not_billed, estimated, simulated_amount_minor, alerts, invoice_count,
    invoiced_amount_minor
from marts.rpt_billing_batches
where (agency_id is null or {where})
order by billing_month desc, batch_id desc
"""

FIGURES_SQL = """
with bills as (
    select bill_status, total_minor, is_estimated, consumption
    from marts.fct_draft_bills
    where batch_id = :batch_id and {where}
),
alerts as (
    select count(*) as alerts
    from marts.fct_draft_bill_alerts
    where batch_id = :batch_id and {where}
)
select
    count(*) as contracts,
    sum(case when bill_status = 'billable' then 1 else 0 end) as billable,
    sum(case when bill_status = 'held' then 1 else 0 end) as held,
    sum(case when bill_status = 'not_billed' then 1 else 0 end) as not_billed,
    sum(case when bill_status = 'billable' and is_estimated then 1 else 0 end) as estimated,
    sum(case when bill_status = 'billable' then total_minor else 0 end) as amount_minor,
    max(alerts.alerts) as alerts
from bills cross join alerts
"""

BILLS_SQL = """
select
    bills.bill_key, contracts.contract_reference, contracts.customer_name, contracts.reading_round_code,
    bills.category, bills.period_start, bills.period_end, bills.consumption, bills.unit, bills.is_estimated,
    bills.consumption_source, bills.total_minor, bills.line_count
from marts.fct_draft_bills as bills
left join marts.dim_contracts as contracts on contracts.contract_id = bills.contract_id
where bills.batch_id = :batch_id and bills.bill_status = 'billable' and {where}
order by bills.total_minor desc, contracts.contract_reference
limit {limit}
"""

ALERTS_SQL = """
select
    alerts.alert_code, contracts.contract_reference, contracts.customer_name, alerts.consumption,
    alerts.total_minor, alerts.reason_code, alerts.bill_key
from marts.fct_draft_bill_alerts as alerts
left join marts.dim_contracts as contracts on contracts.contract_id = alerts.contract_id
where alerts.batch_id = :batch_id and {where}
    and (cast(:alert as varchar) is null or alerts.alert_code = :alert)
order by alerts.alert_code, alerts.total_minor desc
limit {limit}
"""

ALERT_COUNTS_SQL = """
select alert_code, count(*) as bills
from marts.fct_draft_bill_alerts
where batch_id = :batch_id and {where}
group by alert_code
order by alert_code
"""

NOT_BILLED_SQL = """
select
    bills.bill_status, bills.reason_code, contracts.contract_reference, contracts.customer_name,
    contracts.reading_round_code, bills.category, bills.period_start, bills.period_end, bills.consumption_source
from marts.fct_draft_bills as bills
left join marts.dim_contracts as contracts on contracts.contract_id = bills.contract_id
where bills.batch_id = :batch_id and bills.bill_status <> 'billable' and {where}
order by bills.reason_code, contracts.contract_reference
limit {limit}
"""

LINES_SQL = """
select line_number, line_kind, label_fr, label_en, quantity, unit_price, amount_minor, part_start, part_end
from marts.fct_draft_bill_lines
where bill_key = :bill_key
order by line_number
"""

NUMBERS = (
    "contracts",
    "billable",
    "held",
    "not_billed",
    "estimated",
    "simulated_amount_minor",
    "amount_minor",
    "alerts",
    "invoice_count",
    "invoiced_amount_minor",
    "approved_bill_count",
    "approved_amount_minor",
    "consumption",
    "total_minor",
    "line_count",
    "quantity",
    "unit_price",
    "bills",
)
DATES = ("billing_month", "period_start", "period_end", "part_start", "part_end")


def batches(scope: Scope) -> tuple[pd.DataFrame, str]:
    """The batches, newest first, and where their state was read: ``api`` (live) or ``warehouse``."""
    if offers(*LIST)[1]:
        try:
            live = read("/billing/batches", limit=API_LIMIT)
        except ApiProblem as problem:
            if problem.status in (0, 401):
                raise
        else:
            return _with_published_figures(_api_batches(live), scope), "api"
    return _warehouse_batches(scope), "warehouse"


def _warehouse_batches(scope: Scope) -> pd.DataFrame:
    where, parameters = agency_filter("agency_id", scope)
    return dates(numbers(fetch(BATCHES_SQL.format(where=where), **parameters), NUMBERS), DATES)


def _api_batches(rows: object) -> pd.DataFrame:
    """The API's batches (a list of ``BatchOut``) in the columns of the screen."""
    frame = pd.DataFrame(list(rows or []), columns=list(API_COLUMNS))
    return dates(numbers(frame.rename(columns=API_COLUMNS), NUMBERS), DATES)


def _with_published_figures(live: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """The live batches with the simulation figures only the marts hold (none for a batch not yet published)."""
    if live.empty:
        return live
    try:
        published = _warehouse_batches(scope)
    except MartsUnavailable:
        return live.assign(**{column: float("nan") for column in PUBLISHED_ONLY})
    figures = published[["id", *PUBLISHED_ONLY]].astype({"id": "int64"})
    return live.astype({"id": "int64"}).merge(figures, on="id", how="left")


def figures(batch_id: int, scope: Scope) -> pd.Series:
    """The simulation of a batch in the user's agencies: contracts, billable, held, not billed, amount, alerts."""
    where, parameters = agency_filter("agency_id", scope)
    return numbers(fetch(FIGURES_SQL.format(where=where), batch_id=int(batch_id), **parameters), NUMBERS).iloc[0]


def bills(batch_id: int, scope: Scope) -> pd.DataFrame:
    """The draft bills of a batch, largest first."""
    where, parameters = agency_filter("bills.agency_id", scope)
    frame = fetch(BILLS_SQL.format(where=where, limit=BILL_LIMIT), batch_id=int(batch_id), **parameters)
    return dates(numbers(frame, NUMBERS), DATES)


def alert_counts(batch_id: int, scope: Scope) -> dict[str, int]:
    """Bills per control alert."""
    where, parameters = agency_filter("agency_id", scope)
    frame = fetch(ALERT_COUNTS_SQL.format(where=where), batch_id=int(batch_id), **parameters)
    return {str(row.alert_code): int(row.bills) for row in frame.itertuples(index=False)}


def alerts(batch_id: int, scope: Scope, alert: str | None) -> pd.DataFrame:
    """The bills a control alert fires on (one alert, or all)."""
    where, parameters = agency_filter("alerts.agency_id", scope)
    frame = fetch(ALERTS_SQL.format(where=where, limit=BILL_LIMIT), batch_id=int(batch_id), alert=alert, **parameters)
    return numbers(frame, NUMBERS)


def not_billed(batch_id: int, scope: Scope) -> pd.DataFrame:
    """Contracts of the batch that are held or not billed, with the reason."""
    where, parameters = agency_filter("bills.agency_id", scope)
    frame = fetch(NOT_BILLED_SQL.format(where=where, limit=NOT_BILLED_LIMIT), batch_id=int(batch_id), **parameters)
    return dates(frame, DATES)


def lines(bill_key: int) -> pd.DataFrame:
    """The lines of one draft bill: blocks, fixed charges, taxes."""
    return dates(numbers(fetch(LINES_SQL, bill_key=int(bill_key)), NUMBERS), DATES)


def available() -> dict[str, tuple[bool, bool]]:
    """For each decision (create, approve, reject, reopen): offered by the API, and allowed to the user."""
    return {
        "create": offers(*CREATE),
        "approve": offers(*APPROVE),
        "reject": offers(*REJECT),
        "reopen": offers(*REOPEN),
    }


def create(
    billing_month: dt.date,
    *,
    agency_code: str | None,
    category: str | None,
    billing_cycle: str | None,
    commodity: str | None,
    name: str | None,
    round_code: str | None = None,
) -> dict:
    """Open a billing batch on criteria; the pipeline simulates it. A round's batch takes the round's agency."""
    body = {
        "billing_month": billing_month.replace(day=1).isoformat(),
        "agency_code": None if round_code else agency_code,
        "round_code": round_code or None,
        "category": category or None,
        "billing_cycle": billing_cycle,
        "commodity": commodity,
        "name": name or None,
    }
    return call("POST", "/billing/batches", body={key: value for key, value in body.items() if value is not None}).body


def approve(batch_id: int) -> dict:
    """Approve a simulated batch: its bills will be issued."""
    return call("POST", f"/billing/batches/{int(batch_id)}/approve").body


def reject(batch_id: int, reason: str) -> dict:
    """Reject a simulated batch with the reason."""
    return call("POST", f"/billing/batches/{int(batch_id)}/reject", body={"reason": reason}).body


def reopen(batch_id: int) -> dict:
    """Send a rejected batch back to be simulated: it is open again until the pipeline's next simulation."""
    return call("POST", f"/billing/batches/{int(batch_id)}/reopen").body
