"""Refusals of billing, each with a message a billing clerk can act on."""

from __future__ import annotations

from typing import Any

from yeelen.errors import YeelenError


class BillingError(YeelenError):
    code = "billing_error"


class BatchNotFoundError(BillingError, LookupError):
    code = "batch_not_found"

    def __init__(self, batch_id: int) -> None:
        super().__init__(f"No billing batch {batch_id}. Check the batch number in the list of batches.")


class BatchStateError(BillingError):
    code = "batch_state"

    def __init__(self, batch: Any, action: str, allowed: tuple[str, ...]) -> None:
        if batch is None:
            super().__init__(f"A batch cannot {action}.")
            return
        allowed_text = ", ".join(allowed) if allowed else "no state"
        super().__init__(f"Batch {batch.reference} is {batch.status} and cannot {action}; it must be {allowed_text}.")


class BatchCriteriaError(BillingError):
    code = "batch_criteria"

    def __init__(self, round_code: str, round_agency: str, agency: str) -> None:
        super().__init__(
            f"Round {round_code} is read in agency {round_agency}, not {agency}: a batch on both would bill nobody. "
            "Name the round alone (its agency comes with it), or the agency alone."
        )


class SimulationChangedError(BillingError):
    code = "simulation_changed"

    def __init__(self, batch: Any, figures: Any) -> None:
        super().__init__(
            f"Batch {batch.reference} was approved with {batch.approved_bill_count} bills for "
            f"{batch.approved_amount}, but its drafts now hold {figures.bills} bills for {figures.amount}. "
            "Reject it and have it simulated again."
        )


class InvoiceNotFoundError(BillingError, LookupError):
    code = "invoice_not_found"

    def __init__(self, reference: object) -> None:
        super().__init__(f"No invoice {reference}. Check the invoice number on the bill.")


class CorrectionError(BillingError):
    code = "correction_refused"
