"""Billing control: batches of the user's agencies, their state live from the API and the simulation's figures from
the marts, a simulation's bills, alerts and contracts not billed, and the decisions sent to the API (approval,
rejection with a reason) by the roles that hold the right."""

from __future__ import annotations

import datetime as dt
import json
import os
import urllib.parse
import urllib.request

from yeelen.settings import Settings

from . import marts_fixture
from .conftest import api_login, assert_no_exception, displayed, run_screen

DAKAR_BILLABLE = [bill for bill in marts_fixture.DRAFT_BILLS if bill[1] == 2 and bill[3] == "billable"]


def api_get(path: str, login: str = "manager", **params: object) -> object:
    token = api_login(login)["access_token"]
    query = f"?{urllib.parse.urlencode(params)}" if params else ""
    request = urllib.request.Request(
        f"{os.environ['YEELEN_API_URL']}{path}{query}", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def api_post(path: str, login: str, body: dict | None = None) -> object:
    token = api_login(login)["access_token"]
    request = urllib.request.Request(
        f"{os.environ['YEELEN_API_URL']}{path}",
        data=json.dumps(body or {}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def frame_with(app, column: str):
    return next(frame.value for frame in app.dataframe if column in frame.value.columns)


def captions(app) -> str:
    return " ".join(caption.value for caption in app.caption)


def test_batches_and_the_simulation_of_dakar(published: Settings) -> None:
    app = run_screen("billing-control")

    assert_no_exception(app)
    batches = app.dataframe[0].value
    assert sorted(batches["reference"]) == ["LOT-2026-03", "LOT-2026-04-DKP"], "no batch of another agency"
    dakar = batches.set_index("reference").loc["LOT-2026-04-DKP"]
    # The state and the stored simulation from the API, the contracts held and the alerts from the marts.
    assert dakar["status"] == "Simulé" and dakar["billable"] == len(DAKAR_BILLABLE)
    assert dakar["simulated_amount_minor"] == sum(bill[6] for bill in DAKAR_BILLABLE)
    assert dakar["contracts"] == 3 and dakar["held"] == 1 and dakar["alerts"] == 2
    issued = batches.set_index("reference").loc["LOT-2026-03"]
    assert issued["status"] == "Émis" and issued["invoiced_amount_minor"] == marts_fixture.ISSUED_INVOICES[1]
    assert "États lus en direct sur le serveur" in captions(app)
    app.selectbox(key="billing.batch").set_value(2).run()

    cards = {item.label: item.value for item in app.metric}
    assert cards["Contrats"] == "3" and cards["Facturables"] == "2" and cards["Bloqués"] == "1"
    assert cards["Alertes"] == "2"
    assert list(frame_with(app, "bill_key")["contract_reference"]) == ["P0000001", "P0000002"]
    # The source of each bill's consumption in words, its period as French writes days.
    bills = next(frame for frame in app.dataframe if "bill_key" in frame.value.columns)
    shown = displayed(bills)
    assert set(shown["consumption_source"]) == {"Relevé"} and shown["period_start"].iloc[0] == "01/03/2026"
    # Only the open tab is run: the alerts and the contracts not billed appear when their tab is chosen.
    assert not any("alert_code" in frame.value.columns for frame in app.dataframe)
    app.session_state["billing.tab"] = "Alertes de contrôle"
    app.run()
    assert sorted(frame_with(app, "alert_code")["alert_code"]) == ["Facture bloquée", "Très au-dessus de l'habitude"]
    assert not any("bill_key" in frame.value.columns for frame in app.dataframe)
    app.session_state["billing.tab"] = "Non facturés"
    app.run()
    not_billed = frame_with(app, "bill_status")
    assert list(not_billed["reason_code"]) == ["Deuxième estimation de suite"]
    assert list(not_billed["contract_reference"]) == ["P0000003"]


def test_a_billing_clerk_of_thies_sees_the_batches_of_thies(published: Settings) -> None:
    app = run_screen("billing-control", login="billing-clerk-ths")

    assert sorted(app.dataframe[0].value["reference"]) == ["LOT-2026-03", "LOT-2026-04-THS"]
    app.selectbox(key="billing.batch").set_value(1).run()
    assert_no_exception(app)
    assert "P0000001" not in app.dataframe[0].value.to_string()


def test_a_billing_clerk_sees_the_batch_but_may_not_decide(published: Settings) -> None:
    app = run_screen("billing-control")
    app.selectbox(key="billing.batch").set_value(2).run()

    assert_no_exception(app)
    assert "billing.approve" not in [button.key for button in app.button]
    assert "Votre rôle ne permet pas de valider ou de rejeter un lot." in captions(app)


def test_a_supervisor_approves_a_simulation_through_the_api(published: Settings, own_api: str) -> None:
    app = run_screen("billing-control", login="supervisor-dkp")
    app.selectbox(key="billing.batch").set_value(2).run()
    app.button(key="billing.approve").click().run()

    assert_no_exception(app)
    assert [item.value for item in app.success] == ["Lot LOT-2026-04-DKP validé : ses factures seront émises."]
    batch = api_get("/billing/batches/2")
    assert (batch["status"], batch["decided_by"]) == ("approved", "supervisor-dkp")
    assert batch["approved_bill_count"] == len(DAKAR_BILLABLE)
    assert batch["approved_amount"] == sum(bill[6] for bill in DAKAR_BILLABLE)
    events = api_get("/audit/events", action="billing.batch.approve")
    assert [(event["actor"], event["entity_key"]) for event in events] == [("supervisor-dkp", "2")]
    # The screen shows the batch approved; what is left to decide is a rejection, before issue.
    assert app.dataframe[0].value.set_index("reference").loc["LOT-2026-04-DKP", "status"] == "Validé"
    assert "billing.approve" not in [button.key for button in app.button]
    assert "Rejeter le lot" in [button.label for button in app.button]


def test_a_supervisor_of_thies_sends_a_simulation_back_with_its_reason(published: Settings, own_api: str) -> None:
    app = run_screen("billing-control", login="supervisor-ths")
    app.selectbox(key="billing.batch").set_value(3).run()

    def reject(reason: str) -> None:
        next(field for field in app.text_input if field.label == "Motif du rejet").set_value(reason)
        next(button for button in app.button if button.label == "Rejeter le lot").click().run()
        assert_no_exception(app)

    reject("  ")
    assert [item.value for item in app.warning] == ["Donnez le motif du rejet."]
    assert api_get("/billing/batches/3")["status"] == "simulated", "nothing sent without a reason"

    reject("Index de mars à revoir")
    assert "Lot LOT-2026-04-THS rejeté." in [item.value for item in app.success]
    batch = api_get("/billing/batches/3")
    assert (batch["status"], batch["status_reason"], batch["decided_by"]) == (
        "rejected",
        "Index de mars à revoir",
        "supervisor-ths",
    )
    events = api_get("/audit/events", action="billing.batch.reject")
    assert [(event["actor"], event["after"]) for event in events] == [
        ("supervisor-ths", {"reason": "Index de mars à revoir"})
    ]
    assert app.dataframe[0].value.set_index("reference").loc["LOT-2026-04-THS", "status"] == "Rejeté"
    assert "Motif : Index de mars à revoir" in captions(app)


def test_a_billing_clerk_of_thies_sends_a_rejected_batch_back_to_be_simulated(
    published: Settings, own_api: str
) -> None:
    api_post("/billing/batches/3/reject", "supervisor-ths", {"reason": "Index de mars à revoir"})
    supervisor = run_screen("billing-control", login="supervisor-ths")
    supervisor.selectbox(key="billing.batch").set_value(3).run()
    assert "billing.reopen" not in [button.key for button in supervisor.button]
    assert "Un lot rejeté est renvoyé à la simulation par un agent de facturation" in captions(supervisor)

    app = run_screen("billing-control", login="billing-clerk-ths")
    app.selectbox(key="billing.batch").set_value(3).run()
    next(button for button in app.button if button.label == "Relancer la simulation").click().run()

    assert_no_exception(app)
    assert "Lot LOT-2026-04-THS rouvert ; il sera simulé au prochain passage du pipeline." in [
        item.value for item in app.success
    ]
    batch = api_get("/billing/batches/3")
    assert (batch["status"], batch["status_reason"]) == ("open", None)
    events = api_get("/audit/events", action="billing.batch.reopen")
    assert [(event["actor"], event["entity_key"]) for event in events] == [("billing-clerk-ths", "3")]
    assert app.dataframe[0].value.set_index("reference").loc["LOT-2026-04-THS", "status"] == "Ouvert"


def test_a_manager_sees_every_batch(published: Settings) -> None:
    app = run_screen("billing-control", login="manager")

    assert sorted(app.dataframe[0].value["reference"]) == sorted(batch[1] for batch in marts_fixture.BATCHES)


def test_a_billing_clerk_opens_a_batch_through_the_api(published: Settings, own_api: str) -> None:
    app = run_screen("billing-control")
    next(field for field in app.date_input if field.label == "Mois facturé").set_value(dt.date(2026, 5, 14))
    next(field for field in app.text_input if field.label == "Nom").set_value("Mai 2026 Dakar")
    next(button for button in app.button if button.label == "Ouvrir le lot").click().run()

    assert_no_exception(app)
    opened = [batch for batch in api_get("/billing/batches") if batch["name"] == "Mai 2026 Dakar"]
    assert [(batch["billing_month"], batch["status"], batch["agency_id"]) for batch in opened] == [
        ("2026-05-01", "open", 1)
    ]
    assert [item.value for item in app.success] == [
        f"Lot {opened[0]['reference']} ouvert ; il sera simulé au prochain passage du pipeline."
    ]
    events = api_get("/audit/events", action="billing.batch.create")
    assert [(event["actor"], event["entity_key"]) for event in events] == [("billing-clerk-dkp", str(opened[0]["id"]))]
    assert opened[0]["reference"] in list(app.dataframe[0].value["reference"]), "listed live, before any simulation"


def test_a_billing_clerk_of_thies_opens_the_batch_of_a_round(published: Settings, own_api: str) -> None:
    app = run_screen("billing-control", login="billing-clerk-ths")

    def open_for(round_code: str) -> None:
        next(field for field in app.date_input if field.label == "Mois facturé").set_value(dt.date(2026, 5, 1))
        next(field for field in app.text_input if field.label == "Tournée").set_value(round_code)
        next(button for button in app.button if button.label == "Ouvrir le lot").click().run()
        assert_no_exception(app)

    open_for("DKP-01")
    assert [item.value for item in app.warning] == [
        "Ce client ou ce document relève d'une autre agence que les vôtres."
    ]
    open_for("XX-99")
    assert [item.value for item in app.error] == ["Aucune tournée avec ce code."]
    open_for("THS-01")
    opened = [batch for batch in api_get("/billing/batches") if batch["billing_month"] == "2026-05-01"]
    assert [(batch["agency_id"], batch["reading_round_id"], batch["status"]) for batch in opened] == [(2, 3, "open")]
    assert [item.value for item in app.success] == [
        f"Lot {opened[0]['reference']} ouvert ; il sera simulé au prochain passage du pipeline."
    ]
