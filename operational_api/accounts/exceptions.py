"""Refusals of the accounts domain (ledger, matching, statements)."""

from __future__ import annotations

from operational_api.errors import NotFoundError, RefusedError


class OverpaymentRefusedError(RefusedError):
    code = "amount_over_balance"

    def __init__(self, amount: str, due: str) -> None:
        super().__init__(
            f"The amount ({amount}) is more than what the customer owes ({due}) and over-payments are not accepted. "
            "Take at most the amount due, or record the extra as an advance (purpose 'advance')."
        )


class InvoiceNotFoundError(NotFoundError):
    code = "unknown_invoice"

    def __init__(self, number: str) -> None:
        super().__init__(f"No invoice {number!r} for this customer. Check the invoice number on the bill.")


class InvoiceNotOpenError(RefusedError):
    code = "invoice_not_open"

    def __init__(self, number: str) -> None:
        super().__init__(f"Invoice {number!r} has nothing left to pay. Remove it from the list.")


class ExplicitListRequiredError(RefusedError):
    code = "invoices_required"

    def __init__(self) -> None:
        super().__init__("The rule 'explicit' needs the list of invoice numbers to pay, in the order to pay them.")


class LedgerSignError(ValueError):
    """A ledger entry whose sign contradicts its kind (a programming error, never a clerk's)."""


class BadPeriodError(RefusedError):
    code = "bad_period"

    def __init__(self) -> None:
        super().__init__("The period end must come after its start (the end date is excluded).")
