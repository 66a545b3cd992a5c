"""The cash desk, as a cashier, against the real API: session, preview, confirmation, receipt, closing; refusals
in plain words; a cashier of another agency finds none of Dakar's customers."""

from __future__ import annotations

from streamlit.proto.Metric_pb2 import Metric

from yeelen.settings import Settings

from .conftest import assert_no_exception, run_screen


def money(amount: int) -> str:
    from i18n import format_number

    return f"{format_number(amount, language='fr')}\u00a0F\u00a0CFA"


def metric(app, label: str) -> str:
    return next(item.value for item in app.metric if item.label == label)


def test_a_payment_from_opening_to_closing(published: Settings, own_api: str) -> None:
    app = run_screen("cash-desk", login="cashier-dkp")
    assert [info.value for info in app.info] == ["Votre caisse n'est pas ouverte."]

    app.selectbox(key="cash.open_agency").set_value("DKP")
    app.button[[button.label for button in app.button].index("Ouvrir ma caisse")].click().run()
    assert_no_exception(app)
    assert app.success[0].value.startswith("Caisse n°") and "DKP" in app.success[0].value
    # Under each means of payment its count, in grey and without an arrow: a count, not a change.
    cash = next(item for item in app.metric if item.label == "Espèces")
    assert cash.proto.delta == "0 opération(s)"
    assert (Metric.MetricColor.Name(cash.proto.color), Metric.MetricDirection.Name(cash.proto.direction)) == (
        "GRAY",
        "NONE",
    )

    app.text_input(key="cash.search").set_value("Diop").run()
    assert app.selectbox(key="cash.chosen").value == "C0000002"
    assert metric(app, "Montant dû") == money(7_200)

    app.number_input(key="cash.amount").set_value(5_000).run()
    app.button(key="cash.preview_button").click().run()
    assert_no_exception(app)
    allocation = app.dataframe[-1].value
    assert list(allocation["invoice_number"]) == ["F2026-0000003"]
    assert list(allocation["open_before"]) == [7_200] and list(allocation["open_after"]) == [2_200]
    assert metric(app, "Dû après") == money(2_200)

    # Changing the amount after the preview asks for a new preview before anything can be confirmed.
    app.number_input(key="cash.amount").set_value(6_000).run()
    assert "Le formulaire a changé" in " ".join(caption.value for caption in app.caption)
    assert not [button for button in app.button if button.key == "cash.confirm"]
    app.number_input(key="cash.amount").set_value(5_000).run()
    app.button(key="cash.preview_button").click().run()

    app.button(key="cash.confirm").click().run()
    assert_no_exception(app)
    recorded = [item.value for item in app.success if item.value.startswith("Paiement enregistré")]
    assert recorded and "R2026-DKP-" in recorded[0]

    app.button(key="cash.print").click().run()
    downloads = app.get("download_button")
    assert [item.proto.label for item in downloads] == ["Télécharger le reçu (PDF)"]

    listed = [frame.value for frame in app.dataframe if "receipt_number" in frame.value.columns]
    assert listed and len(listed[0]) == 1 and listed[0]["amount"].iloc[0] == 5_000

    app.number_input(key="cash.count.note.5000").set_value(1).run()
    assert metric(app, "Écart") == money(0)
    app.button(key="cash.close").click().run()
    assert_no_exception(app)
    closed = [item.value for item in app.success if item.value.startswith("Caisse clôturée")]
    assert closed == [f"Caisse clôturée : comptées {money(5_000)}, attendues {money(5_000)}, écart {money(0)}."]
    assert [info.value for info in app.info] == ["Votre caisse de ce jour est clôturée."]


def test_a_refusal_of_the_api_is_shown_in_plain_words(published: Settings) -> None:
    app = run_screen("cash-desk", login="cashier-ths")
    app.button[[button.label for button in app.button].index("Ouvrir ma caisse")].click().run()
    app.text_input(key="cash.search").set_value("Fall").run()
    assert app.selectbox(key="cash.chosen").value == "C0000004"

    app.number_input(key="cash.amount").set_value(1_000).run()
    app.selectbox(key="cash.method").set_value("cheque").run()
    app.button(key="cash.preview_button").click().run()

    assert_no_exception(app)
    assert [error.value for error in app.error] == ["Un paiement par chèque demande le numéro du chèque et la banque."]
    assert not [button for button in app.button if button.key == "cash.confirm"], "nothing to confirm"


def test_a_cashier_of_another_agency_finds_no_customer_of_dakar(published: Settings) -> None:
    app = run_screen("cash-desk", login="cashier-ths")
    app.text_input(key="cash.search").set_value("Ndiaye").run()

    assert_no_exception(app)
    assert "Aucun client ne correspond à « Ndiaye » dans vos agences." in [info.value for info in app.info]
