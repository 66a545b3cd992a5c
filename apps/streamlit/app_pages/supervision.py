"""Supervision: customers, consumption, billing, collection, receivables and losses of the user's agencies, per
month, with a drill-down from the utility to an agency and to one of its reading rounds, and the network map."""

from __future__ import annotations

import datetime as dt

import charts
import maps
import streamlit as st
from data import supervision
from data.scope import Scope
from data.warehouse import settings
from i18n import current_language, format_compact, format_number, format_percent, labels, month_label, t
from ui import agency_choice, card_grid, money, problems_as_messages, signed_in_user, table

AGENCY_COLUMNS = {
    "code": "column.agency_code",
    "name": "column.agency_name",
    "active_contracts": "column.active_contracts",
    "customers_billed": "column.customers_billed",
    "electricity_kwh": "column.electricity_billed",
    "water_m3": "column.water_billed",
    "billed_minor": "column.billed",
    "collected_minor": "column.collected",
    "collection_rate": "column.collection_rate",
    "receivables_minor": "column.receivables",
    "loss_share": "column.loss_share",
}
ROUND_COLUMNS = {
    "code": "column.round_code",
    "customers_billed": "column.customers_billed",
    "electricity_kwh": "column.electricity_billed",
    "water_m3": "column.water_billed",
    "billed_minor": "column.billed",
    "collected_minor": "column.collected",
    "collection_rate": "column.collection_rate",
}


def period_and_place_filters(scope: Scope) -> tuple[dt.date, int | None, int | None]:
    """The month (latest first; the latest billed at first), the agency (all of the user's by default) and, within
    an agency, a round."""
    months = supervision.months()[::-1]
    latest_billed = supervision.latest_billed_month()
    # Labels are fixed now: the widgets may format their options again outside this run.
    language = current_language()
    month_column, agency_column, round_column = st.columns(3)
    month = month_column.selectbox(
        t("filter.month"),
        options=months,
        index=months.index(latest_billed) if latest_billed in months else 0,
        format_func=lambda value: month_label(value, language),
        key="supervision.month",
    )
    agency_id = agency_choice(scope, "supervision.agency", column=agency_column)
    round_id = None
    if agency_id is not None:
        rounds = {item.round_id: item.code for item in supervision.rounds(scope, agency_id)}
        all_rounds = t("filter.all_rounds")
        round_id = round_column.selectbox(
            t("filter.round"),
            options=[None, *rounds],
            format_func=lambda value: all_rounds if value is None else rounds[value],
            key="supervision.round",
        )
    return month, agency_id, round_id


def customers_and_consumption(month: dt.date, scope: Scope, agency_id: int | None) -> None:
    """Five cards: active contracts, customers, electricity, water, share of estimated consumption."""
    figures = supervision.kpis(month, scope, agency_id)
    cards = st.columns(5)
    for card, (key, value) in zip(
        cards,
        (
            ("kpi.active_contracts", format_number(figures.active_contracts)),
            ("kpi.customers", format_number(figures.customers)),
            ("kpi.electricity", format_compact(figures.electricity_kwh)),
            ("kpi.water", format_compact(figures.water_m3)),
            ("kpi.estimated_share", format_percent(figures.estimated_share)),
        ),
        strict=True,
    ):
        card.metric(t(key), value, help=t(f"{key}.help"), border=True)


def billing_and_collection(month: dt.date, scope: Scope, agency_id: int | None, round_id: int | None) -> None:
    """Six cards for the month at the chosen level: customers, kWh and m³ billed, billed, collected, rate."""
    st.subheader(f"{t('billing_kpi.title')} — {month_label(month)}")
    figures = supervision.billing_kpis(month, scope, agency_id, round_id)
    cards = card_grid(6)
    for card, (key, value) in zip(
        cards,
        (
            ("kpi.customers_billed", format_number(figures.customers_billed)),
            ("kpi.electricity_billed", format_compact(figures.electricity_kwh)),
            ("kpi.water_billed", format_compact(figures.water_m3)),
            ("kpi.billed", money(figures.billed_minor, compact=True)),
            ("kpi.collected", money(figures.collected_minor, compact=True)),
            ("kpi.collection_rate", format_percent(figures.collection_rate)),
        ),
        strict=True,
    ):
        card.metric(t(key), value, help=t(f"{key}.help"), border=True)


def trends(month: dt.date, scope: Scope, agency_id: int | None, round_id: int | None) -> None:
    """Tabs of monthly trends: billing and collection, consumption, receivables by age, losses."""
    billing_tab, consumption_tab, receivables_tab, losses_tab = st.tabs(
        [t("tab.billing"), t("tab.consumption"), t("tab.receivables"), t("tab.losses")]
    )
    scale = 10 ** settings().currency_precision
    with billing_tab:
        trend = supervision.billing_trend(scope, agency_id, round_id)
        if trend.empty:
            st.info(t("billing_kpi.empty"))
        else:
            st.plotly_chart(charts.billed_and_collected(trend, scale), width="stretch", key="supervision.billing")
    with consumption_tab:
        figure = charts.consumption_per_month(supervision.monthly_consumption(scope, agency_id), selected_month=month)
        st.plotly_chart(figure, width="stretch", key="supervision.chart")
    with receivables_tab:
        receivables_by_age(scope, agency_id, scale)
    with losses_tab:
        losses_over_time(month, scope, agency_id)


