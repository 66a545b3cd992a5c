"""A small warehouse with the marts of the screens: 3 agencies, 3 substations, 4 feeders, 8 transformers, 4 months,
5 customers with their contracts, billing and collection, losses, suspects, disconnection lists, billing batches.

The tables have the names and column types of the dbt marts the apps read. The same DDL and rows load into
DuckDB and PostgreSQL. Expected figures in the tests are computed from the rows below, not from the app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

import duckdb

MONTHS = [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1), dt.date(2026, 4, 1)]

# agency_id, code, name, city
AGENCIES = [
    (1, "DKP", "Dakar Plateau", "Dakar"),
    (2, "THS", "Thiès Centre", "Thiès"),
    (3, "STL", "Saint-Louis Nord", "Saint-Louis"),
]

# substation_id, code, name, latitude, longitude
SUBSTATIONS = [
    (10, "PS-HANN", "Poste source de Hann", 14.7231, -17.4334),
    (11, "PS-THS", "Poste source de Thiès", 14.7910, -16.9359),
    (12, "PS-STL", "Poste source de Saint-Louis", 16.0179, -16.4896),
]

# feeder_id, code, name, voltage_kv, substation_id
FEEDERS = [
    (100, "D-HANN-1", "Départ Plateau", Decimal("30.00"), 10),
    (101, "D-HANN-2", "Départ Médina", Decimal("30.00"), 10),
    (102, "D-THS-1", "Départ Thiès Ville", Decimal("30.00"), 11),
    (103, "D-STL-1", "Départ Île Nord", Decimal("30.00"), 12),
]

# transformer_id, code, name, rating_kva, latitude, longitude, feeder_id, agency_id, active_contracts
TRANSFORMERS = [
    (1000, "P-PLT-01", "Poste Indépendance", 630, 14.6690, -17.4330, 100, 1, 412),
    (1001, "P-PLT-02", "Poste Rue de l'Église", 400, 14.6735, -17.4390, 100, 1, 268),
    (1002, "P-MED-01", "Poste Médina Marché", 250, 14.6840, -17.4490, 101, 1, 305),
    (1003, "P-MED-02", "Poste Gueule Tapée", 160, 14.6890, -17.4560, 101, 1, 190),
    (1004, "P-THS-01", "Poste Gare de Thiès", 400, 14.7890, -16.9260, 102, 2, 350),
    (1005, "P-THS-02", "Poste Randoulène", 250, 14.7990, -16.9420, 102, 2, 221),
    (1006, "P-STL-01", "Poste Sor", 250, 16.0240, -16.4930, 103, 3, 240),
    (1007, "P-STL-02", "Poste Pointe Nord", 100, 16.0330, -16.5050, 103, 3, 96),
]

# agency_id, commodity, category, active_contracts, customers
CONTRACTS = [
    (1, "electricity", "residential", 1020, 1004),
    (1, "electricity", "professional", 155, 131),
    (1, "water", "residential", 830, 822),
    (2, "electricity", "residential", 530, 525),
    (2, "electricity", "professional", 41, 39),
    (2, "water", "residential", 402, 400),
    (3, "electricity", "residential", 310, 306),
    (3, "electricity", "professional", 26, 25),
    (3, "water", "residential", 215, 214),
]

UNITS = {"electricity": "kWh", "water": "m3"}
# Base consumption per agency and commodity, in the commodity's unit, varied per month below.
BASE = {
    (1, "electricity"): Decimal("182450.500"),
    (1, "water"): Decimal("14230.250"),
    (2, "electricity"): Decimal("76420.000"),
    (2, "water"): Decimal("6120.750"),
    (3, "electricity"): Decimal("38015.125"),
    (3, "water"): Decimal("3302.000"),
}


def consumption_rows() -> list[tuple]:
    """Rows of rpt_consumption_by_agency_month, deterministic."""
    rows = []
    contracts = {}
    customers = {}
    for agency_id, commodity, _category, active, holders in CONTRACTS:
        contracts[agency_id, commodity] = contracts.get((agency_id, commodity), 0) + active
        customers[agency_id, commodity] = customers.get((agency_id, commodity), 0) + holders
    names = {agency_id: (code, name) for agency_id, code, name, _city in AGENCIES}
    for month_index, month in enumerate(MONTHS):
        for (agency_id, commodity), base in BASE.items():
            consumption = (base * (Decimal(100 + 3 * month_index) / 100)).quantize(Decimal("0.001"))
            estimated_contracts = 20 + 7 * agency_id + month_index
            estimated = (
                consumption * Decimal(estimated_contracts) / Decimal(contracts[agency_id, commodity])
            ).quantize(Decimal("0.001"))
            code, name = names[agency_id]
            rows.append(
                (
                    agency_id,
                    code,
                    name,
                    month,
                    commodity,
                    UNITS[commodity],
                    customers[agency_id, commodity],
                    contracts[agency_id, commodity],
                    consumption,
                    estimated,
                    estimated_contracts,
                )
            )
    return rows


DDL = [
    "create schema if not exists marts",
    """create table marts.dim_agencies (
        agency_id bigint, agency_code varchar, agency_name varchar, city varchar)""",
    """create table marts.dim_transformers (
        transformer_id bigint, transformer_code varchar, transformer_name varchar, rating_kva integer,
        latitude double precision, longitude double precision,
        feeder_id bigint, feeder_code varchar, feeder_name varchar,
        substation_id bigint, substation_code varchar, substation_name varchar,
        substation_latitude double precision, substation_longitude double precision,
        agency_id bigint, agency_code varchar, agency_name varchar, active_contracts bigint)""",
    """create table marts.dim_feeders (
        feeder_id bigint, feeder_code varchar, feeder_name varchar, voltage_kv decimal(6,2),
        substation_id bigint, substation_code varchar, substation_name varchar,
        substation_latitude double precision, substation_longitude double precision,
        transformers bigint, active_contracts bigint)""",
    """create table marts.rpt_consumption_by_agency_month (
        agency_id bigint, agency_code varchar, agency_name varchar, month date, commodity varchar, unit varchar,
        customers bigint, contracts bigint, consumption decimal(18,3), estimated_consumption decimal(18,3),
        estimated_contracts bigint)""",
    """create table marts.rpt_contracts_by_agency (
        agency_id bigint, agency_code varchar, agency_name varchar, commodity varchar, category varchar,
        active_contracts bigint, customers bigint)""",
]


def table_rows() -> dict[str, list[tuple]]:
    """Every table's rows, in column order."""
    agencies = {row[0]: row for row in AGENCIES}
    substations = {row[0]: row for row in SUBSTATIONS}
    feeders = {row[0]: row for row in FEEDERS}
    transformers = []
    for tid, code, name, rating, lat, lon, feeder_id, agency_id, active in TRANSFORMERS:
        _fid, fcode, fname, _kv, substation_id = feeders[feeder_id]
        _sid, scode, sname, slat, slon = substations[substation_id]
        _aid, acode, aname, _city = agencies[agency_id]
        transformers.append(
            (tid, code, name, rating, lat, lon, feeder_id, fcode, fname, substation_id, scode, sname, slat, slon)
            + (agency_id, acode, aname, active)
        )
    feeder_rows = []
    for fid, fcode, fname, kv, substation_id in FEEDERS:
        _sid, scode, sname, slat, slon = substations[substation_id]
        mine = [row for row in TRANSFORMERS if row[6] == fid]
        feeder_rows.append(
            (fid, fcode, fname, kv, substation_id, scode, sname, slat, slon, len(mine), sum(row[8] for row in mine))
        )
    contracts = [
        (agency_id, agencies[agency_id][1], agencies[agency_id][2], commodity, category, active, holders)
        for agency_id, commodity, category, active, holders in CONTRACTS
    ]
    return {
        "dim_agencies": list(AGENCIES),
        "dim_transformers": transformers,
        "dim_feeders": feeder_rows,
        "rpt_consumption_by_agency_month": consumption_rows(),
        "rpt_contracts_by_agency": contracts,
        **screen_rows(),
    }


