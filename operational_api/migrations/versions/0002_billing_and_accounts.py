"""Tariffs, billing batches, invoices and customer accounts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 07:02:13.353866
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import operational_api.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_sequence",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("series", sa.String(length=20), nullable=False),
        sa.Column("last_number", sa.BigInteger(), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_sequence")),
        sa.UniqueConstraint("series", name=op.f("uq_document_sequence_series")),
    )
    with op.batch_alter_table("document_sequence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_sequence_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "tariff_category",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("category", sa.String(length=12), nullable=False),
        sa.Column("grid_code", sa.String(length=30), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tariff_category")),
        sa.UniqueConstraint("category", "valid_from", name=op.f("uq_tariff_category_category_valid_from")),
    )
    with op.batch_alter_table("tariff_category", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tariff_category_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "tariff_grid",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("commodity", sa.String(length=12), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("scaling", sa.String(length=8), nullable=False),
        sa.Column("days_per_month", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tariff_grid")),
        sa.UniqueConstraint("code", name=op.f("uq_tariff_grid_code")),
    )
    with op.batch_alter_table("tariff_grid", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tariff_grid_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "tariff_version",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("grid_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=400), nullable=False),
        sa.Column("pricing", sa.String(length=12), nullable=False),
        sa.Column("energy_rounding", sa.String(length=10), nullable=False),
        sa.Column("eligibility_periods", sa.SmallInteger(), nullable=True),
        sa.Column(
            "eligibility_max_monthly_average", operational_api.db.ExactDecimal(precision=15, scale=3), nullable=True
        ),
        sa.Column("eligibility_fallback_grid", sa.String(length=30), nullable=True),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("definition_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("pricing in ('progressive', 'by_level')", name=op.f("ck_tariff_version_pricing")),
        sa.CheckConstraint("valid_to is null or valid_to > valid_from", name=op.f("ck_tariff_version_dates")),
        sa.ForeignKeyConstraint(["grid_id"], ["tariff_grid.id"], name=op.f("fk_tariff_version_grid_id_tariff_grid")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tariff_version")),
        sa.UniqueConstraint("grid_id", "valid_from", name=op.f("uq_tariff_version_grid_id_valid_from")),
    )
    with op.batch_alter_table("tariff_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tariff_version_grid_id"), ["grid_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tariff_version_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "billing_batch",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("billing_month", sa.Date(), nullable=False),
        sa.Column("agency_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("reading_round_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("category", sa.String(length=12), nullable=True),
        sa.Column("billing_cycle", sa.String(length=10), nullable=True),
        sa.Column("commodity", sa.String(length=12), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("status_reason", sa.String(length=400), nullable=True),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("decided_by", sa.String(length=60), nullable=True),
        sa.Column("decided_at", operational_api.db.UTCDateTime(), nullable=True),
        sa.Column("issued_at", operational_api.db.UTCDateTime(), nullable=True),
        sa.Column("invoice_count", sa.Integer(), nullable=True),
        sa.Column("invoiced_amount", sa.BigInteger(), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "status in ('open', 'simulated', 'rejected', 'approved', 'issued', 'cancelled')",
            name=op.f("ck_billing_batch_status"),
        ),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_billing_batch_agency_id_agency")),
        sa.ForeignKeyConstraint(
            ["reading_round_id"], ["reading_round.id"], name=op.f("fk_billing_batch_reading_round_id_reading_round")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_batch")),
        sa.UniqueConstraint("reference", name=op.f("uq_billing_batch_reference")),
    )
    with op.batch_alter_table("billing_batch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_billing_batch_billing_month"), ["billing_month"], unique=False)
        batch_op.create_index(batch_op.f("ix_billing_batch_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "tariff_block",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("block_number", sa.SmallInteger(), nullable=False),
        sa.Column("up_to", operational_api.db.ExactDecimal(precision=15, scale=3), nullable=True),
        sa.Column("price", operational_api.db.ExactDecimal(precision=14, scale=4), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["tariff_version.id"], name=op.f("fk_tariff_block_version_id_tariff_version")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tariff_block")),
        sa.UniqueConstraint("version_id", "block_number", name=op.f("uq_tariff_block_version_id_block_number")),
    )
    with op.batch_alter_table("tariff_block", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tariff_block_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_tariff_block_version_id"), ["version_id"], unique=False)

    op.create_table(
        "tariff_charge",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("label_fr", sa.String(length=200), nullable=False),
        sa.Column("label_en", sa.String(length=200), nullable=False),
        sa.Column("charged_by", sa.String(length=16), nullable=False),
        sa.Column("meter_type", sa.String(length=12), nullable=True),
        sa.Column("step_number", sa.SmallInteger(), nullable=True),
        sa.Column("power_up_to", operational_api.db.ExactDecimal(precision=15, scale=3), nullable=True),
        sa.Column("amount", operational_api.db.ExactDecimal(precision=14, scale=4), nullable=False),
        sa.Column("rounding", sa.String(length=10), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "charged_by in ('meter_type', 'power', 'flat', 'per_power_unit')", name=op.f("ck_tariff_charge_charged_by")
        ),
        sa.CheckConstraint("kind in ('fixed', 'demand')", name=op.f("ck_tariff_charge_kind")),
        sa.ForeignKeyConstraint(
            ["version_id"], ["tariff_version.id"], name=op.f("fk_tariff_charge_version_id_tariff_version")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tariff_charge")),
    )
    with op.batch_alter_table("tariff_charge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tariff_charge_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index("ix_tariff_charge_version_code", ["version_id", "code"], unique=False)

    op.create_table(
        "tariff_tax",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("label_fr", sa.String(length=200), nullable=False),
        sa.Column("label_en", sa.String(length=200), nullable=False),
        sa.Column("base", sa.String(length=20), nullable=False),
        sa.Column("rate", operational_api.db.ExactDecimal(precision=14, scale=6), nullable=False),
        sa.Column("threshold", operational_api.db.ExactDecimal(precision=15, scale=3), nullable=True),
        sa.Column("rounding", sa.String(length=10), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("source", sa.String(length=400), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "base in ('energy_amount', 'all_lines', 'consumption_above', 'per_unit')", name=op.f("ck_tariff_tax_base")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"], ["tariff_version.id"], name=op.f("fk_tariff_tax_version_id_tariff_version")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tariff_tax")),
        sa.UniqueConstraint("version_id", "code", name=op.f("uq_tariff_tax_version_id_code")),
    )
    with op.batch_alter_table("tariff_tax", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tariff_tax_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_tariff_tax_version_id"), ["version_id"], unique=False)

    op.create_table(
        "billing_batch_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status_from", sa.String(length=12), nullable=True),
        sa.Column("status_to", sa.String(length=12), nullable=False),
        sa.Column("actor", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.String(length=400), nullable=True),
        sa.Column("details", sa.String(length=2000), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["billing_batch.id"], name=op.f("fk_billing_batch_event_batch_id_billing_batch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_batch_event")),
    )
    with op.batch_alter_table("billing_batch_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_billing_batch_event_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_billing_batch_event_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "invoice",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("series", sa.String(length=20), nullable=False),
        sa.Column("sequence_number", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("batch_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("contract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("agency_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("billing_month", sa.Date(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("consumption", operational_api.db.ExactDecimal(precision=15, scale=3), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("is_estimated", sa.Boolean(), nullable=False),
        sa.Column("grid_code", sa.String(length=30), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("corrects_invoice_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("reason", sa.String(length=400), nullable=True),
        sa.Column("issued_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind in ('invoice', 'credit_note', 'final')", name=op.f("ck_invoice_kind")),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_invoice_agency_id_agency")),
        sa.ForeignKeyConstraint(["batch_id"], ["billing_batch.id"], name=op.f("fk_invoice_batch_id_billing_batch")),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], name=op.f("fk_invoice_contract_id_contract")),
        sa.ForeignKeyConstraint(
            ["corrects_invoice_id"], ["invoice.id"], name=op.f("fk_invoice_corrects_invoice_id_invoice")
        ),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], name=op.f("fk_invoice_customer_id_customer")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice")),
        sa.UniqueConstraint("batch_id", "contract_id", "kind", name=op.f("uq_invoice_batch_id_contract_id_kind")),
        sa.UniqueConstraint("number", name=op.f("uq_invoice_number")),
        sa.UniqueConstraint("series", "sequence_number", name=op.f("uq_invoice_series_sequence_number")),
    )
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.create_index("ix_invoice_contract_month", ["contract_id", "billing_month"], unique=False)
        batch_op.create_index("ix_invoice_customer", ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoice_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoice_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "payment",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("receipt_number", sa.String(length=30), nullable=False),
        sa.Column("series", sa.String(length=20), nullable=False),
        sa.Column("sequence_number", sa.BigInteger(), nullable=False),
        sa.Column("customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("contract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("agency_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("method", sa.String(length=14), nullable=False),
        sa.Column("purpose", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("received_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("cash_session_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("partner", sa.String(length=30), nullable=True),
        sa.Column("partner_reference", sa.String(length=80), nullable=True),
        sa.Column("cheque_number", sa.String(length=30), nullable=True),
        sa.Column("cheque_bank", sa.String(length=60), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("status_reason", sa.String(length=400), nullable=True),
        sa.Column("idempotency_key", sa.String(length=120), nullable=True),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "method in ('cash', 'cheque', 'mobile_money', 'transfer', 'card')", name=op.f("ck_payment_method")
        ),
        sa.CheckConstraint("purpose in ('invoices', 'advance', 'deposit')", name=op.f("ck_payment_purpose")),
        sa.CheckConstraint("status in ('posted', 'cancelled', 'bounced')", name=op.f("ck_payment_status")),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_amount_positive")),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_payment_agency_id_agency")),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], name=op.f("fk_payment_contract_id_contract")),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], name=op.f("fk_payment_customer_id_customer")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_payment_idempotency_key")),
        sa.UniqueConstraint("partner", "partner_reference", name=op.f("uq_payment_partner_partner_reference")),
        sa.UniqueConstraint("receipt_number", name=op.f("uq_payment_receipt_number")),
        sa.UniqueConstraint("series", "sequence_number", name=op.f("uq_payment_series_sequence_number")),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index("ix_payment_business_date", ["business_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_payment_cash_session_id"), ["cash_session_id"], unique=False)
        batch_op.create_index("ix_payment_customer", ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payment_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "allocation",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("invoice_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("payment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("credit_invoice_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("allocated_on", sa.Date(), nullable=False),
        sa.Column("reverses_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("amount <> 0", name=op.f("ck_allocation_amount_not_zero")),
        sa.CheckConstraint(
            "payment_id is not null or credit_invoice_id is not null", name=op.f("ck_allocation_has_source")
        ),
        sa.ForeignKeyConstraint(
            ["credit_invoice_id"], ["invoice.id"], name=op.f("fk_allocation_credit_invoice_id_invoice")
        ),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoice.id"], name=op.f("fk_allocation_invoice_id_invoice")),
        sa.ForeignKeyConstraint(["payment_id"], ["payment.id"], name=op.f("fk_allocation_payment_id_payment")),
        sa.ForeignKeyConstraint(["reverses_id"], ["allocation.id"], name=op.f("fk_allocation_reverses_id_allocation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation")),
    )
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.create_index("ix_allocation_invoice", ["invoice_id"], unique=False)
        batch_op.create_index("ix_allocation_payment", ["payment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_allocation_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "invoice_line",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("invoice_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("line_number", sa.SmallInteger(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("quantity", operational_api.db.ExactDecimal(precision=15, scale=3), nullable=True),
        sa.Column("unit_price", operational_api.db.ExactDecimal(precision=14, scale=6), nullable=True),
        sa.Column("base", operational_api.db.ExactDecimal(precision=24, scale=7), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("part_start", sa.Date(), nullable=True),
        sa.Column("part_end", sa.Date(), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "kind in ('energy', 'fixed', 'demand', 'tax', 'adjustment')", name=op.f("ck_invoice_line_kind")
        ),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoice.id"], name=op.f("fk_invoice_line_invoice_id_invoice")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_line")),
        sa.UniqueConstraint("invoice_id", "line_number", name=op.f("uq_invoice_line_invoice_id_line_number")),
    )
    with op.batch_alter_table("invoice_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invoice_line_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "ledger_entry",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("contract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("invoice_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("payment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("description", sa.String(length=400), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "kind in ('invoice', 'credit_note', 'payment', 'payment_reversal', 'adjustment', 'fee', 'refund')",
            name=op.f("ck_ledger_entry_kind"),
        ),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], name=op.f("fk_ledger_entry_contract_id_contract")),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], name=op.f("fk_ledger_entry_customer_id_customer")),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoice.id"], name=op.f("fk_ledger_entry_invoice_id_invoice")),
        sa.ForeignKeyConstraint(["payment_id"], ["payment.id"], name=op.f("fk_ledger_entry_payment_id_payment")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entry")),
    )
    with op.batch_alter_table("ledger_entry", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_entry_contract", ["contract_id"], unique=False)
        batch_op.create_index("ix_ledger_entry_customer_date", ["customer_id", "entry_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_ledger_entry_updated_at"), ["updated_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ledger_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_entry_updated_at"))
        batch_op.drop_index("ix_ledger_entry_customer_date")
        batch_op.drop_index("ix_ledger_entry_contract")

    op.drop_table("ledger_entry")
    with op.batch_alter_table("invoice_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_line_updated_at"))

    op.drop_table("invoice_line")
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allocation_updated_at"))
        batch_op.drop_index("ix_allocation_payment")
        batch_op.drop_index("ix_allocation_invoice")

    op.drop_table("allocation")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_updated_at"))
        batch_op.drop_index("ix_payment_customer")
        batch_op.drop_index(batch_op.f("ix_payment_cash_session_id"))
        batch_op.drop_index("ix_payment_business_date")

    op.drop_table("payment")
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_updated_at"))
        batch_op.drop_index(batch_op.f("ix_invoice_due_date"))
        batch_op.drop_index("ix_invoice_customer")
        batch_op.drop_index("ix_invoice_contract_month")

    op.drop_table("invoice")
    with op.batch_alter_table("billing_batch_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_billing_batch_event_updated_at"))
        batch_op.drop_index(batch_op.f("ix_billing_batch_event_batch_id"))

    op.drop_table("billing_batch_event")
    with op.batch_alter_table("tariff_tax", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tariff_tax_version_id"))
        batch_op.drop_index(batch_op.f("ix_tariff_tax_updated_at"))

    op.drop_table("tariff_tax")
    with op.batch_alter_table("tariff_charge", schema=None) as batch_op:
        batch_op.drop_index("ix_tariff_charge_version_code")
        batch_op.drop_index(batch_op.f("ix_tariff_charge_updated_at"))

    op.drop_table("tariff_charge")
    with op.batch_alter_table("tariff_block", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tariff_block_version_id"))
        batch_op.drop_index(batch_op.f("ix_tariff_block_updated_at"))

    op.drop_table("tariff_block")
    with op.batch_alter_table("billing_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_billing_batch_updated_at"))
        batch_op.drop_index(batch_op.f("ix_billing_batch_billing_month"))

    op.drop_table("billing_batch")
    with op.batch_alter_table("tariff_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tariff_version_updated_at"))
        batch_op.drop_index(batch_op.f("ix_tariff_version_grid_id"))

    op.drop_table("tariff_version")
    with op.batch_alter_table("tariff_grid", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tariff_grid_updated_at"))

    op.drop_table("tariff_grid")
    with op.batch_alter_table("tariff_category", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tariff_category_updated_at"))

    op.drop_table("tariff_category")
    with op.batch_alter_table("document_sequence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_sequence_updated_at"))

    op.drop_table("document_sequence")
