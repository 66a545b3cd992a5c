"""Controls of a period's simulation: the figures of each batch, its alerts, every contract billed or explained.

Read from the published marts (``rpt_billing_batches``, ``fct_draft_bill_alerts``, ``fct_draft_bills``) and from
the drafts stored in the operational database, so a clerk approves exactly what the controls looked at.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from yeelen.settings import Settings
from yeelen.warehouse.reader import marts_connection

FIGURES_SQL = """
select batch_id, batch_reference, batch_status, contracts, billable, held, not_billed, estimated,
    simulated_amount_minor, alerts
from marts.rpt_billing_batches
where billing_month = :month
order by batch_id
"""
ALERTS_SQL = """
select alerts.alert_code, count(*) as alerts
from marts.fct_draft_bill_alerts as alerts
inner join marts.rpt_billing_batches as batches on alerts.batch_id = batches.batch_id
where batches.billing_month = :month
group by alerts.alert_code
order by alerts.alert_code
"""
UNEXPLAINED_SQL = """
select count(*) as unexplained
from marts.fct_draft_bills as bills
inner join marts.rpt_billing_batches as batches on bills.batch_id = batches.batch_id
where batches.billing_month = :month
    and ((bills.bill_status <> 'billable' and bills.reason_code is null)
        or (bills.bill_status = 'billable' and bills.total_minor is null))
"""


@dataclass
class PeriodControls:
    """A billing period's batches in figures, alerts by code, and contracts neither billed nor explained."""

    batches: list[dict] = field(default_factory=list)
    alerts: dict[str, int] = field(default_factory=dict)
    unexplained: int = 0

    @property
    def undecided(self) -> list[dict]:
        """Batches where contracts selected are not all billed, held or not billed."""
        return [
            batch
            for batch in self.batches
            if int(batch["contracts"]) != int(batch["billable"]) + int(batch["held"]) + int(batch["not_billed"])
        ]


def period_controls(settings: Settings, month: dt.date) -> PeriodControls:
    """The controls of every batch of a billing month."""
    parameters = {"month": month.replace(day=1)}
    with marts_connection(settings) as marts:
        return PeriodControls(
            batches=marts.rows(FIGURES_SQL, parameters),
            alerts={row["alert_code"]: int(row["alerts"]) for row in marts.rows(ALERTS_SQL, parameters)},
            unexplained=int(marts.rows(UNEXPLAINED_SQL, parameters)[0]["unexplained"] or 0),
        )


def figures_table(batches: list[dict]) -> str:
    """The batches' figures as a Markdown table (shown in Dagster's UI)."""
    lines = [
        "| batch | status | contracts | billed | held | not billed | estimated | amount | alerts |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for batch in batches:
        lines.append(
            f"| {batch['batch_reference']} | {batch['batch_status']} | {batch['contracts']} | {batch['billable']} | "
            f"{batch['held']} | {batch['not_billed']} | {batch['estimated']} | {batch['simulated_amount_minor']} | "
            f"{batch['alerts']} |"
        )
    return "\n".join(lines)
