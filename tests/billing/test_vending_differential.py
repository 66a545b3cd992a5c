"""Prepaid vending valued by dbt gives the energy the real-time engine vended, on random grids and purchases."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import duckdb
import pytest
from sqlalchemy import insert, select

from ingestion import run_ingestion
from operational_api.db import make_engine, session_factory, unit_of_work, utcnow
from operational_api.models import Contract, Meter, MeterInstallation, PrepaidPurchase
from operational_api.tariffs.service import save_book
from tests.billing.random_grids import random_book
from yeelen.demo import generate
from yeelen.settings import load_settings
from yeelen.tariffs.engine import TariffError
from yeelen.tariffs.model import Pricing, TariffBook
from yeelen.tariffs.vending import vend
from yeelen.transform import run_dbt

PURCHASES = 2_000


@pytest.mark.slow
def test_dbt_values_every_purchase_as_the_engine_vended_it(yeelen_home, tmp_path) -> None:
    settings = load_settings()
    settings.ensure_home()
    url = str(settings.operational_url)
    generate(url, customers=150, months=1, seed=5, end_month="2026-05", demo_dir=tmp_path / "truth")
    book = random_book(31, grids=40)
    progressive = [grid for grid in book.grids if all(v.pricing == Pricing.PROGRESSIVE for v in grid.versions)]
    book = TariffBook(currency=book.currency, precision=book.precision, grids=progressive)
    engine = make_engine(url)
    factory = session_factory(engine)
    rng = random.Random(31)
    with unit_of_work(factory) as session:
        save_book(session=session, book=book)
        contracts = session.execute(
            select(Contract.id, Contract.customer_id, Contract.subscribed_power, Meter.meter_type)
            .join(MeterInstallation, MeterInstallation.contract_id == Contract.id)
            .join(Meter, Meter.id == MeterInstallation.meter_id)
            # Meters in place before the purchases and still there: the meter type is the one the fees use.
            .where(MeterInstallation.installed_on <= dt.date(2025, 1, 1), MeterInstallation.removed_on.is_(None))
        ).all()
        rows, expected, now = [], {}, utcnow()
        key = 0
        used: set[tuple[int, dt.date]] = set()
        while key < PURCHASES:
            contract_id, customer_id, power, meter_type = rng.choice(contracts)
            grid = rng.choice(progressive)
            month = (dt.date(2025, 1, 1) + dt.timedelta(days=31 * rng.randint(0, 30))).replace(day=1)
            if (contract_id, month) in used:  # the month's earlier purchases are the sequence's own
                continue
            used.add((contract_id, month))
            bought = Decimal(0)
            for number in range(rng.randint(1, 4)):
                day = month + dt.timedelta(days=min(27, number * 7 + rng.randint(0, 6)))
                amount = Decimal(rng.choice([500, 1000, 2000, 5000, 10000, 25000, rng.randint(300, 90000)]))
                try:
                    sale = vend(
                        book,
                        grid.code,
                        amount,
                        day,
                        month_energy_before=bought,
                        first_purchase_of_month=number == 0,
                        meter_type=meter_type,
                        subscribed_power=power,
                    )
                    energy, charged = sale.energy, int(sale.total_charged)
                except TariffError:  # the amount does not cover the month's fees: nothing vended
                    energy, charged = Decimal(0), None
                key += 1
                rows.append(
                    {
                        "id": key,
                        "contract_id": contract_id,
                        "customer_id": customer_id,
                        "purchased_at": dt.datetime.combine(day, dt.time(8, number), tzinfo=dt.UTC),
                        "purchase_date": day,
                        "amount": int(amount),
                        "energy": energy,
                        "month_energy_before": bought,
                        "fee_taken": number == 0,
                        "grid_code": grid.code,
                        "token": None,
                        "channel": "agency",
                        "partner": None,
                        "partner_reference": None,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                expected[key] = (energy, charged)
                bought += energy
        session.execute(insert(PrepaidPurchase.__table__), rows)
    engine.dispose()

    run_ingestion(settings, full=True)
    outcome = run_dbt(settings, ["run", "--select", "+int_prepaid_purchases_valued"])
    assert outcome.success, outcome.failures
    with duckdb.connect(str(settings.warehouse_path)) as connection:
        valued = connection.execute(
            "select prepaid_purchase_id, expected_energy, charged_minor from intermediate.int_prepaid_purchases_valued"
        ).fetchall()
    actual = {key: (Decimal(energy), None if charged is None else int(charged)) for key, energy, charged in valued}
    mismatches = [key for key in expected if actual.get(key) != expected[key]]
    assert not mismatches, (
        f"{len(mismatches)} differ; first {mismatches[0]}: {expected[mismatches[0]]} vs {actual.get(mismatches[0])}"
    )
