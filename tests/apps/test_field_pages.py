"""The field planners' screens: fraud suspects and recovery, on maps and in route-ordered lists with exports,
each limited to the planner's agency."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import duckdb
import openpyxl
from i18n import format_number

from yeelen.settings import Settings
from yeelen.warehouse.publish import publish_marts

from . import marts_fixture
from .conftest import assert_no_exception, displayed, run_screen


def map_sources(app) -> list[str]:
    return [frame.proto.srcdoc for frame in app.get("iframe")]


def suspects_of(agency_id: int) -> list[str]:
    references = {row[0]: row[1] for row in marts_fixture.CONTRACT_ROWS}
    return [
        references[row[0]]
        for row in marts_fixture.SUSPECTS
        if row[5] and marts_fixture.agency_of_contract(row[0]) == agency_id
    ]


def test_suspects_of_dakar_in_route_order_with_their_reasons(published: Settings) -> None:
    app = run_screen("fraud-suspects")

    assert_no_exception(app)
    listed = app.dataframe[0].value
    assert list(listed["contract_reference"]) == suspects_of(1)
    assert list(listed["route_order"]) == sorted(listed["route_order"])
    source = map_sources(app)[0]
    assert source.count('"className": "yeelen-suspect"') == len(suspects_of(1))
    assert "markerClusterGroup" in source, "suspects are clustered"
    assert json.dumps("Index bloqué")[1:-1] in source, "the reasons are in the popups"
    assert app.metric[0].value == str(len(suspects_of(1)))
    # Scores to one decimal as French writes them.
    scores = displayed(app.dataframe[0])["score"]
    assert list(scores) == [format_number(score, 1, language="fr") for score in listed["score"]]
    assert all("," in score for score in scores)


def test_suspects_filtered_by_rule_and_score(published: Settings) -> None:
    app = run_screen("fraud-suspects")
    app.selectbox(key="suspects.rule").set_value("TAMPERING").run()
    assert list(app.dataframe[0].value["contract_reference"]) == ["P0000002"]

    app.selectbox(key="suspects.rule").set_value(None).run()
    app.slider(key="suspects.min_score").set_value(5.0).run()
    assert list(app.dataframe[0].value["contract_reference"]) == ["P0000002"]


def test_the_inspection_list_exports_to_excel_with_progress(published: Settings) -> None:
    app = run_screen("fraud-suspects")
    assert [item.proto.label for item in app.get("download_button")] == ["Télécharger en CSV"]

    app.button(key="suspects.export.prepare").click().run()
    assert_no_exception(app)
    downloads = {item.proto.label: item for item in app.get("download_button")}
    assert set(downloads) == {"Télécharger en CSV", "Télécharger en Excel"}
    from ui import excel_workbook

    workbook = openpyxl.load_workbook(io.BytesIO(excel_workbook(app.dataframe[0].value, "inspections")))
    assert workbook.active.max_row == len(suspects_of(1)) + 1


def test_a_planner_of_thies_sees_only_the_suspects_of_thies(published: Settings) -> None:
    app = run_screen("fraud-suspects", login="field-planner-ths")

    assert list(app.dataframe[0].value["contract_reference"]) == suspects_of(2)
    assert "P0000001" not in map_sources(app)[0]


def test_contracts_to_disconnect_per_agent_and_the_campaigns_of_dakar(published: Settings) -> None:
    app = run_screen("recovery")

    assert_no_exception(app)
    agents = app.dataframe[0].value
    assert list(agents["collection_agent"]) == ["TOURNEE-DKP-01"]
    candidates = next(frame.value for frame in app.dataframe if "route_order" in frame.value.columns)
    assert list(candidates["contract_reference"]) == ["P0000001", "P0000002"]
    sources = map_sources(app)
    assert sources[0].count('"className": "yeelen-recovery"') == 2
    # The new campaign's name proposed with the day written as French writes it.
    assert re.fullmatch(r"Campagne de coupure du \d{2}/\d{2}/\d{4}", app.text_input[0].value), app.text_input[0].value
    campaigns = next(frame.value for frame in app.dataframe if "campaign_name" in frame.value.columns)
    assert list(campaigns["campaign_reference"]) == ["CC-2026-001"]
    assert campaigns["paid"].iloc[0] == 1 and campaigns["settled_share"].iloc[0] == 0.5
    # Counts are written as whole numbers, not as the floats the data layer holds (1.000000).
    shown = displayed(next(frame for frame in app.dataframe if "campaign_name" in frame.value.columns))
    assert "1.000000" not in shown.to_string() and shown["paid"].iloc[0] == "1"
    assert displayed(app.dataframe[0])["eligible_contracts"].iloc[0] == "2"
    oldest = agents["oldest_due_date"].iloc[0]
    assert displayed(app.dataframe[0])["oldest_due_date"].iloc[0] == f"{oldest:%d/%m/%Y}"  # a day as French writes it
    assert sources[1].count('"className": "yeelen-recovery"') == 2, "the campaign's targets, by status"


def test_a_planner_of_thies_sees_only_thies_on_the_recovery_map(published: Settings) -> None:
    app = run_screen("recovery", login="field-planner-ths")

    assert list(app.dataframe[0].value["collection_agent"]) == ["TOURNEE-THS-01"]
    campaigns = next(frame.value for frame in app.dataframe if "campaign_name" in frame.value.columns)
    assert list(campaigns["campaign_reference"]) == ["CC-2026-002"]
    assert all("P0000001" not in source for source in map_sources(app))


def test_losses_per_transformer_on_a_map_coloured_by_loss(published: Settings) -> None:
    app = run_screen("losses")

    assert_no_exception(app)
    balances = app.dataframe[0].value
    assert len(balances) == len(marts_fixture.TRANSFORMERS)
    assert list(balances["loss_share"]) == sorted(balances["loss_share"], reverse=True), "worst first"
    source = map_sources(app)[0]
    assert source.count('"className": "yeelen-loss"') == len(marts_fixture.TRANSFORMERS)
    assert "Taux de pertes" in source, "the legend"

    app.selectbox(key="losses.level").set_value("feeder").run()
    assert len(app.dataframe[0].value) == len(marts_fixture.FEEDERS)


def test_the_losses_open_on_the_latest_month_that_can_be_trusted(fixture_warehouse: Settings) -> None:
    latest, before = marts_fixture.MONTHS[-1], marts_fixture.MONTHS[-2]
    with duckdb.connect(str(fixture_warehouse.warehouse_path)) as connection:
        # The month just ended: its customers' readings are still coming in.
        connection.execute(
            "update marts.fct_energy_balance set is_trusted = false, trust_issue = 'TOO_MANY_ESTIMATES'"
            " where period_month = ?",
            [latest],
        )
    publish_marts(fixture_warehouse)

    app = run_screen("losses")
    assert_no_exception(app)
    chooser = app.selectbox(key="losses.month")
    assert chooser.value == before
    assert chooser.options[0] == "avril 2026" and latest == dt.date(2026, 4, 1), "still offered, first"
    app.selectbox(key="losses.month").set_value(latest).run()
    assert_no_exception(app)
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Bilans non fiables"] == str(len(marts_fixture.TRANSFORMERS))


def test_the_losses_table_lists_the_worst_and_exports_them_all(published: Settings, monkeypatch) -> None:
    from data import losses

    monkeypatch.setattr(losses, "TABLE_LIMIT", 2)
    app = run_screen("losses")

    assert_no_exception(app)
    listed = app.dataframe[0].value
    assert len(listed) == 2
    assert list(listed["loss_share"]) == sorted(listed["loss_share"], reverse=True)
    total = len(marts_fixture.TRANSFORMERS)
    assert f"Les 2 bilans aux pertes les plus fortes sont listés (sur {total})" in " ".join(
        caption.value for caption in app.caption
    )
    app.button(key="losses.export.prepare").click().run()
    workbook = next(app.session_state[key] for key in app.session_state if key.startswith("losses.export.xlsx."))
    assert openpyxl.load_workbook(io.BytesIO(workbook)).active.max_row == total + 1, "the export holds every balance"


def test_a_transformer_drills_down_to_its_customers_and_suspects(published: Settings) -> None:
    app = run_screen("losses")
    app.selectbox(key="losses.equipment").set_value(1002).run()

    assert_no_exception(app)
    customers = next(frame.value for frame in app.dataframe if "meter_serial" in frame.value.columns)
    assert list(customers["contract_reference"]) == ["P0000002"]
    suspects = next(frame.value for frame in app.dataframe if "transformer_rank" in frame.value.columns)
    assert list(suspects["contract_reference"]) == ["P0000002"]
    # The score to one decimal and the contract's state in words, as the suspects' screen writes them.
    shown = displayed(next(frame for frame in app.dataframe if "meter_serial" in frame.value.columns))
    score = customers["score"].iloc[0]
    assert shown["score"].iloc[0] == f"{score:.1f}".replace(".", ",")
    assert shown["contract_status"].iloc[0] == {"active": "Actif"}[customers["contract_status"].iloc[0]]
    # The fixture's 6.00 kVA written as a number, not "6.000000".
    assert customers["subscribed_power"].iloc[0] == 6
    assert shown["subscribed_power"].iloc[0] == "6"
    # The rules broken in words of the screen's language; the suspects' reasons already say them, so no codes there.
    assert customers["rule_codes"].iloc[0] == "INDEX_STUCK,TAMPERING"
    labels = marts_fixture.RULE_LABELS
    assert shown["rule_codes"].iloc[0] == f"{labels['INDEX_STUCK'][0]} · {labels['TAMPERING'][0]}"
    assert "rule_codes" not in displayed(
        next(frame for frame in app.dataframe if "transformer_rank" in frame.value.columns)
    )


def test_the_losses_of_one_agency_leave_out_the_others(published: Settings) -> None:
    """Losses are shown to agency-wide roles; the scope still holds if an agency user ever reads them."""
    from data import losses
    from data.scope import Scope

    thies = Scope(False, ("THS",))
    balances = losses.balances("transformer", "electricity", marts_fixture.MONTHS[-1], thies, None)
    assert set(balances["agency_code"]) == {"THS"}
    assert losses.transformer_customers(1000, thies).empty, "a Dakar transformer's customers stay hidden"
