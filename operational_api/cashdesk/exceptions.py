"""Refusals of the cash desk, each with a stable code and a message a cashier can act on."""

from __future__ import annotations

import datetime as dt

from operational_api.errors import ConflictError, ForbiddenError, NotFoundError, RefusedError


class NoOpenSessionError(ConflictError):
    code = "no_open_session"

    def __init__(self) -> None:
        super().__init__("You have no open cash session today. Open your session (POST /cashdesk/sessions) first.")


class SessionAmbiguousError(RefusedError):
    code = "session_ambiguous"

    def __init__(self) -> None:
        super().__init__("You have cash sessions open in several agencies today: say which one (cash_session_id).")


class SessionClosedError(ConflictError):
    code = "session_closed"

    def __init__(self, business_date: dt.date) -> None:
        super().__init__(
            f"The cash session of {business_date:%d/%m/%Y} is closed: nothing more can be recorded in it. "
            "A correction goes through a supervisor."
        )


class SessionExistsError(ConflictError):
    code = "session_exists"

    def __init__(self, business_date: dt.date, agency: str) -> None:
        super().__init__(
            f"You already have a cash session on {business_date:%d/%m/%Y} in agency {agency}; "
            "only one is allowed per day and agency."
        )


class PreviousSessionOpenError(ConflictError):
    code = "previous_session_open"

    def __init__(self, business_date: dt.date) -> None:
        super().__init__(
            f"Your cash session of {business_date:%d/%m/%Y} is still open. Close it with its cash count first."
        )


class SessionNotFoundError(NotFoundError):
    code = "unknown_session"

    def __init__(self, session_id: int) -> None:
        super().__init__(f"No cash session {session_id}.")


class NotYourSessionError(ForbiddenError):
    code = "not_your_session"

    def __init__(self) -> None:
        super().__init__("This cash session belongs to another cashier; only its cashier or a supervisor may do this.")


class PaymentNotFoundError(NotFoundError):
    code = "unknown_receipt"

    def __init__(self, receipt: str) -> None:
        super().__init__(f"No payment with receipt number {receipt!r}. Check the number on the receipt.")


class PaymentNotPostedError(ConflictError):
    code = "payment_not_posted"

    def __init__(self, receipt: str, status: str) -> None:
        super().__init__(f"Payment {receipt} is already {status}; it cannot be changed again.")


class NotAChequeError(RefusedError):
    code = "not_a_cheque"

    def __init__(self, receipt: str) -> None:
        super().__init__(f"Payment {receipt} was not made by cheque.")


class ChequeBarredError(RefusedError):
    code = "cheque_barred"

    def __init__(self, since: dt.datetime) -> None:
        super().__init__(
            f"This customer may not pay by cheque since {since:%d/%m/%Y} (bounced cheque). "
            "Ask for cash, mobile money or a transfer; a supervisor can lift the bar."
        )


class ChequeDetailsRequiredError(RefusedError):
    code = "cheque_details_required"

    def __init__(self) -> None:
        super().__init__("A cheque payment needs the cheque number and the bank it is drawn on.")


class BarNotFoundError(NotFoundError):
    code = "unknown_bar"

    def __init__(self, bar_id: int) -> None:
        super().__init__(f"No active cheque bar {bar_id}.")


class IdempotencyConflictError(ConflictError):
    code = "idempotency_conflict"

    def __init__(self, key: str) -> None:
        super().__init__(
            f"The key {key!r} was already used for a different payment. Use a new key for a new payment; "
            "replay a payment only with the same content."
        )


class BadCashCountError(RefusedError):
    code = "bad_cash_count"


class NothingToDepositError(RefusedError):
    code = "nothing_to_deposit"


class DepositOverUndepositedError(RefusedError):
    code = "amount_over_undeposited"

    def __init__(self, amount: str, available: str) -> None:
        super().__init__(
            f"The deposit ({amount}) is more than the cash of closed sessions not yet deposited ({available})."
        )
