"""Reading the audit trail (it is written by every other domain, never through this router)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query
from sqlalchemy import or_, select

from operational_api.audit.models import AuditEvent
from operational_api.audit.schemas import AuditEventOut
from operational_api.auth.dependencies import allowed_for
from operational_api.auth.rights import Action
from operational_api.dependencies import SessionDep, blocking
from operational_api.errors import COMMON_RESPONSES

router = APIRouter(tags=["audit"], responses=COMMON_RESPONSES)


@router.get("/audit/events", response_model=list[AuditEventOut], summary="The audit trail, newest first")
@blocking
def list_events(
    session: SessionDep,
    principal: allowed_for(Action.AUDIT_READ),
    entity: str | None = Query(None, max_length=40),
    entity_key: str | None = Query(None, max_length=80),
    actor: str | None = Query(None, max_length=60),
    action: str | None = Query(None, max_length=60, description="Exact action, e.g. cashdesk.payment.cancel"),
    since: dt.datetime | None = Query(None, description="From this moment (included)"),
    until: dt.datetime | None = Query(None, description="Up to this moment (excluded)"),
    limit: int = Query(100, ge=1, le=1000),
) -> list[AuditEventOut]:
    statement = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    for column, value in (
        (AuditEvent.entity, entity),
        (AuditEvent.entity_key, entity_key),
        (AuditEvent.actor, actor),
        (AuditEvent.action, action),
    ):
        if value is not None:
            statement = statement.where(column == value)
    if since is not None:
        statement = statement.where(AuditEvent.occurred_at >= _aware(since))
    if until is not None:
        statement = statement.where(AuditEvent.occurred_at < _aware(until))
    if principal.agency_ids is not None:
        # Agency users see what happened in their agencies, and what they did themselves.
        statement = statement.where(
            or_(AuditEvent.agency_id.in_(principal.agency_ids), AuditEvent.actor == principal.login)
        )
    return [AuditEventOut.model_validate(event) for event in session.scalars(statement)]


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
