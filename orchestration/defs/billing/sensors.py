"""The human in the loop: a sensor watches the batches in the operational database and acts on their state.

- A batch newly opened (by the calendar, a clerk or the API) gets its period simulated.
- A batch a user approved (API, billing-control screen, ``yeelen billing approve``) gets issued, with its e-bills
  and SMS queued. A rejected batch waits with its reason until the data is fixed and a billing clerk sends it back
  (API ``POST /billing/batches/{id}/reopen``, the billing-control screen's *Relancer la simulation*, or
  ``yeelen billing reopen``): it is open again, and simulated like a new one.

Run keys carry the batch's last event, so each decision launches one run, and a batch approved again after a
rejection is issued on that new approval.
"""

import dagster as dg

from orchestration.defs.billing.assets import billing_invoices
from orchestration.defs.billing.jobs import issue_job, simulation_job
from orchestration.defs.billing.partitions import billing_months, month_key
from orchestration.policies import sensor_status
from orchestration.resources import YeelenSettingsResource


@dg.sensor(
    name="billing_batches",
    jobs=[simulation_job, issue_job],
    minimum_interval_seconds=30,
    default_status=sensor_status(),
    description="Simulate newly opened batches; issue batches as soon as a user approves them.",
)
def billing_batches_sensor(context: dg.SensorEvaluationContext, yeelen: YeelenSettingsResource):
    from yeelen.billing.calendar import batch_states

    partitions = set(billing_months.get_partition_keys())
    requests = []
    newly_open: dict[str, int] = {}
    for batch_id, month, status, event_id in batch_states(yeelen.settings()):
        key = month_key(month)
        if key not in partitions:
            context.log.warning(f"batch {batch_id} is for {key}, outside the billing periods; left alone")
            continue
        if status == "approved":
            requests.append(
                dg.RunRequest(
                    job_name=issue_job.name,
                    partition_key=key,
                    run_key=f"issue-{batch_id}-{event_id}",
                    run_config={"ops": {billing_invoices.op.name: {"config": {"batch_ids": [batch_id]}}}},
                    tags={"yeelen/batch": str(batch_id)},
                )
            )
        elif status == "open":
            newly_open[key] = max(newly_open.get(key, 0), event_id)
    for key, event_id in sorted(newly_open.items()):
        requests.append(
            dg.RunRequest(job_name=simulation_job.name, partition_key=key, run_key=f"simulate-{key}-{event_id}")
        )
    if not requests:
        return dg.SkipReason("no batch newly opened or approved")
    return requests
