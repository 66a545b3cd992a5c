"""Supervision: customers and consumption per agency and month, and the network of transformers and feeders."""

from __future__ import annotations

import datetime as dt

import charts
import maps
import streamlit as st
from data import supervision
from data.warehouse import settings
from i18n import current_language, format_number, format_percent, labels, month_label, t
from ui import data_problems_as_messages

TABLE_COLUMNS = {
    "agency_code": "column.agency_code",
    "agency_name": "column.agency_name",
    "city": "column.city",
    "active_contracts": "column.active_contracts",
    "customers": "column.customers",
    "electricity_kwh": "column.electricity_kwh",
    "water_m3": "column.water_m3",
    "estimated_share": "column.estimated_share",
}


def period_and_agency_filters() -> tuple[dt.date, int | None]:
    """The month (latest first) and the agency (all by default) the screen shows."""
    months = supervision.months()
    agencies = {agency.agency_id: agency for agency in supervision.agencies()}
    # Labels are fixed now: the widgets may format their options again outside this run.
    language = current_language()
    all_agencies = t("filter.all_agencies")
    month_column, agency_column = st.columns(2)
    month = month_column.selectbox(
        t("filter.month"),
        options=months[::-1],
        format_func=lambda value: month_label(value, language),
        key="supervision.month",
    )
    agency_id = agency_column.selectbox(
        t("filter.agency"),
        options=[None, *agencies],
        format_func=lambda key: all_agencies if key is None else f"{agencies[key].name} ({agencies[key].code})",
        key="supervision.agency",
    )
    return month, agency_id


def headline_figures(month: dt.date, agency_id: int | None) -> None:
    """Five cards: active contracts, customers, electricity, water, share of estimated consumption."""
    figures = supervision.kpis(month, agency_id)
    cards = st.columns(5)
    for card, (key, value) in zip(
        cards,
        (
            ("kpi.active_contracts", format_number(figures.active_contracts)),
            ("kpi.customers", format_number(figures.customers)),
            ("kpi.electricity", format_number(figures.electricity_kwh)),
            ("kpi.water", format_number(figures.water_m3)),
            ("kpi.estimated_share", format_percent(figures.estimated_share)),
        ),
        strict=True,
    ):
        card.metric(t(key), value, help=t(f"{key}.help"), border=True)


def consumption_per_month(month: dt.date, agency_id: int | None) -> None:
    """Consumption of every month in the marts, the chosen month highlighted."""
    st.subheader(t("chart.title"))
    figure = charts.consumption_per_month(supervision.monthly_consumption(agency_id), selected_month=month)
    st.plotly_chart(figure, width="stretch", key="supervision.chart")


def table_per_agency(month: dt.date, agency_id: int | None) -> None:
    """One line per agency for the chosen month."""
    st.subheader(f"{t('table.title')} — {month_label(month)}")
    headers = labels(TABLE_COLUMNS)
    # Numbers formatted in the screen's language; the table still sorts on the values.
    table = supervision.by_agency(month, agency_id).style.format(
        {
            "active_contracts": format_number,
            "customers": format_number,
            "electricity_kwh": format_number,
            "water_m3": format_number,
            "estimated_share": format_percent,
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_order=list(headers),
        column_config={name: st.column_config.Column(label) for name, label in headers.items()},
        key="supervision.table",
    )


def network_of_transformers_and_feeders(agency_id: int | None) -> None:
    """Map of source substations and transformers coloured by feeder, with a legend."""
    st.subheader(t("map.title"))
    transformers = supervision.transformers(agency_id)
    placed = transformers.dropna(subset=["latitude", "longitude"])
    if placed.empty:
        st.info(t("map.empty"))
        return
    config = settings()
    network = maps.network_map_html(
        transformers,
        supervision.feeders(agency_id),
        current_language(),
        config.map_tiles_url,
        config.map_tiles_attribution,
    )
    maps.render(network)
    st.caption(t("map.caption", transformers=len(placed), feeders=placed["feeder_id"].nunique()))
    if len(placed) < len(transformers):
        st.caption(t("map.missing_coordinates", count=len(transformers) - len(placed)))


st.title(t("supervision.title"))
st.caption(t("supervision.caption"))

with data_problems_as_messages():
    month, agency_id = period_and_agency_filters()
    headline_figures(month, agency_id)
    consumption_per_month(month, agency_id)
    table_per_agency(month, agency_id)
    network_of_transformers_and_feeders(agency_id)
