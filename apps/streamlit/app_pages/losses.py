"""Losses: the energy balance of each feeder and transformer (water district for water) as a table and as a
map coloured by loss, and a drill-down to one transformer's history, customers and suspects."""

from __future__ import annotations

import datetime as dt

import charts
import maps
import streamlit as st
from data import losses, suspects
from data.scope import Scope
from data.warehouse import settings
from i18n import code_label, current_language, format_exact, format_number, format_percent, labels, month_label, t
from ui import agency_choice, card_grid, exports, money, problems_as_messages, signed_in_user, styled, table

BALANCE_COLUMNS = {
    "equipment_code": "column.equipment_code",
    "equipment_name": "column.equipment_name",
    "agency_name": "column.agency_name",
    "delivered": "column.delivered",
    "consumed": "column.consumed",
    "loss": "column.loss",
    "loss_share": "column.loss_share",
    "non_technical_share": "column.non_technical_share",
    "non_technical_value_minor": "column.non_technical_value",
    "trend": "column.trend",
    "trust_issue": "column.trust",
}
CUSTOMER_COLUMNS = {
    "contract_reference": "column.contract",
    "customer_name": "column.customer_name",
    "category": "column.category",
    "subscribed_power": "column.power",
    "meter_serial": "column.meter",
    "contract_status": "column.status",
    "score": "column.score",
    "rule_codes": "column.rules",
}
# The suspects' reasons follow in words (the rules with what was seen), so their codes are not repeated.
SUSPECT_COLUMNS = {
    "transformer_rank": "column.rank",
    "contract_reference": "column.contract",
    "customer_name": "column.customer_name",
    "category": "column.category",
    "score": "column.score",
}


def _score(value: float | None) -> str:
    """A suspicion score to one decimal, as the suspects' screen writes it."""
    return format_number(value, 1)


def _status(code: str | None) -> str:
    return code_label("contract_status", code)


def _rules_in_words(scope: Scope):
    """The rules a contract breaks (``INDEX_STUCK,TAMPERING``) in the screen's language, one after the other."""
    french = current_language() == "fr"
    words = {rule.code: rule.label_fr if french else rule.label_en for rule in suspects.rules(scope, None)}

    def shown(codes: str | None) -> str:
        if not isinstance(codes, str) or not codes:
            return ""
        return " · ".join(words.get(code, code) for code in codes.split(","))

    return shown


def commodity_level_period_and_agency(scope: Scope) -> tuple[str, str, dt.date, int | None]:
    """Electricity or water, the level of the balance, the month (the latest mostly trusted at first), and the
    agency."""
    language = current_language()
    first, second, third, fourth = st.columns(4)
    commodity = (
        first.segmented_control(
            t("filter.commodity"),
            options=list(losses.LEVELS),
            format_func=lambda value: t(f"commodity.{value}", language),
            default="electricity",
            key="losses.commodity",
        )
        or "electricity"
    )
    levels = losses.LEVELS[commodity]
    level = second.selectbox(
        t("filter.level"), options=levels, format_func=lambda value: t(f"level.{value}", language), key="losses.level"
    )
    agency_id = agency_choice(scope, "losses.agency", column=fourth)
    periods = losses.periods(commodity, scope, agency_id)[::-1]
    # At first the latest month that can mostly be trusted: the month just ended awaits its customers' readings.
    trusted = losses.latest_trusted_period(commodity, scope, agency_id)
    month = third.selectbox(
        t("filter.month"),
        options=periods,
        index=periods.index(trusted) if trusted in periods else 0,
        format_func=lambda value: month_label(value, language),
        key="losses.month",
    )
    return commodity, level, month, agency_id


def balance_headline(balances) -> None:
    """Delivered, consumed and lost over the trusted balances shown, and how many are not trusted."""
    trusted = balances[balances["is_trusted"].fillna(False).astype(bool)]
    untrusted = len(balances) - len(trusted)
    cards = card_grid(4, per_row=2)
    cards[0].metric(t("kpi.balances"), format_number(len(balances)), border=True)
    cards[1].metric(t("kpi.untrusted"), format_number(untrusted), help=t("kpi.untrusted.help"), border=True)
    cards[2].metric(
        t("kpi.worst_loss"),
        format_percent(trusted["loss_share"].max() if not trusted.empty else None),
        help=t("kpi.worst_loss.help"),
        border=True,
    )
    cards[3].metric(
        t("kpi.non_technical_value"), money(trusted["non_technical_value_minor"].sum(), compact=True), border=True
    )


