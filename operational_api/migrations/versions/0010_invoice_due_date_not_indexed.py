"""The invoices' due date is no longer indexed

No query looks invoices up by due date: the cash desk and the partners read a customer's open invoices through
the customer's index and order them in the application, and the receivables' age is computed in the warehouse.
The index only cost its upkeep on every invoice written, the issue of a whole period included.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 09:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_due_date"))


def downgrade() -> None:
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invoice_due_date"), ["due_date"], unique=False)
