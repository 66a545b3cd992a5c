"""Network, customers, contracts, meters and readings

Revision ID: 0001
Revises:
Create Date: 2026-11-28 06:20:03.820213
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import operational_api.db

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agency",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("city", sa.String(length=80), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency")),
        sa.UniqueConstraint("code", name=op.f("uq_agency_code")),
    )
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agency_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "meter",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("serial", sa.String(length=30), nullable=False),
        sa.Column("commodity", sa.String(length=12), nullable=False),
        sa.Column("meter_type", sa.String(length=12), nullable=False),
        sa.Column("digits", sa.SmallInteger(), nullable=False),
        sa.Column("multiplier", sa.Integer(), nullable=False),
        sa.Column("brand", sa.String(length=40), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "meter_type in ('single_phase', 'three_phase', 'mv', 'water')", name=op.f("ck_meter_meter_type")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meter")),
        sa.UniqueConstraint("serial", name=op.f("uq_meter_serial")),
    )
    with op.batch_alter_table("meter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meter_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "substation",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("voltage_kv", operational_api.db.ExactDecimal(precision=6, scale=2), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=False),
        sa.Column("longitude", sa.Double(), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_substation")),
        sa.UniqueConstraint("code", name=op.f("uq_substation_code")),
    )
    with op.batch_alter_table("substation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_substation_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "customer",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("first_name", sa.String(length=80), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=160), nullable=True),
        sa.Column("grouping_code", sa.String(length=20), nullable=True),
        sa.Column("agency_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind in ('person', 'company', 'public_body')", name=op.f("ck_customer_kind")),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_customer_agency_id_agency")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer")),
        sa.UniqueConstraint("reference", name=op.f("uq_customer_reference")),
    )
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customer_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_customer_phone"), ["phone"], unique=False)
        batch_op.create_index(batch_op.f("ix_customer_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "feeder",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("substation_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("voltage_kv", operational_api.db.ExactDecimal(precision=6, scale=2), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["substation_id"], ["substation.id"], name=op.f("fk_feeder_substation_id_substation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feeder")),
        sa.UniqueConstraint("code", name=op.f("uq_feeder_code")),
    )
    with op.batch_alter_table("feeder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feeder_substation_id"), ["substation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_feeder_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "reading_round",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("agency_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("reading_day", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("reading_day between 1 and 28", name=op.f("ck_reading_round_reading_day_range")),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_reading_round_agency_id_agency")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reading_round")),
        sa.UniqueConstraint("code", name=op.f("uq_reading_round_code")),
    )
    with op.batch_alter_table("reading_round", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reading_round_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reading_round_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "water_district",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("agency_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=False),
        sa.Column("longitude", sa.Double(), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_water_district_agency_id_agency")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_water_district")),
        sa.UniqueConstraint("code", name=op.f("uq_water_district_code")),
    )
    with op.batch_alter_table("water_district", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_water_district_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_water_district_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "transformer",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("feeder_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("agency_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("rating_kva", sa.Integer(), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=False),
        sa.Column("longitude", sa.Double(), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_transformer_agency_id_agency")),
        sa.ForeignKeyConstraint(["feeder_id"], ["feeder.id"], name=op.f("fk_transformer_feeder_id_feeder")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transformer")),
        sa.UniqueConstraint("code", name=op.f("uq_transformer_code")),
    )
    with op.batch_alter_table("transformer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transformer_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_transformer_feeder_id"), ["feeder_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_transformer_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "delivery_point",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("agency_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("commodity", sa.String(length=12), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=False),
        sa.Column("longitude", sa.Double(), nullable=False),
        sa.Column("feeder_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("transformer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("water_district_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("commodity in ('electricity', 'water')", name=op.f("ck_delivery_point_commodity")),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_delivery_point_agency_id_agency")),
        sa.ForeignKeyConstraint(["feeder_id"], ["feeder.id"], name=op.f("fk_delivery_point_feeder_id_feeder")),
        sa.ForeignKeyConstraint(
            ["transformer_id"], ["transformer.id"], name=op.f("fk_delivery_point_transformer_id_transformer")
        ),
        sa.ForeignKeyConstraint(
            ["water_district_id"],
            ["water_district.id"],
            name=op.f("fk_delivery_point_water_district_id_water_district"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_point")),
        sa.UniqueConstraint("reference", name=op.f("uq_delivery_point_reference")),
    )
    with op.batch_alter_table("delivery_point", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delivery_point_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_point_feeder_id"), ["feeder_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_point_transformer_id"), ["transformer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_point_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_point_water_district_id"), ["water_district_id"], unique=False)

    op.create_table(
        "network_meter",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("serial", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("feeder_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("transformer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("water_district_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("digits", sa.SmallInteger(), nullable=False),
        sa.Column("multiplier", sa.Integer(), nullable=False),
        sa.Column("installed_on", sa.Date(), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind in ('feeder', 'transformer', 'water_district')", name=op.f("ck_network_meter_kind")),
        sa.CheckConstraint(
            "(case when feeder_id is null then 0 else 1 end) + (case when transformer_id is null then 0 else 1 end) + (case when water_district_id is null then 0 else 1 end) = 1",
            name=op.f("ck_network_meter_one_equipment"),
        ),
        sa.ForeignKeyConstraint(["feeder_id"], ["feeder.id"], name=op.f("fk_network_meter_feeder_id_feeder")),
        sa.ForeignKeyConstraint(
            ["transformer_id"], ["transformer.id"], name=op.f("fk_network_meter_transformer_id_transformer")
        ),
        sa.ForeignKeyConstraint(
            ["water_district_id"], ["water_district.id"], name=op.f("fk_network_meter_water_district_id_water_district")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_meter")),
        sa.UniqueConstraint("serial", name=op.f("uq_network_meter_serial")),
    )
    with op.batch_alter_table("network_meter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_network_meter_feeder_id"), ["feeder_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_network_meter_transformer_id"), ["transformer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_network_meter_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_network_meter_water_district_id"), ["water_district_id"], unique=False)

    op.create_table(
        "contract",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("delivery_point_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("commodity", sa.String(length=12), nullable=False),
        sa.Column("category", sa.String(length=12), nullable=False),
        sa.Column("subscribed_power", operational_api.db.ExactDecimal(precision=10, scale=2), nullable=False),
        sa.Column("power_unit", sa.String(length=4), nullable=False),
        sa.Column("billing_cycle", sa.String(length=10), nullable=False),
        sa.Column("payment_mode", sa.String(length=10), nullable=False),
        sa.Column("reading_round_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("billing_cycle in ('monthly', 'bimonthly')", name=op.f("ck_contract_billing_cycle")),
        sa.CheckConstraint("commodity in ('electricity', 'water')", name=op.f("ck_contract_commodity")),
        sa.CheckConstraint("payment_mode in ('postpaid', 'prepaid')", name=op.f("ck_contract_payment_mode")),
        sa.CheckConstraint("power_unit in ('kVA', 'A', 'mm')", name=op.f("ck_contract_power_unit")),
        sa.CheckConstraint("status in ('active', 'suspended', 'terminated')", name=op.f("ck_contract_status")),
        sa.CheckConstraint("end_date is null or end_date > start_date", name=op.f("ck_contract_dates")),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], name=op.f("fk_contract_customer_id_customer")),
        sa.ForeignKeyConstraint(
            ["delivery_point_id"], ["delivery_point.id"], name=op.f("fk_contract_delivery_point_id_delivery_point")
        ),
        sa.ForeignKeyConstraint(
            ["reading_round_id"], ["reading_round.id"], name=op.f("fk_contract_reading_round_id_reading_round")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract")),
        sa.UniqueConstraint("reference", name=op.f("uq_contract_reference")),
    )
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contract_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_contract_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contract_delivery_point_id"), ["delivery_point_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contract_reading_round_id"), ["reading_round_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contract_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "network_reading",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("network_meter_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("reading_date", sa.Date(), nullable=False),
        sa.Column("index_value", sa.BigInteger(), nullable=True),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_meter_id"], ["network_meter.id"], name=op.f("fk_network_reading_network_meter_id_network_meter")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_reading")),
    )
    with op.batch_alter_table("network_reading", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_network_reading_network_meter_id"), ["network_meter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_network_reading_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "meter_installation",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("meter_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("contract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("installed_on", sa.Date(), nullable=False),
        sa.Column("removed_on", sa.Date(), nullable=True),
        sa.Column("initial_index", sa.BigInteger(), nullable=False),
        sa.Column("final_index", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "removed_on is null or removed_on >= installed_on", name=op.f("ck_meter_installation_dates")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_meter_installation_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(["meter_id"], ["meter.id"], name=op.f("fk_meter_installation_meter_id_meter")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meter_installation")),
    )
    with op.batch_alter_table("meter_installation", schema=None) as batch_op:
        batch_op.create_index("ix_meter_installation_contract_dates", ["contract_id", "installed_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_meter_installation_meter_id"), ["meter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meter_installation_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "meter_intervention",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("contract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("meter_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("intervention_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("seal_number", sa.String(length=30), nullable=True),
        sa.Column("index_value", sa.BigInteger(), nullable=True),
        sa.Column("notes", sa.String(length=400), nullable=True),
        sa.Column("seal_ok", sa.Boolean(), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "kind in ('inspection', 'seal_placed', 'seal_broken', 'repair', 'replacement', 'disconnection', 'reconnection')",
            name=op.f("ck_meter_intervention_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_meter_intervention_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(["meter_id"], ["meter.id"], name=op.f("fk_meter_intervention_meter_id_meter")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meter_intervention")),
    )
    with op.batch_alter_table("meter_intervention", schema=None) as batch_op:
        batch_op.create_index("ix_meter_intervention_contract_date", ["contract_id", "intervention_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_meter_intervention_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "reading",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("contract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("meter_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("reading_date", sa.Date(), nullable=False),
        sa.Column("index_value", sa.BigInteger(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("anomaly_code", sa.String(length=20), nullable=True),
        sa.Column("created_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", operational_api.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("source in ('terminal', 'manual', 'estimate')", name=op.f("ck_reading_source")),
        sa.CheckConstraint(
            "index_value is not null or anomaly_code is not null", name=op.f("ck_reading_index_or_anomaly")
        ),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], name=op.f("fk_reading_contract_id_contract")),
        sa.ForeignKeyConstraint(["meter_id"], ["meter.id"], name=op.f("fk_reading_meter_id_meter")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reading")),
    )
    with op.batch_alter_table("reading", schema=None) as batch_op:
        batch_op.create_index("ix_reading_contract_date", ["contract_id", "reading_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_reading_updated_at"), ["updated_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reading", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reading_updated_at"))
        batch_op.drop_index("ix_reading_contract_date")

    op.drop_table("reading")
    with op.batch_alter_table("meter_intervention", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meter_intervention_updated_at"))
        batch_op.drop_index("ix_meter_intervention_contract_date")

    op.drop_table("meter_intervention")
    with op.batch_alter_table("meter_installation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meter_installation_updated_at"))
        batch_op.drop_index(batch_op.f("ix_meter_installation_meter_id"))
        batch_op.drop_index("ix_meter_installation_contract_dates")

    op.drop_table("meter_installation")
    with op.batch_alter_table("network_reading", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_network_reading_updated_at"))
        batch_op.drop_index(batch_op.f("ix_network_reading_network_meter_id"))

    op.drop_table("network_reading")
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_updated_at"))
        batch_op.drop_index(batch_op.f("ix_contract_reading_round_id"))
        batch_op.drop_index(batch_op.f("ix_contract_delivery_point_id"))
        batch_op.drop_index(batch_op.f("ix_contract_customer_id"))
        batch_op.drop_index(batch_op.f("ix_contract_category"))

    op.drop_table("contract")
    with op.batch_alter_table("network_meter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_network_meter_water_district_id"))
        batch_op.drop_index(batch_op.f("ix_network_meter_updated_at"))
        batch_op.drop_index(batch_op.f("ix_network_meter_transformer_id"))
        batch_op.drop_index(batch_op.f("ix_network_meter_feeder_id"))

    op.drop_table("network_meter")
    with op.batch_alter_table("delivery_point", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_point_water_district_id"))
        batch_op.drop_index(batch_op.f("ix_delivery_point_updated_at"))
        batch_op.drop_index(batch_op.f("ix_delivery_point_transformer_id"))
        batch_op.drop_index(batch_op.f("ix_delivery_point_feeder_id"))
        batch_op.drop_index(batch_op.f("ix_delivery_point_agency_id"))

    op.drop_table("delivery_point")
    with op.batch_alter_table("transformer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transformer_updated_at"))
        batch_op.drop_index(batch_op.f("ix_transformer_feeder_id"))
        batch_op.drop_index(batch_op.f("ix_transformer_agency_id"))

    op.drop_table("transformer")
    with op.batch_alter_table("water_district", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_water_district_updated_at"))
        batch_op.drop_index(batch_op.f("ix_water_district_agency_id"))

    op.drop_table("water_district")
    with op.batch_alter_table("reading_round", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reading_round_updated_at"))
        batch_op.drop_index(batch_op.f("ix_reading_round_agency_id"))

    op.drop_table("reading_round")
    with op.batch_alter_table("feeder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feeder_updated_at"))
        batch_op.drop_index(batch_op.f("ix_feeder_substation_id"))

    op.drop_table("feeder")
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_updated_at"))
        batch_op.drop_index(batch_op.f("ix_customer_phone"))
        batch_op.drop_index(batch_op.f("ix_customer_agency_id"))

    op.drop_table("customer")
    with op.batch_alter_table("substation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_substation_updated_at"))

    op.drop_table("substation")
    with op.batch_alter_table("meter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meter_updated_at"))

    op.drop_table("meter")
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agency_updated_at"))

    op.drop_table("agency")
