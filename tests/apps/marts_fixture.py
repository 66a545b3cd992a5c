"""A small warehouse with the supervision marts: 3 agencies, 3 substations, 4 feeders, 8 transformers, 4 months.

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
