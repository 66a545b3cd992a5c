"""Refusals of the customers domain, each with a message a clerk can act on."""

from __future__ import annotations


class CustomerNotFoundError(LookupError):
    def __init__(self, reference: str) -> None:
        super().__init__(
            f"No customer with reference {reference!r}. Check the reference on the bill or search by name."
        )


class ContractNotFoundError(LookupError):
    def __init__(self, reference: str) -> None:
        super().__init__(f"No contract with reference {reference!r}. Check the contract number (police) on the bill.")
