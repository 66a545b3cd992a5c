"""The customer account screen: search through the API, the account, invoices, statement (and its PDF),
readings, premises on a map, complaints from the marts; a clerk of another agency sees none of Dakar's customers."""

from __future__ import annotations

from yeelen.settings import Settings

from . import operational_fixture
from .conftest import assert_no_exception, run_screen


def money(amount: int) -> str:
    from i18n import format_number

    return f"{format_number(amount, language='fr')}\u00a0F\u00a0CFA"


def found(app, text: str):
    app.text_input(key="customer.search").set_value(text).run()
    assert_no_exception(app)
    return app


def frame_with(app, column: str):
    return next(frame.value for frame in app.dataframe if column in frame.value.columns)


def test_a_customer_found_by_name_phone_contract_or_meter(published: Settings) -> None:
    app = run_screen("customer-account")
    for text in ("Ndiaye", "771234567", "P0000001", "SN-0001"):
        assert found(app, text).selectbox(key="customer.chosen").value == "C0000001", text


def test_the_account_of_a_customer(published: Settings) -> None:
    app = found(run_screen("customer-account"), "Ndiaye")

    owed = sum(total for _n, customer, total, _d in operational_fixture.INVOICES if customer == "C0000001")
    assert app.subheader[0].value == "Awa Ndiaye · C0000001"
    assert next(item.value for item in app.metric if item.label == "Montant dû") == money(owed)
    assert list(frame_with(app, "number")["number"]) == ["F2026-0000001", "F2026-0000002"]
    # Codes read as words of the screen's language.
    assert set(frame_with(app, "number")["kind"]) == {"Facture"}
    contracts = frame_with(app, "billing_cycle")
    assert contracts[["commodity", "billing_cycle", "payment_mode", "status"]].iloc[0].tolist() == [
        "Électricité",
        "Mensuelle",
        "Postpayé",
        "Actif",
    ]
    assert contracts["subscribed_power"].iloc[0] == "6"  # a number as French writes it, not the API's "6.00"
    statement = frame_with(app, "debit")
    assert statement["debit"].sum() == owed
    readings = app.get("plotly_chart")
    assert readings, "the readings are drawn"
    assert "4 relevé(s)" in " ".join(caption.value for caption in app.caption)
    complaints = frame_with(app, "complaint_category")
    assert list(complaints["description"]) == ["Facture de mars trop élevée", "Coupure de courant"]
    assert list(complaints["complaint_status"]) == ["Ouverte", "Close"]
    premises = app.get("iframe")[0].proto.srcdoc
    assert premises.count('"className": "yeelen-premises"') == 1
    app.run()
    assert app.get("iframe")[0].proto.srcdoc == premises, "a rerun gives the browser the same map, not a reload"
    assert "history" in {tab.label for tab in app.tabs} or "Historique" in [tab.label for tab in app.tabs]


def test_the_statement_as_a_pdf(published: Settings) -> None:
    app = found(run_screen("customer-account"), "Ndiaye")
    app.button(key="statement.prepare").click().run()

    assert_no_exception(app)
    downloads = app.get("download_button")
    assert [item.proto.label for item in downloads] == ["Télécharger le relevé (PDF)"]


def test_a_clerk_of_dakar_does_not_find_a_customer_of_thies(published: Settings) -> None:
    app = found(run_screen("customer-account", login="customer-clerk-dkp"), "Fall")

    assert "Aucun client ne correspond à « Fall » dans vos agences." in [info.value for info in app.info]


def test_a_clerk_of_thies_sees_only_the_complaints_of_thies(published: Settings) -> None:
    app = found(run_screen("customer-account", login="customer-clerk-ths"), "Fall")

    assert app.subheader[0].value == "Ibrahima Fall · C0000004"
    assert list(frame_with(app, "complaint_category")["description"]) == ["Compteur bruyant"]
    assert found(app, "Ndiaye").info[0].value.startswith("Aucun client ne correspond")


def test_a_billing_clerk_has_no_history_tab(published: Settings) -> None:
    app = found(run_screen("customer-account", login="billing-clerk-dkp"), "Ndiaye")

    assert [tab.label for tab in app.tabs] == [
        "Contrats",
        "Factures",
        "Relevé de compte",
        "Relevés de compteur",
        "Réclamations",
    ]
