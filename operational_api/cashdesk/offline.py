"""Offline desks (in banks) upload the payments they took; each is recorded once, whatever the replays."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from operational_api.accounts import service as accounts
from operational_api.audit import service as audit
from operational_api.auth.principal import Principal
from operational_api.cashdesk.exceptions import IdempotencyConflictError
from operational_api.cashdesk.schemas import OfflineItemIn
from operational_api.cashdesk.service import (
    audit_payment,
    check_method,
    existing_by_key,
    find_agency,
    fingerprint,
    incoming_payment,
)
from operational_api.concurrency import lock_customers
from operational_api.config import Policy
from operational_api.customers import service as customers
from operational_api.customers.models import Contract, Customer
from operational_api.errors import ApiError, RefusedError
from operational_api.organization.models import Agency
from yeelen.settings import Settings


@dataclass(frozen=True)
class OfflineResult:
    client_id: str
    result: str
    receipt_number: str | None = None
    code: str | None = None
    message: str | None = None


def offline_upload(
    *,
    session: Session,
    principal: Principal,
    settings: Settings,
    policy: Policy,
    desk: str,
    agency_code: str,
    items: Sequence[OfflineItemIn],
) -> list[OfflineResult]:
    """Record the payments an offline desk took, each once: created, already present, or refused with a reason.

    Each item runs in its own savepoint, so a refused item leaves the others untouched; the whole upload commits
    at once, so an upload cut in the middle leaves nothing behind and can simply be sent again.
    """
    if len(items) > policy.max_offline_items:
        raise RefusedError(
            f"An upload holds at most {policy.max_offline_items} payments; split it.", code="upload_too_large"
        )
    agency = find_agency(session, principal, agency_code)
    payers: dict[int, tuple[Customer, Contract | None] | ApiError] = {}
    for index, item in enumerate(items):
        try:
            payers[index] = customers.resolve_payer(
                session=session,
                principal=principal,
                customer_reference=item.customer_reference,
                contract_reference=item.contract_reference,
            )
        except ApiError as error:
            payers[index] = error
    lock_customers(
        session=session, customer_ids=[payer[0].id for payer in payers.values() if not isinstance(payer, ApiError)]
    )
    results = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        payer = payers[index]
        if isinstance(payer, ApiError):
            results.append(OfflineResult(item.client_id, "refused", code=payer.code, message=payer.message))
            continue
        if item.client_id in seen:
            results.append(
                OfflineResult(
                    item.client_id,
                    "refused",
                    code="duplicate_in_upload",
                    message=f"The client id appears twice in this upload (item {seen[item.client_id] + 1}).",
                )
            )
            continue
        seen[item.client_id] = index
        results.append(_offline_item(session, principal, settings, policy, desk, agency, item, *payer))
    created = sum(result.result == "created" for result in results)
    audit.record(
        session=session,
        principal=principal,
        action="cashdesk.offline.upload",
        entity="offline_upload",
        entity_key=desk,
        after={
            "items": len(items),
            "created": created,
            "results": [(result.client_id, result.result, result.receipt_number or result.code) for result in results],
        },
        agency_id=agency.id,
    )
    return results


def _offline_item(
    session: Session,
    principal: Principal,
    settings: Settings,
    policy: Policy,
    desk: str,
    agency: Agency,
    item: OfflineItemIn,
    customer: Customer,
    contract: Contract | None,
) -> OfflineResult:
    wanted = (customer.id, contract.id if contract else None, item.amount, item.method, item.purpose)
    existing = existing_by_key(session, item.client_id)
    if existing is not None:
        if fingerprint(existing) != wanted:
            error = IdempotencyConflictError(item.client_id)
            return OfflineResult(item.client_id, "refused", code=error.code, message=error.message)
        return OfflineResult(item.client_id, "already_present", receipt_number=existing.receipt_number)
    try:
        with session.begin_nested():
            check_method(session, customer.id, item)
            incoming = incoming_payment(
                request=item,
                customer=customer,
                contract=contract,
                agency=agency,
                settings=settings,
                principal=principal,
                received_at=item.received_at.astimezone(dt.UTC),
                channel="offline_desk",
                cash_session_id=None,
                idempotency_key=item.client_id,
            )
            incoming = dataclasses.replace(incoming, partner=desk[:30])
            payment, plan = accounts.receive_payment(
                session=session,
                incoming=incoming,
                rule=item.rule or policy.matching_rule,
                invoice_numbers=item.invoice_numbers,
                allow_overpayment=policy.allow_overpayment,
            )
            audit_payment(session, principal, "cashdesk.offline.payment", payment, plan)
    except ApiError as error:
        return OfflineResult(item.client_id, "refused", code=error.code, message=error.message)
    except IntegrityError:
        # Another upload of the same item committed first (the unique key caught it): report it as present.
        existing = existing_by_key(session, item.client_id)
        if existing is None:
            raise
        return OfflineResult(item.client_id, "already_present", receipt_number=existing.receipt_number)
    return OfflineResult(item.client_id, "created", receipt_number=payment.receipt_number)
