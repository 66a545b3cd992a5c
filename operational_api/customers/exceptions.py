"""Refusals of the customers domain, each with a stable code and a message a clerk can act on."""

from __future__ import annotations

from operational_api.errors import NotFoundError, RefusedError


class CustomerNotFoundError(NotFoundError):
    code = "unknown_reference"

    def __init__(self, reference: str) -> None:
        super().__init__(
            f"No customer with reference {reference!r}. Check the reference on the bill or search by name."
        )


class ContractNotFoundError(NotFoundError):
    code = "unknown_reference"

    def __init__(self, reference: str) -> None:
        super().__init__(f"No contract with reference {reference!r}. Check the contract number (police) on the bill.")


class DeliveryPointNotFoundError(NotFoundError):
    code = "unknown_reference"

    def __init__(self, reference: str) -> None:
        super().__init__(f"No delivery point with reference {reference!r}.")


class MeterNotFoundError(NotFoundError):
    code = "unknown_reference"

    def __init__(self, serial: str) -> None:
        super().__init__(f"No meter with serial number {serial!r}. Check the number on the meter's plate.")


class InvalidChangeError(RefusedError):
    code = "invalid_change"


class PayerRequiredError(RefusedError):
    code = "payer_required"

    def __init__(self) -> None:
        super().__init__("Give the customer reference or the contract reference (police) of the payer.")


class PayerMismatchError(RefusedError):
    code = "payer_mismatch"

    def __init__(self, contract: str, customer: str) -> None:
        super().__init__(f"Contract {contract!r} does not belong to customer {customer!r}. Check both references.")
