"""Draft bills, prepaid purchases, inspections, payment plans, collection, complaints

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 07:39:58.635361
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import operational_api.db

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "collection_campaign",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("agency_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("criteria", sa.String(length=2000), nullable=True),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("status in ('draft', 'in_progress', 'closed')", name=op.f("ck_collection_campaign_status")),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_collection_campaign_agency_id_agency")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_campaign")),
        sa.UniqueConstraint("reference", name=op.f("uq_collection_campaign_reference")),
    )
    with op.batch_alter_table("collection_campaign", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_collection_campaign_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "draft_bill_line",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("contract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["batch_id"], ["billing_batch.id"], name=op.f("fk_draft_bill_line_batch_id_billing_batch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_bill_line")),
        sa.UniqueConstraint(
            "batch_id", "contract_id", "line_number", name=op.f("uq_draft_bill_line_batch_id_contract_id_line_number")
        ),
        info={"ingest": False},
    )
    with op.batch_alter_table("draft_bill_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draft_bill_line_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "collection_target",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("campaign_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("contract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("agent", sa.String(length=60), nullable=True),
        sa.Column("route_order", sa.Integer(), nullable=True),
        sa.Column("amount_due", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=True),
        sa.Column("index_at_disconnection", sa.BigInteger(), nullable=True),
        sa.Column("reconnection_fee", sa.BigInteger(), nullable=True),
        sa.Column("notes", sa.String(length=1000), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "status in ('pending', 'notice_delivered', 'paid', 'disconnected', 'refused', 'reconnected')",
            name=op.f("ck_collection_target_status"),
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["collection_campaign.id"],
            name=op.f("fk_collection_target_campaign_id_collection_campaign"),
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_collection_target_contract_id_contract")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_target")),
    )
    with op.batch_alter_table("collection_target", schema=None) as batch_op:
        batch_op.create_index("ix_collection_target_campaign", ["campaign_id"], unique=False)
        batch_op.create_index("ix_collection_target_contract", ["contract_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_collection_target_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "complaint",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("contract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("status in ('open', 'closed')", name=op.f("ck_complaint_status")),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], name=op.f("fk_complaint_contract_id_contract")),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], name=op.f("fk_complaint_customer_id_customer")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint")),
    )
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.create_index("ix_complaint_contract", ["contract_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "draft_bill",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("contract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("agency_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("reading_round_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("category", sa.String(length=12), nullable=False),
        sa.Column("billing_month", sa.Date(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("consumption", operational_api.db.ExactDecimal(precision=15, scale=3), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("is_estimated", sa.Boolean(), nullable=False),
        sa.Column("grid_code", sa.String(length=30), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["billing_batch.id"], name=op.f("fk_draft_bill_batch_id_billing_batch")),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], name=op.f("fk_draft_bill_contract_id_contract")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_bill")),
        sa.UniqueConstraint("batch_id", "contract_id", name=op.f("uq_draft_bill_batch_id_contract_id")),
        info={"ingest": False},
    )
    with op.batch_alter_table("draft_bill", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draft_bill_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "inspection",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("contract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("requested_by", sa.String(length=60), nullable=False),
        sa.Column("suspect_rules", sa.String(length=400), nullable=True),
        sa.Column("suspect_score", operational_api.db.ExactDecimal(precision=8, scale=4), nullable=True),
        sa.Column("route_order", sa.Integer(), nullable=True),
        sa.Column("inspected_on", sa.Date(), nullable=True),
        sa.Column("inspector", sa.String(length=60), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("energy_recovered", operational_api.db.ExactDecimal(precision=15, scale=3), nullable=True),
        sa.Column("notes", sa.String(length=1000), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "outcome is null or outcome in ('fraud_confirmed', 'no_fraud', 'meter_fault', 'no_access')",
            name=op.f("ck_inspection_outcome"),
        ),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], name=op.f("fk_inspection_contract_id_contract")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection")),
    )
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.create_index("ix_inspection_contract", ["contract_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inspection_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "payment_plan",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("contract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("total_amount", sa.BigInteger(), nullable=False),
        sa.Column("installments", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "status in ('active', 'completed', 'broken', 'cancelled')", name=op.f("ck_payment_plan_status")
        ),
        sa.CheckConstraint("end_date >= start_date", name=op.f("ck_payment_plan_dates")),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], name=op.f("fk_payment_plan_contract_id_contract")),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], name=op.f("fk_payment_plan_customer_id_customer")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_plan")),
    )
    with op.batch_alter_table("payment_plan", schema=None) as batch_op:
        batch_op.create_index("ix_payment_plan_customer", ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payment_plan_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "prepaid_purchase",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("contract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("purchased_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("purchase_date", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("energy", operational_api.db.ExactDecimal(precision=15, scale=3), nullable=False),
        sa.Column("month_energy_before", operational_api.db.ExactDecimal(precision=15, scale=3), nullable=False),
        sa.Column("fee_taken", sa.Boolean(), nullable=False),
        sa.Column("grid_code", sa.String(length=30), nullable=False),
        sa.Column("token", sa.String(length=40), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("partner", sa.String(length=30), nullable=True),
        sa.Column("partner_reference", sa.String(length=80), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_prepaid_purchase_amount_positive")),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_prepaid_purchase_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_prepaid_purchase_customer_id_customer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prepaid_purchase")),
        sa.UniqueConstraint("partner", "partner_reference", name=op.f("uq_prepaid_purchase_partner_partner_reference")),
    )
    with op.batch_alter_table("prepaid_purchase", schema=None) as batch_op:
        batch_op.create_index("ix_prepaid_purchase_contract_date", ["contract_id", "purchase_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_prepaid_purchase_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "payment_plan_installment",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["payment_plan.id"], name=op.f("fk_payment_plan_installment_plan_id_payment_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_plan_installment")),
    )
    with op.batch_alter_table("payment_plan_installment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_plan_installment_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payment_plan_installment_updated_at"), ["updated_at"], unique=False)

    with op.batch_alter_table("billing_batch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approved_bill_count", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("approved_amount", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("billing_batch", schema=None) as batch_op:
        batch_op.drop_column("approved_amount")
        batch_op.drop_column("approved_bill_count")

    with op.batch_alter_table("payment_plan_installment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_plan_installment_updated_at"))
        batch_op.drop_index(batch_op.f("ix_payment_plan_installment_plan_id"))

    op.drop_table("payment_plan_installment")
    with op.batch_alter_table("prepaid_purchase", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prepaid_purchase_updated_at"))
        batch_op.drop_index("ix_prepaid_purchase_contract_date")

    op.drop_table("prepaid_purchase")
    with op.batch_alter_table("payment_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_plan_updated_at"))
        batch_op.drop_index("ix_payment_plan_customer")

    op.drop_table("payment_plan")
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_updated_at"))
        batch_op.drop_index("ix_inspection_contract")

    op.drop_table("inspection")
    with op.batch_alter_table("draft_bill", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_bill_updated_at"))

    op.drop_table("draft_bill")
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_updated_at"))
        batch_op.drop_index("ix_complaint_contract")

    op.drop_table("complaint")
    with op.batch_alter_table("collection_target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_collection_target_updated_at"))
        batch_op.drop_index("ix_collection_target_contract")
        batch_op.drop_index("ix_collection_target_campaign")

    op.drop_table("collection_target")
    with op.batch_alter_table("draft_bill_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_bill_line_updated_at"))

    op.drop_table("draft_bill_line")
    with op.batch_alter_table("collection_campaign", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_collection_campaign_updated_at"))

    op.drop_table("collection_campaign")