def receivables_by_age(scope: Scope, agency_id: int | None, scale: float) -> None:
    """What customers owe, by how long it is past due (balance âgée), per agency."""
    aged = supervision.aged_balance(scope, agency_id)
    overdue_90 = sum(aged[bucket] or 0 for bucket in ("days_91_180", "days_181_365", "over_365"))
    left, right, third = st.columns(3)
    left.metric(
        t("kpi.receivables"), money(aged["open_minor"], compact=True), help=t("kpi.receivables.help"), border=True
    )
    right.metric(t("kpi.overdue_90"), money(overdue_90, compact=True), help=t("kpi.overdue_90.help"), border=True)
    third.metric(t("kpi.customers_owing"), format_number(aged["customers"]), border=True)
    by_agency = supervision.aged_balance_by_agency(scope, agency_id)
    if by_agency.empty:
        st.info(t("receivables.empty"))
        return
    st.plotly_chart(
        charts.aged_balance(by_agency, supervision.AGE_BUCKETS, scale), width="stretch", key="supervision.aged"
    )
    if aged["as_of"] is not None:
        st.caption(t("receivables.as_of", when=str(aged["as_of"])[:10]))


def losses_over_time(month: dt.date, scope: Scope, agency_id: int | None) -> None:
    """Electricity loss of the month and its trend over the trusted balances."""
    losses = supervision.losses(scope, agency_id)
    if losses.empty:
        st.info(t("losses_kpi.empty"))
        return
    this_month = losses[losses["month"] == month]
    row = this_month.iloc[0] if not this_month.empty else None
    left, middle, right = st.columns(3)
    left.metric(
        t("kpi.loss_share"),
        format_percent(None if row is None else row["loss_share"]),
        help=t("kpi.loss_share.help"),
        border=True,
    )
    middle.metric(
        t("kpi.non_technical_share"), format_percent(None if row is None else row["non_technical_share"]), border=True
    )
    right.metric(
        t("kpi.non_technical_value"),
        money(None if row is None else row["non_technical_value_minor"], compact=True),
        border=True,
    )
    st.plotly_chart(charts.loss_share_trend(losses), width="stretch", key="supervision.losses")


def drill_down_table(month: dt.date, scope: Scope, agency_id: int | None) -> None:
    """One line per agency, or, for a chosen agency, one line per reading round."""
    if agency_id is None:
        st.subheader(f"{t('table.title')} — {month_label(month)}")
        frame, columns = supervision.by_agency(month, scope), AGENCY_COLUMNS
    else:
        st.subheader(f"{t('table.rounds_title')} — {month_label(month)}")
        frame, columns = supervision.by_round(month, scope, agency_id), ROUND_COLUMNS
        st.caption(t("table.rounds_caption"))
    headers = labels(columns)
    # Numbers formatted in the screen's language; the table still sorts on the values.
    formats = {name: format_number for name in ("active_contracts", "customers_billed", "electricity_kwh", "water_m3")}
    formats |= {name: money for name in ("billed_minor", "collected_minor", "receivables_minor")}
    formats |= {"collection_rate": format_percent, "loss_share": format_percent}
    table(
        frame.style.format({name: formats[name] for name in formats if name in frame.columns}),
        hide_index=True,
        width="stretch",
        column_order=list(headers),
        column_config={name: st.column_config.Column(label) for name, label in headers.items()},
        key="supervision.table",
    )


def network_of_transformers_and_feeders(scope: Scope, agency_id: int | None) -> None:
    """Map of source substations and transformers coloured by feeder, with a legend."""
    st.subheader(t("map.title"))
    transformers = supervision.transformers(scope, agency_id)
    placed = transformers.dropna(subset=["latitude", "longitude"])
    if placed.empty:
        st.info(t("map.empty"))
        return
    config = settings()
    network = maps.network_map_html(
        transformers,
        supervision.feeders(scope, agency_id),
        current_language(),
        config.map_tiles_url,
        config.map_tiles_attribution,
    )
    maps.render(network)
    st.caption(t("map.caption", transformers=len(placed), feeders=placed["feeder_id"].nunique()))
    if len(placed) < len(transformers):
        st.caption(t("map.missing_coordinates", count=len(transformers) - len(placed)))


user = signed_in_user()
st.title(t("supervision.title"))
st.caption(t("supervision.caption"))

with problems_as_messages():
    month, agency_id, round_id = period_and_place_filters(user.scope)
    customers_and_consumption(month, user.scope, agency_id)
    billing_and_collection(month, user.scope, agency_id, round_id)
    trends(month, user.scope, agency_id, round_id)
    drill_down_table(month, user.scope, agency_id)
    network_of_transformers_and_feeders(user.scope, agency_id)
