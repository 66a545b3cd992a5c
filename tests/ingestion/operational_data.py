"""A small, valid operational database for ingestion tests, written through SQLAlchemy Core.

Timestamps are explicit (with microseconds and a non-UTC offset, to check the conversion to UTC) and decimals
carry their exact text, so tests can compare the warehouse with what was written.
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Engine, func, select

from operational_api.db import make_engine
from operational_api.migrate import upgrade
from operational_api.models import metadata

T = metadata.tables
# What ingestion copies: every table and column except the operational side's working tables and secrets.
INGESTED = {table.name: table for table in metadata.sorted_tables if table.info.get("ingest", True)}


def ingested_columns(table: str) -> list:
    """The columns of an operational table that reach the warehouse."""
    return [column for column in T[table].columns if column.info.get("ingest", True)]


# The tables this module writes; tables added to the models later are ingested too, empty until added here.
FILLED = (
    "agency",
    "reading_round",
    "substation",
    "feeder",
    "transformer",
    "water_district",
    "network_meter",
    "network_reading",
    "customer",
    "delivery_point",
    "contract",
    "meter",
    "meter_installation",
    "reading",
    "meter_intervention",
    "tariff_grid",
    "tariff_version",
    "tariff_block",
    "tariff_charge",
    "tariff_tax",
    "tariff_category",
    "billing_batch",
    "billing_batch_event",
    "document_sequence",
    "invoice",
    "invoice_line",
    "payment",
    "allocation",
    "ledger_entry",
    "prepaid_purchase",
    "inspection",
    "payment_plan",
    "payment_plan_installment",
    "collection_campaign",
    "collection_target",
    "complaint",
    "app_user",
    "user_agency",
    "api_token",
    "payment_partner",
    "audit_event",
    "customer_change",
    "cash_session",
    "cash_count_line",
    "receipt_print",
    "cheque_deposit",
    "cheque_deposit_item",
    "bank_deposit",
    "bank_deposit_item",
    "cheque_bar",
    "mobile_money_notification",
    "partner_statement",
    "partner_statement_line",
    "intake_file",
    "intake_quarantine",
    "notification",
)
# A base instant in a zone one hour east of UTC, with a fraction of a second.
BASE = dt.datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@dataclass
class Filled:
    """What was written: the engine, and the newest ``updated_at`` written."""

    engine: Engine
    newest: dt.datetime


def stamps(index: int) -> dict[str, dt.datetime]:
    """Distinct, increasing creation and change times, one second apart."""
    moment = BASE + dt.timedelta(seconds=index, microseconds=index)
    return {"created_at": moment, "updated_at": moment}


def fill_operational(url: str, customers: int = 300) -> Filled:
    """Migrate the database at ``url`` and write a few hundred rows into every table."""
    upgrade(url)
    engine = make_engine(url)
    tick = iter(range(1_000_000))

    def rows(table: str, items: list[dict]) -> None:
        with engine.begin() as connection:
            connection.execute(T[table].insert(), [item | stamps(next(tick)) for item in items])

    rows("agency", [{"id": i, "code": f"AG{i}", "name": f"Agence {i}", "city": "Dakar"} for i in (1, 2, 3)])
    rows(
        "reading_round",
        [
            {"id": i, "agency_id": 1 + i % 3, "code": f"T{i}", "name": f"Tournée {i}", "reading_day": i}
            for i in range(1, 7)
        ],
    )
    rows(
        "substation",
        [
            {
                "id": 1,
                "code": "PS1",
                "name": "Hann",
                "voltage_kv": decimal.Decimal("90.00"),
                "latitude": 14.7,
                "longitude": -17.4,
            },
            {
                "id": 2,
                "code": "PS2",
                "name": "Bel Air",
                "voltage_kv": decimal.Decimal("30.25"),
                "latitude": 14.68,
                "longitude": -17.43,
            },
        ],
    )
    rows(
        "feeder",
        [
            {
                "id": i,
                "substation_id": 1 + i % 2,
                "code": f"D{i}",
                "name": f"Départ {i}",
                "voltage_kv": decimal.Decimal("30.00"),
            }
            for i in range(1, 5)
        ],
    )
    rows(
        "transformer",
        [
            {
                "id": i,
                "feeder_id": 1 + i % 4,
                "agency_id": 1 + i % 3,
                "code": f"P{i}",
                "name": f"Poste {i}",
                "rating_kva": 160,
                "latitude": 14.7 + i / 1000,
                "longitude": -17.4,
            }
            for i in range(1, 11)
        ],
    )
    rows(
        "water_district",
        [
            {"id": i, "agency_id": i, "code": f"W{i}", "name": f"Secteur {i}", "latitude": 14.6, "longitude": -17.3}
            for i in (1, 2, 3)
        ],
    )
    none = {"feeder_id": None, "transformer_id": None, "water_district_id": None}
    meters = (
        [none | {"kind": "feeder", "feeder_id": i, "unit": "kWh"} for i in range(1, 5)]
        + [none | {"kind": "transformer", "transformer_id": i, "unit": "kWh"} for i in range(1, 11)]
        + [none | {"kind": "water_district", "water_district_id": i, "unit": "m3"} for i in (1, 2, 3)]
    )
    rows(
        "network_meter",
        [
            meter | {"id": i, "serial": f"NM{i}", "digits": 8, "multiplier": 1, "installed_on": dt.date(2020, 1, 1)}
            for i, meter in enumerate(meters, start=1)
        ],
    )
    rows(
        "network_reading",
        [
            {
                "id": i,
                "network_meter_id": 1 + i % len(meters),
                "reading_date": dt.date(2025, 1, 1) + dt.timedelta(i % 60),
                "index_value": 1000 * i,
                "source": "terminal",
            }
            for i in range(1, 201)
        ],
    )
    rows(
        "customer",
        [
            {
                "id": i,
                "reference": f"C{i:06d}",
                "kind": "person",
                "name": f"Diop {i}",
                "first_name": "Awa",
                "phone": None if i % 7 == 0 else f"77{i:07d}",
                "agency_id": 1 + i % 3,
            }
            for i in range(1, customers + 1)
        ],
    )
    rows(
        "delivery_point",
        [
            {
                "id": i,
                "reference": f"PL{i:06d}",
                "agency_id": 1 + i % 3,
                "commodity": "electricity",
                "address": f"Rue {i}",
                "latitude": 14.7 + i / 10_000,
                "longitude": -17.45 + i / 10_000,
                "feeder_id": 1 + i % 4,
                "transformer_id": 1 + i % 10,
            }
            for i in range(1, customers + 1)
        ],
    )
    rows(
        "contract",
        [
            {
                "id": i,
                "reference": f"A{i:06d}",
                "customer_id": i,
                "delivery_point_id": i,
                "commodity": "electricity",
                "category": "DOM",
                "subscribed_power": decimal.Decimal("6.60") if i % 2 else decimal.Decimal("12345678.91"),
                "power_unit": "kVA",
                "billing_cycle": "monthly",
                "reading_round_id": 1 + i % 6,
                "start_date": dt.date(2024, 1, 1) + dt.timedelta(i),
                "end_date": None if i % 5 else dt.date(2030, 1, 1),
            }
            for i in range(1, customers + 1)
        ],
    )
    rows(
        "meter",
        [
            {
                "id": i,
                "serial": f"M{i:08d}",
                "commodity": "electricity",
                "meter_type": "single_phase",
                "digits": 6,
                "multiplier": 1,
                "brand": None if i % 3 else "Hexing",
            }
            for i in range(1, customers + 1)
        ],
    )
    rows(
        "meter_installation",
        [
            {
                "id": i,
                "meter_id": i,
                "contract_id": i,
                "installed_on": dt.date(2024, 1, 1),
                "initial_index": 0,
                "reason": "new",
            }
            for i in range(1, customers + 1)
        ],
    )
    rows(
        "reading",
        [
            {
                "id": i,
                "contract_id": 1 + i % customers,
                "meter_id": 1 + i % customers,
                "reading_date": dt.date(2025, 1, 1) + dt.timedelta(i % 2 * 31),
                "index_value": None if i % 50 == 0 else i,
                "source": "terminal",
                "anomaly_code": "NO_ACCESS" if i % 50 == 0 else None,
            }
            for i in range(1, 2 * customers + 1)
        ],
    )
    rows(
        "meter_intervention",
        [
            {
                "id": i,
                "contract_id": i,
                "meter_id": i,
                "intervention_date": dt.date(2025, 2, 1),
                "kind": "inspection",
                "seal_number": f"S{i}",
                "seal_ok": i % 4 != 0,
                "notes": None,
            }
            for i in range(1, 101)
        ],
    )
    fill_billing(rows, customers)
    fill_cash_desk_and_partners(rows, customers)
    fill_field_and_collection(rows, customers)
    fill_intake_and_notifications(rows, customers)
    return Filled(engine, BASE + dt.timedelta(seconds=next(tick)))


def fill_billing(rows, customers: int) -> None:
    """Tariffs, a billing batch, invoices with lines, payments, allocations and ledger entries."""
    money = decimal.Decimal
    rows(
        "tariff_grid",
        [
            {
                "id": 1,
                "code": "DOM",
                "name": "Domestique",
                "commodity": "electricity",
                "unit": "kWh",
                "scaling": "cycle",
                "days_per_month": 30,
            }
        ],
    )
    rows(
        "tariff_version",
        [
            {
                "id": i,
                "grid_id": 1,
                "valid_from": dt.date(2024 + i, 1, 1),
                "valid_to": dt.date(2026, 1, 1) if i == 1 else None,
                "source": "Décision test",
                "pricing": "progressive",
                "energy_rounding": "half_up",
                "eligibility_periods": None,
                "eligibility_max_monthly_average": None,
                "eligibility_fallback_grid": None,
                "definition": "{}",
                "definition_hash": f"h{i}",
            }
            for i in (1, 2)
        ],
    )
    rows(
        "tariff_block",
        [
            {
                "id": i,
                "version_id": 1 + i % 2,
                "block_number": 1 + i // 2,
                "up_to": money("150.000") if i < 2 else None,
                "price": money("91.1700"),
            }
            for i in range(0, 4)
        ],
    )
    rows(
        "tariff_charge",
        [
            {
                "id": i,
                "version_id": i,
                "kind": "fixed",
                "code": "REDEVANCE",
                "label_fr": "Redevance",
                "label_en": "Fee",
                "charged_by": "meter_type",
                "meter_type": "single_phase",
                "step_number": None,
                "power_up_to": None,
                "amount": money("429"),
                "rounding": "half_up",
                "position": 1,
            }
            for i in (1, 2)
        ],
    )
    rows(
        "tariff_tax",
        [
            {
                "id": i,
                "version_id": i,
                "code": "TVA",
                "label_fr": "TVA",
                "label_en": "VAT",
                "base": "consumption_above",
                "rate": money("0.180000"),
                "threshold": money("250"),
                "rounding": "half_up",
                "position": 1,
                "source": None,
            }
            for i in (1, 2)
        ],
    )
    rows("tariff_category", [{"id": 1, "category": "DOM", "grid_code": "DOM", "valid_from": dt.date(2024, 1, 1)}])
    rows(
        "billing_batch",
        [
            {
                "id": 1,
                "reference": "LOT-2025-01",
                "name": "Janvier",
                "billing_month": dt.date(2025, 1, 1),
                "agency_id": 1,
                "reading_round_id": None,
                "category": None,
                "billing_cycle": None,
                "commodity": None,
                "status": "issued",
                "status_reason": None,
                "created_by": "admin",
                "decided_by": "chef",
                "decided_at": BASE,
                "issued_at": BASE,
                "invoice_count": customers,
                "invoiced_amount": 1000 * customers,
            }
        ],
    )
    rows(
        "billing_batch_event",
        [
            {
                "id": 1,
                "batch_id": 1,
                "status_from": None,
                "status_to": "open",
                "actor": "admin",
                "reason": None,
                "details": None,
            }
        ],
    )
    rows("document_sequence", [{"id": 1, "series": "F2025", "last_number": customers}])
    rows(
        "invoice",
        [
            {
                "id": i,
                "number": f"F2025-{i:07d}",
                "series": "F2025",
                "sequence_number": i,
                "kind": "invoice",
                "batch_id": 1,
                "contract_id": i,
                "customer_id": i,
                "agency_id": 1,
                "billing_month": dt.date(2025, 1, 1),
                "period_start": dt.date(2024, 12, 1),
                "period_end": dt.date(2025, 1, 1),
                "consumption": money("100.000"),
                "unit": "kWh",
                "is_estimated": i % 7 == 0,
                "grid_code": "DOM",
                "issue_date": dt.date(2025, 1, 5),
                "due_date": dt.date(2025, 1, 20),
                "currency": "XOF",
                "total": 1000,
                "corrects_invoice_id": None,
                "reason": None,
                "issued_by": "chef",
            }
            for i in range(1, customers + 1)
        ],
    )
    rows(
        "invoice_line",
        [
            {
                "id": i,
                "invoice_id": i,
                "line_number": 1,
                "kind": "energy",
                "code": "T1",
                "label": "Tranche 1",
                "quantity": money("100.000"),
                "unit_price": money("10.000000"),
                "base": None,
                "amount": 1000,
                "part_start": dt.date(2024, 12, 1),
                "part_end": dt.date(2025, 1, 1),
            }
            for i in range(1, customers + 1)
        ],
    )
    rows(
        "payment",
        [
            {
                "id": i,
                "receipt_number": f"R2025-{i:07d}",
                "series": "R2025",
                "sequence_number": i,
                "customer_id": i,
                "contract_id": i,
                "agency_id": 1,
                "amount": 600,
                "currency": "XOF",
                "method": "cash",
                "purpose": "invoices",
                "channel": "cash_desk",
                "received_at": BASE,
                "business_date": dt.date(2025, 1, 10),
                "cash_session_id": None,
                "partner": None,
                "partner_reference": None,
                "cheque_number": None,
                "cheque_bank": None,
                "status": "posted",
                "status_reason": None,
                "idempotency_key": f"k{i}",
                "created_by": "caisse",
            }
            for i in range(1, customers // 2 + 1)
        ],
    )
    rows(
        "allocation",
        [
            {
                "id": i,
                "invoice_id": i,
                "payment_id": i,
                "credit_invoice_id": None,
                "amount": 600,
                "allocated_on": dt.date(2025, 1, 10),
                "reverses_id": None,
            }
            for i in range(1, customers // 2 + 1)
        ],
    )
    rows(
        "ledger_entry",
        [
            {
                "id": i,
                "customer_id": i,
                "contract_id": i,
                "entry_date": dt.date(2025, 1, 5),
                "kind": "invoice",
                "amount": 1000,
                "invoice_id": i,
                "payment_id": None,
                "description": "Facture",
                "created_by": "chef",
            }
            for i in range(1, customers + 1)
        ],
    )


def fill_cash_desk_and_partners(rows, customers: int) -> None:
    """Users, tokens, the audit trail, cash sessions and deposits, cheque bars, mobile money (after billing)."""
    rows(
        "app_user",
        [
            {
                "id": i,
                "login": f"user{i}",
                "full_name": f"Agent {i}",
                "role": ("cashier", "supervisor", "admin")[i % 3],
                "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
                "must_change_password": i % 2 == 0,
                "password_changed_at": BASE,
                "failed_logins": 0,
                "locked_until": None,
                "active": True,
                "last_login_at": BASE if i % 2 else None,
                "created_by": "admin",
            }
            for i in range(1, 7)
        ],
    )
    rows("user_agency", [{"id": i, "user_id": i, "agency_id": 1 + i % 3} for i in range(1, 7)])
    rows(
        "api_token",
        [
            {
                "id": i,
                "token_hash": f"{i:064x}",
                "user_id": i,
                "expires_at": BASE + dt.timedelta(hours=10),
                "revoked_at": BASE if i == 1 else None,
                "workstation": f"CAISSE-{i}",
                "client_address": "10.0.0.1",
            }
            for i in range(1, 4)
        ],
    )
    rows(
        "payment_partner",
        [
            {
                "id": 1,
                "code": "MTN_MOMO",
                "name": "MTN Mobile Money",
                "secret_hash": "f" * 64,
                "active": True,
                "created_by": "admin",
            }
        ],
    )
    rows(
        "audit_event",
        [
            {
                "id": i,
                "occurred_at": BASE + dt.timedelta(seconds=i),
                "actor": "user1",
                "actor_kind": "user",
                "actor_role": "cashier",
                "action": "cashdesk.payment.create",
                "entity": "payment",
                "entity_key": f"R2025-{i:07d}",
                "agency_id": 1,
                "workstation": "CAISSE-1",
                "client_address": "10.0.0.1",
                "before_json": None,
                "after_json": '{"amount": 600, "libellé": "été"}',
            }
            for i in range(1, 11)
        ],
    )
    rows(
        "customer_change",
        [
            {
                "id": i,
                "customer_id": i,
                "entity": "customer",
                "entity_key": f"C{i:06d}",
                "field": "phone",
                "old_value": None,
                "new_value": f"77{i:07d}",
                "changed_by": "user2",
                "changed_at": BASE,
                "workstation": "ACCUEIL-1",
                "audit_event_id": i,
            }
            for i in range(1, 6)
        ],
    )
    rows(
        "cash_session",
        [
            {
                "id": i,
                "user_id": 1 + 3 * (i % 2),
                "cashier": "user1",
                "agency_id": 1,
                "business_date": dt.date(2025, 1, 10) + dt.timedelta(days=i),
                "status": "closed" if i < 3 else "open",
                "opened_at": BASE,
                "workstation": "CAISSE-1",
                "closed_at": BASE if i < 3 else None,
                "closed_by": "user1" if i < 3 else None,
                "expected_cash": 60_000 if i < 3 else None,
                "counted_cash": 59_975 if i < 3 else None,
                "cash_difference": -25 if i < 3 else None,
                "closing_note": None,
            }
            for i in (1, 2, 3)
        ],
    )
    rows(
        "cash_count_line",
        [
            {"id": 1, "session_id": 1, "kind": "note", "denomination": 10000, "quantity": 5, "amount": 50_000},
            {"id": 2, "session_id": 1, "kind": "coin", "denomination": 25, "quantity": 1, "amount": 25},
        ],
    )
    rows(
        "receipt_print",
        [
            {
                "id": i,
                "payment_id": 1,
                "printed_at": BASE,
                "printed_by": "user1",
                "duplicate": i > 1,
                "workstation": "CAISSE-1",
            }
            for i in (1, 2)
        ],
    )
    rows(
        "cheque_deposit",
        [
            {
                "id": 1,
                "reference": "C2025-AG1-000001",
                "agency_id": 1,
                "bank": "CBAO",
                "deposit_date": dt.date(2025, 1, 12),
                "cheque_count": 2,
                "total": 1_200,
                "created_by": "user1",
            }
        ],
    )
    rows("cheque_deposit_item", [{"id": i, "deposit_id": 1, "payment_id": i, "amount": 600} for i in (1, 2)])
    rows(
        "bank_deposit",
        [
            {
                "id": 1,
                "reference": "V2025-AG1-000001",
                "agency_id": 1,
                "bank": "CBAO",
                "bank_reference": "BRD-1",
                "deposit_date": dt.date(2025, 1, 13),
                "amount": 100_000,
                "created_by": "user2",
            }
        ],
    )
    rows(
        "bank_deposit_item",
        [
            {"id": 1, "deposit_id": 1, "session_id": 1, "amount": 59_975},
            {"id": 2, "deposit_id": 1, "session_id": 2, "amount": 40_025},
        ],
    )
    rows(
        "cheque_bar",
        [
            {
                "id": 1,
                "customer_id": 3,
                "payment_id": 3,
                "reason": "Chèque impayé",
                "barred_at": BASE,
                "barred_by": "user2",
                "lifted_at": None,
                "lifted_by": None,
                "lift_reason": None,
            }
        ],
    )
    rows(
        "mobile_money_notification",
        [
            {
                "id": i,
                "partner_id": 1,
                "reference_id": f"ref-{i:08d}",
                "external_id": f"C{i:06d}",
                "financial_transaction_id": f"FT{i}" if i % 2 else None,
                "amount": 600,
                "currency": "XOF",
                "payer_id_type": "MSISDN",
                "payer_id": f"22177{i:07d}",
                "payer_message": "Facture",
                "payee_note": None,
                "status": ("SUCCESSFUL", "PENDING", "FAILED")[i % 3],
                "reason": None,
                "payment_id": i if i % 3 == 0 else None,
                "response_json": "{}",
                "received_at": BASE,
            }
            for i in range(1, 7)
        ],
    )
    rows(
        "partner_statement",
        [
            {
                "id": 1,
                "partner_id": 1,
                "statement_date": dt.date(2025, 1, 10),
                "checksum": "a" * 64,
                "line_count": 3,
                "total": 1_800,
                "imported_by": "user2",
            }
        ],
    )
    rows(
        "partner_statement_line",
        [
            {
                "id": i,
                "statement_id": 1,
                "line_number": i + 1,
                "transaction_at": BASE,
                "reference_id": f"ref-{i:08d}",
                "financial_transaction_id": f"FT{i}",
                "external_id": f"C{i:06d}",
                "amount": 600,
                "currency": "XOF",
                "status": "SUCCESSFUL",
                "payer": None,
            }
            for i in (1, 2, 3)
        ],
    )


def source_counts(engine: Engine) -> dict[str, int]:
    """Rows per operational table."""
    with engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in INGESTED.items()
        }


def bulk_readings(url: str, count: int, contracts: int, start_id: int) -> None:
    """Append ``count`` readings to an operational database fast (numpy + ADBC, no per-row Python).

    SQLite receives the text the model stores there; PostgreSQL receives typed dates and timestamps.
    """
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    sqlite = parsed.get_backend_name() == "sqlite"
    rng = np.random.default_rng(7)
    ids = np.arange(start_id, start_id + count, dtype=np.int64)
    moments = pa.array(np.datetime64("2025-03-02T00:00:00", "us") + (ids * 1_000).astype("timedelta64[us]"))
    day = pa.array([dt.date(2025, 2, 1)] * count)
    contract = (ids % contracts) + 1
    table = pa.table(
        {
            "id": ids,
            "contract_id": contract,
            "meter_id": contract,
            "reading_date": pc.strftime(day, format="%Y-%m-%d") if sqlite else day,
            "index_value": rng.integers(0, 1_000_000, count),
            "source": pa.array(["terminal"] * count),
            "anomaly_code": pa.nulls(count, pa.string()),
            "created_at": pc.strftime(moments, format="%Y-%m-%d %H:%M:%S") if sqlite else moments,
            "updated_at": pc.strftime(moments, format="%Y-%m-%d %H:%M:%S") if sqlite else moments,
        }
    )
    if sqlite:
        import adbc_driver_sqlite.dbapi as dbapi

        connection = dbapi.connect(os.fspath(parsed.database))
    else:
        import adbc_driver_postgresql.dbapi as dbapi

        connection = dbapi.connect(parsed.set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        with connection.cursor() as cursor:
            cursor.adbc_ingest("reading", table, mode="append")
        connection.commit()
    finally:
        connection.close()


def fill_field_and_collection(rows, customers: int) -> None:
    """Prepaid purchases, inspections, payment plans, a collection campaign and complaints."""
    money = decimal.Decimal
    rows(
        "prepaid_purchase",
        [
            {
                "id": i,
                "contract_id": i,
                "customer_id": i,
                "purchased_at": BASE,
                "purchase_date": dt.date(2025, 3, 1),
                "amount": 5000,
                "energy": money("55.800"),
                "month_energy_before": money("0.000"),
                "fee_taken": True,
                "grid_code": "DOM",
                "token": f"{i:020d}",
                "channel": "agency",
                "partner": None,
                "partner_reference": None,
            }
            for i in range(1, 21)
        ],
    )
    rows(
        "inspection",
        [
            {
                "id": i,
                "contract_id": i,
                "requested_on": dt.date(2025, 2, 1),
                "requested_by": "planif",
                "suspect_rules": "FALL_VS_HABIT",
                "suspect_score": money("0.8125"),
                "route_order": i,
                "inspected_on": dt.date(2025, 2, 5),
                "inspector": "agent",
                "outcome": "no_fraud",
                "energy_recovered": None,
                "notes": None,
            }
            for i in range(1, 11)
        ],
    )
    rows(
        "payment_plan",
        [
            {
                "id": 1,
                "customer_id": 1,
                "contract_id": 1,
                "start_date": dt.date(2025, 1, 1),
                "end_date": dt.date(2025, 6, 30),
                "total_amount": 60000,
                "installments": 6,
                "status": "active",
                "created_by": "chef",
            }
        ],
    )
    rows(
        "payment_plan_installment",
        [{"id": i, "plan_id": 1, "due_date": dt.date(2025, i, 28), "amount": 10000} for i in range(1, 7)],
    )
    rows(
        "collection_campaign",
        [
            {
                "id": 1,
                "reference": "CP-2025-01",
                "name": "Coupures janvier",
                "agency_id": 1,
                "created_on": dt.date(2025, 1, 15),
                "status": "in_progress",
                "criteria": "{}",
                "created_by": "chef",
            }
        ],
    )
    rows(
        "collection_target",
        [
            {
                "id": i,
                "campaign_id": 1,
                "contract_id": i,
                "agent": "agent1",
                "route_order": i,
                "amount_due": 25000,
                "status": "pending",
                "status_on": None,
                "index_at_disconnection": None,
                "reconnection_fee": None,
                "notes": None,
            }
            for i in range(1, 6)
        ],
    )
    rows(
        "complaint",
        [
            {
                "id": 1,
                "customer_id": 2,
                "contract_id": 2,
                "opened_on": dt.date(2025, 1, 20),
                "closed_on": None,
                "category": "billing",
                "status": "open",
                "description": "Facture élevée",
                "created_by": "accueil",
            }
        ],
    )


def fill_intake_and_notifications(rows, customers: int) -> None:
    """Files taken in (one loaded, one partial, one refused), their quarantined rows, and the e-services outbox."""
    rows(
        "intake_file",
        [
            {
                "id": i,
                "kind": ("readings", "bank_statement", "prepaid_vending")[i - 1],
                "file_name": f"file-{i}.csv",
                "content_hash": f"{i:064x}",
                "size_bytes": 1000 * i,
                "stored_path": None if i == 3 else f"/srv/inbox/done/file-{i}.csv",
                "status": ("loaded", "partial", "rejected")[i - 1],
                "reason": "the file is not UTF-8 text" if i == 3 else None,
                "rows_total": 10 * i,
                "rows_loaded": (10, 18, 0)[i - 1],
                "rows_quarantined": (0, 2, 0)[i - 1],
                "rows_skipped": 0,
                "received_at": BASE,
                "processed_at": BASE,
                "taken_by": "intake",
                "details": None,
            }
            for i in (1, 2, 3)
        ],
    )
    rows(
        "intake_quarantine",
        [
            {
                "id": i,
                "file_id": 2,
                "line_number": 3 + i,
                "content": '{"bank_reference": "VIR-1", "amount": "12,5"}',
                "original_content": None,
                "reason": "amount '12,5' has more than 0 decimal(s)",
                "status": ("open", "loaded")[i - 1],
                "attempts": i,
                "fixed_by": "comptable" if i == 2 else None,
                "fixed_at": BASE if i == 2 else None,
                "resolved_by": "comptable" if i == 2 else None,
                "resolved_at": BASE if i == 2 else None,
                "resolution_note": "loaded by a replay" if i == 2 else None,
            }
            for i in (1, 2)
        ],
    )
    rows(
        "notification",
        [
            {
                "id": i,
                "channel": ("email", "sms")[i % 2],
                "purpose": "invoice",
                "invoice_id": 1 + i // 2,
                "customer_id": 1 + i // 2,
                "batch_id": 1,
                "recipient": f"client{i}@example.sn" if i % 2 == 0 else f"77{i:07d}",
                "language": "fr",
                "subject": "Votre facture" if i % 2 == 0 else None,
                "body": "Bonjour",
                "status": ("queued", "sent", "failed")[i % 3],
                "attempts": i % 3,
                "last_error": "550 mailbox unavailable" if i % 3 == 2 else None,
                "queued_at": BASE,
                "sent_at": BASE if i % 3 == 1 else None,
                "provider_reference": f"log-{i}" if i % 3 == 1 else None,
            }
            for i in range(0, 6)
        ],
    )
