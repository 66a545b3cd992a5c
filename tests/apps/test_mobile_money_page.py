"""Mobile money reconciliation, for supervisors: a partner's statement of a day imported from the screen and
reconciled with the payments the partner notified, then the partner's corrected statement imported as the day's
next revision; other roles read the reconciliation without importing a correction."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import urllib.request
from zoneinfo import ZoneInfo

from yeelen.settings import Settings

from . import operational_fixture
from .conftest import api_login, assert_no_exception, run_screen

HEADER = "transaction_date,reference_id,financial_transaction_id,external_id,amount,currency,status\n"


def notify(reference_id: str, amount: int) -> dict:
    """A payment notification sent by the partner, as the partner's system sends it."""
    code, _name, secret = operational_fixture.PARTNER
    body = {
        "referenceId": reference_id,
        "externalId": "C0000001",
        "amount": str(amount),
        "currency": "XOF",
        "payer": {"partyIdType": "MSISDN", "partyId": "221771234567"},
        "status": "SUCCESSFUL",
        "financialTransactionId": f"FT-{reference_id}",
    }
    request = urllib.request.Request(
        f"{os.environ['YEELEN_API_URL']}/mobile-money/notifications",
        data=json.dumps(body).encode(),
        headers={
            "Authorization": "Basic " + base64.b64encode(f"{code}:{secret}".encode()).decode(),
            "Content-Type": "application/json",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def register_partner(code: str, name: str) -> None:
    """A payment partner registered by an administrator through the API."""
    token = api_login(operational_fixture.login_of("admin"))["access_token"]
    request = urllib.request.Request(
        f"{os.environ['YEELEN_API_URL']}/partners",
        data=json.dumps({"code": code, "name": name}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201


def statement(day: dt.date, *lines: tuple[str, int]) -> bytes:
    rows = [
        f"{day}T10:00:00Z,{reference},FT-{reference},C0000001,{amount},XOF,SUCCESSFUL\n" for reference, amount in lines
    ]
    return (HEADER + "".join(rows)).encode()


def texts(app) -> str:
    return " ".join(
        str(item.value) for kind in ("info", "success", "warning", "error", "caption") for item in app.get(kind)
    )


def test_a_supervisor_imports_the_day_then_its_correction_and_sees_what_differs(
    published: Settings, own_api: str
) -> None:
    today = dt.datetime.now(ZoneInfo(published.timezone)).date()
    notify("ref-matched-0001", 3_000)
    notify("ref-late-000002", 1_500)
    app = run_screen("mobile-money")
    assert_no_exception(app)
    app.date_input(key="mm.day").set_value(today).run()
    assert "Aucun relevé de MTN_MOMO" in texts(app)
    # The upload box stops a file the API would refuse as too large (its default limit, 10,000,000 bytes).
    assert app.file_uploader(key="mm.import_file").proto.max_upload_size_mb == 10

    # The partner's file forgets the payment settled late and adds one we never received.
    first = statement(today, ("ref-matched-0001", 3_000), ("ref-theirs-00003", 2_000))
    app.file_uploader(key="mm.import_file").set_value(("MTN_MOMO.csv", first, "text/csv"))
    app.form_submit_button[0].click().run()
    assert_no_exception(app)
    assert "importé : 2 lignes" in texts(app)
    metrics = {item.label: item.value for item in app.metric}
    assert metrics["Lignes à examiner"] == "2"
    *lists, recent = [frame.value for frame in app.dataframe]
    tables = {frame["reference_id"].iloc[0]: frame for frame in lists}
    assert (list(recent["statement_date"]), list(recent["revision"])) == ([f"{today:%d/%m/%Y}"], [1])
    assert set(tables) == {"ref-theirs-00003", "ref-late-000002"}
    assert list(tables["ref-late-000002"]["ours"]) == [1_500]
    # What is not there reads as a dash: no receipt for a payment we never received, no reason for a first revision.
    assert list(tables["ref-theirs-00003"]["receipt_number"]) == ["—"]
    assert list(recent["correction_reason"]) == ["—"]
    assert [item.value for item in app.subheader][:2] == [
        "Au relevé, sans paiement chez nous (1)",
        "Reçus chez nous, absents du relevé (1)",
    ]

    # The corrected file: the late payment is in, the unknown one out. A reason is required.
    corrected = statement(today, ("ref-matched-0001", 3_000), ("ref-late-000002", 1_500))
    app.file_uploader(key="mm.correct_file").set_value(("MTN_MOMO-corrige.csv", corrected, "text/csv"))
    app.form_submit_button[0].click().run()
    assert "motif de la correction" in texts(app)
    app.text_input(key="mm.reason").set_value("Paiement réglé en retard")
    app.form_submit_button[0].click().run()
    assert_no_exception(app)
    assert "révision 2, 2 lignes" in texts(app)
    assert "Tout concorde" in texts(app) and "Motif de la correction : Paiement réglé en retard" in texts(app)
    # Nothing left to check: the revisions, and the recent statements with the day at its latest revision.
    revisions, recent = [frame.value for frame in app.dataframe]
    assert list(revisions["revision"]) == [1, 2] and list(revisions["total"]) == [5_000, 4_500]
    assert (list(recent["revision"]), list(recent["correction_reason"])) == ([2], ["Paiement réglé en retard"])

    # A manager opens the screen on the partner whose statement came last (not the first by code, which has sent
    # none) and its latest day, reads the same reconciliation and is not offered the correction.
    register_partner("AA_PAY", "Agrégateur A")
    manager = run_screen("mobile-money", login="manager")
    assert_no_exception(manager)
    chooser = manager.selectbox(key="mm.partner")
    assert chooser.value == "MTN_MOMO"
    assert chooser.options == [
        "AA_PAY — Agrégateur A · aucun relevé",
        f"MTN_MOMO — MTN Mobile Money · {today:%d/%m/%Y}",
    ]
    assert manager.date_input(key="mm.day").value == today
    assert "Tout concorde" in texts(manager)
    assert "Seul un superviseur importe un relevé corrigé." in texts(manager)
    assert not manager.file_uploader


def test_a_bad_statement_is_refused_with_its_lines_and_nothing_is_imported(published: Settings, own_api: str) -> None:
    day = dt.date(2026, 3, 1)
    app = run_screen("mobile-money")
    app.date_input(key="mm.day").set_value(day).run()
    bad = (HEADER + "2026-03-01T10:00:00Z,ref-bad-0001,FT1,C0000001,12.5,XOF,SUCCESSFUL\n").encode()
    app.file_uploader(key="mm.import_file").set_value(("MTN_MOMO.csv", bad, "text/csv"))
    app.form_submit_button[0].click().run()
    assert_no_exception(app)
    assert "Le relevé est refusé et rien n'a été importé" in texts(app)
    assert "line 2" in texts(app)
    app.run()
    assert "Aucun relevé de MTN_MOMO pour le 01/03/2026." in texts(app)
    assert "Aucun relevé de cet opérateur ces 31 derniers jours." in texts(app)
