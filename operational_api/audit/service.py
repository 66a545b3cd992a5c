"""Writing the audit trail: one event per write, with the state before and after as JSON."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from operational_api.audit.models import AuditEvent, CustomerChange
from operational_api.auth.principal import Principal
from operational_api.db import utcnow

APPEND_ONLY = (AuditEvent, CustomerChange)


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return str(value)


def to_json(value: Any) -> str | None:
    """Stable JSON text of a state (sorted keys), or ``None``."""
    if value is None:
        return None
    return json.dumps(value, default=_default, sort_keys=True, ensure_ascii=False)


def snapshot(instance: Any, exclude: Iterable[str] = ("created_at", "updated_at")) -> dict[str, Any]:
    """The column values of a mapped instance, for the before/after of an event."""
    skipped = set(exclude)
    mapper = inspect(instance).mapper
    return {column.key: getattr(instance, column.key) for column in mapper.column_attrs if column.key not in skipped}


# Built once and run with bound values: building an INSERT per call costs more than running it.
_INSERT_EVENT = insert(AuditEvent.__table__).returning(AuditEvent.__table__.c.id)


def record(
    *,
    session: Session,
    principal: Principal,
    action: str,
    entity: str,
    entity_key: str | int,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    agency_id: int | None = None,
) -> int:
    """Add one audit event to the request's unit of work (it commits, or not, with the write it describes).

    Written with a plain INSERT (no ORM object): every write of the API passes here. Returns the event's id.
    """
    now = utcnow()
    values = {
        "occurred_at": now,
        "actor": principal.login,
        "actor_kind": principal.kind,
        "actor_role": str(principal.role),
        "action": action,
        "entity": entity,
        "entity_key": str(entity_key)[:80],
        "agency_id": agency_id,
        "workstation": principal.workstation,
        "client_address": principal.client_address,
        "before_json": to_json(dict(before) if before is not None else None),
        "after_json": to_json(dict(after) if after is not None else None),
        "created_at": now,
        "updated_at": now,
    }
    return session.execute(_INSERT_EVENT, values).scalar_one()


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)[:400]


def record_changes(
    *,
    session: Session,
    principal: Principal,
    customer_id: int,
    entity: str,
    entity_key: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    audit_event_id: int | None = None,
) -> list[CustomerChange]:
    """One history row per field whose value changed between ``before`` and ``after``."""
    moment = utcnow()
    changes = [
        CustomerChange(
            customer_id=customer_id,
            entity=entity,
            entity_key=entity_key,
            field=field,
            old_value=_text(before.get(field)),
            new_value=_text(after.get(field)),
            changed_by=principal.login,
            changed_at=moment,
            workstation=principal.workstation,
            audit_event_id=audit_event_id,
        )
        for field in sorted(after)
        if before.get(field) != after.get(field)
    ]
    session.add_all(changes)
    return changes


def customer_history(*, session: Session, customer_id: int, limit: int = 200) -> list[CustomerChange]:
    """The changes to a customer's data, newest first."""
    return list(
        session.scalars(
            select(CustomerChange)
            .where(CustomerChange.customer_id == customer_id)
            .order_by(CustomerChange.changed_at.desc(), CustomerChange.id.desc())
            .limit(limit)
        )
    )


class AppendOnlyViolation(RuntimeError):
    """An attempt to change or delete a row of the audit trail."""


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, _context: Any, _instances: Any) -> None:
    for instance in (*session.dirty, *session.deleted):
        if isinstance(instance, APPEND_ONLY) and (instance in session.deleted or session.is_modified(instance)):
            raise AppendOnlyViolation(f"{type(instance).__name__} rows are append-only; they are never changed.")
