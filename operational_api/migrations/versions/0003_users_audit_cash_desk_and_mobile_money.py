"""Users, audit, cash desk and mobile money

Users, agencies and tokens; payment partners; the append-only audit trail and history of customer data (with
database triggers refusing updates and deletes on SQLite and PostgreSQL); cash sessions, cash counts, receipt
prints, cheque and bank deposits, cheque bars; mobile money notifications and statements.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 07:25:52.582042
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import operational_api.db

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("login", sa.String(length=60), nullable=False),
        sa.Column("full_name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("password_changed_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", operational_api.db.UTCDateTime(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("last_login_at", operational_api.db.UTCDateTime(), nullable=True),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "role in ('admin', 'supervisor', 'cashier', 'billing_clerk', 'customer_clerk', 'manager', 'field_planner', 'data_engineer')",
            name=op.f("ck_app_user_role"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("login", name=op.f("uq_app_user_login")),
    )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_app_user_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "audit_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("occurred_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=60), nullable=False),
        sa.Column("actor_kind", sa.String(length=10), nullable=False),
        sa.Column("actor_role", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_key", sa.String(length=80), nullable=False),
        sa.Column("agency_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("workstation", sa.String(length=60), nullable=True),
        sa.Column("client_address", sa.String(length=64), nullable=True),
        sa.Column("before_json", sa.Text(), nullable=True),
        sa.Column("after_json", sa.Text(), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_action"), ["action"], unique=False)
        batch_op.create_index("ix_audit_event_entity", ["entity", "entity_key"], unique=False)
        batch_op.create_index("ix_audit_event_occurred_at", ["occurred_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "customer_change",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("entity_key", sa.String(length=30), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old_value", sa.String(length=400), nullable=True),
        sa.Column("new_value", sa.String(length=400), nullable=True),
        sa.Column("changed_by", sa.String(length=60), nullable=False),
        sa.Column("changed_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("workstation", sa.String(length=60), nullable=True),
        sa.Column("audit_event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_change")),
    )
    with op.batch_alter_table("customer_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customer_change_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_customer_change_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "payment_partner",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_partner")),
        sa.UniqueConstraint("code", name=op.f("uq_payment_partner_code")),
    )
    with op.batch_alter_table("payment_partner", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_partner_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "api_token",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("expires_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", operational_api.db.UTCDateTime(), nullable=True),
        sa.Column("workstation", sa.String(length=60), nullable=True),
        sa.Column("client_address", sa.String(length=64), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_api_token_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_api_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "bank_deposit",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=30), nullable=False),
        sa.Column("agency_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("bank", sa.String(length=60), nullable=False),
        sa.Column("bank_reference", sa.String(length=60), nullable=True),
        sa.Column("deposit_date", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_bank_deposit_amount_positive")),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_bank_deposit_agency_id_agency")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_deposit")),
        sa.UniqueConstraint("reference", name=op.f("uq_bank_deposit_reference")),
    )
    with op.batch_alter_table("bank_deposit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bank_deposit_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bank_deposit_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "cash_session",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("cashier", sa.String(length=60), nullable=False),
        sa.Column("agency_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("opened_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("workstation", sa.String(length=60), nullable=True),
        sa.Column("closed_at", operational_api.db.UTCDateTime(), nullable=True),
        sa.Column("closed_by", sa.String(length=60), nullable=True),
        sa.Column("expected_cash", sa.BigInteger(), nullable=True),
        sa.Column("counted_cash", sa.BigInteger(), nullable=True),
        sa.Column("cash_difference", sa.BigInteger(), nullable=True),
        sa.Column("closing_note", sa.String(length=400), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("status in ('open', 'closed')", name=op.f("ck_cash_session_status")),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_cash_session_agency_id_agency")),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_cash_session_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cash_session")),
        sa.UniqueConstraint(
            "user_id", "business_date", "agency_id", name=op.f("uq_cash_session_user_id_business_date_agency_id")
        ),
    )
    with op.batch_alter_table("cash_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cash_session_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cash_session_business_date"), ["business_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_cash_session_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_cash_session_user_id"), ["user_id"], unique=False)

    op.create_table(
        "cheque_deposit",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=30), nullable=False),
        sa.Column("agency_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("bank", sa.String(length=60), nullable=False),
        sa.Column("deposit_date", sa.Date(), nullable=False),
        sa.Column("cheque_count", sa.Integer(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_cheque_deposit_agency_id_agency")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cheque_deposit")),
        sa.UniqueConstraint("reference", name=op.f("uq_cheque_deposit_reference")),
    )
    with op.batch_alter_table("cheque_deposit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cheque_deposit_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cheque_deposit_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "partner_statement",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("partner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("statement_date", sa.Date(), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("imported_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["payment_partner.id"], name=op.f("fk_partner_statement_partner_id_payment_partner")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_statement")),
        sa.UniqueConstraint(
            "partner_id", "statement_date", name=op.f("uq_partner_statement_partner_id_statement_date")
        ),
    )
    with op.batch_alter_table("partner_statement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partner_statement_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "user_agency",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("agency_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_user_agency_agency_id_agency")),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_user_agency_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_agency")),
        sa.UniqueConstraint("user_id", "agency_id", name=op.f("uq_user_agency_user_id_agency_id")),
    )
    with op.batch_alter_table("user_agency", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_agency_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_user_agency_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_user_agency_user_id"), ["user_id"], unique=False)

    op.create_table(
        "bank_deposit_item",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("deposit_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("session_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_bank_deposit_item_amount_positive")),
        sa.ForeignKeyConstraint(
            ["deposit_id"], ["bank_deposit.id"], name=op.f("fk_bank_deposit_item_deposit_id_bank_deposit")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["cash_session.id"], name=op.f("fk_bank_deposit_item_session_id_cash_session")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_deposit_item")),
    )
    with op.batch_alter_table("bank_deposit_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bank_deposit_item_deposit_id"), ["deposit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bank_deposit_item_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bank_deposit_item_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "cash_count_line",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=5), nullable=False),
        sa.Column("denomination", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind in ('note', 'coin')", name=op.f("ck_cash_count_line_kind")),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_cash_count_line_quantity_not_negative")),
        sa.ForeignKeyConstraint(
            ["session_id"], ["cash_session.id"], name=op.f("fk_cash_count_line_session_id_cash_session")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cash_count_line")),
        sa.UniqueConstraint(
            "session_id", "kind", "denomination", name=op.f("uq_cash_count_line_session_id_kind_denomination")
        ),
    )
    with op.batch_alter_table("cash_count_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cash_count_line_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cash_count_line_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "partner_statement_line",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("statement_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("transaction_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("reference_id", sa.String(length=80), nullable=False),
        sa.Column("financial_transaction_id", sa.String(length=80), nullable=True),
        sa.Column("external_id", sa.String(length=40), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("payer", sa.String(length=40), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["partner_statement.id"],
            name=op.f("fk_partner_statement_line_statement_id_partner_statement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_statement_line")),
        sa.UniqueConstraint(
            "statement_id", "line_number", name=op.f("uq_partner_statement_line_statement_id_line_number")
        ),
    )
    with op.batch_alter_table("partner_statement_line", schema=None) as batch_op:
        batch_op.create_index("ix_partner_statement_line_reference", ["reference_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_partner_statement_line_statement_id"), ["statement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_partner_statement_line_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "cheque_bar",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("payment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.Column("barred_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("barred_by", sa.String(length=60), nullable=False),
        sa.Column("lifted_at", operational_api.db.UTCDateTime(), nullable=True),
        sa.Column("lifted_by", sa.String(length=60), nullable=True),
        sa.Column("lift_reason", sa.String(length=400), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], name=op.f("fk_cheque_bar_customer_id_customer")),
        sa.ForeignKeyConstraint(["payment_id"], ["payment.id"], name=op.f("fk_cheque_bar_payment_id_payment")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cheque_bar")),
    )
    with op.batch_alter_table("cheque_bar", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cheque_bar_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cheque_bar_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "cheque_deposit_item",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("deposit_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("payment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deposit_id"], ["cheque_deposit.id"], name=op.f("fk_cheque_deposit_item_deposit_id_cheque_deposit")
        ),
        sa.ForeignKeyConstraint(["payment_id"], ["payment.id"], name=op.f("fk_cheque_deposit_item_payment_id_payment")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cheque_deposit_item")),
        sa.UniqueConstraint("payment_id", name=op.f("uq_cheque_deposit_item_payment_id")),
    )
    with op.batch_alter_table("cheque_deposit_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cheque_deposit_item_deposit_id"), ["deposit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cheque_deposit_item_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "mobile_money_notification",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("partner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("reference_id", sa.String(length=80), nullable=False),
        sa.Column("external_id", sa.String(length=40), nullable=False),
        sa.Column("financial_transaction_id", sa.String(length=80), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("payer_id_type", sa.String(length=12), nullable=False),
        sa.Column("payer_id", sa.String(length=40), nullable=False),
        sa.Column("payer_message", sa.String(length=160), nullable=True),
        sa.Column("payee_note", sa.String(length=160), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("payment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("response_json", sa.Text(), nullable=False),
        sa.Column("received_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "status in ('PENDING', 'SUCCESSFUL', 'FAILED')", name=op.f("ck_mobile_money_notification_status")
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_mobile_money_notification_amount_positive")),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["payment_partner.id"], name=op.f("fk_mobile_money_notification_partner_id_payment_partner")
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payment.id"], name=op.f("fk_mobile_money_notification_payment_id_payment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobile_money_notification")),
        sa.UniqueConstraint(
            "partner_id", "reference_id", name=op.f("uq_mobile_money_notification_partner_id_reference_id")
        ),
    )
    with op.batch_alter_table("mobile_money_notification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mobile_money_notification_payment_id"), ["payment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mobile_money_notification_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "receipt_print",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("payment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("printed_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("printed_by", sa.String(length=60), nullable=False),
        sa.Column("duplicate", sa.Boolean(), nullable=False),
        sa.Column("workstation", sa.String(length=60), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["payment_id"], ["payment.id"], name=op.f("fk_receipt_print_payment_id_payment")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt_print")),
    )
    with op.batch_alter_table("receipt_print", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_receipt_print_payment_id"), ["payment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_receipt_print_updated_at"), ["updated_at"], unique=False)

    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index("ix_payment_agency_method_status", ["agency_id", "method", "status"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_payment_cash_session_id_cash_session"), "cash_session", ["cash_session_id"], ["id"]
        )

    _append_only_triggers()


APPEND_ONLY_TABLES = ("audit_event", "customer_change")


def _append_only_triggers() -> None:
    """The audit trail refuses updates and deletes in the database itself, not only in the application."""
    dialect = op.get_context().dialect.name
    for table in APPEND_ONLY_TABLES:
        if dialect == "sqlite":
            for event in ("update", "delete"):
                op.execute(
                    f"create trigger {table}_no_{event} before {event} on {table} "
                    f"begin select raise(abort, '{table} is append-only: rows are never changed or deleted'); end"
                )
        elif dialect == "postgresql":
            if table == APPEND_ONLY_TABLES[0]:
                op.execute(
                    "create or replace function yeelen_append_only() returns trigger language plpgsql as $$ "
                    "begin raise exception '% is append-only: rows are never changed or deleted', TG_TABLE_NAME; "
                    "end $$"
                )
            op.execute(
                f"create trigger {table}_append_only before update or delete on {table} "
                "for each row execute function yeelen_append_only()"
            )
            op.execute(
                f"create trigger {table}_no_truncate before truncate on {table} "
                "for each statement execute function yeelen_append_only()"
            )


def _drop_append_only_triggers() -> None:
    dialect = op.get_context().dialect.name
    for table in APPEND_ONLY_TABLES:
        if dialect == "sqlite":
            for event in ("update", "delete"):
                op.execute(f"drop trigger if exists {table}_no_{event}")
        elif dialect == "postgresql":
            op.execute(f"drop trigger if exists {table}_append_only on {table}")
            op.execute(f"drop trigger if exists {table}_no_truncate on {table}")
    if dialect == "postgresql":
        op.execute("drop function if exists yeelen_append_only()")


def downgrade() -> None:
    _drop_append_only_triggers()
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_payment_cash_session_id_cash_session"), type_="foreignkey")
        batch_op.drop_index("ix_payment_agency_method_status")

    with op.batch_alter_table("receipt_print", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipt_print_updated_at"))
        batch_op.drop_index(batch_op.f("ix_receipt_print_payment_id"))

    op.drop_table("receipt_print")
    with op.batch_alter_table("mobile_money_notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mobile_money_notification_updated_at"))
        batch_op.drop_index(batch_op.f("ix_mobile_money_notification_payment_id"))

    op.drop_table("mobile_money_notification")
    with op.batch_alter_table("cheque_deposit_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cheque_deposit_item_updated_at"))
        batch_op.drop_index(batch_op.f("ix_cheque_deposit_item_deposit_id"))

    op.drop_table("cheque_deposit_item")
    with op.batch_alter_table("cheque_bar", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cheque_bar_updated_at"))
        batch_op.drop_index(batch_op.f("ix_cheque_bar_customer_id"))

    op.drop_table("cheque_bar")
    with op.batch_alter_table("partner_statement_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_statement_line_updated_at"))
        batch_op.drop_index(batch_op.f("ix_partner_statement_line_statement_id"))
        batch_op.drop_index("ix_partner_statement_line_reference")

    op.drop_table("partner_statement_line")
    with op.batch_alter_table("cash_count_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cash_count_line_updated_at"))
        batch_op.drop_index(batch_op.f("ix_cash_count_line_session_id"))

    op.drop_table("cash_count_line")
    with op.batch_alter_table("bank_deposit_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bank_deposit_item_updated_at"))
        batch_op.drop_index(batch_op.f("ix_bank_deposit_item_session_id"))
        batch_op.drop_index(batch_op.f("ix_bank_deposit_item_deposit_id"))

    op.drop_table("bank_deposit_item")
    with op.batch_alter_table("user_agency", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_agency_user_id"))
        batch_op.drop_index(batch_op.f("ix_user_agency_updated_at"))
        batch_op.drop_index(batch_op.f("ix_user_agency_agency_id"))

    op.drop_table("user_agency")
    with op.batch_alter_table("partner_statement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_statement_updated_at"))

    op.drop_table("partner_statement")
    with op.batch_alter_table("cheque_deposit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cheque_deposit_updated_at"))
        batch_op.drop_index(batch_op.f("ix_cheque_deposit_agency_id"))

    op.drop_table("cheque_deposit")
    with op.batch_alter_table("cash_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cash_session_user_id"))
        batch_op.drop_index(batch_op.f("ix_cash_session_updated_at"))
        batch_op.drop_index(batch_op.f("ix_cash_session_business_date"))
        batch_op.drop_index(batch_op.f("ix_cash_session_agency_id"))

    op.drop_table("cash_session")
    with op.batch_alter_table("bank_deposit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bank_deposit_updated_at"))
        batch_op.drop_index(batch_op.f("ix_bank_deposit_agency_id"))

    op.drop_table("bank_deposit")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_user_id"))
        batch_op.drop_index(batch_op.f("ix_api_token_updated_at"))

    op.drop_table("api_token")
    with op.batch_alter_table("payment_partner", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_partner_updated_at"))

    op.drop_table("payment_partner")
    with op.batch_alter_table("customer_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_change_updated_at"))
        batch_op.drop_index(batch_op.f("ix_customer_change_customer_id"))

    op.drop_table("customer_change")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_updated_at"))
        batch_op.drop_index("ix_audit_event_occurred_at")
        batch_op.drop_index("ix_audit_event_entity")
        batch_op.drop_index(batch_op.f("ix_audit_event_action"))

    op.drop_table("audit_event")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_app_user_updated_at"))

    op.drop_table("app_user")
