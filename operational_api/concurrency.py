"""What keeps money right when requests run at the same time: row locks, inserts that tolerate a twin, and
gapless numbering.

PostgreSQL runs requests in parallel (READ COMMITTED): the functions here take row locks that serialise the
requests touching the same customer or numbering series, and every statement after a lock sees what the previous
holder committed. SQLite runs one writer at a time (the API opens write transactions with ``BEGIN IMMEDIATE``),
so the locks are not needed there and ``FOR UPDATE`` compiles to nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from operational_api.billing.models import DocumentSequence
from operational_api.customers.models import Customer
from operational_api.db import utcnow


def lock_customers(*, session: Session, customer_ids: Iterable[int]) -> None:
    """Lock the customers' rows until the end of the transaction, in id order (so two lockers never deadlock).

    Every change of a customer's allocations takes this lock first: two cashiers paying the same invoice at the
    same time are served one after the other, and the second sees the first one's allocation.
    ``FOR NO KEY UPDATE`` still lets other transactions insert rows that refer to the customer.
    """
    ids = sorted(set(customer_ids))
    for start in range(0, len(ids), 1000):
        session.execute(
            select(Customer.id)
            .where(Customer.id.in_(ids[start : start + 1000]))
            .order_by(Customer.id)
            .with_for_update(key_share=True)
        ).all()


def insert_ignore(
    *, session: Session, table: Table, values: Mapping[str, Any], conflict: Sequence[str], returning: str = "id"
) -> Any | None:
    """Insert a row unless one with the same ``conflict`` key exists; the new row's ``returning`` column, or None.

    On PostgreSQL a concurrent insert of the same key waits for the other transaction to end, then reports the
    conflict: the caller can then read the row the winner committed.
    """
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    statement = (module.insert(table).values(**values).on_conflict_do_nothing(index_elements=list(conflict))).returning(
        table.c[returning]
    )
    return session.execute(statement).scalar_one_or_none()


_SEQUENCES = DocumentSequence.__table__
# Bound values: ``series_name`` and ``now``. Also usable as a CTE, to number and write in one statement.
INCREMENT = (
    update(_SEQUENCES)
    .where(_SEQUENCES.c.series == bindparam("series_name"))
    .values(last_number=_SEQUENCES.c.last_number + 1, updated_at=bindparam("now"))
    .returning(_SEQUENCES.c.last_number)
)


def next_number(*, session: Session, series: str) -> int:
    """The next number of a series, without gaps: the sequence row stays locked until the transaction ends.

    The ``UPDATE ... RETURNING`` takes the same row lock as ``SELECT ... FOR UPDATE`` would, and increments in the
    same round trip; a rollback undoes the increment with the rest of the work, so numbers never skip or repeat.
    Take the number as late as possible in the transaction: the lock is held until the commit.
    """
    parameters = {"series_name": series, "now": utcnow()}
    number = session.execute(INCREMENT, parameters).scalar_one_or_none()
    if number is None:
        create_series(session=session, series=series)
        number = session.execute(INCREMENT, parameters).scalar_one()
    return int(number)


def create_series(*, session: Session, series: str) -> None:
    """Create a numbering series starting at 1, unless it exists (a concurrent creator's row is kept)."""
    now = utcnow()
    insert_ignore(
        session=session,
        table=_SEQUENCES,
        values={"series": series, "last_number": 0, "created_at": now, "updated_at": now},
        conflict=["series"],
    )
