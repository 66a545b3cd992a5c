"""The billing cycle's assets for one period: the batches, their simulation with its controls, the invoices.

Approval is a person's decision recorded in the operational database (API, billing-control screen or
``yeelen billing approve``); the sensor in ``sensors.py`` watches for it and launches the issue. Every step can run
again: a simulation is stored only for batches not yet approved, issuing an issued batch writes nothing.
"""

import datetime as dt

import dagster as dg

from orchestration.defs.billing.partitions import billing_months, partition_month
from orchestration.defs.warehouse.assets import published_marts
from orchestration.policies import TRANSIENT
from orchestration.resources import YeelenSettingsResource

GROUP = "billing_cycle"
SIMULATION_CHECKS = ("every_contract_decided", "drafts_match_simulation", "simulation_alerts")


class OpenBatchesConfig(dg.Config):
    rounds: list[str] = []  # reading round codes whose batch of the month is opened (when none exists)
    actor: str = "calendar"


@dg.asset(
    key=["billing_cycle", "batches"],
    group_name=GROUP,
    partitions_def=billing_months,
    retry_policy=TRANSIENT,
    kinds={"sqlite"},
    description="The period's billing batches (lots); the calendar opens one per reading round.",
)
def billing_batches(
    context: dg.AssetExecutionContext, config: OpenBatchesConfig, yeelen: YeelenSettingsResource
) -> dg.MaterializeResult:
    from yeelen.billing.calendar import month_batches, open_round_batches

    settings = yeelen.settings()
    month = partition_month(context)
    opened = open_round_batches(settings, month, config.rounds, config.actor) if config.rounds else []
    batches = month_batches(settings, month)
    context.log.info(f"{len(opened)} batch(es) opened for {month:%m/%Y}; {len(batches)} in the period")
    return dg.MaterializeResult(
        metadata={
            "opened": dg.MetadataValue.int(len(opened)),
            "batches": dg.MetadataValue.int(len(batches)),
            "states": dg.MetadataValue.json({str(batch["id"]): batch["status"] for batch in batches}),
        }
    )


@dg.asset(
    key=["billing_cycle", "simulations"],
    group_name=GROUP,
    partitions_def=billing_months,
    deps=[
        published_marts,
        dg.AssetKey(["marts", "fct_draft_bills"]),
        dg.AssetKey(["marts", "fct_draft_bill_lines"]),
        dg.AssetKey(["marts", "fct_draft_bill_alerts"]),
        dg.AssetKey(["marts", "rpt_billing_batches"]),
    ],
    check_specs=[
        dg.AssetCheckSpec(
            "every_contract_decided",
            asset=["billing_cycle", "simulations"],
            description="Every contract a batch selected is billed, held or not billed, with its reason.",
        ),
        dg.AssetCheckSpec(
            "drafts_match_simulation",
            asset=["billing_cycle", "simulations"],
            description="The drafts stored for approval are the warehouse's billable bills, count and amount.",
        ),
        dg.AssetCheckSpec(
            "simulation_alerts",
            asset=["billing_cycle", "simulations"],
            description="Controls on the draft bills (high against habit, zero, estimated, above limit, held).",
        ),
    ],
    retry_policy=TRANSIENT,
    kinds={"sqlite", "duckdb"},
    description="The period's simulation stored as the drafts of its open, simulated or rejected batches.",
)
def billing_simulations(context: dg.AssetExecutionContext, yeelen: YeelenSettingsResource):
    """Store the period's simulation, then show its controls (figures, alerts, contracts explained)."""
    from operational_api.billing.service import draft_figures
    from operational_api.db import make_engine, session_factory
    from yeelen.billing.controls import figures_table, period_controls
    from yeelen.billing.cycle import store_simulations

    settings = yeelen.settings()
    month = partition_month(context)
    report = store_simulations(settings, context.log.info, actor="pipeline", billing_month=month)
    controls = period_controls(settings, month)
    engine = make_engine(str(settings.operational_url))
    try:
        with session_factory(engine)() as session:
            drafts = {batch_id: draft_figures(session=session, batch_id=batch_id) for batch_id in report.stored}
    finally:
        engine.dispose()
    warehouse = {int(batch["batch_id"]): batch for batch in controls.batches}
    mismatched = {
        batch_id: {"drafts": [figures.bills, figures.amount], "marts": [warehouse[batch_id]["billable"],
                   warehouse[batch_id]["simulated_amount_minor"]]}
        for batch_id, figures in drafts.items()
        if batch_id in warehouse
        and (figures.bills, figures.amount)
        != (int(warehouse[batch_id]["billable"]), int(warehouse[batch_id]["simulated_amount_minor"]))
    }  # fmt: skip
    total_alerts = sum(controls.alerts.values())
    yield dg.MaterializeResult(
        metadata={
            "batches_simulated": dg.MetadataValue.int(len(report.stored)),
            "batches_skipped": dg.MetadataValue.json({str(k): v for k, v in report.skipped.items()}),
            "bills": dg.MetadataValue.int(sum(item.bills for item in report.stored.values())),
            "amount": dg.MetadataValue.int(sum(item.amount for item in report.stored.values())),
            "alerts": dg.MetadataValue.int(total_alerts),
            "figures": dg.MetadataValue.md(figures_table(controls.batches)),
        }
    )
    yield dg.AssetCheckResult(
        check_name="every_contract_decided",
        passed=not controls.undecided and controls.unexplained == 0,
        metadata={
            "contracts": sum(int(batch["contracts"]) for batch in controls.batches),
            "batches_with_undecided_contracts": [batch["batch_reference"] for batch in controls.undecided],
            "bills_without_reason": controls.unexplained,
        },
    )
    yield dg.AssetCheckResult(
        check_name="drafts_match_simulation",
        passed=not mismatched,
        metadata={"batches_checked": len(drafts), "mismatched": dg.MetadataValue.json(mismatched)},
    )
    yield dg.AssetCheckResult(
        check_name="simulation_alerts",
        passed=total_alerts == 0,
        severity=dg.AssetCheckSeverity.WARN,
        description="Alerts to review before approving" if total_alerts else "No alert on the draft bills",
        metadata={"alerts": total_alerts, "by_code": dg.MetadataValue.json(controls.alerts)},
    )


