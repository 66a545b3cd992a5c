"""A partner's corrected statement of a day becomes the day's next revision

A partner sometimes sends a day's statement again, corrected (a transaction settled late, a line sent twice). The
statement of a day is now one or more revisions: the correction is imported as the next one, with its reason, and
the revision it replaces is kept, marked superseded. The statements already imported are revision 1.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 09:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

import operational_api.db

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("partner_statement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("correction_reason", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("superseded_at", operational_api.db.UTCDateTime(), nullable=True))
        batch_op.drop_constraint(batch_op.f("uq_partner_statement_partner_id_statement_date"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_partner_statement_partner_id_statement_date_revision"),
            ["partner_id", "statement_date", "revision"],
        )
        batch_op.create_check_constraint(batch_op.f("ck_partner_statement_revision_positive"), "revision >= 1")


def downgrade() -> None:
    # Before this revision a day had one statement: a database holding corrections cannot go back without losing
    # them, so it does not.
    if context.is_offline_mode():
        corrections = 0  # a script: whoever runs it checks first
    else:
        corrections = (
            op.get_bind().execute(sa.text("select count(*) from partner_statement where revision > 1")).scalar()
        )
    if corrections:
        raise RuntimeError(
            f"{corrections} corrected partner statement(s) would be lost by going back before revision 0009; "
            "export them first (partner_statement rows with revision > 1 and their lines) and delete them"
        )
    with op.batch_alter_table("partner_statement", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_partner_statement_revision_positive"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_partner_statement_partner_id_statement_date_revision"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_partner_statement_partner_id_statement_date"), ["partner_id", "statement_date"]
        )
        batch_op.drop_column("superseded_at")
        batch_op.drop_column("correction_reason")
        batch_op.drop_column("revision")
