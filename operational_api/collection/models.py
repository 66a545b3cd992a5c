"""Collection (*recouvrement*): payment plans, disconnection campaigns and what happened to each target."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from operational_api.common import IdMixin, TimestampMixin
from operational_api.db import Base, IdType


class PaymentPlan(IdMixin, TimestampMixin, Base):
    """A payment plan (*moratoire*, *échéancier*) over one or more bills; a contract under a plan in force is
    not disconnected. Amounts in integer minor units."""

    __tablename__ = "payment_plan"
    __table_args__ = (
        CheckConstraint("status in ('active', 'completed', 'broken', 'cancelled')", name="status"),
        CheckConstraint("end_date >= start_date", name="dates"),
        Index("ix_payment_plan_customer", "customer_id"),
    )

    customer_id: Mapped[int] = mapped_column(IdType, ForeignKey("customer.id"))
    contract_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("contract.id"))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    total_amount: Mapped[int] = mapped_column(BigInteger)
    installments: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(String(12), default="active")
    created_by: Mapped[str] = mapped_column(String(60))


class PaymentPlanInstallment(IdMixin, TimestampMixin, Base):
    __tablename__ = "payment_plan_installment"

    plan_id: Mapped[int] = mapped_column(IdType, ForeignKey("payment_plan.id"), index=True)
    due_date: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)


class CollectionCampaign(IdMixin, TimestampMixin, Base):
    """A disconnection campaign (*campagne de coupure*) built from criteria for an agency."""

    __tablename__ = "collection_campaign"
    __table_args__ = (CheckConstraint("status in ('draft', 'in_progress', 'closed')", name="status"),)

    reference: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("agency.id"))
    created_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    criteria: Mapped[str | None] = mapped_column(String(2000))  # JSON of the criteria used
    created_by: Mapped[str] = mapped_column(String(60))


class CollectionTarget(IdMixin, TimestampMixin, Base):
    """A contract of a campaign, its agent and place in the route, and what happened in the field."""

    __tablename__ = "collection_target"
    __table_args__ = (
        CheckConstraint(
            "status in ('pending', 'notice_delivered', 'paid', 'disconnected', 'refused', 'reconnected')",
            name="status",
        ),
        Index("ix_collection_target_campaign", "campaign_id"),
        Index("ix_collection_target_contract", "contract_id"),
    )

    campaign_id: Mapped[int] = mapped_column(IdType, ForeignKey("collection_campaign.id"))
    contract_id: Mapped[int] = mapped_column(IdType, ForeignKey("contract.id"))
    agent: Mapped[str | None] = mapped_column(String(60))
    route_order: Mapped[int | None] = mapped_column(Integer)
    amount_due: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    status_on: Mapped[dt.date | None] = mapped_column(Date)
    index_at_disconnection: Mapped[int | None] = mapped_column(BigInteger)
    reconnection_fee: Mapped[int | None] = mapped_column(BigInteger)
    notes: Mapped[str | None] = mapped_column(String(1000))
