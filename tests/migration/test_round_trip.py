"""A generated utility exported, imported into an empty database, and billed on both sides: the same bills."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pytest
from sqlalchemy import select

from operational_api.billing import service
from operational_api.db import make_engine, session_factory, unit_of_work
from operational_api.migrate import upgrade
from operational_api.models import Contract, Invoice, InvoiceLine
from yeelen.demo import generate
from yeelen.launcher import load_tariffs
from yeelen.migration.exporter import export_folder
from yeelen.migration.importer import import_folder
from yeelen.settings import Settings, load_settings, reset_settings_cache

MONTH = dt.date(2026, 9, 1)


def _bill(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple]:
    """Open a batch of every contract for the month, run the period's simulation and issue jobs, approving in
    between; the bills by contract reference."""
    from orchestration.definitions import defs

    monkeypatch.setenv("YEELEN_HOME", str(settings.home))
    reset_settings_cache()
    engine = make_engine(str(settings.operational_url))
    factory = session_factory(engine)
    with unit_of_work(factory) as session:
        batch_id = service.create_batch(session=session, billing_month=MONTH, actor="test").id
    definitions = defs()
    with dg.instance_for_test() as instance:
        simulated = definitions.resolve_job_def("billing_simulation").execute_in_process(
            instance=instance, partition_key=MONTH.isoformat()
        )
        assert simulated.success
        with unit_of_work(factory) as session:
            service.approve_batch(session=session, batch_id=batch_id, actor="chef")
        config = {"batch_ids": [batch_id], "issue_date": "2026-10-05"}
        issued = definitions.resolve_job_def("billing_issue").execute_in_process(
            instance=instance,
            partition_key=MONTH.isoformat(),
            run_config={"ops": {"billing_cycle__invoices": {"config": config}}},
        )
        assert issued.success
    bills = {}
    with factory() as session:
        for invoice, reference in session.execute(
            select(Invoice, Contract.reference).join(Contract, Contract.id == Invoice.contract_id)
        ):
            lines = session.execute(
                select(InvoiceLine.code, InvoiceLine.quantity, InvoiceLine.amount)
                .where(InvoiceLine.invoice_id == invoice.id)
                .order_by(InvoiceLine.line_number)
            ).all()
            bills[reference] = (
                invoice.total,
                invoice.consumption,
                invoice.period_start,
                invoice.period_end,
                invoice.is_estimated,
                tuple(tuple(line) for line in lines),
            )
    engine.dispose()
    return bills


def test_a_utility_moved_through_the_migration_files_bills_the_same_to_the_franc(
    settings: Settings, tmp_path, monkeypatch
) -> None:
    generate(
        str(settings.operational_url), customers=150, months=3, seed=11, end_month="2026-09", demo_dir=settings.demo_dir
    )
    load_tariffs(settings, lambda message: None)
    folder = tmp_path / "export"
    written = export_folder(settings, folder)
    assert written["contracts"] > 100 and written["readings"] > 300

    target = load_settings(home=tmp_path / "target")
    target.ensure_home()
    # An empty database with the schema and the tariff grids (they are configuration, not migrated data).
    upgrade(str(target.operational_url))
    load_tariffs(target, lambda message: None)
    report = import_folder(target, folder)
    assert report.quarantined == 0 and report.rejected == []
    assert report.loaded == sum(count for name, count in written.items() if name != "tariff_categories")

    source_bills = _bill(settings, monkeypatch)
    target_bills = _bill(target, monkeypatch)
    assert len(source_bills) > 80
    assert target_bills == source_bills