class IssueConfig(dg.Config):
    batch_ids: list[int] = []  # the batches to issue; none: every approved batch of the period
    issue_date: str | None = None  # YYYY-MM-DD; today when empty
    actor: str | None = None  # who issues; the approver when empty


@dg.asset(
    key=["billing_cycle", "invoices"],
    group_name=GROUP,
    partitions_def=billing_months,
    deps=[billing_simulations],
    check_specs=[
        dg.AssetCheckSpec(
            "issued_as_approved",
            asset=["billing_cycle", "invoices"],
            description="Each issued batch has exactly the invoices and amount its approver pinned, once.",
        )
    ],
    retry_policy=TRANSIENT,
    kinds={"sqlite"},
    description="Invoices of the period's approved batches, issued once (numbered, immutable, in the ledger).",
)
def billing_invoices(context: dg.AssetExecutionContext, config: IssueConfig, yeelen: YeelenSettingsResource):
    """Issue approved batches; a batch named that is not approved is refused and the run fails."""
    from sqlalchemy import func, select

    from operational_api.billing.models import Invoice
    from operational_api.db import make_engine, session_factory
    from yeelen.billing.calendar import month_batches
    from yeelen.billing.cycle import issue

    settings = yeelen.settings()
    month = partition_month(context)
    batches = {batch["id"]: batch for batch in month_batches(settings, month)}
    if config.batch_ids:
        strangers = [batch_id for batch_id in config.batch_ids if batch_id not in batches]
        if strangers:
            raise dg.Failure(f"Batch(es) {strangers} are not batches of {month:%m/%Y}.", allow_retries=False)
        refused = [batches[b] for b in config.batch_ids if batches[b]["status"] not in ("approved", "issued")]
        if refused:
            raise dg.Failure(
                "Refused: "
                + "; ".join(
                    f"batch {batch['reference']} is {batch['status']}, and is issued only once a user with the "
                    "right approves its simulation"
                    for batch in refused
                ),
                allow_retries=False,
            )
        targets = list(config.batch_ids)
    else:
        targets = [batch_id for batch_id, batch in batches.items() if batch["status"] == "approved"]
    day = dt.date.fromisoformat(config.issue_date) if config.issue_date else None
    issued = {}
    for batch_id in targets:
        actor = config.actor or batches[batch_id]["decided_by"] or "pipeline"
        result = issue(settings, batch_id, actor, day)
        issued[str(batch_id)] = {
            "invoices": result.invoices,
            "amount": result.amount,
            "first": result.first_number,
            "last": result.last_number,
            "already_issued": result.already_issued,
        }
        context.log.info(
            f"batch {batch_id}: {result.invoices} invoices ({'already' if result.already_issued else 'now'} issued)"
        )
    after = {batch["id"]: batch for batch in month_batches(settings, month)}
    engine = make_engine(str(settings.operational_url))
    try:
        with session_factory(engine)() as session:
            counted = dict(
                session.execute(
                    select(Invoice.batch_id, func.count())
                    .where(Invoice.batch_id.in_(list(after)), Invoice.kind.in_(("invoice", "final")))
                    .group_by(Invoice.batch_id)
                ).all()
            )
    finally:
        engine.dispose()
    differing = {
        str(batch_id): {
            "approved": [batch["approved_bills"], batch["approved_amount"]],
            "issued": [batch["invoices"], batch["invoiced_amount"]],
            "invoices_in_database": int(counted.get(batch_id, 0)),
        }
        for batch_id, batch in after.items()
        if batch["status"] == "issued"
        and (
            (batch["approved_bills"], batch["approved_amount"]) != (batch["invoices"], batch["invoiced_amount"])
            or int(counted.get(batch_id, 0)) != batch["invoices"]
        )
    }
    yield dg.MaterializeResult(
        metadata={
            "batches_issued": dg.MetadataValue.json(issued),
            "invoices": dg.MetadataValue.int(sum(item["invoices"] for item in issued.values())),
            "amount": dg.MetadataValue.int(sum(item["amount"] for item in issued.values())),
            "awaiting_approval": dg.MetadataValue.json(
                [batch["reference"] for batch in after.values() if batch["status"] in ("open", "simulated", "rejected")]
            ),
        }
    )
    yield dg.AssetCheckResult(
        check_name="issued_as_approved",
        passed=not differing,
        metadata={
            "issued_batches": sum(1 for batch in after.values() if batch["status"] == "issued"),
            "differing": dg.MetadataValue.json(differing),
        },
    )