def balance_table_and_map(balances, level: str) -> int | None:
    """The balances, worst loss first, and the map coloured by loss; the row chosen opens its detail."""
    st.subheader(t("losses.table_title", level=t(f"level.{level}").lower()))
    headers = labels(BALANCE_COLUMNS)
    shown = balances.assign(
        trend=[t(f"trend.{value}") if isinstance(value, str) else "—" for value in balances["trend"]],
        trust_issue=[t(f"trust.{value}") if isinstance(value, str) else "✔" for value in balances["trust_issue"]],
    )
    # The worst balances are listed, as many as the map draws; the export holds them all.
    listed = shown.head(losses.TABLE_LIMIT)
    selection = table(
        styled(
            listed,
            headers,
            {
                "delivered": format_number,
                "consumed": format_number,
                "loss": format_number,
                "loss_share": format_percent,
                "non_technical_share": format_percent,
                "non_technical_value_minor": money,
            },
        ),
        hide_index=True,
        width="stretch",
        column_order=list(headers),
        column_config={name: st.column_config.Column(label) for name, label in headers.items()},
        on_select="rerun",
        selection_mode="single-row",
        key="losses.table",
    )
    if len(shown) > len(listed):
        st.caption(t("losses.table_limited", shown=len(listed), total=len(shown)))
    exports(shown[list(headers)], name=f"bilan-{level}", key="losses.export", headers=headers)

    st.subheader(t("losses.map_title"))
    placed = balances.dropna(subset=["latitude", "longitude"])
    drawn = placed.head(losses.MAP_LIMIT)
    if drawn.empty:
        st.info(t("map.empty"))
    else:
        config = settings()
        maps.render(maps.loss_map_html(drawn, current_language(), config.map_tiles_url, config.map_tiles_attribution))
        if len(placed) > len(drawn):
            st.caption(t("losses.map_limited", shown=len(drawn), total=len(placed)))
    rows = selection.selection.rows if selection is not None else []
    return int(balances.iloc[rows[0]]["equipment_id"]) if rows else None


def equipment_detail(balances, level: str, chosen: int | None, scope: Scope) -> None:
    """One piece of equipment: its loss over time and, for a transformer, its customers and suspects."""
    st.subheader(t("losses.detail_title"))
    codes = dict(zip(balances["equipment_id"].astype(int), balances["equipment_code"], strict=True))
    if not codes:
        return
    # A row picked in the table becomes the equipment shown; the list below still lets one pick another.
    if chosen is not None and st.session_state.get("losses.picked") != chosen:
        st.session_state["losses.picked"] = chosen
        st.session_state["losses.equipment"] = chosen
    if st.session_state.get("losses.equipment") not in codes:
        st.session_state.pop("losses.equipment", None)
    equipment_id = st.selectbox(
        t("filter.equipment", level=t(f"level.{level}")),
        options=list(codes),
        format_func=lambda value: codes[value],
        key="losses.equipment",
    )
    history = losses.history(level, equipment_id, scope)
    if not history.empty:
        st.plotly_chart(charts.loss_share_trend(history), width="stretch", key="losses.history")
    if level != "transformer":
        return
    customers_tab, suspects_tab = st.tabs([t("tab.customers"), t("tab.suspects")])
    with customers_tab:
        customers = losses.transformer_customers(equipment_id, scope)
        st.caption(t("losses.customers_caption", count=len(customers)))
        headers = labels(CUSTOMER_COLUMNS)
        table(
            styled(
                customers,
                headers,
                {
                    "score": _score,
                    "subscribed_power": format_exact,
                    "contract_status": _status,
                    "rule_codes": _rules_in_words(scope),
                },
            ),
            hide_index=True,
            width="stretch",
            column_order=list(headers),
            column_config={name: st.column_config.Column(label) for name, label in headers.items()},
            key="losses.customers",
        )
    with suspects_tab:
        found = losses.transformer_suspects(equipment_id, scope)
        if found.empty:
            st.info(t("losses.no_suspect"))
            return
        headers = labels(SUSPECT_COLUMNS) | {
            "reasons_fr" if current_language() == "fr" else "reasons_en": t("column.reasons")
        }
        table(
            styled(found, headers, {"score": _score}),
            hide_index=True,
            width="stretch",
            column_order=list(headers),
            column_config={name: st.column_config.Column(label) for name, label in headers.items()},
            key="losses.suspects",
        )


user = signed_in_user()
st.title(t("losses.title"))
st.caption(t("losses.caption"))

with problems_as_messages():
    commodity, level, month, agency_id = commodity_level_period_and_agency(user.scope)
    balances = losses.balances(level, commodity, month, user.scope, agency_id)
    if balances.empty:
        st.info(t("losses.empty"))
    else:
        balance_headline(balances)
        chosen = balance_table_and_map(balances, level)
        equipment_detail(balances, level, chosen, user.scope)
