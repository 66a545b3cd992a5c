"""Roles, actions and the role x action matrix: the single source of truth of who may do what.

Every route of the API names exactly one action (or is declared public); ``docs/security.md`` shows the matrix
rendered by :func:`render_matrix` and a test keeps the two identical.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    CASHIER = "cashier"
    BILLING_CLERK = "billing_clerk"
    CUSTOMER_CLERK = "customer_clerk"
    MANAGER = "manager"
    FIELD_PLANNER = "field_planner"
    DATA_ENGINEER = "data_engineer"
    PARTNER = "partner"


class Action(StrEnum):
    """``module.action``: what a route does, as the matrix names it."""

    SELF = "auth.self"
    USERS_READ = "admin.users.read"
    USERS_WRITE = "admin.users.write"
    PARTNERS_READ = "admin.partners.read"
    PARTNERS_WRITE = "admin.partners.write"
    AUDIT_READ = "audit.events.read"
    CUSTOMERS_READ = "customers.read"
    CUSTOMERS_WRITE = "customers.write"
    CUSTOMERS_HISTORY = "customers.history.read"
    ACCOUNTS_READ = "accounts.read"
    ACCOUNTS_MATCH = "accounts.match"
    SESSION_OPEN = "cashdesk.session.open"
    SESSION_READ = "cashdesk.session.read"
    SESSION_CLOSE = "cashdesk.session.close"
    PAYMENT_CREATE = "cashdesk.payment.create"
    PAYMENT_READ = "cashdesk.payment.read"
    PAYMENT_CANCEL = "cashdesk.payment.cancel"
    RECEIPT_PRINT = "cashdesk.receipt.print"
    CHEQUE_BOUNCE = "cashdesk.cheque.bounce"
    CHEQUE_BAR_READ = "cashdesk.cheque_bar.read"
    CHEQUE_BAR_LIFT = "cashdesk.cheque_bar.lift"
    DEPOSIT_CREATE = "cashdesk.deposit.create"
    DEPOSIT_READ = "cashdesk.deposit.read"
    OFFLINE_UPLOAD = "cashdesk.offline.upload"
    SUPERVISE = "cashdesk.supervise"
    MM_LOOKUP = "mobile_money.bill.lookup"
    MM_NOTIFY = "mobile_money.payment.notify"
    MM_STATEMENT_IMPORT = "mobile_money.statement.import"
    MM_STATEMENT_CORRECT = "mobile_money.statement.correct"
    MM_RECONCILE = "mobile_money.reconciliation.read"
    BILLING_READ = "billing.batches.read"
    BILLING_WRITE = "billing.batches.write"
    BILLING_APPROVE = "billing.batches.approve"
    INVOICE_CORRECT = "billing.invoices.correct"
    INSPECTION_READ = "field.inspections.read"
    INSPECTION_REQUEST = "field.inspections.request"
    INSPECTION_RECORD = "field.inspections.record"
    COLLECTION_READ = "collection.campaigns.read"
    COLLECTION_PLAN = "collection.campaigns.plan"
    COLLECTION_RECORD = "collection.targets.record"


ACTION_DESCRIPTIONS: dict[Action, str] = {
    Action.SELF: "Own account: see it, change the password, log out",
    Action.USERS_READ: "List users, their roles and agencies",
    Action.USERS_WRITE: "Create users, change roles and agencies, reset passwords, unlock",
    Action.PARTNERS_READ: "List payment partners (mobile money operators)",
    Action.PARTNERS_WRITE: "Create payment partners and renew their secrets",
    Action.AUDIT_READ: "Read the audit trail",
    Action.CUSTOMERS_READ: "Search and read customers, contracts, meters, readings",
    Action.CUSTOMERS_WRITE: "Correct customer, contract and delivery point data",
    Action.CUSTOMERS_HISTORY: "Read the history of changes of a customer's data",
    Action.ACCOUNTS_READ: "Balances, open invoices, statements",
    Action.ACCOUNTS_MATCH: "Run the matching (lettrage) of credits to open invoices",
    Action.SESSION_OPEN: "Open one's cash session",
    Action.SESSION_READ: "Read cash sessions and their transactions",
    Action.SESSION_CLOSE: "Close a cash session with the cash count (billetage)",
    Action.PAYMENT_CREATE: "Preview and record payments at the cash desk",
    Action.PAYMENT_READ: "Read payments and receipts",
    Action.PAYMENT_CANCEL: "Cancel a payment (reversing entry)",
    Action.RECEIPT_PRINT: "Print a receipt (the original once, then duplicates)",
    Action.CHEQUE_BOUNCE: "Record a bounced cheque: reversal, fee, bar",
    Action.CHEQUE_BAR_READ: "See customers barred from paying by cheque",
    Action.CHEQUE_BAR_LIFT: "Lift a cheque bar",
    Action.DEPOSIT_CREATE: "Cheque deposit slips and bank deposits of cash",
    Action.DEPOSIT_READ: "Read cheque deposit slips, bank deposits and cash not yet deposited",
    Action.OFFLINE_UPLOAD: "Upload the payments of an offline cash desk",
    Action.SUPERVISE: "See every cash desk of one's agencies",
    Action.MM_LOOKUP: "Look up a bill (partner)",
    Action.MM_NOTIFY: "Notify a mobile money payment (partner)",
    Action.MM_STATEMENT_IMPORT: "Import a partner's daily statement",
    Action.MM_STATEMENT_CORRECT: "Import a partner's corrected statement of a day (the earlier one kept)",
    Action.MM_RECONCILE: "Read the reconciliation of a partner's statement",
    Action.BILLING_READ: "List billing batches and their simulation figures",
    Action.BILLING_WRITE: "Open billing batches, and send rejected ones back to be simulated",
    Action.BILLING_APPROVE: "Approve or reject a batch's simulation",
    Action.INVOICE_CORRECT: "Cancel an issued invoice with a credit note",
    Action.INSPECTION_READ: "Read inspection requests and outcomes",
    Action.INSPECTION_REQUEST: "Request the inspection of a suspect contract",
    Action.INSPECTION_RECORD: "Record what an inspection found",
    Action.COLLECTION_READ: "Read disconnection campaigns and their progress",
    Action.COLLECTION_PLAN: "Create disconnection campaigns",
    Action.COLLECTION_RECORD: "Record what happened at a campaign target",
}

_READ_ALL = {
    Action.CUSTOMERS_READ,
    Action.CUSTOMERS_HISTORY,
    Action.ACCOUNTS_READ,
    Action.SESSION_READ,
    Action.PAYMENT_READ,
    Action.CHEQUE_BAR_READ,
    Action.DEPOSIT_READ,
    Action.SUPERVISE,
    Action.MM_RECONCILE,
    Action.AUDIT_READ,
    Action.BILLING_READ,
    Action.INSPECTION_READ,
    Action.COLLECTION_READ,
}

RIGHTS: dict[Role, frozenset[Action]] = {
    # Administration and read access everywhere; no money operations (separation of duties).
    Role.ADMIN: frozenset(
        {
            Action.SELF,
            Action.USERS_READ,
            Action.USERS_WRITE,
            Action.PARTNERS_READ,
            Action.PARTNERS_WRITE,
            Action.MM_STATEMENT_IMPORT,
            *_READ_ALL,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Action.SELF,
            Action.AUDIT_READ,
            Action.CUSTOMERS_READ,
            Action.CUSTOMERS_HISTORY,
            Action.ACCOUNTS_READ,
            Action.ACCOUNTS_MATCH,
            Action.SESSION_READ,
            Action.SESSION_CLOSE,
            Action.PAYMENT_READ,
            Action.PAYMENT_CANCEL,
            Action.RECEIPT_PRINT,
            Action.CHEQUE_BOUNCE,
            Action.CHEQUE_BAR_READ,
            Action.CHEQUE_BAR_LIFT,
            Action.DEPOSIT_CREATE,
            Action.DEPOSIT_READ,
            Action.SUPERVISE,
            Action.PARTNERS_READ,
            Action.MM_STATEMENT_IMPORT,
            Action.MM_STATEMENT_CORRECT,
            Action.MM_RECONCILE,
            Action.BILLING_READ,
            Action.BILLING_APPROVE,
            Action.INVOICE_CORRECT,
            Action.COLLECTION_READ,
            Action.INSPECTION_READ,
        }
    ),
    Role.CASHIER: frozenset(
        {
            Action.SELF,
            Action.CUSTOMERS_READ,
            Action.ACCOUNTS_READ,
            Action.SESSION_OPEN,
            Action.SESSION_READ,
            Action.SESSION_CLOSE,
            Action.PAYMENT_CREATE,
            Action.PAYMENT_READ,
            Action.RECEIPT_PRINT,
            Action.CHEQUE_BAR_READ,
            Action.DEPOSIT_CREATE,
            Action.DEPOSIT_READ,
            Action.OFFLINE_UPLOAD,
        }
    ),
    Role.BILLING_CLERK: frozenset(
        {
            Action.SELF,
            Action.CUSTOMERS_READ,
            Action.ACCOUNTS_READ,
            Action.ACCOUNTS_MATCH,
            Action.BILLING_READ,
            Action.BILLING_WRITE,
            Action.INVOICE_CORRECT,
        }
    ),
    Role.CUSTOMER_CLERK: frozenset(
        {
            Action.SELF,
            Action.CUSTOMERS_READ,
            Action.CUSTOMERS_WRITE,
            Action.CUSTOMERS_HISTORY,
            Action.ACCOUNTS_READ,
            Action.CHEQUE_BAR_READ,
        }
    ),
    Role.MANAGER: frozenset({Action.SELF, Action.USERS_READ, Action.PARTNERS_READ, *_READ_ALL}),
    Role.FIELD_PLANNER: frozenset(
        {
            Action.SELF,
            Action.CUSTOMERS_READ,
            Action.ACCOUNTS_READ,
            Action.INSPECTION_READ,
            Action.INSPECTION_REQUEST,
            Action.INSPECTION_RECORD,
            Action.COLLECTION_READ,
            Action.COLLECTION_PLAN,
            Action.COLLECTION_RECORD,
        }
    ),
    Role.DATA_ENGINEER: frozenset(
        {
            Action.SELF,
            Action.CUSTOMERS_READ,
            Action.ACCOUNTS_READ,
            Action.PARTNERS_READ,
            Action.MM_STATEMENT_IMPORT,
            Action.MM_RECONCILE,
        }
    ),
    Role.PARTNER: frozenset({Action.MM_LOOKUP, Action.MM_NOTIFY}),
}

# Roles that see every agency's data; the others see only the agencies they are attached to.
AGENCY_WIDE_ROLES = frozenset({Role.ADMIN, Role.MANAGER, Role.DATA_ENGINEER, Role.PARTNER})
# Roles held by people (partners are systems with a secret, not users with a password).
USER_ROLES = tuple(role for role in Role if role is not Role.PARTNER)

ACTION_ATTRIBUTE = "__yeelen_action__"
PUBLIC_ATTRIBUTE = "__yeelen_public__"


def allowed(role: Role | str, action: Action) -> bool:
    """Whether ``role`` holds ``action``."""
    return action in RIGHTS.get(Role(role), frozenset())


def roles_for(action: Action) -> list[Role]:
    """The roles holding ``action``, in the order of :class:`Role`."""
    return [role for role in Role if action in RIGHTS[role]]


def api_routes(app: Any) -> list[tuple[str, str, Any]]:
    """Every operation of an application as (method, path, route), routers included."""
    from fastapi.routing import APIRoute, iter_route_contexts

    operations = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            operations.extend((method, context.path, route) for method in sorted(context.methods or ()))
    return sorted(operations, key=lambda item: (item[1], item[0]))


def _walk(dependant: Any) -> Iterable[Any]:
    yield dependant.call
    for child in dependant.dependencies:
        yield from _walk(child)


def route_action(route: Any) -> Action | None:
    """The action a route requires, read from its dependencies (``None`` when it declares none)."""
    for call in _walk(route.dependant):
        action = getattr(call, ACTION_ATTRIBUTE, None)
        if action is not None:
            return action
    return None


def route_is_public(route: Any) -> bool:
    """Whether a route is explicitly public (no credentials)."""
    return any(getattr(call, PUBLIC_ATTRIBUTE, False) for call in _walk(route.dependant))


def render_matrix() -> str:
    """The role x action matrix as a Markdown table (``docs/security.md`` holds this exact text)."""
    roles = list(Role)
    header = "| Action | " + " | ".join(f"`{role}`" for role in roles) + " |"
    rule = "|---|" + "---|" * len(roles)
    lines = [header, rule]
    for action in Action:
        marks = " | ".join("✔" if action in RIGHTS[role] else "" for role in roles)
        lines.append(f"| `{action}` — {ACTION_DESCRIPTIONS[action]} | {marks} |")
    return "\n".join(lines)
