"""Fraud suspects: suspects on a clustered map with the reasons of each, filtered by agency, score, rule and
transformer; the inspection list in route order (Excel, CSV); inspections asked and their outcomes recorded
through the operational API."""

from __future__ import annotations

import maps
import pandas as pd
import streamlit as st
from api import ApiProblem
from auth import show_refusal
from data import field, suspects
from data.scope import Scope
from data.warehouse import settings
from i18n import current_language, format_number, labels, t
from ui import agency_choice, exports, local_today, problems_as_messages, signed_in_user, styled, table

LIST_COLUMNS = {
    "route_order": "column.route_order",
    "agency_code": "column.agency_code",
    "contract_reference": "column.contract",
    "customer_name": "column.customer_name",
    "address": "column.address",
    "meter_serial": "column.meter",
    "transformer_code": "column.transformer",
    "score": "column.score",
    "rule_codes": "column.rules",
}
# Requests sent in one go: a day's work for a team, not the whole utility by mistake.
REQUEST_LIMIT = 200


def filters(scope: Scope) -> tuple[int | None, float, str | None, int | None]:
    """Agency, minimum score, rule and transformer."""
    language = current_language()
    first, second, third, fourth = st.columns(4)
    agency_id = agency_choice(scope, "suspects.agency", column=first)
    low, high = suspects.score_range(scope, agency_id)
    min_score = second.slider(
        t("filter.min_score"),
        min_value=float(int(low)),
        max_value=max(float(int(high) + 1), float(int(low)) + 1.0),
        value=float(int(low)),
        step=0.5,
        key="suspects.min_score",
    )
    rules = {rule.code: rule for rule in suspects.rules(scope, agency_id)}
    every_rule = t("filter.all_rules")
    rule = third.selectbox(
        t("filter.rule"),
        options=[None, *rules],
        format_func=lambda code: (
            every_rule
            if code is None
            else f"{rules[code].label_fr if language == 'fr' else rules[code].label_en} ({rules[code].suspects})"
        ),
        key="suspects.rule",
    )
    transformers = suspects.transformers(scope, agency_id)
    every_transformer = t("filter.all_transformers")
    transformer_id = fourth.selectbox(
        t("filter.transformer"),
        options=[None, *transformers],
        format_func=lambda value: every_transformer if value is None else transformers[value],
        key="suspects.transformer",
    )
    return agency_id, min_score, rule, transformer_id


def suspects_on_the_map(found: pd.DataFrame) -> None:
    """The suspects, clustered, coloured by score; each popup gives the reasons."""
    placed = found.dropna(subset=["latitude", "longitude"]).sort_values("priority", ascending=False)
    drawn = placed.head(suspects.MAP_LIMIT)
    if drawn.empty:
        st.info(t("map.empty"))
        return
    config = settings()
    maps.render(maps.suspects_map_html(drawn, current_language(), config.map_tiles_url, config.map_tiles_attribution))
    if len(placed) > len(drawn):
        st.caption(t("suspects.map_limited", shown=len(drawn), total=len(placed)))


def inspection_list(found: pd.DataFrame) -> None:
    """The suspects in route order, with their reasons, ready for the field (Excel and CSV)."""
    st.subheader(t("suspects.list_title"))
    reasons = "reasons_fr" if current_language() == "fr" else "reasons_en"
    headers = labels(LIST_COLUMNS) | {reasons: t("column.reasons")}
    table(
        # The score to one decimal as the language writes it (Streamlit's number format would write 3.1 in French).
        styled(found, headers, {"score": lambda score: format_number(score, 1)}),
        hide_index=True,
        width="stretch",
        column_order=list(headers),
        column_config={name: st.column_config.Column(label) for name, label in headers.items()},
        key="suspects.table",
    )
    exports(found[list(headers)], name="inspections", key="suspects.export", headers=headers)


def ask_for_inspections(found: pd.DataFrame) -> None:
    """Send the listed suspects (first in route order) to the field as inspections, through the API."""
    offered = field.available()
    available, allowed = offered["create"]
    if not available:
        st.info(t("api.missing", what="POST /field/inspections"), icon=":material/construction:")
        return
    if not allowed:
        st.caption(t("suspects.request_not_allowed"))
        return
    count = min(len(found), REQUEST_LIMIT)
    if st.button(t("suspects.request", count=count), key="suspects.request", icon=":material/assignment_add:"):
        with st.status(t("suspects.requesting", count=count)) as status:
            bar = st.progress(0.0)
            report = field.request_inspections(found.head(count), progress=bar.progress)
            status.update(label=t("suspects.requested", created=report.created), state="complete")
        for reference, problem in report.refused[:10]:
            st.warning(f"{reference} — {problem.message}")


def outcomes_of_inspections() -> None:
    """Inspections not yet done, and the form that records what the team found."""
    st.subheader(t("inspections.title"))
    offered = field.available()
    if not offered["list"][0]:
        st.info(t("api.missing", what="GET /field/inspections"), icon=":material/construction:")
        return
    if not offered["list"][1]:
        st.caption(t("inspections.not_allowed"))
        return
    open_ones = field.inspections("open")
    if open_ones.empty:
        st.info(t("inspections.none_open"))
        return
    table(open_ones, hide_index=True, width="stretch", key="inspections.table")
    if not offered["outcome"][1] or "id" not in open_ones.columns:
        return
    references = dict(
        zip(open_ones["id"].astype(int), open_ones.get("contract_reference", open_ones["id"]), strict=True)
    )
    with st.form("inspections.outcome"):
        inspection_id = st.selectbox(
            t("inspections.which"),
            options=list(references),
            format_func=lambda value: f"{value} — {references[value]}",
        )
        outcome = st.selectbox(
            t("inspections.outcome"), options=field.OUTCOMES, format_func=lambda value: t(f"outcome.{value}")
        )
        inspected_on = st.date_input(t("inspections.date"), value=local_today(), format="DD/MM/YYYY")
        energy = st.number_input(t("inspections.energy"), min_value=0.0, value=0.0, step=10.0)
        notes = st.text_area(t("inspections.notes"), max_chars=1000)
        submitted = st.form_submit_button(t("inspections.record"), type="primary")
    if submitted:
        try:
            field.record_outcome(
                int(inspection_id),
                outcome=outcome,
                inspected_on=inspected_on,
                notes=notes,
                energy_recovered=energy or None,
            )
        except ApiProblem as problem:
            show_refusal(problem)
        else:
            st.success(t("inspections.recorded", id=inspection_id))


user = signed_in_user()
st.title(t("suspects.title"))
st.caption(t("suspects.caption"))

with problems_as_messages():
    agency_id, min_score, rule, transformer_id = filters(user.scope)
    found = suspects.suspects(user.scope, agency_id, min_score, rule, transformer_id)
    st.metric(t("kpi.suspects"), format_number(len(found)), border=True)
    if found.empty:
        st.info(t("suspects.empty"))
    else:
        suspects_on_the_map(found)
        inspection_list(found)
        ask_for_inspections(found)
    outcomes_of_inspections()
