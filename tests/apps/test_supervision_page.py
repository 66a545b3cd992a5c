"""The Supervision screen, run headless with AppTest on the fixture marts, in French and in English, as a manager
(every agency), an agency supervisor (Dakar) and a supervisor of another agency (Thiès)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from i18n import format_number, format_percent

from yeelen.settings import Settings, reset_settings_cache
from yeelen.warehouse.publish import publish_marts

from . import marts_fixture
from .conftest import assert_no_exception, run_app

LATEST = marts_fixture.MONTHS[-1]
METRIC_LABELS = {
    "fr": ["Contrats actifs", "Clients", "Électricité (kWh)", "Eau (m³)", "Part estimée"],
    "en": ["Active contracts", "Customers", "Electricity (kWh)", "Water (m³)", "Share estimated"],
}


def expected_metric_values(month, agency_id, language):
    figures = marts_fixture.expected_kpis(month, agency_id)
    return [
        format_number(figures["active_contracts"], language=language),
        format_number(figures["customers"], language=language),
        format_number(figures["electricity_kwh"], language=language),
        format_number(figures["water_m3"], language=language),
        format_percent(figures["estimated_share"], language=language),
    ]


def map_source(app) -> str:
    frames = app.get("iframe")
    assert len(frames) == 1, "the screen shows one map"
    return frames[0].proto.srcdoc


def consumption_metrics(app) -> list:
    """The first five cards: contracts, customers, electricity, water, share estimated."""
    return list(app.metric)[:5]


def billing_metrics(app) -> list:
    """The six cards of billing and collection."""
    return list(app.metric)[5:11]


def test_french_by_default(published: Settings) -> None:
    app = run_app()

    assert_no_exception(app)
    assert app.title[0].value == "Supervision"
    assert app.selectbox(key="language").value == "fr"
    assert app.selectbox(key="supervision.month").value == LATEST
    assert app.selectbox(key="supervision.agency").value is None
    assert [metric.label for metric in consumption_metrics(app)] == METRIC_LABELS["fr"]
    assert [metric.value for metric in consumption_metrics(app)] == expected_metric_values(LATEST, None, "fr")
    assert app.metric[2].value == "323\u202f605"  # French thousands separator
    assert [header.value for header in app.subheader] == [
        "Facturation et recouvrement — avril 2026",
        "Par agence — avril 2026",
        "Réseau : postes et départs",
    ]
    assert any("Données publiées le" in caption.value for caption in app.sidebar.caption)
    assert any(caption.value.startswith("8 postes HTA/BT sur 4 départs") for caption in app.caption)


def test_table_has_one_line_per_agency_with_the_marts_figures(published: Settings) -> None:
    app = run_app()

    table = app.dataframe[0].value.set_index("code")
    assert sorted(table.index) == ["DKP", "STL", "THS"]
    for agency_id, code, _name, _city in marts_fixture.AGENCIES:
        figures = marts_fixture.expected_kpis(LATEST, agency_id)
        billing = marts_fixture.expected_billing(LATEST, [agency_id])
        assert table.loc[code, "active_contracts"] == figures["active_contracts"]
        assert table.loc[code, "customers_billed"] == billing["customers_billed"]
        assert table.loc[code, "electricity_kwh"] == pytest.approx(billing["electricity_kwh"])
        assert table.loc[code, "billed_minor"] == billing["billed_minor"]
        assert table.loc[code, "collected_minor"] == billing["collected_minor"]
        assert table.loc[code, "collection_rate"] == pytest.approx(billing["collection_rate"], abs=1e-4)


def test_english_chosen_in_the_sidebar(published: Settings) -> None:
    app = run_app()
    app.selectbox(key="language").set_value("en").run()

    assert_no_exception(app)
    assert [metric.label for metric in consumption_metrics(app)] == METRIC_LABELS["en"]
    assert [metric.value for metric in consumption_metrics(app)] == expected_metric_values(LATEST, None, "en")
    assert app.metric[2].value == "323,605"
    assert app.subheader[1].value == "Per agency — April 2026"
    assert app.query_params["lang"] == "en", "the choice is kept in the address"
    assert "MV/LV transformers, by feeder" in map_source(app)


def test_english_from_the_address(published: Settings) -> None:
    app = run_app(query_language="en")

    assert_no_exception(app)
    assert app.selectbox(key="language").value == "en"
    assert app.title[0].value == "Supervision"
    assert app.metric[0].label == "Active contracts"


def test_agency_and_month_filters(published: Settings) -> None:
    app = run_app()
    app.selectbox(key="supervision.agency").set_value(2).run()

    assert_no_exception(app)
    assert [metric.value for metric in consumption_metrics(app)] == expected_metric_values(LATEST, 2, "fr")
    assert list(app.dataframe[0].value["code"]) == ["THS-01"], "an agency chosen, the table lists its rounds"
    source = map_source(app)
    assert source.count('"className": "yeelen-transformer"') == 2
    assert source.count('"className": "yeelen-substation"') == 1

    january = marts_fixture.MONTHS[0]
    app.selectbox(key="supervision.month").set_value(january).run()
    assert [metric.value for metric in consumption_metrics(app)] == expected_metric_values(january, 2, "fr")
    assert app.subheader[1].value == "Par tournée — janvier 2026"
    assert map_source(app) == source, "another month leaves the map as it was (no reload, zoom kept)"


def test_an_agency_without_network_or_consumption(fixture_warehouse: Settings) -> None:
    with duckdb.connect(str(fixture_warehouse.warehouse_path)) as connection:
        connection.execute("insert into marts.dim_agencies values (4, 'KLK', 'Kaolack', 'Kaolack')")
    publish_marts(fixture_warehouse)

    app = run_app()
    app.selectbox(key="supervision.agency").set_value(4).run()

    assert_no_exception(app)
    assert [metric.value for metric in consumption_metrics(app)] == ["—"] * 5
    assert "Aucun poste à afficher pour cette sélection." in [info.value for info in app.info]
    assert not app.get("iframe")


def test_the_screen_opens_on_the_latest_month_billed_not_a_month_of_payments_only(
    fixture_warehouse: Settings,
) -> None:
    following = (LATEST.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    with duckdb.connect(str(fixture_warehouse.warehouse_path)) as connection:
        # The month under way: payments came in, its bills are not issued yet.
        connection.execute(
            "insert into marts.rpt_billing_collection_by_round (level, agency_id, commodity, month, customers_billed,"
            " contracts_billed, invoices, billed_minor, credited_minor, net_billed_minor, collected_minor)"
            " values ('agency', 1, 'all', ?, 0, 0, 0, 0, 0, 0, 125000)",
            [following],
        )
    publish_marts(fixture_warehouse)

    app = run_app()
    assert_no_exception(app)
    chooser = app.selectbox(key="supervision.month")
    assert chooser.value == LATEST
    assert chooser.options[0] == "mai 2026" and following == dt.date(2026, 5, 1), "still offered, first"
    app.selectbox(key="supervision.month").set_value(following).run()
    assert_no_exception(app)
    assert billing_metrics(app)[4].value == format_number(125_000, language="fr") + "\u00a0F\u00a0CFA"


def test_the_screen_is_reached_through_the_navigation(published: Settings) -> None:
    app = run_app(language="en")
    app.switch_page("app_pages/supervision.py").run()

    assert_no_exception(app)
    assert app.title[0].value == "Supervision"
    assert app.metric[0].label == "Active contracts"


def test_map_is_drawn_from_the_vendored_leaflet_only(published: Settings) -> None:
    source = map_source(run_app())

    assert '<script src="/app/static/vendor/leaflet-1.9.4/leaflet.js"></script>' in source
    assert "/app/static/vendor/leaflet-1.9.4/leaflet.css" in source
    assert "http://" not in source and "https://" not in source, "no asset may come from outside the app"
    assert "$(" not in source, "nothing may need jQuery"
    assert source.count('"className": "yeelen-transformer"') == len(marts_fixture.TRANSFORMERS)
    assert source.count('"className": "yeelen-substation"') == len(marts_fixture.SUBSTATIONS)
    assert "tileLayer" not in source, "no tile server is configured in tests"
    for _id, code, name, *_rest in marts_fixture.FEEDERS:
        assert json.dumps(f"{code} — {name}")[1:-1] in source, "every feeder is in the legend"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "Aucune donnée publiée : lancez le pipeline (yeelen pipeline run)."),
        ("en", "No published data: run the pipeline (yeelen pipeline run)."),
    ],
)
def test_nothing_published_says_so(settings: Settings, language: str, message: str) -> None:
    assert not Path(settings.published_path).exists()

    app = run_app(language=language)

    assert_no_exception(app)
    assert [info.value for info in app.info] == [message]
    assert not app.metric
    assert app.title[0].value == "Supervision"


def test_published_copy_without_marts_says_nothing_is_published(settings: Settings) -> None:
    duckdb.connect(str(settings.published_path)).close()

    app = run_app()

    assert_no_exception(app)
    assert [info.value for info in app.info] == ["Aucune donnée publiée : lancez le pipeline (yeelen pipeline run)."]


def test_empty_marts_say_nothing_is_published(settings: Settings) -> None:
    with duckdb.connect(str(settings.warehouse_path)) as connection:
        for statement in marts_fixture.DDL:
            connection.execute(statement)
    publish_marts(settings)

    app = run_app(language="en")

    assert_no_exception(app)
    assert [info.value for info in app.info] == ["No published data: run the pipeline (yeelen pipeline run)."]


def test_a_mart_without_an_expected_column_gives_a_message_not_a_trace(fixture_warehouse: Settings) -> None:
    with duckdb.connect(str(fixture_warehouse.warehouse_path)) as connection:
        connection.execute("alter table marts.rpt_contracts_by_agency rename column customers to holders")
    publish_marts(fixture_warehouse)

    app = run_app()

    assert_no_exception(app)
    assert len(app.error) == 1
    assert app.error[0].value.startswith("Les données publiées ne peuvent pas être lues :")
    assert "customers" in app.error[0].value


def test_a_missing_mart_is_reported_not_taken_for_an_empty_warehouse(fixture_warehouse: Settings) -> None:
    with duckdb.connect(str(fixture_warehouse.warehouse_path)) as connection:
        connection.execute("drop table marts.dim_feeders")
    publish_marts(fixture_warehouse)

    app = run_app(language="en")

    assert_no_exception(app)
    assert app.metric, "what can be read is shown"
    assert len(app.error) == 1 and "dim_feeders" in app.error[0].value
    assert app.error[0].value.startswith("The published data cannot be read:")


def test_invalid_settings_give_a_message(published: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YEELEN_CURRENCY", "ZZZ")
    reset_settings_cache()

    app = run_app()

    assert_no_exception(app)
    assert app.error and "YEELEN_CURRENCY" in app.error[0].value


def test_a_new_publication_is_read_without_restarting(published: Settings) -> None:
    first = run_app()
    assert first.metric[2].value == format_number(marts_fixture.expected_kpis(LATEST)["electricity_kwh"], language="fr")

    with duckdb.connect(str(published.warehouse_path)) as connection:
        connection.execute("update marts.rpt_consumption_by_agency_month set consumption = 2 * consumption")
    publish_marts(published)

    second = run_app()
    assert second.metric[2].value == format_number(
        2 * marts_fixture.expected_kpis(LATEST)["electricity_kwh"], language="fr"
    )


@pytest.mark.postgres
def test_reads_the_marts_of_a_postgresql_warehouse(
    postgres_database: str, yeelen_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(postgres_database)
    with engine.begin() as connection:
        marts_fixture.load(lambda statement: connection.exec_driver_sql(statement))
    engine.dispose()
    monkeypatch.setenv("YEELEN_WAREHOUSE_ENGINE", "postgres")
    monkeypatch.setenv("YEELEN_WAREHOUSE_URL", postgres_database)
    reset_settings_cache()

    app = run_app()

    assert_no_exception(app)
    assert [metric.value for metric in consumption_metrics(app)] == expected_metric_values(LATEST, None, "fr")
    assert any("PostgreSQL" in caption.value for caption in app.sidebar.caption)
    assert map_source(app).count('"className": "yeelen-transformer"') == len(marts_fixture.TRANSFORMERS)


@pytest.mark.postgres
def test_a_postgresql_warehouse_without_marts_says_nothing_is_built(
    postgres_database: str, yeelen_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YEELEN_WAREHOUSE_ENGINE", "postgres")
    monkeypatch.setenv("YEELEN_WAREHOUSE_URL", postgres_database)
    reset_settings_cache()

    app = run_app()

    assert_no_exception(app)
    assert [info.value for info in app.info] == ["Aucune donnée publiée : lancez le pipeline (yeelen pipeline run)."]


def test_billing_and_collection_of_the_month(published: Settings) -> None:
    app = run_app()

    expected = marts_fixture.expected_billing(LATEST)
    assert [metric.label for metric in billing_metrics(app)] == [
        "Clients facturés",
        "Électricité facturée (kWh)",
        "Eau facturée (m³)",
        "Montant facturé",
        "Montant encaissé",
        "Taux de recouvrement",
    ]
    assert [metric.value for metric in billing_metrics(app)] == [
        format_number(expected["customers_billed"], language="fr"),
        format_number(expected["electricity_kwh"], language="fr"),
        format_number(expected["water_m3"], language="fr"),
        # A month of a whole utility in millions on its card (11 352 600 here), whole in the table below.
        "11,4\u00a0M\u00a0F\u00a0CFA",
        format_number(expected["collected_minor"], language="fr") + "\u00a0F\u00a0CFA",
        format_percent(expected["collection_rate"], language="fr"),
    ]
    assert expected["billed_minor"] == 11_352_600 and expected["collected_minor"] < 10_000_000
    assert len(app.get("plotly_chart")) == 4, "billing, consumption, receivables and losses trends"
    # The amounts' axis in French words for large figures, never Plotly's "11.4M" or "2B".
    billing = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert billing["layout"]["yaxis"]["ticktext"][-1].endswith("\u00a0M")


def test_drill_down_from_the_utility_to_an_agency_and_a_round(published: Settings) -> None:
    app = run_app()
    app.selectbox(key="supervision.agency").set_value(1).run()

    assert_no_exception(app)
    assert billing_metrics(app)[3].value.startswith(
        format_number(marts_fixture.expected_billing(LATEST, [1])["billed_minor"], language="fr")
    )
    rounds = app.dataframe[0].value
    assert list(rounds["code"]) == ["DKP-01", "DKP-02"]
    assert app.selectbox(key="supervision.round").options == ["Toutes les tournées", "DKP-01", "DKP-02"]

    app.selectbox(key="supervision.round").set_value(2).run()
    water_round = marts_fixture.expected_billing(LATEST, round_id=2)
    assert billing_metrics(app)[0].value == format_number(water_round["customers_billed"], language="fr")
    assert billing_metrics(app)[2].value == format_number(water_round["water_m3"], language="fr")
    assert billing_metrics(app)[5].value == format_percent(water_round["collection_rate"], language="fr")


def test_an_agency_supervisor_sees_only_their_agency(published: Settings) -> None:
    app = run_app(login="supervisor-dkp")

    assert_no_exception(app)
    assert app.selectbox(key="supervision.agency").options == ["Dakar Plateau (DKP)"], "no other agency to pick"
    assert [metric.value for metric in consumption_metrics(app)] == expected_metric_values(LATEST, 1, "fr")
    assert billing_metrics(app)[3].value.startswith(
        format_number(marts_fixture.expected_billing(LATEST, [1])["billed_minor"], language="fr")
    )
    assert list(app.dataframe[0].value["code"]) == ["DKP-01", "DKP-02"]
    source = map_source(app)
    dakar = [row for row in marts_fixture.TRANSFORMERS if row[7] == 1]
    assert source.count('"className": "yeelen-transformer"') == len(dakar)
    for row in marts_fixture.TRANSFORMERS:
        if row[7] != 1:
            assert row[1] not in source, "no transformer of another agency on the map"


def test_a_supervisor_of_another_agency_sees_none_of_dakar(published: Settings) -> None:
    app = run_app(login="supervisor-ths")

    assert_no_exception(app)
    assert app.selectbox(key="supervision.agency").options == ["Thiès Centre (THS)"]
    assert [metric.value for metric in consumption_metrics(app)] == expected_metric_values(LATEST, 2, "fr")
    assert list(app.dataframe[0].value["code"]) == ["THS-01"]
    assert "P-PLT-01" not in map_source(app)


def test_a_chosen_agency_outside_the_scope_is_not_read(published: Settings) -> None:
    """Even a forged widget value cannot reach another agency's rows: every query carries the user's scope."""
    from data import supervision
    from data.scope import Scope

    dakar_only = Scope(False, ("DKP",))
    figures = supervision.kpis(LATEST, dakar_only, 2)
    assert figures.active_contracts is None and figures.electricity_kwh is None
    assert supervision.by_round(LATEST, dakar_only, 2).empty
