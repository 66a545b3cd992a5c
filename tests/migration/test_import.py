"""``yeelen import``: the documented example folder loads whole, twice adds nothing, bad rows are quarantined."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import text

from operational_api.db import make_engine
from operational_api.migrate import upgrade
from yeelen.cli import main
from yeelen.launcher import load_tariffs
from yeelen.migration.importer import import_folder

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "import"
COUNTED = (
    "agency",
    "reading_round",
    "substation",
    "feeder",
    "transformer",
    "water_district",
    "network_meter",
    "network_reading",
    "delivery_point",
    "customer",
    "contract",
    "meter",
    "meter_installation",
    "reading",
    "ledger_entry",
    "payment",
)


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {name: connection.execute(text(f"select count(*) from {name}")).scalar() for name in COUNTED}
    finally:
        engine.dispose()


def _rows(url: str, sql: str) -> list[tuple]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def _add_lines(folder: Path, file_name: str, lines: list[str]) -> None:
    """Append rows to one file of a copied example folder."""
    path = folder / file_name
    path.write_text("\n".join([*path.read_text(encoding="utf-8").splitlines(), *lines]) + "\n", encoding="utf-8")


def test_the_documented_example_imports_whole_and_twice_adds_nothing(settings, capsys) -> None:
    url = str(settings.operational_url)
    assert main(["db", "upgrade"]) == 0
    load_tariffs(settings, lambda message: None)
    assert main(["import", str(EXAMPLE), "--quiet"]) == 0
    counts = _counts(url)
    assert counts == {
        "agency": 1,
        "reading_round": 2,
        "substation": 1,
        "feeder": 1,
        "transformer": 1,
        "water_district": 1,
        "network_meter": 3,
        "network_reading": 6,
        "delivery_point": 4,
        "customer": 3,
        "contract": 4,
        "meter": 4,
        "meter_installation": 4,
        "reading": 12,
        # three opening balances, two payments
        "ledger_entry": 5,
        "payment": 2,
    }
    assert _rows(url, "select count(*) from intake_quarantine") == [(0,)]
    # Balances: the old system's balance, less what was paid since.
    assert _rows(
        url,
        "select c.reference, sum(e.amount) from ledger_entry e join customer c on c.id = e.customer_id"
        " group by c.reference order by c.reference",
    ) == [("CL-0001", 0), ("CL-0002", -2500), ("CL-0003", 212300)]
    assert _rows(url, "select receipt_number, series, sequence_number, agency_id is not null from payment") == [
        ("OLD-2026-004512", "MIG", 1, True),
        ("OLD-2026-004519", "MIG", 2, True),
    ]
    # The tariff assignments were loaded with the grids: the file's rows are skipped, not doubled.
    assert _rows(
        url, "select status, rows_loaded, rows_skipped from intake_file where kind = 'import_tariff_categories'"
    ) == [("loaded", 0, 4)]
    capsys.readouterr()
    assert main(["import", str(EXAMPLE), "--quiet"]) == 0
    assert _counts(url) == counts
    said = capsys.readouterr().out
    assert "already imported before: nothing added from them" in said
    assert "0 row(s) loaded, 0 quarantined" in said


def test_bad_rows_are_quarantined_with_their_reasons_and_the_rest_loads(settings, tmp_path) -> None:
    folder = tmp_path / "import"
    shutil.copytree(EXAMPLE, folder)
    _add_lines(
        folder,
        "customers.csv",
        [
            "CL-0004,robot,Inconnu,,,,,PKN,fr",  # not a kind of customer
            "CL-0005,person,Sarr,Moussa,,,,DKR,fr",  # an agency that does not exist
            "CL-0001,person,Diallo,Aminata,,,,PKN,fr",  # the same reference twice
        ],
    )
    _add_lines(
        folder,
        "contracts.csv",
        [
            "AB-0005,CL-0005,PDL-PKN-0002,electricity,DOM,6,kVA,monthly,postpaid,PKN-E01,active,2022-01-01,",
            "AB-0006,CL-0002,PDL-PKN-0002,electricity,DOM,six,kVA,weekly,postpaid,PKN-E01,active,2022-01-01,2021-01-01",
        ],
    )
    _add_lines(
        folder,
        "payments.csv",
        [
            "OLD-2026-003001,CL-0001,,PKN,2026-08-20T10:00:00Z,,5000,XOF,cash,invoices,cash_desk,,,,,posted",
            "OLD-2026-004600,CL-0001,,PKN,2026-09-10T10:00:00Z,,2500,XOF,mobile_money,invoices,mm,MTN,TX-77,,,posted",
            "OLD-2026-004601,CL-0001,,PKN,2026-09-10T10:05:00Z,,2500,XOF,mobile_money,invoices,mm,MTN,TX-77,,,posted",
        ],
    )

    url = str(settings.operational_url)
    upgrade(url)
    load_tariffs(settings, lambda message: None)
    report = import_folder(settings, folder)
    assert report.rejected == []
    assert _counts(url)["customer"] == 3 and _counts(url)["contract"] == 4 and _counts(url)["payment"] == 3
    held = {
        (kind, line): reason
        for kind, line, reason in _rows(
            url,
            "select f.kind, q.line_number, q.reason from intake_quarantine q join intake_file f on f.id = q.file_id",
        )
    }
    assert held == {
        ("import_customers", 5): "kind 'robot' is not one of person, company, public_body",
        ("import_customers", 6): "agency_code DKR: no agency with this code",
        ("import_customers", 7): "reference CL-0001 already on line 2",
        ("import_contracts", 6): "customer_reference CL-0005: no customer with this reference",
        ("import_contracts", 7): "subscribed_power 'six' is not a number",
        ("import_payments", 4): (
            "the payment of 2026-08-20 is before the customer's opening balance of 2026-09-01, which already counts it"
        ),
        ("import_payments", 6): "partner_reference TX-77 of MTN is already paid by receipt OLD-2026-004600",
    }
    # The agency is created; the customer replayed and his contract after him.
    from operational_api.db import session_factory, unit_of_work
    from operational_api.models import Agency
    from yeelen.intake import replay_file

    engine = make_engine(url)
    with unit_of_work(session_factory(engine)) as session:
        session.add(Agency(code="DKR", name="Agence Dakar", city="Dakar"))
    engine.dispose()
    files = dict(_rows(url, "select kind, id from intake_file"))
    replayed = replay_file(settings, files["import_customers"])
    assert (replayed.loaded, replayed.present, replayed.still_held) == (1, 1, 1)
    assert replay_file(settings, files["import_contracts"]).loaded == 1
    assert _counts(url)["contract"] == 5
    # Importing the same folder again adds nothing.
    again = import_folder(settings, folder)
    assert all(item.status == "duplicate" for item in again.files)
    assert (again.loaded, again.quarantined, len(again.already_taken)) == (0, 0, len(again.files))
    assert _counts(url)["contract"] == 5


def test_a_french_spreadsheet_export_loads_with_decimal_commas_and_the_utility_s_local_days(settings, tmp_path) -> None:
    import csv
    import io

    folder = tmp_path / "import"
    shutil.copytree(EXAMPLE, folder)
    # Delivery points as a spreadsheet in French saves them: separated by semicolons, decimal commas.
    rows = list(csv.DictReader(io.StringIO((folder / "delivery_points.csv").read_text(encoding="utf-8"))))
    expected = {row["reference"]: (float(row["latitude"]), float(row["longitude"])) for row in rows}
    written = io.StringIO()
    writer = csv.DictWriter(written, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {**row, "latitude": row["latitude"].replace(".", ","), "longitude": row["longitude"].replace(".", ",")}
        )
    (folder / "delivery_points.csv").write_text(written.getvalue(), encoding="utf-8")
    assert "14,7533;-17,379" in (folder / "delivery_points.csv").read_text(encoding="utf-8")
    # Payments without a business date, taken late in the evening in Bangui (UTC+1): 23:30 UTC is already the
    # next day there, 22:30 UTC is not.
    _add_lines(
        folder,
        "payments.csv",
        [
            "OLD-2026-004700,CL-0001,,PKN,2026-09-10T23:30:00Z,,3000,XOF,cash,invoices,cash_desk,,,,,posted",
            "OLD-2026-004701,CL-0001,,PKN,2026-09-10T22:30:00Z,,3000,XOF,cash,invoices,cash_desk,,,,,posted",
            "OLD-2026-004702,CL-0001,,PKN,2026-09-10 23:45,,3000,XOF,cash,invoices,cash_desk,,,,,posted",
        ],
    )
    settings.timezone = "Africa/Bangui"

    url = str(settings.operational_url)
    upgrade(url)
    load_tariffs(settings, lambda message: None)
    report = import_folder(settings, folder)
    assert report.rejected == [] and report.quarantined == 0
    positions = {
        reference: (float(latitude), float(longitude))
        for reference, latitude, longitude in _rows(url, "select reference, latitude, longitude from delivery_point")
    }
    assert positions == expected
    days = dict(
        _rows(url, "select receipt_number, business_date from payment where receipt_number like 'OLD-2026-0047%'")
    )
    assert {number: str(day)[:10] for number, day in days.items()} == {
        "OLD-2026-004700": "2026-09-11",
        "OLD-2026-004701": "2026-09-10",
        "OLD-2026-004702": "2026-09-10",  # a local time without a zone is the utility's own
    }