def statements() -> list[str]:
    """DDL then one INSERT per table, with literal values (the rows are ours, not user input)."""
    inserts = []
    for table, rows in table_rows().items():
        values = ",\n".join("(" + ", ".join(_literal(value) for value in row) + ")" for row in rows)
        inserts.append(f"insert into marts.{table} values\n{values}")
    return DDL + inserts


def load(execute: Callable[[str], object]) -> None:
    """Create and fill the marts through any ``execute(sql)``."""
    for statement in statements():
        execute(statement)


def build_duckdb(path: Path) -> Path:
    """Write the fixture warehouse to a DuckDB file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(str(path))
    try:
        load(connection.execute)
        # Tables outside the marts must not reach the published copy.
        connection.execute("create schema staging; create table staging.stg_secret as select 1 as x")
    finally:
        connection.close()
    return path


def _literal(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, dt.date):
        return f"date '{value.isoformat()}'"
    return str(value)


# Expected figures, from the rows above.


def expected_kpis(month: dt.date, agency_id: int | None = None) -> dict[str, float]:
    """Headline figures as the Supervision screen should show them."""

    def mine(rows: Iterable[tuple], column: int = 0) -> list[tuple]:
        return [row for row in rows if agency_id is None or row[column] == agency_id]

    consumption = [row for row in mine(consumption_rows()) if row[3] == month]
    contracts = mine(CONTRACTS)
    return {
        "active_contracts": sum(row[3] for row in contracts),
        "customers": sum(row[4] for row in contracts),
        "electricity_kwh": float(sum(row[8] for row in consumption if row[4] == "electricity")),
        "water_m3": float(sum(row[8] for row in consumption if row[4] == "water")),
        "estimated_share": sum(row[10] for row in consumption) / sum(row[7] for row in consumption),
    }


# --- the marts of the other screens: the same utility, with customers, billing, losses, suspects, collection ------
# Customers and contracts are those of the operational fixture (operational_fixture.py): the API and the marts
# describe one utility, so that a customer found through the API has its complaints in the marts.

# customer_id, reference, name, first name, phone, agency_id
CUSTOMERS = [
    (1, "C0000001", "Ndiaye", "Awa", "+221771234567", 1),
    (2, "C0000002", "Diop", "Moussa", "+221772345678", 1),
    (3, "C0000003", "Sow", "Fatou", "+221773456789", 1),
    (4, "C0000004", "Fall", "Ibrahima", "+221774567890", 2),
    (5, "C0000005", "Ba", "Mariama", "+221775678901", 3),
]
# reading_round_id, code, agency_id, commodity
ROUNDS = [
    (1, "DKP-01", 1, "electricity"),
    (2, "DKP-02", 1, "water"),
    (3, "THS-01", 2, "electricity"),
    (4, "STL-01", 3, "electricity"),
]
# contract_id, reference, customer_id, commodity, category, round_id, transformer_id, latitude, longitude, meter
CONTRACT_ROWS = [
    (1, "P0000001", 1, "electricity", "DOM", 1, 1000, 14.6695, -17.4335, "SN-0001"),
    (2, "P0000002", 2, "electricity", "DOM", 1, 1002, 14.6845, -17.4495, "SN-0002"),
    (3, "P0000003", 3, "water", "EAU_DOM", 2, None, 14.6700, -17.4400, "SN-0003"),
    (4, "P0000004", 4, "electricity", "DOM", 3, 1004, 14.7895, -16.9265, "SN-0004"),
    (5, "P0000005", 5, "electricity", "PRO", 4, 1006, 16.0245, -16.4935, "SN-0005"),
]
# Per round: quantity billed a month (kWh or m3), amount billed (minor units), customers billed, share collected.
ROUND_BILLING = {
    1: (Decimal("42000.000"), 4_200_000, 500, Decimal("0.80")),
    2: (Decimal("3100.000"), 930_000, 200, Decimal("0.90")),
    3: (Decimal("30500.000"), 3_050_000, 400, Decimal("0.70")),
    4: (Decimal("20250.000"), 2_530_000, 300, Decimal("0.60")),
}
AGE_COLUMNS = ("not_due", "days_0_30", "days_31_60", "days_61_90", "days_91_180", "days_181_365", "over_365")
# agency_id, category, customers, buckets (minor units)
AGED = [
    (1, "DOM", 310, (900_000, 400_000, 250_000, 120_000, 80_000, 40_000, 10_000)),
    (1, "EAU_DOM", 90, (150_000, 60_000, 20_000, 0, 0, 0, 0)),
    (2, "DOM", 200, (700_000, 300_000, 100_000, 50_000, 30_000, 0, 0)),
    (3, "PRO", 60, (500_000, 100_000, 0, 0, 0, 0, 5_000)),
]
# Transformer loss share per month index (0..3) on top of a base per transformer.
LOSS_BASE = {1000: 0.08, 1001: 0.04, 1002: 0.22, 1003: 0.12, 1004: 0.18, 1005: 0.06, 1006: 0.30, 1007: 0.03}
# contract_id, score, priority, rule codes, transformer rank, suspect?
SUSPECTS = [
    (1, Decimal("4.5"), Decimal("9.9"), "FALL_HABIT,ZERO_ACTIVE", 1, True),
    (2, Decimal("6.5"), Decimal("14.3"), "INDEX_STUCK,TAMPERING", 1, True),
    (3, Decimal("0.5"), Decimal("0.8"), "", None, False),
    (4, Decimal("3.0"), Decimal("6.6"), "FALL_HABIT", 1, True),
    (5, Decimal("7.0"), Decimal("21.0"), "TAMPERING,FALL_HABIT", 1, True),
]
RULE_LABELS = {
    "FALL_HABIT": ("Chute par rapport à l'habitude", "Fall against habit"),
    "ZERO_ACTIVE": ("Consommation nulle d'un contrat actif", "Zero consumption of an active contract"),
    "INDEX_STUCK": ("Index bloqué", "Index stuck"),
    "TAMPERING": ("Manipulation du compteur", "Meter tampering"),
}
# contract_id, agent, amount due, unpaid bills, days overdue, eligible
CANDIDATES = [
    (1, "TOURNEE-DKP-01", 45_000, 3, 75, True),
    (2, "TOURNEE-DKP-01", 28_000, 2, 40, True),
    (4, "TOURNEE-THS-01", 61_000, 4, 120, True),
    (5, "TOURNEE-STL-01", 15_000, 2, 35, False),
]
# campaign_id, reference, name, agency_id, [(target_id, contract_id, agent, amount, status)]
CAMPAIGNS = [
    (
        1,
        "CC-2026-001",
        "Coupures Plateau avril",
        1,
        [(11, 1, "Awa", 45_000, "paid"), (12, 2, "Awa", 28_000, "pending")],
    ),
    (2, "CC-2026-002", "Coupures Thiès avril", 2, [(21, 4, "Modou", 61_000, "disconnected")]),
]
# batch_id, reference, name, month, agency_id, status
BATCHES = [
    (1, "LOT-2026-03", "Mars 2026", dt.date(2026, 3, 1), None, "issued"),
    (2, "LOT-2026-04-DKP", "Avril 2026 Dakar", dt.date(2026, 4, 1), 1, "simulated"),
    (3, "LOT-2026-04-THS", "Avril 2026 Thiès", dt.date(2026, 4, 1), 2, "simulated"),
]
# Invoices and amount of an issued batch.
ISSUED_INVOICES = (1200, 98_000_000)
BATCH_CREATOR = "demo-billing-clerk"
# bill_key, batch_id, contract_id, status, reason, consumption, total
DRAFT_BILLS = [
    (201, 2, 1, "billable", None, Decimal("312.000"), 38_450),
    (202, 2, 2, "billable", None, Decimal("95.000"), 10_120),
    (203, 2, 3, "held", "SECOND_ESTIMATE", Decimal("0.000"), None),
    (301, 3, 4, "billable", None, Decimal("180.000"), 21_300),
]
# bill_key, alert
DRAFT_ALERTS = [(201, "HIGH_VS_HABIT"), (203, "HELD"), (301, "ESTIMATED")]
# complaint_id, customer_id, contract_id, opened, closed, category, status, description
COMPLAINTS = [
    (1, 1, 1, dt.date(2026, 3, 20), None, "billing", "open", "Facture de mars trop élevée"),
    (2, 1, 1, dt.date(2025, 11, 2), dt.date(2025, 11, 9), "outage", "closed", "Coupure de courant"),
    (3, 4, 4, dt.date(2026, 4, 2), None, "meter", "open", "Compteur bruyant"),
]

SCREEN_DDL = [
    """create table marts.dim_contracts (
        contract_id bigint, contract_reference varchar, customer_id bigint, customer_reference varchar,
        customer_name varchar, commodity varchar, category varchar, subscribed_power decimal(10,2),
        power_unit varchar, contract_status varchar, address varchar, agency_id bigint, agency_code varchar,
        reading_round_id bigint, reading_round_code varchar, transformer_id bigint,
        latitude double precision, longitude double precision, meter_serial varchar)""",
    """create table marts.rpt_billing_collection_by_round (
        level varchar, agency_id bigint, agency_code varchar, agency_name varchar, reading_round_id bigint,
        reading_round_code varchar, commodity varchar, unit varchar, month date, customers_billed bigint,
        contracts_billed bigint, invoices bigint, quantity_billed decimal(18,3), billed_minor bigint,
        credited_minor bigint, net_billed_minor bigint, collected_minor bigint, collection_rate decimal(12,4))""",
    """create table marts.rpt_aged_balance (
        agency_id bigint, category varchar, as_of date, customers bigint, open_invoices bigint,
        not_due_minor bigint, days_0_30_minor bigint, days_31_60_minor bigint, days_61_90_minor bigint,
        days_91_180_minor bigint, days_181_365_minor bigint, over_365_minor bigint, open_minor bigint)""",
    """create table marts.rpt_losses_by_agency_period (
        agency_id bigint, agency_code varchar, agency_name varchar, commodity varchar, unit varchar,
        period_month date, delivered decimal(18,3), consumed decimal(18,3), loss decimal(18,3),
        non_technical_loss decimal(18,3), loss_share decimal(12,4), non_technical_share decimal(12,4),
        loss_value_minor bigint, non_technical_value_minor bigint)""",
    """create table marts.fct_energy_balance (
        balance_level varchar, equipment_id bigint, equipment_code varchar, equipment_name varchar,
        commodity varchar, agency_id bigint, agency_code varchar, agency_name varchar,
        latitude double precision, longitude double precision, period_start date, period_end date,
        period_month date, rating_kva integer, delivered decimal(18,3), consumed decimal(18,3),
        loss decimal(18,3), loss_share decimal(12,4), technical_share decimal(12,4),
        non_technical_loss decimal(18,3), non_technical_share decimal(12,4), loss_value_minor bigint,
        non_technical_value_minor bigint, trend varchar, loss_share_change decimal(12,4),
        active_contracts bigint, coverage_share decimal(12,4), estimated_share decimal(12,4),
        is_trusted boolean, trust_issue varchar)""",
    """create table marts.fct_suspect_contracts (
        contract_id bigint, contract_reference varchar, customer_reference varchar, customer_name varchar,
        category varchar, agency_id bigint, agency_code varchar, transformer_id bigint, transformer_code varchar,
        latitude double precision, longitude double precision, rule_codes varchar, reasons_fr varchar,
        reasons_en varchar, score decimal(12,4), priority decimal(12,4), is_suspect boolean,
        transformer_rank bigint)""",
    """create table marts.fct_suspect_reasons (
        contract_id bigint, agency_id bigint, rule_code varchar, rule_label_fr varchar, rule_label_en varchar,
        reason_fr varchar, reason_en varchar)""",
    """create table marts.rpt_suspect_inspection_route (
        contract_id bigint, agency_id bigint, transformer_id bigint, route_key bigint, route_order integer)""",
    """create table marts.fct_disconnection_candidates (
        contract_id bigint, contract_reference varchar, category varchar, agency_id bigint,
        reading_round_code varchar, latitude double precision, longitude double precision,
        collection_agent varchar, campaign_reference varchar, amount_due_minor bigint, unpaid_bills integer,
        oldest_due_date date, days_overdue integer, last_payment_date date, is_eligible boolean,
        route_order integer)""",
    """create table marts.rpt_disconnection_campaigns (
        agency_id bigint, collection_agent varchar, as_of date, eligible_contracts bigint,
        amount_at_stake_minor bigint, oldest_due_date date, kept_payment_plan bigint, kept_open_complaint bigint,
        kept_recent_payment bigint, kept_protected bigint, amount_kept_minor bigint)""",
    """create table marts.fct_collection_targets (
        collection_target_id bigint, collection_campaign_id bigint, campaign_reference varchar,
        campaign_name varchar, campaign_status varchar, agency_id bigint, contract_id bigint,
        contract_reference varchar, customer_name varchar, reading_round_code varchar,
        latitude double precision, longitude double precision, collection_agent varchar, route_order integer,
        amount_due_minor bigint, target_status varchar, status_on date)""",
    """create table marts.rpt_collection_campaign_progress (
        collection_campaign_id bigint, campaign_reference varchar, campaign_name varchar,
        campaign_status varchar, campaign_created_on date, agency_id bigint, collection_agent varchar,
        targets bigint, pending bigint, notice_delivered bigint, paid bigint, disconnected bigint,
        refused bigint, reconnected bigint, settled bigint, amount_due_minor bigint, recovered_minor bigint,
        reconnection_fees_minor bigint)""",
    """create table marts.rpt_billing_batches (
        batch_id bigint, batch_reference varchar, batch_name varchar, billing_month date, agency_id bigint,
        category varchar, billing_cycle varchar, commodity varchar, batch_status varchar, status_reason varchar,
        created_by varchar, decided_by varchar, decided_at timestamp, issued_at timestamp, contracts bigint,
        billable bigint, held bigint, not_billed bigint, estimated bigint, simulated_amount_minor bigint,
        alerts bigint, invoice_count bigint, invoiced_amount_minor bigint)""",
    """create table marts.fct_draft_bills (
        bill_key bigint, batch_id bigint, billing_month date, contract_id bigint, agency_id bigint,
        category varchar, period_start date, period_end date, consumption decimal(18,3), unit varchar,
        is_estimated boolean, consumption_source varchar, total_minor bigint, line_count bigint,
        bill_status varchar, reason_code varchar)""",
    """create table marts.fct_draft_bill_alerts (
        bill_key bigint, batch_id bigint, contract_id bigint, agency_id bigint, alert_code varchar,
        consumption decimal(18,3), total_minor bigint, reason_code varchar)""",
    """create table marts.fct_draft_bill_lines (
        bill_key bigint, batch_id bigint, contract_id bigint, line_number integer, line_kind varchar,
        label_fr varchar, label_en varchar, quantity decimal(18,3), unit_price decimal(16,6),
        amount_minor bigint, part_start date, part_end date)""",
    """create table marts.fct_customer_complaints (
        complaint_id bigint, customer_id bigint, customer_reference varchar, contract_id bigint,
        contract_reference varchar, agency_id bigint, opened_on date, closed_on date,
        complaint_category varchar, complaint_status varchar, description varchar, created_by varchar,
        days_open integer)""",
]
DDL += SCREEN_DDL
AS_OF = dt.date(2026, 4, 28)


def _agency(agency_id: int) -> tuple:
    return next(row for row in AGENCIES if row[0] == agency_id)


def billing_rows() -> list[tuple]:
    """Rows of rpt_billing_collection_by_round: each round, and each agency as the sum of its rounds."""
    rows = []
    for month_index, month in enumerate(MONTHS):
        growth = Decimal(100 + 2 * month_index) / 100
        per_agency: dict[int, dict[str, list]] = {}
        for round_id, code, agency_id, commodity in ROUNDS:
            quantity, amount, customers, rate = ROUND_BILLING[round_id]
            billed = int(amount * growth)
            collected = int(billed * rate)
            quantity = (quantity * growth).quantize(Decimal("0.001"))
            _aid, acode, aname, _city = _agency(agency_id)
            unit = UNITS[commodity]
            for kind, qty, unit_name in ((commodity, quantity, unit), ("all", None, None)):
                rows.append(
                    ("round", agency_id, acode, aname, round_id, code, kind, unit_name, month, customers, customers)
                    + (customers, qty, billed, 0, billed, collected, round(Decimal(collected) / billed, 4))
                )
                totals = per_agency.setdefault(agency_id, {}).setdefault(kind, [0, Decimal(0), 0, 0])
                totals[0] += customers
                totals[1] += qty or 0
                totals[2] += billed
                totals[3] += collected
        for agency_id, kinds in per_agency.items():
            _aid, acode, aname, _city = _agency(agency_id)
            for kind, (customers, qty, billed, collected) in kinds.items():
                rows.append(
                    ("agency", agency_id, acode, aname, None, None, kind, UNITS.get(kind), month, customers, customers)
                    + (customers, None if kind == "all" else qty, billed, 0, billed, collected)
                    + (round(Decimal(collected) / billed, 4),)
                )
    return rows


def expected_billing(month: dt.date, agency_ids: list[int] | None = None, round_id: int | None = None) -> dict:
    """Billing headline figures of a month, for some agencies (all by default) or one round."""
    rows = [row for row in billing_rows() if row[8] == month]
    if round_id is not None:
        rows = [row for row in rows if row[0] == "round" and row[4] == round_id]
    else:
        rows = [row for row in rows if row[0] == "agency" and (agency_ids is None or row[1] in agency_ids)]
    every = [row for row in rows if row[6] == "all"]
    billed = sum(row[13] for row in every)
    collected = sum(row[16] for row in every)
    return {
        "customers_billed": sum(row[9] for row in every),
        "electricity_kwh": float(sum(row[12] for row in rows if row[6] == "electricity")),
        "water_m3": float(sum(row[12] for row in rows if row[6] == "water")),
        "billed_minor": billed,
        "collected_minor": collected,
        "collection_rate": collected / billed,
    }


def energy_rows() -> list[tuple]:
    """Rows of fct_energy_balance: every transformer and feeder for every month."""
    rows = []
    transformers = {row[0]: row for row in TRANSFORMERS}
    for month_index, month in enumerate(MONTHS):
        end = MONTHS[month_index + 1] if month_index + 1 < len(MONTHS) else dt.date(2026, 5, 1)
        feeder_totals: dict[int, list] = {}
        for tid, base in LOSS_BASE.items():
            _t, code, name, rating, lat, lon, feeder_id, agency_id, active = transformers[tid]
            _aid, acode, aname, _city = _agency(agency_id)
            delivered = Decimal(rating * 100 + 1000 * month_index)
            share = Decimal(str(round(base + 0.01 * month_index, 4)))
            loss = (delivered * share).quantize(Decimal("0.001"))
            technical = Decimal("0.04")
            non_technical = (delivered * max(share - technical, Decimal(0))).quantize(Decimal("0.001"))
            trusted = tid != 1007
            rows.append(
                ("transformer", tid, code, name, "electricity", agency_id, acode, aname, lat, lon, month, end, month)
                + (rating, delivered, delivered - loss, loss, share, technical, non_technical, share - technical)
                + (int(loss * 120), int(non_technical * 120), "rising" if base > 0.15 else "stable", Decimal("0.01"))
                + (active, Decimal("0.98"), Decimal("0.05"), trusted, None if trusted else "MISSING_READING")
            )
            totals = feeder_totals.setdefault(feeder_id, [Decimal(0), Decimal(0), Decimal(0), agency_id, lat, lon])
            totals[0] += delivered
            totals[1] += loss
            totals[2] += non_technical
        for feeder_id, fcode, fname, _kv, _substation in FEEDERS:
            delivered, loss, non_technical, agency_id, lat, lon = feeder_totals[feeder_id]
            _aid, acode, aname, _city = _agency(agency_id)
            share = (loss / delivered).quantize(Decimal("0.0001"))
            rows.append(
                ("feeder", feeder_id, fcode, fname, "electricity", agency_id, acode, aname, lat, lon, month, end)
                + (month, None, delivered, delivered - loss, loss, share, Decimal("0.04"), non_technical)
                + ((non_technical / delivered).quantize(Decimal("0.0001")), int(loss * 120), int(non_technical * 120))
                + ("stable", Decimal("0.0"), 0, Decimal("0.98"), Decimal("0.05"), True, None)
            )
    return rows


def losses_by_agency_rows() -> list[tuple]:
    """Rows of rpt_losses_by_agency_period from the trusted transformer balances."""
    rows = []
    for month in MONTHS:
        for agency_id, code, name, _city in AGENCIES:
            mine = [
                row for row in energy_rows() if row[0] == "transformer" and row[5] == agency_id and row[10] == month
            ]
            trusted = [row for row in mine if row[28]]
            delivered = sum(row[14] for row in trusted)
            consumed = sum(row[15] for row in trusted)
            loss = sum(row[16] for row in trusted)
            non_technical = sum(row[19] for row in trusted)
            rows.append(
                (agency_id, code, name, "electricity", "kWh", month, delivered, consumed, loss, non_technical)
                + (
                    (loss / delivered).quantize(Decimal("0.0001")),
                    (non_technical / delivered).quantize(Decimal("0.0001")),
                )
                + (sum(row[21] for row in trusted), sum(row[22] for row in trusted))
            )
    return rows


def screen_rows() -> dict[str, list[tuple]]:
    """Rows of the marts of the customer, billing, losses, suspects and recovery screens."""
    customers = {row[0]: row for row in CUSTOMERS}
    rounds = {row[0]: row for row in ROUNDS}
    transformers = {row[0]: row for row in TRANSFORMERS}
    contracts = []
    for cid, reference, customer_id, commodity, category, round_id, tid, lat, lon, meter in CONTRACT_ROWS:
        _c, cref, name, first, _phone, agency_id = customers[customer_id]
        contracts.append(
            (cid, reference, customer_id, cref, f"{first} {name}", commodity, category, Decimal("6.00"), "kVA")
            + ("active", f"Rue {cid}, {_agency(agency_id)[3]}", agency_id, _agency(agency_id)[1], round_id)
            + (rounds[round_id][1], tid, lat, lon, meter)
        )
    by_contract = {row[0]: row for row in contracts}
    suspects, reasons, route = [], [], []
    for order, (cid, score, priority, rules, rank, is_suspect) in enumerate(SUSPECTS, start=1):
        row = by_contract[cid]
        tid = row[15]
        tcode = transformers[tid][1] if tid else None
        codes = [code for code in rules.split(",") if code]
        reasons_fr = " ; ".join(RULE_LABELS[code][0] for code in codes)
        reasons_en = "; ".join(RULE_LABELS[code][1] for code in codes)
        suspects.append(
            (cid, row[1], row[3], row[4], row[6], row[11], row[12], tid, tcode, row[16], row[17], rules)
            + (reasons_fr, reasons_en, score, priority, is_suspect, rank)
        )
        if is_suspect:
            reasons += [
                (cid, row[11], code, *RULE_LABELS[code], RULE_LABELS[code][0], RULE_LABELS[code][1]) for code in codes
            ]
            route.append((cid, row[11], tid, order, order))
    candidates = []
    for cid, agent, amount, bills, days, eligible in CANDIDATES:
        row = by_contract[cid]
        candidates.append(
            (cid, row[1], row[6], row[11], row[14], row[16], row[17], agent, None, amount, bills)
            + (AS_OF - dt.timedelta(days=days), days, dt.date(2026, 1, 5), eligible, 1 if eligible else None)
        )
    campaigns_by_agent: dict[tuple[int, str], list] = {}
    for cid, agent, amount, _bills, days, eligible in CANDIDATES:
        agency_id = by_contract[cid][11]
        entry = campaigns_by_agent.setdefault((agency_id, agent), [0, 0, 0, 0, AS_OF])
        if eligible:
            entry[0] += 1
            entry[1] += amount
            entry[4] = min(entry[4], AS_OF - dt.timedelta(days=days))
        else:
            entry[2] += 1
            entry[3] += amount
    disconnection = [
        (agency_id, agent, AS_OF, count, amount, oldest, 0, 0, kept, 0, kept_amount)
        for (agency_id, agent), (count, amount, kept, kept_amount, oldest) in campaigns_by_agent.items()
    ]
    targets, progress = [], []
    for campaign_id, reference, name, agency_id, members in CAMPAIGNS:
        per_agent: dict[str, list] = {}
        for order, (target_id, cid, agent, amount, status) in enumerate(members, start=1):
            row = by_contract[cid]
            targets.append(
                (target_id, campaign_id, reference, name, "in_progress", agency_id, cid, row[1], row[4], row[14])
                + (row[16], row[17], agent, order, amount, status, None if status == "pending" else AS_OF)
            )
            per_agent.setdefault(agent, []).append((amount, status))
        for agent, items in per_agent.items():
            count = {status: sum(1 for _a, s in items if s == status) for status in TARGET_STATUSES}
            settled = sum(count[s] for s in ("paid", "disconnected", "refused", "reconnected"))
            progress.append(
                (campaign_id, reference, name, "in_progress", dt.date(2026, 4, 1), agency_id, agent, len(items))
                + tuple(count[s] for s in TARGET_STATUSES)
                + (settled, sum(a for a, _s in items), sum(a for a, s in items if s in ("paid", "reconnected")), 0)
            )
    batches = []
    for batch_id, reference, name, month, agency_id, status in BATCHES:
        mine = [bill for bill in DRAFT_BILLS if bill[1] == batch_id]
        alerts = [alert for alert in DRAFT_ALERTS if any(bill[0] == alert[0] for bill in mine)]
        billable = [bill for bill in mine if bill[3] == "billable"]
        issued = status == "issued"
        batches.append(
            (batch_id, reference, name, month, agency_id, None, None, None, status, None, BATCH_CREATOR)
            + (None, None, None, len(mine), len(billable), sum(1 for b in mine if b[3] == "held"), 0, 0)
            + (sum(bill[6] for bill in billable), len(alerts), *(ISSUED_INVOICES if issued else (None, None)))
        )
    draft_bills = []
    for bill_key, batch_id, cid, status, reason, consumption, total in DRAFT_BILLS:
        row = by_contract[cid]
        month = next(batch[3] for batch in BATCHES if batch[0] == batch_id)
        draft_bills.append(
            (bill_key, batch_id, month, cid, row[11], row[6], month - dt.timedelta(days=31), month, consumption)
            + (UNITS[row[5]], False, "reading", total, 4 if total else 0, status, reason)
        )
    bills = {row[0]: row for row in draft_bills}
    draft_alerts = [
        (key, bills[key][1], bills[key][3], bills[key][4], code, bills[key][8], bills[key][12], bills[key][15])
        for key, code in DRAFT_ALERTS
    ]
    lines = [
        (201, 2, 1, 1, "energy", "Tranche 1", "Block 1", Decimal("150.000"), Decimal("91.170000"), 13_676)
        + (dt.date(2026, 3, 1), dt.date(2026, 4, 1)),
        (201, 2, 1, 2, "energy", "Tranche 2", "Block 2", Decimal("162.000"), Decimal("136.490000"), 22_111)
        + (dt.date(2026, 3, 1), dt.date(2026, 4, 1)),
        (201, 2, 1, 3, "fixed", "Prime fixe", "Fixed charge", Decimal("1.000"), Decimal("1200.000000"), 1_200)
        + (dt.date(2026, 3, 1), dt.date(2026, 4, 1)),
        (201, 2, 1, 4, "tax", "Taxe communale", "Municipal tax", Decimal("1.000"), Decimal("1463.000000"), 1_463)
        + (dt.date(2026, 3, 1), dt.date(2026, 4, 1)),
    ]
    complaints = []
    for complaint_id, customer_id, cid, opened, closed, category, status, description in COMPLAINTS:
        complaints.append(
            (complaint_id, customer_id, customers[customer_id][1], cid, by_contract[cid][1], by_contract[cid][11])
            + (opened, closed, category, status, description, "demo-customer-clerk", ((closed or AS_OF) - opened).days)
        )
    aged = [
        (agency_id, category, AS_OF, customers_owing, customers_owing * 2, *buckets, sum(buckets))
        for agency_id, category, customers_owing, buckets in AGED
    ]
    return {
        "dim_contracts": contracts,
        "rpt_billing_collection_by_round": billing_rows(),
        "rpt_aged_balance": aged,
        "rpt_losses_by_agency_period": losses_by_agency_rows(),
        "fct_energy_balance": energy_rows(),
        "fct_suspect_contracts": suspects,
        "fct_suspect_reasons": reasons,
        "rpt_suspect_inspection_route": route,
        "fct_disconnection_candidates": candidates,
        "rpt_disconnection_campaigns": disconnection,
        "fct_collection_targets": targets,
        "rpt_collection_campaign_progress": progress,
        "rpt_billing_batches": batches,
        "fct_draft_bills": draft_bills,
        "fct_draft_bill_alerts": draft_alerts,
        "fct_draft_bill_lines": lines,
        "fct_customer_complaints": complaints,
    }


TARGET_STATUSES = ("pending", "notice_delivered", "paid", "disconnected", "refused", "reconnected")


def agency_of_contract(contract_id: int) -> int:
    """The agency of a fixture contract."""
    customer_id = next(row[2] for row in CONTRACT_ROWS if row[0] == contract_id)
    return next(row[5] for row in CUSTOMERS if row[0] == customer_id)
