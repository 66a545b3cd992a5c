"""Refusals of the mobile money interface, each with a stable code and a message a partner can act on."""

from __future__ import annotations

from operational_api.errors import ConflictError, NotFoundError, RefusedError


class NotificationConflictError(ConflictError):
    code = "notification_conflict"

    def __init__(self, reference_id: str, what: str) -> None:
        super().__init__(
            f"Transaction {reference_id} was already notified with {what}. A transaction id is notified with the "
            "same content every time; a new payment needs a new referenceId."
        )


class StatusConflictError(ConflictError):
    code = "status_conflict"

    def __init__(self, reference_id: str, recorded: str, received: str) -> None:
        super().__init__(
            f"Transaction {reference_id} is already {recorded}; it cannot become {received}. Contact the utility."
        )


class CurrencyMismatchError(RefusedError):
    code = "currency_mismatch"

    def __init__(self, received: str, expected: str) -> None:
        super().__init__(f"The amount is in {received}; this utility bills in {expected}.")


class BadAmountError(RefusedError):
    code = "bad_amount"

    def __init__(self, amount: str, currency: str, precision: int) -> None:
        super().__init__(
            f"The amount {amount!r} is not a positive amount of {currency} with at most {precision} decimals."
        )


class StatementRejectedError(RefusedError):
    code = "statement_rejected"


class StatementExistsError(ConflictError):
    code = "statement_exists"

    def __init__(self, partner: str, day: str) -> None:
        super().__init__(
            f"A different statement of {partner} for {day} was already imported. If the partner sent it again "
            "corrected, a supervisor imports it as a correction, with the partner's reason; the first one is kept."
        )


class StatementNotFoundError(NotFoundError):
    code = "unknown_statement"

    def __init__(self, partner: str, day: str, correcting: bool = False) -> None:
        message = f"No statement of {partner} for {day} has been imported yet."
        if correcting:
            message += " There is nothing to correct: import the statement itself."
        super().__init__(message)
