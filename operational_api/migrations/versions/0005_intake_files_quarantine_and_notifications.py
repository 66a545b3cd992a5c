"""Intake files, quarantine and notifications

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 08:07:48.393441
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import operational_api.db

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "intake_file",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("stored_path", sa.String(length=1000), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=True),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("rows_loaded", sa.Integer(), nullable=False),
        sa.Column("rows_quarantined", sa.Integer(), nullable=False),
        sa.Column("rows_skipped", sa.Integer(), nullable=False),
        sa.Column("received_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("processed_at", operational_api.db.UTCDateTime(), nullable=True),
        sa.Column("taken_by", sa.String(length=60), nullable=False),
        sa.Column("details", sa.String(length=2000), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("status in ('loaded', 'partial', 'rejected')", name=op.f("ck_intake_file_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_file")),
        sa.UniqueConstraint("kind", "content_hash", name=op.f("uq_intake_file_kind_content_hash")),
    )
    with op.batch_alter_table("intake_file", schema=None) as batch_op:
        batch_op.create_index("ix_intake_file_kind_received", ["kind", "received_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_intake_file_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "intake_quarantine",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("file_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("original_content", sa.Text(), nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.SmallInteger(), nullable=False),
        sa.Column("fixed_by", sa.String(length=60), nullable=True),
        sa.Column("fixed_at", operational_api.db.UTCDateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(length=60), nullable=True),
        sa.Column("resolved_at", operational_api.db.UTCDateTime(), nullable=True),
        sa.Column("resolution_note", sa.String(length=400), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("status in ('open', 'loaded', 'discarded')", name=op.f("ck_intake_quarantine_status")),
        sa.ForeignKeyConstraint(["file_id"], ["intake_file.id"], name=op.f("fk_intake_quarantine_file_id_intake_file")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_quarantine")),
    )
    with op.batch_alter_table("intake_quarantine", schema=None) as batch_op:
        batch_op.create_index("ix_intake_quarantine_file_status", ["file_id", "status"], unique=False)
        batch_op.create_index("ix_intake_quarantine_status", ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_intake_quarantine_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "notification",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(length=5), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("invoice_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("batch_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("recipient", sa.String(length=160), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.SmallInteger(), nullable=False),
        sa.Column("last_error", sa.String(length=400), nullable=True),
        sa.Column("queued_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("sent_at", operational_api.db.UTCDateTime(), nullable=True),
        sa.Column("provider_reference", sa.String(length=120), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("channel in ('email', 'sms')", name=op.f("ck_notification_channel")),
        sa.CheckConstraint("status in ('queued', 'sent', 'failed')", name=op.f("ck_notification_status")),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["billing_batch.id"], name=op.f("fk_notification_batch_id_billing_batch")
        ),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], name=op.f("fk_notification_customer_id_customer")),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoice.id"], name=op.f("fk_notification_invoice_id_invoice")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        sa.UniqueConstraint("invoice_id", "channel", name=op.f("uq_notification_invoice_id_channel")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index("ix_notification_batch", ["batch_id"], unique=False)
        batch_op.create_index("ix_notification_status", ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_notification_updated_at"), ["updated_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_updated_at"))
        batch_op.drop_index("ix_notification_status")
        batch_op.drop_index("ix_notification_batch")

    op.drop_table("notification")
    with op.batch_alter_table("intake_quarantine", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intake_quarantine_updated_at"))
        batch_op.drop_index("ix_intake_quarantine_status")
        batch_op.drop_index("ix_intake_quarantine_file_status")

    op.drop_table("intake_quarantine")
    with op.batch_alter_table("intake_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intake_file_updated_at"))
        batch_op.drop_index("ix_intake_file_kind_received")

    op.drop_table("intake_file")
